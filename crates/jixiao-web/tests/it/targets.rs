//! `/config/targets` and `/api/v1/periods/{period}/targets`: managers set and check targets,
//! supervisors see only their own unit's attainment.

use axum::http::{Method, StatusCode};
use jixiao_core::org::Membership;
use jixiao_store::{contract_test, service};
use serde_json::Value;

use crate::api::{call, get as api_get, json, tokens};
use crate::support::*;

/// Puts the supervisor S001 in the team they lead, so they have a card to carry the unit.
async fn supervisor_in_team(app: &App) {
    let s001 = app.store.employee_by_no("S001").await.unwrap();
    app.store
        .add_membership(&Membership {
            employee_id: s001.id,
            team_id: app.teams.call1,
            valid_from: "2026-01-01".parse().unwrap(),
            valid_to: None,
        })
        .await
        .unwrap();
    service::recompute(&app.store, period()).await.unwrap();
}

fn form(csrf: &str, explicit: &str) -> String {
    format!(
        "csrf={}&period={PERIOD}&measure=handled&whole=100&dp=0&departments=explicit&teams=headcount&agents=headcount&explicit={}",
        enc(csrf),
        enc(explicit)
    )
}

contract_test!(
    a_manager_sets_a_target_that_adds_up_and_one_that_does_not_is_refused,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let page = app.get("/config/targets", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("tgt-none"));
        let res = app
            .post(
                "/config/targets",
                Some(&manager),
                &form(&manager.csrf, "CALL=80\nSALES=20"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let page = app
            .get(
                &format!("/config/targets?period={PERIOD}&saved=1"),
                Some(&manager),
            )
            .await;
        let html = page.text();
        assert!(
            html.contains("tgt-saved") && html.contains("target-handled"),
            "{html}"
        );
        let stored = app.store.targets(period()).await.unwrap();
        assert_eq!(stored.len(), 1);
        let team = |id: i64| {
            stored[0]
                .allocations
                .iter()
                .find(|a| a.unit == format!("team:{id}"))
                .unwrap()
                .target
        };
        // CALL's 80 by headcount: CALL-01 has two agents, CALL-02 one.
        assert_eq!(team(app.teams.call1), 53.into());
        assert_eq!(team(app.teams.call2), 27.into());
        assert_eq!(team(app.teams.sales), 20.into());

        let res = app
            .post(
                "/config/targets",
                Some(&manager),
                &form(&manager.csrf, "CALL=80\nSALES=10"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("tgt-error"));
        let res = app
            .post(
                "/config/targets",
                Some(&manager),
                &form(&manager.csrf, "NOPE=100"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

        let res = app
            .post(
                "/config/targets/delete",
                Some(&manager),
                &format!(
                    "csrf={}&period={PERIOD}&measure=handled",
                    enc(&manager.csrf)
                ),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(app.store.targets(period()).await.unwrap().is_empty());
    }
);

contract_test!(
    only_admins_and_managers_configure_targets,
    |store| async move {
        let app = app(store).await;
        for who in ["sup", "qa", "agent"] {
            let b = app.login(who).await;
            let res = app.get("/config/targets", Some(&b)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let res = app
                .post(
                    "/config/targets",
                    Some(&b),
                    &form(&b.csrf, "CALL=80\nSALES=20"),
                )
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let admin = app.login("admin").await;
        assert_eq!(
            app.get("/config/targets", Some(&admin)).await.status,
            StatusCode::OK
        );
        let manager = app.login("manager").await;
        let no_csrf = form("", "CALL=80\nSALES=20");
        let res = app.post("/config/targets", Some(&manager), &no_csrf).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(app.store.targets(period()).await.unwrap().is_empty());
        let tokens = tokens(&app).await;
        let body = r#"{"measure":"handled","whole":"10","departments":"headcount","teams":"headcount","agents":"headcount"}"#;
        let path = format!("/api/v1/periods/{PERIOD}/targets");
        let res = call(
            &app,
            Method::PUT,
            &path,
            Some(&tokens[2].1),
            Some(body),
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = call(
            &app,
            Method::PUT,
            &path,
            Some(&tokens[1].1),
            Some(body),
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(json(&res)["units"][0]["unit"], "center");
        let res = call(
            &app,
            Method::DELETE,
            &format!("{path}/handled"),
            Some(&tokens[2].1),
            None,
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = call(
            &app,
            Method::DELETE,
            &format!("{path}/handled"),
            Some(&tokens[1].1),
            None,
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
    }
);

contract_test!(
    a_supervisor_sees_only_their_own_units_attainment,
    |store| async move {
        let app = app(store).await;
        supervisor_in_team(&app).await;
        let tokens = tokens(&app).await;
        let path = format!("/api/v1/periods/{PERIOD}/targets");
        let body = r#"{"measure":"handled","whole":"100","departments":"explicit","teams":"headcount","agents":"headcount","explicit":{}}"#;
        let mut plan: Value = serde_json::from_str(body).unwrap();
        for d in app.store.departments().await.unwrap() {
            let share = if d.code == "CALL" { "80" } else { "20" };
            plan["explicit"][format!("department:{}", d.id)] = share.into();
        }
        let res = call(
            &app,
            Method::PUT,
            &path,
            Some(&tokens[1].1),
            Some(&plan.to_string()),
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        // The supervisor's API view: their team and its agents only.
        let mine = json(&api_get(&app, &path, Some(&tokens[2].1)).await);
        let units: Vec<&str> = mine[0]["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["unit"].as_str().unwrap())
            .collect();
        assert!(!units.is_empty());
        let call1 = app.teams.call1;
        assert!(
            units.iter().all(|u| *u == format!("team:{call1}") || u.starts_with(&format!("agent:{call1}:"))),
            "{units:?}"
        );
        // Their card carries the team's attainment, with the sums it came from.
        let sup = app.login("sup").await;
        let page = app
            .get(&format!("/p/{PERIOD}/agents/S001"), Some(&sup))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("unit-attainment"), "{}", page.text());
        let card = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/agents/S001"),
                Some(&tokens[2].1),
            )
            .await,
        );
        let unit = &card["scorecards"][0]["unit_attainment"];
        assert_eq!(unit["level"], "team");
        assert_eq!(unit["rows"][0]["measure"], "handled");
        assert_eq!(unit["rows"][0]["units"][0], format!("team:{call1}"));
        // An agent's card has none, and agents see no targets.
        let agent = app.login("agent").await;
        let page = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await;
        assert!(!page.text().contains("unit-attainment"));
        let res = api_get(&app, &path, Some(&tokens[4].1)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
);
