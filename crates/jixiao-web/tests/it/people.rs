//! Users and teams admin, teams compared, competitions and the score distribution: the role
//! matrix (allowed, or refused without leaking existence) and the main flows.

use axum::http::{Method, StatusCode};
use jixiao_store::{PageReq, contract_test};

use crate::support::{App, Browser, PERIOD, USERS, app, enc};

async fn everyone(app: &App) -> Vec<(&'static str, Option<Browser>)> {
    let mut all = Vec::new();
    for u in USERS {
        all.push((u, Some(app.login(u).await)));
    }
    all.push(("anonymous", None));
    all
}

async fn check(app: &App, matrix: &[(String, [u16; 6])]) {
    let people = everyone(app).await;
    let mut failures = Vec::new();
    for (path, expected) in matrix {
        for ((who, b), want) in people.iter().zip(expected) {
            let got = app.get(path, b.as_ref()).await.status.as_u16();
            if got != *want {
                failures.push(format!("GET {path} as {who}: got {got}, want {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

contract_test!(
    the_new_pages_admit_exactly_the_roles_they_should,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        let id = app
            .store
            .create_competition(&jixiao_store::Competition {
                id: 0,
                name: "CALL-02 only".into(),
                metric: "points".into(),
                first_period: PERIOD.parse().unwrap(),
                last_period: PERIOD.parse().unwrap(),
                entrant_kind: jixiao_store::EntrantKind::Team,
                entrants: vec![t.call2, t.sales],
                higher_is_better: true,
                prize: String::new(),
                created_by: "manager".into(),
                created_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
        // Columns: admin, manager, supervisor, qa, agent, anonymous.
        check(
            &app,
            &[
                ("/admin/users".into(), [200, 403, 403, 403, 403, 303]),
                ("/admin/teams".into(), [200, 403, 403, 403, 403, 303]),
                (
                    format!("/p/{PERIOD}/compare?teams={}", t.call1),
                    [200, 200, 200, 403, 403, 303],
                ),
                (
                    format!("/p/{PERIOD}/compare?teams={},{}", t.call1, t.call2),
                    [200, 200, 404, 403, 403, 303],
                ),
                (
                    format!("/p/{PERIOD}/compare?teams=999999"),
                    [404, 404, 404, 403, 403, 303],
                ),
                ("/competitions".into(), [200, 200, 200, 200, 200, 303]),
                // Neither the supervisor's teams nor the agent are in it: missing to them.
                (
                    format!("/competitions/{id}"),
                    [200, 200, 404, 200, 404, 303],
                ),
                (
                    "/competitions/999999".into(),
                    [404, 404, 404, 404, 404, 303],
                ),
                ("/api/v1/admin/users".into(), [200, 403, 403, 403, 403, 401]),
                ("/api/v1/admin/teams".into(), [200, 403, 403, 403, 403, 401]),
                (
                    format!("/api/v1/competitions/{id}"),
                    [200, 200, 404, 200, 404, 401],
                ),
                (
                    format!("/api/v1/periods/{PERIOD}/compare?teams={}", t.call2),
                    [200, 200, 404, 403, 403, 401],
                ),
            ],
        )
        .await;
    }
);

contract_test!(
    an_admin_creates_a_user_resets_and_deactivates_it_and_moves_an_agent,
    |store| async move {
        let app = app(store).await;
        let admin = app.login("admin").await;
        let csrf = enc(&admin.csrf);
        let res = app
            .post(
                "/admin/users",
                Some(&admin),
                &format!(
                    "csrf={csrf}&username=li&password=long-enough&role=agent&employee_no=A003"
                ),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        // An agent without an employee, a short password: 422.
        let res = app
            .post(
                "/admin/users",
                Some(&admin),
                &format!("csrf={csrf}&username=x&password=long-enough&role=agent"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let li = app.login_with("li", "long-enough", "en").await;
        assert_eq!(
            app.get(&format!("/p/{PERIOD}/agents/A003"), Some(&li))
                .await
                .status,
            StatusCode::OK
        );
        let id = app.store.user_by_username("li").await.unwrap().id;
        let res = app
            .post(
                &format!("/admin/users/{id}/password"),
                Some(&admin),
                &format!("csrf={csrf}&password=another-one"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // The reset ended li's session.
        assert_eq!(
            app.get(&format!("/p/{PERIOD}/agents/A003"), Some(&li))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let li = app.login_with("li", "another-one", "en").await;
        let res = app
            .post_csrf(&format!("/admin/users/{id}/deactivate"), &admin)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/", Some(&li)).await.location(), "/login");
        let page = app.get("/admin/users", Some(&admin)).await.text();
        assert!(
            page.contains("li") && page.contains("Deactivated"),
            "{page}"
        );
        // Managers may not touch users.
        let manager = app.login("manager").await;
        let res = app
            .post_csrf(&format!("/admin/users/{id}/deactivate"), &manager)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        let res = app
            .post(
                "/admin/teams/move",
                Some(&admin),
                &format!(
                    "csrf={csrf}&employee_no=A002&team_id={}&from=2026-10-16",
                    app.teams.call2
                ),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let page = app.get("/admin/teams", Some(&admin)).await.text();
        assert!(
            page.contains("2026-10-15") && page.contains("2026-10-16"),
            "{page}"
        );
        let kinds: Vec<String> = app
            .store
            .audit_log(PageReq::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.kind)
            .collect();
        for k in [
            "user.create",
            "user.password",
            "user.deactivate",
            "membership.move",
        ] {
            assert!(kinds.contains(&k.to_string()), "{k} in {kinds:?}");
        }
    }
);

contract_test!(
    a_manager_defines_a_competition_and_the_agent_sees_their_rank,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let body = format!(
            "csrf={}&name={}&metric=points&first={PERIOD}&last={PERIOD}&direction=higher&kind=agent&entrants={}&prize={}",
            enc(&manager.csrf),
            enc("October sprint"),
            enc("A001, A002"),
            enc("Movie tickets")
        );
        let res = app.post("/competitions", Some(&manager), &body).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let detail = app.get(res.location(), Some(&manager)).await.text();
        assert!(
            detail.contains("October sprint") && detail.contains("A002"),
            "{detail}"
        );
        let agent = app.login("agent").await;
        let list = app.get("/competitions", Some(&agent)).await.text();
        assert!(
            list.contains("October sprint") && list.contains("My rank"),
            "{list}"
        );
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await
            .text();
        assert!(
            card.contains("id=\"my-competitions\"") && card.contains("/ 2"),
            "{card}"
        );
        // The supervisor's agents are in it; a supervisor may not create one.
        let sup = app.login("sup").await;
        assert!(
            app.get("/competitions", Some(&sup))
                .await
                .text()
                .contains("October sprint")
        );
        let res = app
            .post(
                "/competitions",
                Some(&sup),
                &body.replace(&enc(&manager.csrf), &enc(&sup.csrf)),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let tokens = crate::api::tokens(&app).await;
        let res = crate::api::call(
            &app,
            Method::GET,
            "/api/v1/competitions",
            Some(&tokens[4].1),
            None,
            None,
        )
        .await;
        let v: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
        assert_eq!(v[0]["name"], "October sprint");
        assert!(v[0]["my_rank"].is_u64(), "{v}");
    }
);

contract_test!(
    the_overview_draws_the_score_distribution_and_teams_compare_side_by_side,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        let manager = app.login("manager").await;
        let page = app
            .get(&format!("/p/{PERIOD}"), Some(&manager))
            .await
            .text();
        assert!(
            page.contains("id=\"score-distribution\"")
                && page.contains("Distribution of total scores"),
            "{page}"
        );
        let page = app
            .get(
                &format!("/p/{PERIOD}/compare?team={}&team={}", t.call1, t.call2),
                Some(&manager),
            )
            .await
            .text();
        assert!(
            page.contains("CALL-01") && page.contains("CALL-02") && page.contains("<svg"),
            "{page}"
        );
        assert!(page.contains("Average total score by team"));
    }
);

contract_test!(
    a_bad_admin_form_shows_its_page_again_with_what_to_fix,
    |store| async move {
        let app = app(store).await;
        let admin = app.login("admin").await;
        let csrf = enc(&admin.csrf);
        let res = app
            .post(
                "/admin/users",
                Some(&admin),
                &format!("csrf={csrf}&username=x&password=long-enough&role=agent"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text();
        assert!(
            page.contains("action=\"/admin/users\"")
                && page.contains("role=\"alert\"")
                && page.contains("supervisors and agents need a linked employee"),
            "{page}"
        );
        // A department or team that does not exist is the admin's mistake, not a failure.
        let res = app
            .post(
                "/admin/teams",
                Some(&admin),
                &format!("csrf={csrf}&department_id=999999&code=GHOST&name=Ghost"),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        let page = res.text();
        assert!(
            page.contains("action=\"/admin/teams/move\"") && page.contains("no such department"),
            "{page}"
        );
        let res = app
            .post(
                "/admin/teams/move",
                Some(&admin),
                &format!("csrf={csrf}&employee_no=A002&team_id=999999&from=2026-10-16"),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        assert!(res.text().contains("no such team"));
        // Before any membership: said on the form, too.
        let res = app
            .post(
                "/admin/teams/move",
                Some(&admin),
                &format!(
                    "csrf={csrf}&employee_no=A002&team_id={}&from=1990-01-01",
                    app.teams.call2
                ),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        assert!(res.text().contains("no team on that date"));
        // Deactivating oneself is a conflict shown on the page.
        let me = app.store.user_by_username("admin").await.unwrap().id;
        let res = app
            .post_csrf(&format!("/admin/users/{me}/deactivate"), &admin)
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.text().contains("you cannot deactivate yourself"));
    }
);

contract_test!(
    the_team_page_links_to_its_behaviour_ratings_for_those_who_may_rate,
    |store| async move {
        let app = app(store).await;
        let t = app.teams.call1;
        let team = format!("/p/{PERIOD}/teams/{t}");
        let link = format!("href=\"/p/{PERIOD}/teams/{t}/behaviour\"");
        for (who, shown) in [
            ("admin", true),
            ("manager", true),
            ("sup", true),
            ("qa", false),
        ] {
            let b = app.login(who).await;
            let page = app.get(&team, Some(&b)).await;
            assert_eq!(page.status, StatusCode::OK, "{who}");
            assert_eq!(page.text().contains(&link), shown, "{who}");
        }
    }
);

contract_test!(
    the_users_page_pages_by_fifty_and_searches_names_and_employee_numbers,
    |store| async move {
        let app = app(store).await;
        let admin = app.login("admin").await;
        let csrf = enc(&admin.csrf);
        for i in 0..60 {
            let res = app
                .post(
                    "/admin/users",
                    Some(&admin),
                    &format!("csrf={csrf}&username=bulk{i:02}&password=long-enough&role=qa"),
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        }
        let first = app.get("/admin/users", Some(&admin)).await.text();
        let rows = |html: &str| html.matches("/password\" class=\"inline\"").count();
        assert_eq!(rows(&first), 50, "50 accounts a page");
        assert!(
            first.contains("href=\"/admin/users?page=2\""),
            "a next link"
        );
        let second = app.get("/admin/users?page=2", Some(&admin)).await.text();
        assert!(rows(&second) > 10 && rows(&second) < 50, "the rest");
        let found = app.get("/admin/users?q=BULK0", Some(&admin)).await.text();
        assert_eq!(rows(&found), 10, "bulk00–bulk09, case-insensitive");
        let by_number = app.get("/admin/users?q=a001", Some(&admin)).await.text();
        assert!(rows(&by_number) >= 1, "found by employee number");
        let none = app
            .get("/admin/users?q=nobody-like-this", Some(&admin))
            .await;
        assert_eq!(none.status, StatusCode::OK);
        assert_eq!(rows(&none.text()), 0);
        // A page past the end shows the last page.
        let past = app.get("/admin/users?page=99", Some(&admin)).await.text();
        assert_eq!(rows(&past), rows(&second));
    }
);
