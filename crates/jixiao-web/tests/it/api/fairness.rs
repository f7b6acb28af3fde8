//! `/api/v1/complaints` and `/api/v1/journeys`: the permission matrix (a supervisor cannot see
//! another team's complaints, an agent none; only investigators register, only managers
//! decide) and the happy path from registration to decision.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use jixiao_core::fairness::StaffSource;
use jixiao_store::contract_test;
use jixiao_store::fairness::{NewAttribution, NewLine, NewStage};

use super::{call, code, get, json, tokens};
use crate::support::{App, app};

/// A line with one calls stage; returns the stage id.
async fn stage(app: &App) -> i64 {
    let s = &app.store;
    let line = s
        .create_journey_line(
            &NewLine {
                code: "repair".into(),
                name: "维修".into(),
                threshold: 3,
                tolerance_days: 0,
            },
            "manager",
            Utc::now(),
        )
        .await
        .unwrap();
    s.add_journey_stage(
        &NewStage {
            line_id: line,
            code: "consult".into(),
            name: "咨询".into(),
            source: StaffSource::Calls,
        },
        "manager",
        Utc::now(),
    )
    .await
    .unwrap()
}

const BODY: &str = r#"{"channel": "phone", "customer_id": "CUST-1",
    "occurred_at": "2026-10-05 10:00:00", "summary": "rude"}"#;

/// Registers a complaint as QA, investigates it and attributes it to `employee_no`.
async fn attributed(app: &App, qa: &str, stage_id: i64, employee_no: &str) -> i64 {
    let r = call(
        app,
        Method::POST,
        "/api/v1/complaints",
        Some(qa),
        Some(BODY),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = json(&r)["id"].as_i64().unwrap();
    let s = &app.store;
    s.start_investigation(id, "qa", Utc::now()).await.unwrap();
    let employee_id = s.employee_by_no(employee_no).await.unwrap().id;
    let a = NewAttribution {
        stage_id,
        employee_id,
        service_at: None,
        note: None,
    };
    s.add_attribution(id, &a, "qa", Utc::now()).await.unwrap();
    id
}

contract_test!(
    complaints_are_scoped_to_the_supervisors_teams_and_hidden_from_agents,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (manager, sup, qa, agent) = (&t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let stage = stage(&app).await;
        let mine = attributed(&app, qa, stage, "A002").await; // CALL-01, led by sup
        let other = attributed(&app, qa, stage, "A003").await; // CALL-02
        let list = |token| get(&app, "/api/v1/complaints", Some(token));
        assert_eq!(json(&list(manager).await).as_array().unwrap().len(), 2);
        assert_eq!(json(&list(qa).await).as_array().unwrap().len(), 2);
        let seen = json(&list(sup).await);
        assert_eq!(seen.as_array().unwrap().len(), 1);
        assert_eq!(seen[0]["id"], mine);
        let r = get(&app, &format!("/api/v1/complaints/{mine}"), Some(sup)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(json(&r)["attributions"][0]["check"].is_string());
        // Another team's complaint is the same 404 as a missing one.
        for path in [
            format!("/api/v1/complaints/{other}"),
            "/api/v1/complaints/9999".into(),
        ] {
            let r = get(&app, &path, Some(sup)).await;
            assert_eq!(
                (r.status, code(&r)),
                (StatusCode::NOT_FOUND, "not_found".into())
            );
        }
        // Agents see no complaints at all, not even those about themselves.
        let r = list(agent).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = get(&app, &format!("/api/v1/complaints/{mine}"), Some(agent)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

contract_test!(
    only_investigators_register_and_only_managers_decide,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (manager, sup, qa, agent) = (&t[1].1, &t[2].1, &t[3].1, &t[4].1);
        for token in [sup, agent] {
            let r = call(
                &app,
                Method::POST,
                "/api/v1/complaints",
                Some(token),
                Some(BODY),
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let stage = stage(&app).await;
        let id = attributed(&app, qa, stage, "A002").await;
        let path = format!("/api/v1/complaints/{id}/decide");
        let upheld = r#"{"outcome": "upheld", "reason": "rude"}"#;
        for token in [sup, qa, agent] {
            let r = call(&app, Method::POST, &path, Some(token), Some(upheld), None).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        // The attribution's mismatch is unresolved: upholding is refused.
        let r = call(&app, Method::POST, &path, Some(manager), Some(upheld), None).await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::CONFLICT, "invalid_transition".into())
        );
        let not = r#"{"outcome": "not_upheld", "reason": "no evidence"}"#;
        let r = call(&app, Method::POST, &path, Some(manager), Some(not), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(json(&r)["status"], "not_upheld");
        // Decided is final.
        let r = call(&app, Method::POST, &path, Some(manager), Some(not), None).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }
);
