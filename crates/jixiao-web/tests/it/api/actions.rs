//! The API twins of page forms: `POST /api/v1/complaints/import` (a CSV body),
//! `POST /api/v1/journeys/{id}/survey-link`, `…/participants/records` and
//! `POST /api/v1/competitions`, with the pages' roles and results.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use jixiao_core::fairness::StaffSource;
use jixiao_store::contract_test;
use jixiao_store::fairness::{NewLine, NewStage, Visibility};

use super::{call, code, get, json, tokens};
use crate::support::{App, PERIOD, Resp, app};

/// Two good rows and one with an unreadable `received_at` (line 4).
const COMPLAINTS: &str = "\
reference,channel,received_at,customer_id,description,records
R-1,phone,2026-10-02 09:00:00,cust1,rude on the phone,pbx:c1
R-2,email,2026-10-03T10:00:00+08:00,cust3,never called back,pbx:c3;pbx:c2
R-3,phone,yesterday-ish,cust2,slow,pbx:c2
";

/// `POST /api/v1/complaints/import` with a `text/csv` body.
async fn import(app: &App, token: Option<&str>, csv: &[u8]) -> Resp {
    let mut req = Request::post("/api/v1/complaints/import")
        .header(header::HOST, "jixiao.test")
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    app.send(req.body(Body::from(csv.to_vec())).unwrap()).await
}

contract_test!(
    a_complaints_csv_posted_to_the_api_answers_the_import_report,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        for who in [sup, agent] {
            let r = import(&app, Some(who), COMPLAINTS.as_bytes()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        }
        let r = import(&app, None, COMPLAINTS.as_bytes()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(
            app.store
                .complaints(&Visibility::All)
                .await
                .unwrap()
                .is_empty()
        );
        let r = import(&app, Some(qa), COMPLAINTS.as_bytes()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let report = json(&r);
        let created = report["created"].as_array().unwrap();
        assert_eq!(created.len(), 2, "{report}");
        assert_eq!(created[0][0], "R-1");
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report}");
        assert_eq!(errors[0]["row"], 4);
        assert_eq!(errors[0]["column"], "received_at");
        assert_eq!(errors[0]["value"], "yesterday-ish");
        let r2 = created[1][1].as_i64().unwrap();
        assert_eq!(app.store.complaint(r2).await.unwrap().links.len(), 2);
        // The same file again, from another investigator: nothing new.
        let again = json(&import(&app, Some(manager), COMPLAINTS.as_bytes()).await);
        assert_eq!(again["created"].as_array().unwrap().len(), 0, "{again}");
        assert_eq!(again["unchanged"].as_array().unwrap().len(), 2, "{again}");
        // A GBK file: its description is read as Chinese ("粗鲁" is B4 D6 C2 B3 in GBK).
        let mut gbk = b"reference,channel,received_at,customer_id,description\n\
            R-4,phone,2026-10-04 09:00:00,cust1,"
            .to_vec();
        gbk.extend_from_slice(&[0xB4, 0xD6, 0xC2, 0xB3, b'\n']);
        let r = json(&import(&app, Some(admin), &gbk).await);
        let id = r["created"][0][1].as_i64().unwrap_or_else(|| panic!("{r}"));
        let summary = app.store.complaint(id).await.unwrap().complaint.summary;
        assert_eq!(summary, "粗鲁");
        assert_eq!(
            app.store.complaints(&Visibility::All).await.unwrap().len(),
            3
        );
        // A file without the required columns is refused as a whole.
        let bad = import(&app, Some(qa), b"reference,channel\nR-9,phone\n").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&bad), "invalid_input");
    }
);

