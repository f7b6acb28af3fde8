//! Journey and complaint pages: the role matrix of every route (agents see no complaints, a
//! supervisor another team's complaint as a 404 like a missing one, QA investigates but does
//! not decide) and the happy paths through the forms, CSRF token included.

use axum::http::StatusCode;
use jixiao_store::contract_test;

use crate::support::{App, Browser, Resp, app, enc};

pub(crate) async fn form(app: &App, b: &Browser, path: &str, fields: &[(&str, &str)]) -> Resp {
    let mut body = format!("csrf={}", enc(&b.csrf));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    app.post(path, Some(b), &body).await
}

pub(crate) fn redirected_id(res: &Resp, prefix: &str) -> i64 {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    res.location()
        .strip_prefix(prefix)
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to {prefix}…, got {}", res.location()))
}

/// A line `repair` with stages consult (calls) and delivery (by hand), made through the
/// configuration page by the manager; returns (consult, delivery) stage ids.
pub(crate) async fn line(app: &App, manager: &Browser) -> (i64, i64) {
    let res = form(
        app,
        manager,
        "/config/journeys",
        &[
            ("code", "repair"),
            ("name", "维修"),
            ("threshold", "3"),
            ("tolerance", "0"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let id = app.store.journey_lines().await.unwrap()[0].id;
    for (code, name, source) in [("consult", "咨询", "calls"), ("delivery", "服务", "none")] {
        let path = format!("/config/journeys/{id}/stages");
        let fields = [("code", code), ("name", name), ("source", source)];
        let res = form(app, manager, &path, &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    let page = app.get("/config/journeys", Some(manager)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("咨询"));
    let stages = &app.store.journey_lines().await.unwrap()[0].stages;
    (stages[0].id, stages[1].id)
}

/// Registers a complaint about cust1's call of 2 October as `qa`, investigates it and
/// attributes it to each of `employees` on `stage`.
async fn complaint(app: &App, qa: &Browser, stage: i64, employees: &[&str]) -> i64 {
    let res = form(
        app,
        qa,
        "/complaints",
        &[
            ("channel", "phone"),
            ("customer_id", "cust1"),
            ("occurred_at", "2026-10-02T09:00"),
            ("summary", "rude on the phone"),
        ],
    )
    .await;
    let id = redirected_id(&res, "/complaints/");
    let res = form(app, qa, &format!("/complaints/{id}/investigate"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    for no in employees {
        let stage = stage.to_string();
        let fields = [("stage_id", stage.as_str()), ("employee_no", no)];
        let res = form(app, qa, &format!("/complaints/{id}/attributions"), &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    id
}

contract_test!(
    a_complaint_goes_from_registration_through_a_resolved_mismatch_to_a_finding_on_the_card,
    |store| async move {
        let app = app(store).await;
        let (manager, qa, agent) = (
            app.login("manager").await,
            app.login("qa").await,
            app.login("agent").await,
        );
        let (consult, _) = line(&app, &manager).await;
        // A001 served cust1 that morning; A002 served another customer that day.
        let id = complaint(&app, &qa, consult, &["A001", "A002"]).await;
        let page = app.get(&format!("/complaints/{id}"), Some(&qa)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Matches the records"), "{html}");
        assert!(html.contains("badge warn"), "the mismatch is flagged");
        assert!(html.contains("does not match the records"), "the warning");
        assert!(!html.contains("/decide"), "QA is offered no decision");
        let decide = format!("/complaints/{id}/decide");
        let upheld = [("outcome", "upheld"), ("reason", "confirmed")];
        let res = form(&app, &qa, &decide, &upheld).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "QA does not decide");
        let html = app
            .get(&format!("/complaints/{id}"), Some(&manager))
            .await
            .text();
        assert!(
            html.contains("value=\"upheld\" disabled"),
            "upheld is disabled"
        );
        let res = form(&app, &manager, &decide, &upheld).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "an unresolved mismatch");
        // Resolve A002's mismatch in writing, then remove that attribution after all.
        let a = app.store.complaint(id).await.unwrap().attributions;
        let a2 = a.iter().find(|a| !a.check.is_ok()).unwrap().id;
        let base = format!("/complaints/{id}/attributions/{a2}");
        let res = form(
            &app,
            &qa,
            &format!("{base}/resolve"),
            &[("reason", "shared desk")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let res = form(
            &app,
            &qa,
            &format!("{base}/remove"),
            &[("reason", "wrong person")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let res = form(&app, &manager, &decide, &upheld).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let html = app
            .get(&format!("/complaints/{id}"), Some(&manager))
            .await
            .text();
        assert!(html.contains("status-upheld"));
        assert!(
            html.contains("<del>"),
            "the removed attribution stays, struck through"
        );
        assert!(html.contains("wrong person") && html.contains("shared desk"));
        assert!(html.contains("complaint.decide"), "the history");
        // The finding is on A001's card of the decision's period, linked for the manager …
        let period = jixiao_core::Period::containing(chrono::Utc::now().date_naive());
        let card = format!("/p/{period}/agents/A001");
        let html = app.get(&card, Some(&manager)).await.text();
        assert!(html.contains("id=\"findings\""));
        assert!(
            html.contains(&format!("href=\"/complaints/{id}\"")),
            "{html}"
        );
        // … and shown to the agent, who may not open the complaint.
        let res = app.get(&card, Some(&agent)).await;
        assert_eq!(res.status, StatusCode::OK);
        let html = res.text();
        assert!(html.contains(&format!("complaint #{id} upheld")), "{html}");
        assert!(!html.contains(&format!("href=\"/complaints/{id}\"")));
        let stats = app
            .get(
                &format!("/complaints/stats?period={period}"),
                Some(&manager),
            )
            .await;
        assert_eq!(stats.status, StatusCode::OK);
        assert!(stats.text().contains("A001"));
    }
);

contract_test!(
    complaint_and_journey_pages_refuse_each_role_what_it_may_not_do,
    |store| async move {
        let app = app(store).await;
        let b = |u| app.login(u);
        let (manager, sup, qa, agent) = (
            b("manager").await,
            b("sup").await,
            b("qa").await,
            b("agent").await,
        );
        let (consult, _) = line(&app, &manager).await;
        let mine = complaint(&app, &qa, consult, &["A002"]).await; // CALL-01, led by sup
        let other = complaint(&app, &qa, consult, &["A003"]).await; // CALL-02
        let fresh = complaint(&app, &qa, consult, &[]).await;
        // Agents see no complaints at all.
        for path in [
            "/complaints".to_string(),
            format!("/complaints/{mine}"),
            "/complaints/stats".to_string(),
        ] {
            assert_eq!(
                app.get(&path, Some(&agent)).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let register = [
            ("channel", "phone"),
            ("occurred_at", "2026-10-02 09:00"),
            ("summary", "x"),
        ];
        for who in [&agent, &sup] {
            let res = form(&app, who, "/complaints", &register).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        // A supervisor sees their team's complaint; another team's is a 404 like a missing one.
        assert_eq!(
            app.get(&format!("/complaints/{mine}"), Some(&sup))
                .await
                .status,
            StatusCode::OK
        );
        let missing = app.get("/complaints/99999", Some(&sup)).await;
        let hidden = app.get(&format!("/complaints/{other}"), Some(&sup)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.status, missing.status);
        assert_eq!(hidden.text(), missing.text());
        let list = app.get("/complaints", Some(&sup)).await.text();
        assert!(list.contains(&format!("/complaints/{mine}\"")));
        assert!(!list.contains(&format!("/complaints/{other}\"")));
        // QA investigates but does not decide; a manager decides.
        let fields = [
            ("stage_id", consult.to_string()),
            ("employee_no", "A004".into()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = form(
            &app,
            &qa,
            &format!("/complaints/{fresh}/attributions"),
            &fields,
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let not = [("outcome", "not_upheld"), ("reason", "no evidence")];
        let res = form(&app, &qa, &format!("/complaints/{fresh}/decide"), &not).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = form(&app, &manager, &format!("/complaints/{fresh}/decide"), &not).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        // Without the session's token a form is refused.
        let res = app
            .post(
                &format!("/complaints/{mine}/investigate"),
                Some(&qa),
                "csrf=nope",
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Lines are configured by managers only; supervisors only read journeys.
        for who in [&sup, &qa, &agent] {
            assert_eq!(
                app.get("/config/journeys", Some(who)).await.status,
                StatusCode::FORBIDDEN
            );
        }
        let open = [
            ("line_id", "1"),
            ("customer_id", "cust2"),
            ("served_on", "2026-10-02"),
        ];
        assert_eq!(
            form(&app, &sup, "/journeys", &open).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

contract_test!(
    an_agent_opens_a_journey_takes_its_staff_from_the_records_and_records_the_survey,
    |store| async move {
        let app = app(store).await;
        let (manager, sup, agent) = (
            app.login("manager").await,
            app.login("sup").await,
            app.login("agent").await,
        );
        let (consult, delivery) = line(&app, &manager).await;
        let line_id = app.store.journey_lines().await.unwrap()[0].id.to_string();
        let open = [
            ("line_id", line_id.as_str()),
            ("customer_id", "cust2"),
            ("served_on", "2026-10-02"),
        ];
        let id = redirected_id(&form(&app, &agent, "/journeys", &open).await, "/journeys/");
        let path = format!("/journeys/{id}");
        let res = form(&app, &agent, &format!("{path}/participants/records"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let d = delivery.to_string();
        let staff = [("stage_id", d.as_str()), ("employee_no", "A003")];
        let res = form(&app, &agent, &format!("{path}/participants"), &staff).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let html = app.get(&path, Some(&agent)).await.text();
        assert!(html.contains("A002") && html.contains("A003"), "{html}");
        // The agent's teammate served consult: the agent is not judged, and rates it 2.
        let (rc, rd) = (format!("rating_{consult}"), format!("rating_{delivery}"));
        let answers = [(rc.as_str(), "2"), (rd.as_str(), "5"), ("channel", "call")];
        let res = form(&app, &agent, &format!("{path}/survey"), &answers).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let html = app.get(&path, Some(&agent)).await.text();
        assert!(html.contains("Deficient"));
        assert!(!html.contains("name=\"rating_"), "surveyed once");
        let a2 = app.store.employee_by_no("A002").await.unwrap().id;
        let period = jixiao_core::Period::containing(chrono::Utc::now().date_naive());
        let found = app.store.findings_of(period, a2).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].journey_id, Some(id));
        // The supervisor of A002 reads the journey, with no forms.
        let res = app.get(&path, Some(&sup)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.text().contains("/survey\""));
        // An agent who served a journey cannot run its survey.
        let open = [
            ("line_id", line_id.as_str()),
            ("customer_id", "cust1"),
            ("served_on", "2026-10-02"),
        ];
        let own = redirected_id(&form(&app, &agent, "/journeys", &open).await, "/journeys/");
        let res = form(
            &app,
            &agent,
            &format!("/journeys/{own}/participants/records"),
            &[],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let res = form(&app, &agent, &format!("/journeys/{own}/survey"), &answers).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        // A journey opened by the manager is not the agent's: 404 like a missing one.
        let theirs = redirected_id(
            &form(&app, &manager, "/journeys", &open).await,
            "/journeys/",
        );
        assert_eq!(
            app.get(&format!("/journeys/{theirs}"), Some(&agent))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let res = form(
            &app,
            &agent,
            &format!("/journeys/{theirs}/survey"),
            &answers,
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let list = app.get("/journeys", Some(&agent)).await.text();
        assert!(list.contains(&format!("/journeys/{id}\"")));
        assert!(!list.contains(&format!("/journeys/{theirs}\"")));
    }
);
