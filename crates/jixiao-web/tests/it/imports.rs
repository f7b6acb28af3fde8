//! `/imports`: uploads (followed to their job page), idempotence, reject reports, whole-file
//! errors.

use axum::http::{StatusCode, header};
use jixiao_store::{CardFilter, contract_test};

use crate::support::{app, period};

const NEW_CALLS: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,n1,2026-10-20 09:00:00,A003,INQ,,answered,5,200,0,10
pbx,n2,2026-10-20 09:05:00,A003,CMP,,answered,5,250,0,10
pbx,n3,2026-10-20 09:10:00,A003,NOPE!,,answered,5,abc,0,10
";

fn counter(html: &str, id: &str) -> i64 {
    let at = html.find(&format!("id=\"{id}\">")).expect(id) + id.len() + 6;
    html[at..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

contract_test!(
    importing_the_same_csv_twice_changes_nothing_the_second_time,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let first = app.upload(Some(&b), "calls", "oct-20.csv", NEW_CALLS).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text());
        let html = first.text();
        assert_eq!(
            (counter(&html, "inserted"), counter(&html, "replaced")),
            (2, 0)
        );
        assert_eq!(counter(&html, "rejected"), 2, "two bad fields of line 4");
        let cards = app
            .store
            .scorecards(period(), &CardFilter::default())
            .await
            .unwrap();

        let second = app
            .upload(Some(&b), "calls", "oct-20.csv", NEW_CALLS)
            .await
            .text();
        assert_eq!(counter(&second, "inserted"), 0);
        assert_eq!(counter(&second, "replaced"), 0);
        assert_eq!(counter(&second, "unchanged"), 2);
        let again = app
            .store
            .scorecards(period(), &CardFilter::default())
            .await
            .unwrap();
        assert_eq!(cards, again);

        let list = app.get("/imports", Some(&b)).await.text();
        assert_eq!(
            list.matches("oct-20.csv").count(),
            2,
            "both uploads are listed"
        );
    }
);

contract_test!(
    rejected_rows_are_reported_with_line_column_value_and_reason,
    |store| async move {
        let app = app(store).await;
        let b = app.login("admin").await;
        let html = app
            .upload(Some(&b), "calls", "bad.csv", NEW_CALLS)
            .await
            .text();
        for expected in ["business_type", "NOPE!", "talk_secs", "abc"] {
            assert!(html.contains(expected), "{expected}");
        }
        let id = app.store.imports(Default::default()).await.unwrap().items[0].id;
        assert!(html.contains(&format!("/imports/{id}/rejects.csv")));
        let csv = app
            .get(&format!("/imports/{id}/rejects.csv"), Some(&b))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers
                .get(header::CONTENT_TYPE)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = csv.text();
        assert!(text.starts_with("file,row,column,value,reason\n"), "{text}");
        assert!(text.contains("\nbad.csv,4,talk_secs,abc,"), "{text}");
        let missing = app.get("/imports/999999/rejects.csv", Some(&b)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

contract_test!(
    a_file_missing_a_column_is_refused_as_a_whole,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let before = app.store.imports(Default::default()).await.unwrap().total;
        let res = app
            .upload(
                Some(&b),
                "surveys",
                "surveys.csv",
                "source,record_id,score\nivr,x,5\n",
            )
            .await;
        // Accepted as a job, which then fails on the file as a whole.
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            res.text().contains("data-status=\"failed\""),
            "{}",
            res.text()
        );
        assert!(res.text().contains("call_record_id"), "{}", res.text());
        assert_eq!(
            app.store.imports(Default::default()).await.unwrap().total,
            before
        );

        let bad_kind = app.upload(Some(&b), "payroll", "x.csv", "a\n1\n").await;
        assert_eq!(bad_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

contract_test!(
    an_upload_without_the_csrf_token_is_refused,
    |store| async move {
        let app = app(store).await;
        let mut b = app.login("manager").await;
        b.csrf = "forged".into();
        let res = app.upload(Some(&b), "calls", "x.csv", NEW_CALLS).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
);

contract_test!(
    a_record_sent_again_with_new_content_is_listed_in_the_replaced_log,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        app.upload(Some(&b), "calls", "a.csv", NEW_CALLS).await;
        let first = app.store.imports(Default::default()).await.unwrap().items[0].id;
        let changed = NEW_CALLS.replace(",A003,INQ,,answered,5,200,", ",A003,INQ,,answered,5,222,");
        app.upload(Some(&b), "calls", "b.csv", &changed).await;
        let second = app.store.imports(Default::default()).await.unwrap().items[0].id;
        let list = app.get("/imports", Some(&b)).await.text();
        assert!(
            list.contains(&format!("/imports/{second}/replaced.csv")),
            "{list}"
        );
        let csv = app
            .get(&format!("/imports/{second}/replaced.csv"), Some(&b))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(
            csv.text(),
            format!("kind,source,record_id,previous_import_id\ncalls,pbx,n1,{first}\n")
        );
    }
);
