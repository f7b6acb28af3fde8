//! `/q/{quarter}`, `/y/{year}` and their API: summed months in each role's scope.

use axum::http::StatusCode;
use jixiao_store::contract_test;

use crate::api::{get as api_get, json, tokens};
use crate::support::*;

contract_test!(
    a_quarter_page_shows_each_role_only_its_scope,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = app.get("/q/2026-Q4", Some(&manager)).await;
        assert_eq!(res.status, StatusCode::OK);
        let html = res.text();
        for no in ["A001", "A002", "A003", "A004"] {
            assert!(html.contains(no), "{no}");
        }
        assert!(html.contains("2026-10") && html.contains("span-table"));
        let sup = app.login("sup").await;
        let html = app.get("/q/2026-Q4", Some(&sup)).await.text();
        assert!(html.contains("A001") && html.contains("A002"));
        assert!(!html.contains("A003") && !html.contains("A004"));
        let agent = app.login("agent").await;
        let html = app.get("/y/2026", Some(&agent)).await.text();
        assert!(html.contains("A001") && !html.contains("A002"));
        assert_eq!(
            app.get("/q/2026-Q5", Some(&manager)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/q/2026-Q4", None).await.status,
            StatusCode::SEE_OTHER
        );

        let tokens = tokens(&app).await;
        let q = json(&api_get(&app, "/api/v1/quarters/2026-Q4", Some(&tokens[1].1)).await);
        assert_eq!(q["span"], "2026-Q4");
        assert_eq!(q["months"][0]["included"], true);
        assert_eq!(q["months"][1]["included"], false);
        let a1 = q["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["employee_no"] == "A001")
            .unwrap();
        let card = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/agents/A001"),
                Some(&tokens[1].1),
            )
            .await,
        );
        // One month counted: the quarter's score and points are that month's.
        assert_eq!(a1["score"], card["scorecards"][0]["total"]);
        assert_eq!(a1["points"], card["scorecards"][0]["points"]);
        let qa = json(&api_get(&app, "/api/v1/quarters/2026-Q4", Some(&tokens[3].1)).await);
        assert!(qa["agents"][0]["variable_pay"].is_null(), "QA sees no pay");
        let res = api_get(&app, "/api/v1/years/2026-Q4", Some(&tokens[1].1)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
);
