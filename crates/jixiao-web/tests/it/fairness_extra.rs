//! The two ways in from outside: complaints imported from a CSV file (good rows land, bad
//! ones are reported, a second import changes nothing) and the single-use online survey link
//! a customer answers without a session.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jixiao_store::contract_test;
use jixiao_store::fairness::Visibility;

use crate::fairness::{form, line, redirected_id};
use crate::support::{App, Browser, Resp, app};

/// Two good rows and one with an unreadable `received_at` (line 4).
const COMPLAINTS: &str = "\
reference,channel,received_at,customer_id,description,records
R-1,phone,2026-10-02 09:00:00,cust1,rude on the phone,pbx:c1
R-2,email,2026-10-03T10:00:00+08:00,cust3,never called back,pbx:c3;pbx:c2
R-3,phone,yesterday-ish,cust2,slow,pbx:c2
";

/// Posts `csv` to `/complaints/import` as the browser's multipart form does.
async fn import(app: &App, who: &Browser, csv: &str) -> Resp {
    let boundary = "XjixiaoBoundaryX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n",
        who.csrf
    );
    let req = Request::post("/complaints/import")
        .header(header::HOST, "jixiao.test")
        .header(header::ORIGIN, "http://jixiao.test")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &who.cookie);
    app.send(req.body(Body::from(body)).unwrap()).await
}

contract_test!(
    a_complaints_csv_lands_its_good_rows_reports_the_bad_one_and_changes_nothing_twice,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = import(&app, &manager, COMPLAINTS).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let html = res.text();
        let all = app.store.complaints(&Visibility::All).await.unwrap();
        assert_eq!(all.len(), 2, "{html}");
        for reference in ["R-1", "R-2"] {
            assert!(html.contains(&format!(">{reference}</a>")), "{html}");
        }
        // The bad row: its line, column, value and reason.
        let row = html
            .split("<tr class=\"row-error\">")
            .nth(1)
            .expect("an error row")
            .split("</tr>")
            .next()
            .unwrap();
        for cell in ["4", "received_at", "yesterday-ish", "expected RFC 3339"] {
            assert!(row.contains(cell), "{cell} in {row}");
        }
        assert_eq!(html.matches("row-error").count(), 1, "{html}");
        // The records are linked.
        let r2 = all.iter().map(|c| c.id).max().unwrap();
        let links = app.store.complaint(r2).await.unwrap().links;
        assert_eq!(links.len(), 2, "{links:?}");
        // The same file again: nothing new.
        let again = import(&app, &manager, COMPLAINTS).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text());
        assert_eq!(
            app.store.complaints(&Visibility::All).await.unwrap().len(),
            2
        );
        assert!(!again.text().contains(">R-1</a>"), "{}", again.text());
        // Agents import nothing; without the token, nobody does.
        let agent = app.login("agent").await;
        assert_ne!(
            import(&app, &agent, COMPLAINTS).await.status,
            StatusCode::OK
        );
        let forged = Browser {
            cookie: manager.cookie.clone(),
            csrf: "nope".into(),
        };
        assert_eq!(
            import(&app, &forged, COMPLAINTS).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.store.complaints(&Visibility::All).await.unwrap().len(),
            2
        );
    }
);

contract_test!(
    a_customer_answers_a_survey_link_once_without_a_session,
    |store| async move {
        let app = app(store).await;
        let (manager, agent) = (app.login("manager").await, app.login("agent").await);
        let (consult, delivery) = line(&app, &manager).await;
        let line_id = app.store.journey_lines().await.unwrap()[0].id.to_string();
        let open = [
            ("line_id", line_id.as_str()),
            ("customer_id", "cust2"),
            ("served_on", "2026-10-02"),
        ];
        let id = redirected_id(&form(&app, &agent, "/journeys", &open).await, "/journeys/");
        let path = format!("/journeys/{id}");
        // A002 served cust2's call that day: consult is theirs.
        let res = form(&app, &agent, &format!("{path}/participants/records"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let res = form(&app, &agent, &format!("{path}/survey-link"), &[]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let html = res.text();
        let token = html
            .split("/s/")
            .nth(1)
            .expect("a /s/{token} URL")
            .split('<')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(token.len(), 64, "{token}");
        let link = format!("/s/{token}");
        // The customer has no session.
        let page = app.get(&link, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("咨询") && html.contains("服务"), "{html}");
        assert!(html.contains(&format!("name=\"rating_{consult}\"")));
        let body = format!("rating_{consult}=2&rating_{delivery}=5");
        // Another site cannot answer it for them, nor spend it.
        let forged = Request::post(&link)
            .header(header::HOST, "jixiao.test")
            .header(header::ORIGIN, "http://evil.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.clone()))
            .unwrap();
        assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&link, None).await.status, StatusCode::OK);
        let res = app.post(&link, None, &body).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let a2 = app.store.employee_by_no("A002").await.unwrap().id;
        let period = jixiao_core::Period::containing(chrono::Utc::now().date_naive());
        let found = app.store.findings_of(period, a2).await.unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].journey_id, Some(id));
        // Once only.
        let res = app.post(&link, None, &body).await;
        assert_eq!(res.status, StatusCode::GONE, "{}", res.text());
        assert_eq!(app.get(&link, None).await.status, StatusCode::GONE);
        assert_eq!(app.store.findings_of(period, a2).await.unwrap().len(), 1);
        // The surveyed journey gets no second link; an unknown token is a 404.
        let res = form(&app, &agent, &format!("{path}/survey-link"), &[]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
        assert_eq!(
            app.get("/s/unknowntoken", None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post("/s/unknowntoken", None, &body).await.status,
            StatusCode::NOT_FOUND
        );
    }
);
