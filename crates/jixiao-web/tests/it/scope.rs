//! The authorization matrix: every route × every role, and out-of-scope = missing (404).

use axum::http::StatusCode;
use jixiao_store::contract_test;

use crate::support::{App, Browser, PERIOD, USERS, app};

const OK: u16 = 200;
const REDIRECT: u16 = 303;
const FORBIDDEN: u16 = 403;
const MISSING: u16 = 404;

/// Signs every role in; the last entry is the anonymous visitor.
async fn everyone(app: &App) -> Vec<(&'static str, Option<Browser>)> {
    let mut all = Vec::new();
    for u in USERS {
        all.push((u, Some(app.login(u).await)));
    }
    all.push(("anonymous", None));
    all
}

contract_test!(
    every_get_route_admits_exactly_the_roles_it_should,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        let import_id = app.store.imports(Default::default()).await.unwrap().items[0].id;
        let job_id = app
            .store
            .create_job(&jixiao_store::NewJob {
                kind: "calls".into(),
                file_name: "calls.csv".into(),
                file_size: 10,
                mode: jixiao_store::ImportMode::Lenient,
                created_by: "manager".into(),
                created_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
        // Columns: admin, manager, supervisor, qa, agent, anonymous.
        let matrix: Vec<(String, [u16; 6])> = vec![
            (
                format!("/p/{PERIOD}"),
                [OK, OK, REDIRECT, OK, FORBIDDEN, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/teams/{}", t.call1),
                [OK, OK, OK, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/teams/{}", t.call2),
                [OK, OK, MISSING, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/teams/{}", t.sales),
                [OK, OK, MISSING, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/teams/999999"),
                [MISSING, MISSING, MISSING, MISSING, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A001"),
                [OK, OK, OK, OK, OK, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A002"),
                [OK, OK, OK, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A003"),
                [OK, OK, MISSING, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/NOBODY"),
                [MISSING, MISSING, MISSING, MISSING, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A001/calls"),
                [OK, OK, OK, OK, OK, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A001/surveys?page=1"),
                [OK, OK, OK, OK, OK, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A001/qa"),
                [OK, OK, OK, OK, OK, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A003/calls"),
                [OK, OK, MISSING, OK, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/agents/A001/calls?team={}", t.call2),
                [OK, OK, MISSING, OK, OK, REDIRECT],
            ),
            (
                "/p/not-a-period".to_string(),
                [MISSING, MISSING, MISSING, MISSING, MISSING, REDIRECT],
            ),
            (
                "/periods".to_string(),
                [OK, OK, OK, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/imports".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                format!("/imports/{import_id}/rejects.csv"),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                format!("/imports/{import_id}/replaced.csv"),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                format!("/imports/jobs/{job_id}"),
                [OK, OK, MISSING, MISSING, MISSING, REDIRECT],
            ),
            (
                format!("/p/{PERIOD}/export.xlsx"),
                [OK, OK, OK, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/imports/templates/tickets.xlsx".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/imports/profiles".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/imports/profiles/new?from=pbx-cdr".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/imports/profiles/pbx-cdr".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            // Refused roles cannot tell a missing profile from an existing one.
            (
                "/imports/profiles/no-such-profile".to_string(),
                [MISSING, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/unmatched".to_string(),
                [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/employees/A001/aliases".to_string(),
                [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT],
            ),
            (
                "/employees/NOBODY/aliases".to_string(),
                [
                    MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT,
                ],
            ),
            (
                "/no/such/page".to_string(),
                [MISSING, MISSING, MISSING, MISSING, MISSING, MISSING],
            ),
        ];
        let people = everyone(&app).await;
        let mut failures = Vec::new();
        for (path, expected) in &matrix {
            for ((who, b), want) in people.iter().zip(expected) {
                let got = app.get(path, b.as_ref()).await.status.as_u16();
                if got != *want {
                    failures.push(format!("GET {path} as {who}: got {got}, want {want}"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
);

contract_test!(
    every_post_route_admits_exactly_the_roles_it_should,
    |store| async move {
        let app = app(store).await;
        let people = everyone(&app).await;
        for (who, b) in &people {
            let Some(b) = b else {
                let res = app
                    .post(&format!("/p/{PERIOD}/close"), None, "csrf=x")
                    .await;
                assert_eq!(
                    (res.status, res.location()),
                    (StatusCode::SEE_OTHER, "/login")
                );
                let res = app.upload(None, "calls", "x.csv", "a,b\n").await;
                assert_eq!(
                    (res.status, res.location()),
                    (StatusCode::SEE_OTHER, "/login")
                );
                continue;
            };
            let manages = matches!(*who, "admin" | "manager");
            // Each manager closes a different (empty) month so both can succeed.
            let month = if *who == "admin" {
                "2026-07"
            } else {
                "2026-08"
            };
            let close = app.post_csrf(&format!("/p/{month}/close"), b).await;
            let want = if manages {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(close.status, want, "close as {who}");
            let upload = app
                .upload(Some(b), "calls", "empty.csv", crate::support::CALLS_CSV)
                .await;
            let want = if manages {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(upload.status, want, "upload as {who}");
            let logout = app.post_csrf("/logout", b).await;
            assert_eq!(logout.status, StatusCode::SEE_OTHER, "logout as {who}");
        }
        // A supervisor could not close the period: it is still computed, not closed.
        let info = app
            .store
            .period_info(crate::support::period())
            .await
            .unwrap();
        assert_eq!(info.status, jixiao_core::period::PeriodStatus::Computed);
    }
);

contract_test!(
    another_agents_scorecard_looks_exactly_like_a_missing_one,
    |store| async move {
        let app = app(store).await;
        let agent = app.login("agent").await;
        let other = app
            .get(&format!("/p/{PERIOD}/agents/A002"), Some(&agent))
            .await;
        let missing = app
            .get(&format!("/p/{PERIOD}/agents/ZZZ999"), Some(&agent))
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        assert_eq!(other.text(), missing.text());

        let sup = app.login("sup").await;
        let team = app
            .get(
                &format!("/p/{PERIOD}/teams/{}", app.teams.call2),
                Some(&sup),
            )
            .await;
        let none = app
            .get(&format!("/p/{PERIOD}/teams/424242"), Some(&sup))
            .await;
        assert_eq!(team.status, StatusCode::NOT_FOUND);
        assert_eq!(team.text(), none.text());
    }
);

contract_test!(
    a_supervisor_is_sent_from_the_overview_to_their_team,
    |store| async move {
        let app = app(store).await;
        let sup = app.login("sup").await;
        let res = app.get(&format!("/p/{PERIOD}"), Some(&sup)).await;
        assert_eq!(
            res.location(),
            format!("/p/{PERIOD}/teams/{}", app.teams.call1)
        );
    }
);
