//! The API authorization matrix: every route × every role; out of scope = missing (404).

use axum::http::{Method, StatusCode};
use jixiao_store::contract_test;

use super::{call, code, get, json, tokens};
use crate::support::{PERIOD, app};

const OK: u16 = 200;
const UNAUTHORIZED: u16 = 401;
const FORBIDDEN: u16 = 403;
const MISSING: u16 = 404;

/// Every GET route of the API with sample arguments, and the status each role gets.
/// Columns: admin, manager, supervisor, qa, agent, anonymous.
pub fn get_matrix(t: crate::support::Teams, import_id: i64) -> Vec<(String, [u16; 6])> {
    let p = format!("/api/v1/periods/{PERIOD}");
    vec![
        ("/api/v1/me".into(), [OK, OK, OK, OK, OK, UNAUTHORIZED]),
        (
            "/api/v1/periods".into(),
            [OK, OK, OK, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("{p}/scorecards"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/scorecards?team={}&page=1&per_page=10", t.call1),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/scorecards?team={}", t.call2),
            [OK, OK, MISSING, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/scorecards?team=999999"),
            [MISSING, MISSING, MISSING, MISSING, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/teams/{}", t.call1),
            [OK, OK, OK, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/teams/{}", t.call2),
            [OK, OK, MISSING, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/teams/999999"),
            [MISSING, MISSING, MISSING, MISSING, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A001"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/targets"),
            [OK, OK, OK, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/pay-rules".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/schemes".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/pay-config".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/schemes/CALL".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/schemes/NOPE".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            "/api/v1/quarters/2026-Q4".into(),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            "/api/v1/years/2026".into(),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            "/api/v1/calibration?base=INQ&months=2026-10".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A002"),
            [OK, OK, OK, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A003"),
            [OK, OK, MISSING, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/NOBODY"),
            [MISSING, MISSING, MISSING, MISSING, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A001/calls"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A001/surveys?page=1&per_page=2"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A001/qa"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A003/calls"),
            [OK, OK, MISSING, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A002/qa"),
            [OK, OK, OK, OK, MISSING, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A001/calls?team={}", t.call2),
            [OK, OK, MISSING, OK, OK, UNAUTHORIZED],
        ),
        (
            "/api/v1/periods/not-a-period/scorecards".into(),
            [MISSING, MISSING, MISSING, MISSING, MISSING, UNAUTHORIZED],
        ),
        (
            "/api/v1/imports".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("/api/v1/imports/{import_id}/rejects"),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/imports/999999/rejects".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            format!("{p}/agents/A001/adjustments"),
            [OK, OK, OK, OK, OK, UNAUTHORIZED],
        ),
        (
            format!("{p}/agents/A003/adjustments"),
            [OK, OK, MISSING, OK, MISSING, UNAUTHORIZED],
        ),
        (
            "/api/v1/kpis".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/kpis/no_such_kpi".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            "/api/v1/point-standards".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/unmatched".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/employees/A001/aliases".into(),
            [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/employees/NOBODY/aliases".into(),
            [
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            "/api/v1/profiles".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/profiles/pbx-cdr".into(),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/profiles/no-such-profile".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            "/api/v1/imports/jobs/999999".into(),
            [MISSING, MISSING, MISSING, MISSING, MISSING, UNAUTHORIZED],
        ),
        (
            "/api/v1/tokens".into(),
            [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("{p}/overview"),
            [OK, OK, FORBIDDEN, OK, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/periods/not-a-period/overview".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                MISSING,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
        (
            format!("{p}/payroll"),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("{p}/payroll.xlsx"),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("{p}/export.xlsx"),
            [OK, OK, OK, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            format!("/api/v1/imports/{import_id}/replaced?page=1&per_page=5"),
            [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED],
        ),
        (
            "/api/v1/imports/999999/replaced".into(),
            [
                MISSING,
                MISSING,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                UNAUTHORIZED,
            ],
        ),
    ]
}

contract_test!(
    every_api_get_route_admits_exactly_the_roles_it_should,
    |store| async move {
        let app = app(store).await;
        let import_id = app.store.imports(Default::default()).await.unwrap().items[0].id;
        let tokens = tokens(&app).await;
        let mut people: Vec<(&str, Option<&str>)> =
            tokens.iter().map(|(u, t)| (*u, Some(t.as_str()))).collect();
        people.push(("anonymous", None));
        let mut failures = Vec::new();
        for (path, expected) in get_matrix(app.teams, import_id) {
            for ((who, token), want) in people.iter().zip(expected) {
                let res = get(&app, &path, *token).await;
                let got = res.status.as_u16();
                if got != want {
                    failures.push(format!("GET {path} as {who}: got {got}, want {want}"));
                }
                if got >= 400 {
                    // Every refusal is a JSON error with a code, never an HTML page.
                    assert!(
                        !code(&res).is_empty(),
                        "GET {path} as {who}: {}",
                        res.text()
                    );
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
);

contract_test!(
    forbidden_things_look_exactly_like_missing_ones,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (sup, agent) = (t[2].1.as_str(), t[4].1.as_str());
        let p = format!("/api/v1/periods/{PERIOD}");
        let other = get(&app, &format!("{p}/agents/A002"), Some(agent)).await;
        let missing = get(&app, &format!("{p}/agents/ZZZ999"), Some(agent)).await;
        assert_eq!(other.bytes, missing.bytes);
        let team = get(&app, &format!("{p}/teams/{}", app.teams.call2), Some(sup)).await;
        let none = get(&app, &format!("{p}/teams/999999"), Some(sup)).await;
        assert_eq!(team.bytes, none.bytes);
        assert_eq!(code(&team), "not_found");
    }
);

contract_test!(lists_hold_only_what_the_role_may_see, |store| async move {
    let app = app(store).await;
    let t = tokens(&app).await;
    let cards = |i: usize| {
        let token = t[i].1.clone();
        let app = &app;
        async move {
            let path = format!("/api/v1/periods/{PERIOD}/scorecards?per_page=500");
            json(&get(app, &path, Some(&token)).await)
        }
    };
    let all = cards(1).await;
    assert_eq!(all["total"], 4, "{all}");
    let sup = cards(2).await;
    let teams: Vec<i64> = sup["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["team_id"].as_i64().unwrap())
        .collect();
    assert!(!teams.is_empty() && teams.iter().all(|&id| id == app.teams.call1));
    let agent = cards(4).await;
    assert_eq!(agent["total"], 1);
    assert_eq!(agent["items"][0]["employee_no"], "A001");
    // QA judges quality, not pay: the API leaves pay out as the pages do.
    let qa = cards(3).await;
    assert!(qa["items"][0]["variable_pay"].is_null());
    assert!(!all["items"][0]["variable_pay"].is_null());
    // Money and points are exact decimal strings, never floats.
    assert!(all["items"][0]["variable_pay"].is_string(), "{all}");
    assert!(all["items"][0]["points"].is_string());
    // Paging.
    let path = format!("/api/v1/periods/{PERIOD}/scorecards?page=2&per_page=3");
    let page2 = json(&get(&app, &path, Some(&t[0].1)).await);
    assert_eq!(
        (
            page2["page"].clone(),
            page2["items"].as_array().unwrap().len()
        ),
        (2.into(), 1)
    );
});

contract_test!(
    only_managers_close_periods_through_the_api_and_only_once,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let close = |who: Option<&str>| {
            let app = &app;
            let who = who.map(str::to_string);
            async move {
                let path = format!("/api/v1/periods/{PERIOD}/close");
                call(app, Method::POST, &path, who.as_deref(), None, None).await
            }
        };
        for (i, want) in [
            (2, StatusCode::FORBIDDEN),
            (3, StatusCode::FORBIDDEN),
            (4, StatusCode::FORBIDDEN),
        ] {
            assert_eq!(close(Some(&t[i].1)).await.status, want, "{}", t[i].0);
        }
        assert_eq!(close(None).await.status, StatusCode::UNAUTHORIZED);
        let done = close(Some(&t[1].1)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        assert_eq!(json(&done)["snapshot_hash"].as_str().unwrap().len(), 64);
        let again = close(Some(&t[0].1)).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(code(&again), "period_closed");
    }
);
