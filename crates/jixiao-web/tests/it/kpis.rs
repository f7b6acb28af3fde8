//! `/config/kpis` and `POST /api/v1/kpis/check`: the KPI library, saving custom KPIs as
//! versions, refusals with the error's code and position, the live check, and who may use them.

use axum::http::{Method, StatusCode};
use jixiao_store::contract_test;

use crate::api::{call, json, tokens};
use crate::support::{App, Browser, Resp, app, enc};

/// Posts the editor's form to `/config/kpis/{action}`.
async fn editor(app: &App, who: &Browser, action: &str, code: &str, formula: &str) -> Resp {
    let body = format!(
        "csrf={}&code={code}&name_en=SL+20s&name_zh={}&formula={}&unit=percent&div_zero=no_data\
         &direction=higher_is_better&class=quality",
        enc(&who.csrf),
        enc("20 秒接通率"),
        enc(formula),
    );
    app.post(&format!("/config/kpis/{action}"), Some(who), &body)
        .await
}

const SL: &str = "answered_within_threshold / offered * 100";

contract_test!(
    a_manager_saves_a_valid_kpi_and_saving_it_again_adds_a_version,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = editor(&app, &manager, "save", "sl_20s", SL).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        assert_eq!(res.location(), "/config/kpis/sl_20s?saved=1");
        let page = app.get(res.location(), Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("id=\"kdef-saved\""), "{text}");
        assert!(text.contains(SL));
        assert!(text.contains("src=\"/static/kdef.js\""));
        assert!(
            text.contains("<code>answered_within_threshold</code>"),
            "the measure catalogue"
        );

        let res = editor(&app, &manager, "save", "sl_20s", "answered / offered * 100").await;
        assert_eq!(res.location(), "/config/kpis/sl_20s?saved=2");
        let list = app.get("/config/kpis", Some(&manager)).await.text();
        assert!(
            list.contains("answered / offered * 100") && list.contains(SL),
            "{list}"
        );
        assert!(
            list.contains("handle_secs / handled"),
            "the standard library is listed"
        );
        let versions = app.store.kpi_definitions().await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].created_by, "manager");
    }
);

contract_test!(
    an_invalid_formula_is_refused_with_its_code_position_and_suggestion,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = editor(&app, &manager, "save", "sl_20s", "answered / offerd * 100").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = res.text();
        assert!(text.contains(">formula_unknown_measure</code>"), "{text}");
        // The caret sits under character 12, where `offerd` starts.
        assert!(
            text.contains(&format!("{}^</pre>", " ".repeat(11))),
            "{text}"
        );
        assert!(text.contains("id=\"kdef-suggestion\""), "{text}");
        assert!(text.contains("<code>offered</code>"));
        let wrong_unit = editor(&app, &manager, "save", "sl_20s", "handle_secs / handled").await;
        assert!(wrong_unit.text().contains("formula_wrong_unit"));
        let standard = editor(&app, &manager, "save", "aht", SL).await;
        assert_eq!(standard.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(standard.text().contains("invalid_value"));
        assert!(app.store.kpi_definitions().await.unwrap().is_empty());
    }
);

contract_test!(
    the_check_button_shows_the_result_without_saving,
    |store| async move {
        let app = app(store).await;
        let manager = app.login_with("manager", "pw-manager", "zh-CN").await;
        let ok = editor(&app, &manager, "check", "sl_20s", SL).await;
        assert_eq!(ok.status, StatusCode::OK);
        let text = ok.text();
        assert!(
            text.contains("公式有效") && text.contains("id=\"kdef-unit\">number<"),
            "{text}"
        );
        let bad = editor(&app, &manager, "check", "sl_20s", "offered +").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().contains(">formula_syntax</code>"));
        assert!(app.store.kpi_definitions().await.unwrap().is_empty());
    }
);

contract_test!(
    the_check_endpoint_answers_with_the_unit_or_the_error_as_json,
    |store| async move {
        let app = app(store).await;
        let all = tokens(&app).await;
        let manager = all
            .iter()
            .find(|(u, _)| *u == "manager")
            .unwrap()
            .1
            .as_str();
        let post = |body: &'static str| {
            call(
                &app,
                Method::POST,
                "/api/v1/kpis/check",
                Some(manager),
                Some(body),
                None,
            )
        };
        let ok = json(&post(r#"{"formula": "handle_secs / handled"}"#).await);
        assert_eq!(ok["ok"], true);
        assert_eq!(ok["unit"], "seconds");
        let bad = json(&post(r#"{"formula": "answered / offerd * 100"}"#).await);
        assert_eq!(bad["ok"], false);
        assert_eq!(bad["error"]["code"], "formula_unknown_measure");
        assert_eq!(bad["error"]["position"], 12);
        assert_eq!(bad["error"]["suggestion"], "offered");
        let unit = json(&post(r#"{"formula": "handle_secs / handled", "unit": "percent"}"#).await);
        assert_eq!(unit["error"]["code"], "formula_wrong_unit");
        let js = app.get("/static/kdef.js", None).await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(js.text().contains("/api/v1/kpis/check"));
    }
);

contract_test!(
    agents_qa_and_supervisors_may_not_see_or_change_kpis,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        editor(&app, &manager, "save", "sl_20s", SL).await;
        let all = tokens(&app).await;
        for who in ["sup", "qa", "agent"] {
            let b = app.login(who).await;
            for path in ["/config/kpis", "/config/kpis/new", "/config/kpis/sl_20s"] {
                let res = app.get(path, Some(&b)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
            }
            // The same refusal whether the KPI exists or not.
            let missing = app.get("/config/kpis/no_such", Some(&b)).await;
            assert_eq!(
                missing.text(),
                app.get("/config/kpis/sl_20s", Some(&b)).await.text()
            );
            for action in ["check", "save"] {
                let res = editor(&app, &b, action, "sl_20s", "handled").await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {action}");
            }
            let token = all.iter().find(|(u, _)| *u == who).unwrap().1.as_str();
            let body = Some(r#"{"formula": "handled"}"#);
            let res = call(
                &app,
                Method::POST,
                "/api/v1/kpis/check",
                Some(token),
                body,
                None,
            )
            .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} API");
        }
        assert_eq!(app.store.kpi_definitions().await.unwrap().len(), 1);
        let admin = app.login("admin").await;
        assert_eq!(
            app.get("/config/kpis/sl_20s", Some(&admin)).await.status,
            StatusCode::OK
        );
        let anonymous = app.get("/config/kpis", None).await;
        assert_ne!(anonymous.status, StatusCode::OK);
    }
);
