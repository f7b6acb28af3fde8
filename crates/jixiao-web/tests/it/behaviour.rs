//! Behaviour ratings: who may open and post the rating page, and the agent seeing their
//! rating and its anchor text on their card.

use axum::http::{Method, StatusCode};
use jixiao_store::{PageReq, contract_test};

use crate::support::{PERIOD, USERS, app, enc};

contract_test!(
    the_rating_page_admits_raters_of_their_own_teams_only,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        // Columns: admin, manager, supervisor, qa, agent, anonymous.
        let matrix = [
            (
                format!("/p/{PERIOD}/teams/{}/behaviour", t.call1),
                [200, 200, 200, 403, 404, 303],
            ),
            (
                format!("/p/{PERIOD}/teams/{}/behaviour", t.call2),
                [200, 200, 404, 403, 404, 303],
            ),
            (
                format!("/p/{PERIOD}/teams/999999/behaviour"),
                [404, 404, 404, 404, 404, 303],
            ),
        ];
        let mut people = Vec::new();
        for u in USERS {
            people.push(Some(app.login(u).await));
        }
        people.push(None);
        let mut failures = Vec::new();
        for (path, want) in &matrix {
            for ((who, b), want) in USERS
                .iter()
                .chain(["anonymous"].iter())
                .zip(&people)
                .zip(want)
            {
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
    a_supervisor_rates_an_agent_who_then_sees_the_anchor_on_their_card,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        let sup = app.login("sup").await;
        let path = format!("/p/{PERIOD}/teams/{}/behaviour", t.call1);
        let page = app.get(&path, Some(&sup)).await;
        assert!(page.text().contains("A001"), "{}", page.text());
        let body = |no: &str, level: &str, b: &crate::support::Browser| {
            format!(
                "csrf={}&employee_no={no}&level={level}&comment={}",
                enc(&b.csrf),
                enc("helps new colleagues")
            )
        };
        let res = app.post(&path, Some(&sup), &body("A001", "4", &sup)).await;
        assert_eq!(
            (res.status, res.location()),
            (StatusCode::SEE_OTHER, path.as_str())
        );
        // Someone outside the team, a bad level and a missing token are refused.
        let res = app.post(&path, Some(&sup), &body("A003", "4", &sup)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.post(&path, Some(&sup), &body("A001", "9", &sup)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = app
            .post(&path, Some(&sup), "employee_no=A001&level=3")
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // QA may not rate, nor may a supervisor rate another team.
        let qa = app.login("qa").await;
        let res = app.post(&path, Some(&qa), &body("A001", "1", &qa)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let other = format!("/p/{PERIOD}/teams/{}/behaviour", t.call2);
        let res = app.post(&other, Some(&sup), &body("A003", "1", &sup)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        let agent = app.login("agent").await;
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await;
        let text = card.text();
        assert!(text.contains("id=\"behaviour\""), "{text}");
        assert!(
            text.contains("helps colleagues unprompted"),
            "the level-4 anchor: {text}"
        );
        assert!(text.contains("helps new colleagues"));
        let log = app.store.audit_log(PageReq::default()).await.unwrap().items;
        assert_eq!(log.iter().filter(|e| e.kind == "behaviour.rate").count(), 1);
    }
);

contract_test!(
    the_ratings_api_lists_a_teams_ratings_and_records_new_ones,
    |store| async move {
        let app = app(store).await;
        let t = app.teams;
        let tokens = crate::api::tokens(&app).await;
        let token = |who: &str| tokens.iter().find(|(u, _)| *u == who).unwrap().1.clone();
        let sup = token("sup");
        let path = format!("/api/v1/periods/{PERIOD}/teams/{}/behaviour", t.call1);
        let body = r#"{"employee_no":"A002","level":5,"comment":"coaches"}"#;
        let res = crate::api::call(&app, Method::POST, &path, Some(&sup), Some(body), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let res = crate::api::call(&app, Method::GET, &path, Some(&sup), None, None).await;
        let v: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
        assert_eq!(v["ratings"][0]["employee_no"], "A002");
        assert_eq!(v["ratings"][0]["level"], 5);
        assert_eq!(v["scale"].as_array().unwrap().len(), 5);
        let other = format!("/api/v1/periods/{PERIOD}/teams/{}/behaviour", t.call2);
        let res = crate::api::call(&app, Method::GET, &other, Some(&sup), None, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let agent = token("agent");
        let res = crate::api::call(&app, Method::GET, &path, Some(&agent), None, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let qa = token("qa");
        let res = crate::api::call(&app, Method::POST, &path, Some(&qa), Some(body), None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
);
