//! Appeals, notes, notifications and the audit page: the permission matrix of their routes.
//! An agent sees only their own; a supervisor only their teams' members; anything out of scope
//! answers exactly like something that does not exist.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jixiao_core::org::Role;
use jixiao_store::{NewUser, Store, contract_test, service};
use jixiao_web::hash_password_cheap;

use crate::support::{App, Browser, PERIOD, Resp, app, enc, period};

/// The fixture app with its review open until 2999 and an agent account for A003 (CALL-02,
/// which `sup` does not lead).
async fn reviewing(store: Store) -> App {
    let app = app(store).await;
    let a3 = app.store.employee_by_no("A003").await.unwrap();
    app.store
        .create_user(&NewUser {
            username: "agent3".into(),
            password_hash: hash_password_cheap("pw-agent3"),
            role: Role::Agent,
            employee_id: Some(a3.id),
            locale: "en".into(),
        })
        .await
        .unwrap();
    service::open_review(
        &app.store,
        period(),
        "2999-12-31".parse().unwrap(),
        "manager",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    app
}

async fn en(app: &App, user: &str) -> Browser {
    app.login_with(user, &format!("pw-{user}"), "en").await
}

/// Submits an appeal from the agent page form; returns its id.
async fn appeal(app: &App, b: &Browser, no: &str, kind: &str, target: &str) -> i64 {
    let res = app
        .post(
            &format!("/p/{PERIOD}/agents/{no}/appeals"),
            Some(b),
            &format!(
                "csrf={}&kind={kind}&target={target}&reason={}&evidence=call+c7",
                enc(&b.csrf),
                enc("the call was miscoded")
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    res.location()
        .strip_prefix("/appeals/")
        .and_then(|id| id.parse().ok())
        .expect("redirect to the appeal")
}

async fn step(app: &App, b: &Browser, id: i64, action: &str, points: &str) -> Resp {
    app.post(
        &format!("/appeals/{id}/step"),
        Some(b),
        &format!(
            "csrf={}&action={action}&reason=checked&points={points}&pay=",
            enc(&b.csrf)
        ),
    )
    .await
}

async fn api_post(app: &App, b: &Browser, path: &str, json: &str) -> Resp {
    let req = Request::post(path)
        .header(header::HOST, "jixiao.test")
        .header(header::ORIGIN, "http://jixiao.test")
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &b.cookie)
        .body(Body::from(json.to_string()))
        .unwrap();
    app.send(req).await
}

contract_test!(
    an_agent_appeals_from_their_card_and_the_supervisor_accepts_with_before_and_after,
    |store| async move {
        let app = reviewing(store).await;
        let agent = en(&app, "agent").await;
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await
            .text();
        assert!(
            card.contains(&format!("/p/{PERIOD}/agents/A001/appeals")),
            "the appeal form"
        );
        let id = appeal(&app, &agent, "A001", "kpi", "aht").await;
        // The agent cannot decide it.
        let own = step(&app, &agent, id, "accept", "2").await;
        assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.text());
        let sup = en(&app, "sup").await;
        let sup_notes = app.get("/notifications", Some(&sup)).await.text();
        assert!(sup_notes.contains("New appeal") && sup_notes.contains(&format!("/appeals/{id}")));
        let res = step(&app, &sup, id, "accept", "2.5").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let page = app
            .get(&format!("/appeals/{id}"), Some(&agent))
            .await
            .text();
        assert!(
            page.contains("Accepted")
                && page.contains("Card before")
                && page.contains("Card after")
        );
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await
            .text();
        assert!(
            card.contains(&format!("appeal #{id}")),
            "the adjustment is on the card"
        );
        assert!(card.contains("Card after"));
        // The agent was notified; the badge counts it.
        let home = app.get("/notifications", Some(&agent)).await.text();
        assert!(home.contains("Appeal accepted"));
        assert!(home.contains("class=\"badge\""));
    }
);

contract_test!(
    appeals_out_of_scope_answer_like_missing_ones,
    |store| async move {
        let app = reviewing(store).await;
        let agent = en(&app, "agent").await;
        let agent3 = en(&app, "agent3").await;
        let sup = en(&app, "sup").await;
        let mine = appeal(&app, &agent, "A001", "qa", "q1").await;
        let theirs = appeal(&app, &agent3, "A003", "kpi", "aht").await;
        let missing = app.get("/appeals/999999", Some(&agent3)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        for (who, id) in [(&agent3, mine), (&agent, theirs), (&sup, theirs)] {
            let res = app.get(&format!("/appeals/{id}"), Some(who)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
            assert_eq!(res.text(), missing.text(), "no hint that it exists");
            let res = step(&app, who, id, "reject", "").await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
        }
        // An agent cannot appeal someone else's card (the page itself is out of scope).
        let res = app
            .post(
                &format!("/p/{PERIOD}/agents/A003/appeals"),
                Some(&agent),
                &format!("csrf={}&kind=kpi&target=aht&reason=x", enc(&agent.csrf)),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Lists: own only for agents, own teams for the supervisor, all for managers.
        let list = app.get("/appeals", Some(&sup)).await.text();
        assert!(list.contains(&format!("/appeals/{mine}\"")));
        assert!(!list.contains(&format!("/appeals/{theirs}\"")));
        let list = app.get("/appeals", Some(&agent3)).await.text();
        assert!(!list.contains(&format!("/appeals/{mine}\"")));
        let manager = en(&app, "manager").await;
        let list = app.get("/appeals", Some(&manager)).await.text();
        assert!(
            list.contains(&format!("/appeals/{mine}\""))
                && list.contains(&format!("/appeals/{theirs}\""))
        );
        // The API has the same scope.
        let api = app.get("/api/v1/appeals", Some(&sup)).await;
        let v: serde_json::Value = serde_json::from_slice(&api.bytes).unwrap();
        assert_eq!(v["total"], 1);
        let res = api_post(
            &app,
            &sup,
            &format!("/api/v1/appeals/{theirs}/decide"),
            r#"{"decision":"reject","reason":"no"}"#,
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = api_post(
            &app,
            &agent,
            &format!("/api/v1/appeals/{mine}/decide"),
            r#"{"decision":"reject","reason":"no"}"#,
        )
        .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
        let res = api_post(
            &app,
            &agent,
            &format!("/api/v1/appeals/{mine}/withdraw"),
            r#"{}"#,
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let v: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
        assert_eq!(v["status"], "withdrawn");
    }
);

contract_test!(
    notes_are_written_by_the_supervisor_and_acknowledged_by_the_agent,
    |store| async move {
        let app = reviewing(store).await;
        let sup = en(&app, "sup").await;
        let agent = en(&app, "agent").await;
        let body = |b: &Browser| {
            format!(
                "csrf={}&kind=coaching&body={}",
                enc(&b.csrf),
                enc("Shorter holds")
            )
        };
        let res = app
            .post(
                &format!("/p/{PERIOD}/agents/A001/notes"),
                Some(&sup),
                &body(&sup),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Another team's agent: out of scope.
        let res = app
            .post(
                &format!("/p/{PERIOD}/agents/A003/notes"),
                Some(&sup),
                &body(&sup),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // The agent does not write notes on their own card.
        let res = app
            .post(
                &format!("/p/{PERIOD}/agents/A001/notes"),
                Some(&agent),
                &body(&agent),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await
            .text();
        assert!(card.contains("Shorter holds"));
        let ack = card
            .split("action=\"/notes/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .expect("an acknowledge button")
            .to_string();
        // Only the agent acknowledges.
        let res = app.post_csrf(&format!("/notes/{ack}/ack"), &sup).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.post_csrf(&format!("/notes/{ack}/ack"), &agent).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let card = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&agent))
            .await
            .text();
        assert!(card.contains("Acknowledged"));
        let api = app.get("/api/v1/notes", Some(&agent)).await;
        let v: serde_json::Value = serde_json::from_slice(&api.bytes).unwrap();
        assert_eq!(v["total"], 1);
        assert!(v["items"][0]["acknowledged_at"].is_string());
    }
);

contract_test!(
    notifications_are_marked_read_only_by_their_owner,
    |store| async move {
        let app = reviewing(store).await;
        let agent = en(&app, "agent").await;
        let page = app.get("/notifications", Some(&agent)).await.text();
        assert!(
            page.contains("Results open for review"),
            "opening the review notified the agent"
        );
        let api = app.get("/api/v1/notifications", Some(&agent)).await;
        let v: serde_json::Value = serde_json::from_slice(&api.bytes).unwrap();
        let id = v["items"][0]["id"].as_i64().unwrap();
        let agent3 = en(&app, "agent3").await;
        let res = app
            .post(
                "/notifications/read",
                Some(&agent3),
                &format!("csrf={}&id={id}", enc(&agent3.csrf)),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app
            .post(
                "/notifications/read",
                Some(&agent),
                &format!("csrf={}&id={id}", enc(&agent.csrf)),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let api = app.get("/api/v1/notifications", Some(&agent)).await;
        let v: serde_json::Value = serde_json::from_slice(&api.bytes).unwrap();
        assert!(v["items"][0]["read_at"].is_string());
        let page = app.get("/notifications", Some(&agent)).await.text();
        assert!(!page.contains("class=\"badge\""));
    }
);

contract_test!(
    the_audit_page_is_for_managers_and_filters_and_exports_what_it_shows,
    |store| async move {
        let app = reviewing(store).await;
        let agent = en(&app, "agent").await;
        let id = appeal(&app, &agent, "A001", "kpi", "fcr").await;
        for user in ["agent", "sup", "qa"] {
            let b = en(&app, user).await;
            assert_eq!(
                app.get("/audit", Some(&b)).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                app.get("/audit.csv", Some(&b)).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                app.get("/api/v1/audit", Some(&b)).await.status,
                StatusCode::FORBIDDEN
            );
        }
        let manager = en(&app, "manager").await;
        let page = app
            .get(
                &format!("/audit?employee=A001&period={PERIOD}&kind=appeal"),
                Some(&manager),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("The hash chain verifies"));
        assert!(
            text.contains("appeal.submit")
                && text.contains("appeal_id")
                && text.contains(&format!(":{id}"))
        );
        assert!(
            !text.contains("period.review</code>"),
            "the kind filter applies"
        );
        let csv = app
            .get(
                &format!("/audit.csv?employee=A001&period={PERIOD}&kind=appeal"),
                Some(&manager),
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let body = csv.text();
        assert!(body.starts_with("id,at,actor,kind,subject,detail,entry_hash"));
        assert_eq!(body.lines().count(), 2, "{body}");
        // Another employee's filter finds none of it.
        let other = app
            .get("/audit.csv?employee=A003", Some(&manager))
            .await
            .text();
        assert!(!other.contains("appeal.submit"));
        let api = app.get("/api/v1/audit?kind=appeal", Some(&manager)).await;
        let v: serde_json::Value = serde_json::from_slice(&api.bytes).unwrap();
        assert_eq!(v["intact"], true);
        assert_eq!(v["entries"]["total"], 1);
        // A tampered row shows.
        jixiao_store::testing::execute_raw(
            &app.store,
            "UPDATE audit_log SET actor = 'mallory' WHERE id = 1",
        )
        .await;
        let text = app.get("/audit", Some(&manager)).await.text();
        assert!(text.contains("The hash chain is broken at entry 1"));
    }
);
