//! The API twins of configuration and lifecycle forms: opening a review window, adjustments,
//! custom KPI definitions, point standards and department heads, each with its page's roles
//! and result.

use axum::http::{Method, StatusCode};
use jixiao_core::period::PeriodStatus;
use jixiao_store::{PageReq, contract_test};
use rust_decimal::Decimal;
use serde_json::Value;

use super::{call, code, get, json, tokens};
use crate::support::{App, PERIOD, Resp, app, period};

async fn post(app: &App, path: &str, token: Option<&str>, body: &str) -> Resp {
    call(app, Method::POST, path, token, Some(body), None).await
}

/// The audit log's kinds and actors.
async fn audited(app: &App) -> Vec<(String, String)> {
    let log = app.store.audit_log(PageReq::default()).await.unwrap();
    log.items.into_iter().map(|e| (e.kind, e.actor)).collect()
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}"))
        .parse()
        .unwrap()
}

contract_test!(
    a_manager_opens_the_review_window_through_the_api_and_nobody_else_may,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let path = format!("/api/v1/periods/{PERIOD}/review");
        let body = r#"{"until":"2999-12-31"}"#;
        for i in [2, 3, 4] {
            let res = post(&app, &path, Some(&t[i].1), body).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        let res = post(&app, &path, None, body).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let status = app.store.period_info(period()).await.unwrap().status;
        assert_eq!(status, PeriodStatus::Computed);
        // An end before the period's last day is refused, as on the page.
        let early = post(&app, &path, Some(&t[1].1), r#"{"until":"2026-10-15"}"#).await;
        assert_eq!(
            (early.status, code(&early).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            "{}",
            early.text()
        );
        let res = post(&app, &path, Some(&t[1].1), body).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let p = json(&res);
        assert_eq!(
            (p["period"].as_str(), p["status"].as_str()),
            (Some(PERIOD), Some("in_review"))
        );
        assert_eq!(p["review_until"], "2999-12-31");
        let info = app.store.period_info(period()).await.unwrap();
        assert_eq!(info.status, PeriodStatus::InReview);
        assert!(
            audited(&app)
                .await
                .contains(&("period.review".into(), "manager".into()))
        );
        // The period list shows it too.
        let list = json(&get(&app, "/api/v1/periods", Some(&t[0].1)).await);
        let listed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["period"] == PERIOD);
        assert_eq!(
            listed.map(|p| &p["status"]),
            Some(&"in_review".into()),
            "{list}"
        );
        // A period never computed cannot be reviewed; a malformed one does not exist.
        let never = post(&app, "/api/v1/periods/2026-12/review", Some(&t[0].1), body).await;
        assert_eq!(
            (never.status, code(&never).as_str()),
            (StatusCode::CONFLICT, "invalid_transition")
        );
        let bad = post(&app, "/api/v1/periods/2026-13/review", Some(&t[0].1), body).await;
        assert_eq!(bad.status, StatusCode::NOT_FOUND);
        // Closed: the same refusal as closing twice.
        let close = format!("/api/v1/periods/{PERIOD}/close");
        let closed = call(&app, Method::POST, &close, Some(&t[1].1), None, None).await;
        assert_eq!(closed.status, StatusCode::OK);
        let late = post(&app, &path, Some(&t[1].1), body).await;
        assert_eq!(
            (late.status, code(&late).as_str()),
            (StatusCode::CONFLICT, "period_closed")
        );
    }
);

contract_test!(
    an_adjustment_added_through_the_api_changes_the_card_and_is_audited_and_listed_in_scope,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let p = format!("/api/v1/periods/{PERIOD}/agents");
        let path = format!("{p}/A001/adjustments");
        let card = |token: String| {
            let app = &app;
            let p = p.clone();
            async move { json(&get(app, &format!("{p}/A001"), Some(&token)).await) }
        };
        let before = card(manager.clone()).await;
        let empty = get(&app, &path, Some(manager)).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
        assert_eq!(json(&empty), serde_json::json!([]));

        let body = r#"{"points":"2.5","pay":"12.50","reason":"漏计一通投诉回访"}"#;
        for who in [sup, qa, agent] {
            let res = post(&app, &path, Some(who), body).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
        }
        assert_eq!(
            post(&app, &path, None, body).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert!(
            app.store
                .adjustments(period(), None)
                .await
                .unwrap()
                .is_empty()
        );

        let res = post(&app, &path, Some(manager), body).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let added = json(&res);
        assert_eq!(dec(&added["pay"]), Decimal::new(1250, 2));
        assert_eq!(dec(&added["points"]), Decimal::new(25, 1));
        assert_eq!(added["author"], "manager");
        assert_eq!(added["reason"], "漏计一通投诉回访");
        // The card shows it at once: points and pay moved by the amounts.
        let after = card(manager.clone()).await;
        let (b, a) = (&before["scorecards"][0], &after["scorecards"][0]);
        assert_eq!(
            dec(&a["points"]) - dec(&b["points"]),
            Decimal::new(25, 1),
            "{a}"
        );
        assert_eq!(
            dec(&a["variable_pay"]) - dec(&b["variable_pay"]),
            Decimal::new(1250, 2)
        );
        assert!(
            audited(&app)
                .await
                .contains(&("adjustment.add".into(), "manager".into()))
        );
        // Listed for whoever sees the agent's card: pay only for those who see pay.
        for who in [admin, manager, sup, agent] {
            let list = json(&get(&app, &path, Some(who)).await);
            assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
            assert_eq!(list[0]["reason"], "漏计一通投诉回访");
        }
        let as_qa = json(&get(&app, &path, Some(qa)).await);
        assert!(as_qa[0]["pay"].is_null(), "{as_qa}");
        assert_eq!(dec(&as_qa[0]["points"]), Decimal::new(25, 1));
        // Out of scope is missing: another agent's list for an agent, another team's for sup.
        let other = get(&app, &format!("{p}/A002/adjustments"), Some(agent)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        let other = get(&app, &format!("{p}/A003/adjustments"), Some(sup)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        let nobody = post(&app, &format!("{p}/ZZ999/adjustments"), Some(manager), body).await;
        assert_eq!(nobody.status, StatusCode::NOT_FOUND);
        // Refused like the page: a blank reason, no amount; a closed period.
        for bad in [
            r#"{"pay":"1","reason":"  "}"#,
            r#"{"reason":"nothing"}"#,
            r#"{"pay":"0.001","reason":"fractions of a fen"}"#,
        ] {
            let res = post(&app, &path, Some(manager), bad).await;
            assert_eq!(
                (res.status, code(&res).as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                "{bad}: {}",
                res.text()
            );
        }
        let close = format!("/api/v1/periods/{PERIOD}/close");
        call(&app, Method::POST, &close, Some(manager), None, None).await;
        let late = post(&app, &path, Some(admin), body).await;
        assert_eq!(
            (late.status, code(&late).as_str()),
            (StatusCode::CONFLICT, "period_closed")
        );
        assert_eq!(
            app.store.adjustments(period(), None).await.unwrap().len(),
            1
        );
    }
);

const SL: &str = "answered_within_threshold / offered * 100";

fn kpi(code: &str, formula: &str, unit: &str) -> String {
    serde_json::json!({
        "code": code,
        "name_en": "SL 20s",
        "name_zh": "20 秒接通率",
        "formula": formula,
        "div_zero": "no_data",
        "unit": unit,
        "direction": "higher_is_better",
        "class": "quality",
    })
    .to_string()
}

contract_test!(
    a_kpi_saved_through_the_api_is_versioned_listed_and_on_the_page,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = &t[1].1;
        let res = post(
            &app,
            "/api/v1/kpis",
            Some(manager),
            &kpi("sl_20s", SL, "percent"),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let v1 = json(&res);
        assert_eq!(
            (v1["code"].as_str(), v1["version"].as_u64()),
            (Some("sl_20s"), Some(1))
        );
        assert_eq!(v1["unit"], "percent");
        assert_eq!(v1["created_by"], "manager");
        let again = kpi("sl_20s", "answered / offered * 100", "percent");
        let res = post(&app, "/api/v1/kpis", Some(&t[0].1), &again).await;
        assert_eq!(json(&res)["version"], 2, "{}", res.text());

        let list = json(&get(&app, "/api/v1/kpis", Some(manager)).await);
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        assert_eq!(list[0]["latest_version"], 2);
        assert_eq!(list[0]["versions"][0]["formula"], SL);
        assert_eq!(list[0]["versions"][1]["created_by"], "admin");
        let one = get(&app, "/api/v1/kpis/sl_20s", Some(manager)).await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(json(&one)["versions"].as_array().map(Vec::len), Some(2));
        let none = get(&app, "/api/v1/kpis/no_such_kpi", Some(manager)).await;
        assert_eq!(
            (none.status, code(&none).as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
        // The page shows what the API saved.
        let b = app.login("manager").await;
        let page = app.get("/config/kpis", Some(&b)).await.text();
        assert!(
            page.contains(SL) && page.contains("answered / offered * 100"),
            "{page}"
        );
        let edit = app.get("/config/kpis/sl_20s", Some(&b)).await;
        assert_eq!(edit.status, StatusCode::OK);

        // Refused exactly as the page refuses: stable codes, where, and a suggestion.
        let typo = post(
            &app,
            "/api/v1/kpis",
            Some(manager),
            &kpi("sl_typo", "answered / offerd * 100", "percent"),
        )
        .await;
        assert_eq!(
            typo.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            typo.text()
        );
        let e = &json(&typo)["error"];
        assert_eq!(e["code"], "formula_unknown_measure", "{e}");
        assert_eq!(e["position"], 12);
        assert_eq!(e["suggestion"], "offered");
        assert!(!e["message"].as_str().unwrap_or_default().is_empty());
        for (body, want) in [
            (
                kpi("aht_2", "handle_secs / handled", "percent"),
                "formula_wrong_unit",
            ),
            (kpi("sl_x", SL, "furlongs"), "invalid_value"),
            (kpi("Bad Code", SL, "percent"), "invalid_value"),
            ("{}".to_string(), "invalid_value"),
        ] {
            let res = post(&app, "/api/v1/kpis", Some(manager), &body).await;
            assert_eq!(
                (res.status, code(&res).as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, want),
                "{body}: {}",
                res.text()
            );
        }
        assert_eq!(app.store.kpi_definitions().await.unwrap().len(), 2);
        // Only admins and managers.
        for i in [2, 3, 4] {
            let token = Some(t[i].1.as_str());
            let res = get(&app, "/api/v1/kpis", token).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
            let res = get(&app, "/api/v1/kpis/sl_20s", token).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
            let res = post(&app, "/api/v1/kpis", token, &kpi("sl_sup", SL, "percent")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        let res = post(&app, "/api/v1/kpis", None, &kpi("sl_anon", SL, "percent")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.store.kpi_definitions().await.unwrap().len(), 2);
    }
);

contract_test!(
    a_point_standard_added_through_the_api_is_listed_and_a_closed_period_refuses_one,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = &t[1].1;
        let body = |day: &str, coefficient: &str| {
            format!(
                r#"{{"type_code":"INQ","coefficient":"{coefficient}","effective_from":"{day}"}}"#
            )
        };
        let path = "/api/v1/point-standards";
        let res = post(&app, path, Some(manager), &body("2026-11-01", "1.5")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let added = json(&res);
        assert_eq!(added["type_code"], "INQ");
        assert_eq!(added["effective_from"], "2026-11-01");
        assert_eq!(added["unit"], "per_interaction");
        assert_eq!(dec(&added["coefficient"]), Decimal::new(15, 1));
        let list = json(&get(&app, path, Some(&t[0].1)).await);
        let rows = list.as_array().unwrap();
        assert!(
            rows.iter()
                .any(|s| s["effective_from"] == "2026-11-01" && s["created_by"] == "manager"),
            "{list}"
        );
        assert!(
            audited(&app)
                .await
                .contains(&("points.standard.add".into(), "manager".into()))
        );
        let b = app.login("manager").await;
        assert!(
            app.get("/config/points", Some(&b))
                .await
                .text()
                .contains("2026-11-01")
        );
        // Refusals: a second version on the same date, a malformed value, a closed period.
        let res = post(&app, path, Some(manager), &body("2026-11-01", "2")).await;
        assert_eq!(
            (res.status, code(&res).as_str()),
            (StatusCode::CONFLICT, "conflict")
        );
        for bad in [
            body("2026-11-02", "lots"),
            body("someday", "1"),
            "{}".into(),
        ] {
            let res = post(&app, path, Some(manager), &bad).await;
            assert_eq!(
                (res.status, code(&res).as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
                "{bad}"
            );
        }
        let close = format!("/api/v1/periods/{PERIOD}/close");
        call(&app, Method::POST, &close, Some(manager), None, None).await;
        let res = post(&app, path, Some(manager), &body("2026-10-15", "2")).await;
        assert_eq!(
            (res.status, code(&res).as_str()),
            (StatusCode::CONFLICT, "period_closed")
        );
        // Only admins and managers.
        for i in [2, 3, 4] {
            let token = Some(t[i].1.as_str());
            assert_eq!(get(&app, path, token).await.status, StatusCode::FORBIDDEN);
            let res = post(&app, path, token, &body("2027-01-01", "2")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        assert_eq!(app.store.point_standards().await.unwrap().len(), rows.len());
    }
);

contract_test!(
    a_manager_sets_and_clears_a_department_head_through_the_api,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = &t[1].1;
        let path = "/api/v1/departments/CALL/head";
        let body = r#"{"employee_no":"S001"}"#;
        for i in [2, 3, 4] {
            let res = post(&app, path, Some(&t[i].1), body).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        assert_eq!(
            post(&app, path, None, body).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert!(app.store.department_heads().await.unwrap().is_empty());

        let res = post(&app, path, Some(manager), body).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let d = json(&res);
        assert_eq!(d["department_code"], "CALL");
        assert_eq!(d["head_employee_no"], "S001");
        assert_eq!(d["head_name"], "Sun Supervisor");
        let s001 = app.store.employee_by_no("S001").await.unwrap().id;
        let heads = app.store.department_heads().await.unwrap();
        assert_eq!(
            heads.get(&d["department_id"].as_i64().unwrap()),
            Some(&s001)
        );
        assert!(
            audited(&app)
                .await
                .contains(&("department.head".into(), "manager".into()))
        );
        let b = app.login("manager").await;
        let page = app.get("/config/targets", Some(&b)).await.text();
        assert!(page.contains("S001 Sun Supervisor"), "{page}");
        // An unknown employee is invalid input; an unknown department is missing.
        let res = post(&app, path, Some(manager), r#"{"employee_no":"ZZ999"}"#).await;
        assert_eq!(
            (res.status, code(&res).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        );
        let res = post(&app, "/api/v1/departments/NOPE/head", Some(manager), body).await;
        assert_eq!(
            (res.status, code(&res).as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
        // No employee number clears it.
        let res = post(&app, path, Some(&t[0].1), "{}").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert!(json(&res)["head_employee_no"].is_null());
        assert!(app.store.department_heads().await.unwrap().is_empty());
    }
);
