//! `/config/schemes` and `/api/v1/schemes`: managers edit a department's assessment scheme;
//! an invalid one is refused with its reason and nothing is stored; other roles are refused.

use axum::http::{Method, StatusCode};
use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::Scheme;
use jixiao_store::{CardFilter, contract_test};
use rust_decimal::Decimal;

use crate::api::{call, code, get as api_get, json, tokens};
use crate::support::*;

/// The fixture's scheme with points at `points` % and AHT making up the rest of their 55 %.
fn reweighted(points: i64) -> Scheme {
    let mut s = scheme();
    s.items[0].weight = points.into();
    s.items[1].weight = (55 - points).into();
    s
}

/// The configured weight of points on A001's stored card.
async fn points_weight(app: &App) -> Decimal {
    let cards = app
        .store
        .scorecards(period(), &CardFilter::default())
        .await
        .unwrap();
    let card = cards.iter().find(|c| c.employee_no == "A001").unwrap();
    card.kpis
        .iter()
        .find(|k| k.kpi == KpiCode::Points)
        .unwrap()
        .weight
}

async fn call_id(app: &App) -> i64 {
    let d = app.store.departments().await.unwrap();
    d.into_iter().find(|d| d.code == "CALL").unwrap().id
}

fn form(csrf: &str, toml_text: &str) -> String {
    format!("csrf={}&toml={}", enc(csrf), enc(toml_text))
}

contract_test!(
    a_manager_saves_a_changed_weight_and_the_open_periods_cards_change,
    |store| async move {
        let app = app(store).await;
        assert_eq!(points_weight(&app).await, 40.into());
        let manager = app.login("manager").await;
        let list = app.get("/config/schemes", Some(&manager)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("scheme-CALL"), "{}", list.text());
        let edit = app.get("/config/schemes/CALL", Some(&manager)).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.text().contains("scheme-toml"));

        let text = toml::to_string(&reweighted(30)).unwrap();
        let checked = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        assert!(checked.text().contains("scheme-summary"));
        // Check stores nothing.
        assert_eq!(points_weight(&app).await, 40.into());

        let saved = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(saved.location(), "/config/schemes/CALL?saved=1");
        let (stored, _) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(stored, reweighted(30));
        assert_eq!(points_weight(&app).await, 30.into());
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(audit.iter().any(|k| k == "rules.update"), "{audit:?}");

        // The API sees and changes the same scheme.
        let token = tokens(&app).await[1].1.clone();
        let one = api_get(&app, "/api/v1/schemes/CALL", Some(&token)).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.text());
        assert_eq!(json(&one)["weight_total"], "100");
        let body = serde_json::to_string(&reweighted(20)).unwrap();
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/schemes/CALL",
            Some(&token),
            Some(&body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.text());
        assert_eq!(points_weight(&app).await, 20.into());
        let all = api_get(&app, "/api/v1/schemes", Some(&token)).await;
        assert_eq!(json(&all).as_array().unwrap().len(), 2);
    }
);

contract_test!(
    weights_that_do_not_total_100_are_refused_with_the_reason_and_nothing_is_saved,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let mut bad = scheme();
        bad.items[0].weight = 30.into();
        let res = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form(&manager.csrf, &toml::to_string(&bad).unwrap()),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text();
        assert!(
            html.contains("scheme-error") && html.contains("90"),
            "{html}"
        );
        let res = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, "items = ["),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("TOML"));

        let token = tokens(&app).await[1].1.clone();
        let body = serde_json::to_string(&bad).unwrap();
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/schemes/CALL",
            Some(&token),
            Some(&body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&put), "invalid_input");
        assert!(
            json(&put)["error"]["message"]
                .as_str()
                .unwrap()
                .contains("90")
        );

        let (stored, _) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(stored, scheme());
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    supervisors_agents_and_qa_are_refused_and_the_forms_need_the_csrf_token,
    |store| async move {
        let app = app(store).await;
        let text = toml::to_string(&reweighted(30)).unwrap();
        for who in ["sup", "agent", "qa"] {
            let b = app.login(who).await;
            for path in ["/config/schemes", "/config/schemes/CALL"] {
                let res = app.get(path, Some(&b)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
            }
            let res = app
                .post("/config/schemes/CALL/save", Some(&b), &form(&b.csrf, &text))
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let tokens = tokens(&app).await;
        for (who, token) in &tokens[2..] {
            let res = api_get(&app, "/api/v1/schemes", Some(token)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let body = serde_json::to_string(&reweighted(30)).unwrap();
            let put = call(
                &app,
                Method::PUT,
                "/api/v1/schemes/CALL",
                Some(token),
                Some(&body),
                None,
            )
            .await;
            assert_eq!(put.status, StatusCode::FORBIDDEN, "{who}");
        }
        let manager = app.login("manager").await;
        let res = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form("wrong", &text),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let missing = app.get("/config/schemes/NOPE", Some(&manager)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    a_scheme_with_a_deduction_item_round_trips_through_the_editors_toml,
    |store| async move {
        use jixiao_core::scoring::{DeductionRule, ScoringRule};
        let app = app(store).await;
        let mut with_deduction = scheme();
        let mut item = with_deduction.items[0].clone();
        item.weight = Decimal::ZERO;
        item.library_kpi = Some("complaints_upheld".into());
        item.scoring = Some(ScoringRule::DeductionPerEvent(DeductionRule {
            points: 2.into(),
            cap: Some(10.into()),
        }));
        with_deduction.items.push(item);
        let id = call_id(&app).await;
        app.store
            .set_department_rules(id, &with_deduction, Decimal::new(5, 1))
            .await
            .unwrap();
        let manager = app.login("manager").await;
        let edit = app.get("/config/schemes/CALL", Some(&manager)).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(
            edit.text().contains("deduction_per_event"),
            "{}",
            edit.text()
        );
        let text = toml::to_string_pretty(&with_deduction).unwrap();
        let checked = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        assert!(checked.text().contains("complaints_upheld"));
    }
);