/// A line with a calls stage, and a journey on it opened by `token` through the API.
async fn journey(app: &App, token: &str) -> i64 {
    let s = &app.store;
    let line_id = match s.journey_lines().await.unwrap().first() {
        Some(l) => l.id,
        None => {
            let id = s
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
                    line_id: id,
                    code: "consult".into(),
                    name: "咨询".into(),
                    source: StaffSource::Calls,
                },
                "manager",
                Utc::now(),
            )
            .await
            .unwrap();
            id
        }
    };
    let body =
        format!(r#"{{"line_id": {line_id}, "customer_id": "cust2", "served_on": "2026-10-02"}}"#);
    let r = call(
        app,
        Method::POST,
        "/api/v1/journeys",
        Some(token),
        Some(&body),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    json(&r)["id"].as_i64().unwrap()
}

/// `POST /api/v1/journeys/{id}/survey-link`.
async fn link(app: &App, id: i64, token: Option<&str>) -> Resp {
    let path = format!("/api/v1/journeys/{id}/survey-link");
    call(app, Method::POST, &path, token, None, None).await
}

contract_test!(
    journey_staff_and_a_survey_link_made_through_the_api_open_the_public_survey_page,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (manager, sup, agent) = (&t[1].1, &t[2].1, &t[4].1);
        let mine = journey(&app, agent).await;
        // A002 served cust2's call that day: the records put them on the consult stage.
        let path = format!("/api/v1/journeys/{mine}/participants/records");
        let r = call(&app, Method::POST, &path, Some(agent), None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(json(&r)["added"], 1, "{}", r.text());
        let again = call(&app, Method::POST, &path, Some(sup), None, None).await;
        assert_eq!(again.status, StatusCode::FORBIDDEN);
        let r = link(&app, mine, Some(agent)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let body = json(&r);
        let token = body["token"].as_str().unwrap();
        assert_eq!(token.len(), 64, "{body}");
        assert_eq!(body["journey_id"], mine);
        assert_eq!(body["path"], format!("/s/{token}"));
        let page = app.get(body["path"].as_str().unwrap(), None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.text().contains("咨询"));
        // The page's rules: supervisors only read, an agent only their own journeys, and an
        // out-of-scope journey looks missing.
        assert_eq!(
            link(&app, mine, Some(sup)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            link(&app, mine, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        let theirs = journey(&app, manager).await;
        let other = link(&app, theirs, Some(agent)).await;
        let missing = link(&app, 999_999, Some(agent)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        assert_eq!(other.bytes, missing.bytes);
        assert_eq!(
            link(&app, theirs, Some(manager)).await.status,
            StatusCode::OK
        );
    }
);

/// October's competition between `entrants` (employee numbers).
fn competition(entrants: &str) -> String {
    format!(
        r#"{{"name": "October sprint", "metric": "points", "first_period": "{PERIOD}",
            "last_period": "{PERIOD}", "entrant_kind": "agent", "entrants": [{entrants}],
            "prize": "Movie tickets"}}"#
    )
}

contract_test!(
    only_managers_define_competitions_through_the_api,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let body = competition(r#""A001", "A002""#);
        let post = |token: Option<String>, body: String| {
            let app = &app;
            async move {
                let path = "/api/v1/competitions";
                call(app, Method::POST, path, token.as_deref(), Some(&body), None).await
            }
        };
        for i in [2, 3, 4] {
            let r = post(Some(t[i].1.clone()), body.clone()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        assert_eq!(
            post(None, body.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = post(Some(t[1].1.clone()), body.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let c = json(&r);
        assert_eq!(c["name"], "October sprint");
        assert_eq!(c["entrant_kind"], "agent");
        assert_eq!(c["higher_is_better"], true);
        assert_eq!(c["standings"].as_array().unwrap().len(), 2, "{c}");
        // The agent in it sees it, with their rank.
        let id = c["id"].as_i64().unwrap();
        let seen = get(&app, &format!("/api/v1/competitions/{id}"), Some(&t[4].1)).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.text());
        assert!(json(&seen)["my_rank"].is_u64(), "{}", seen.text());
        // An unknown entrant is refused, and nothing is made.
        let bad = post(Some(t[0].1.clone()), competition(r#""A001", "ZZZ999""#)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&bad), "invalid_input");
        let all = json(&get(&app, "/api/v1/competitions", Some(&t[0].1)).await);
        assert_eq!(all.as_array().unwrap().len(), 1);
    }
);
