//! `/unmatched` and `/employees/{no}/aliases`: unknown agents' records wait, a manager maps the
//! name once, the records count.

use axum::http::StatusCode;
use jixiao_import::canonical;
use jixiao_store::{NewImport, PageReq, RecordBatch, Store, contract_test, service};

use crate::support::{App, app, enc, period};

/// Two calls from a system that names the agent by resolver id, one with a display name.
const RESOLVER_CSV: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
itsm,r1,2026-10-07 09:00:00,Resolver 149,INQ,,answered,5,100,0,0
itsm,r2,2026-10-08 09:00:00,Resolver 149,INQ,,answered,5,100,0,0
itsm,r3,2026-10-08 10:00:00,张三,INQ,,answered,5,100,0,0
";

async fn import_resolver_calls(store: &Store) {
    let parsed = canonical::parse_calls(RESOLVER_CSV.as_bytes()).unwrap();
    assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
    let batch = RecordBatch {
        calls: parsed.records,
        ..RecordBatch::default()
    };
    let import = NewImport {
        kind: "calls".into(),
        file_name: "itsm.csv".into(),
        file_hash: canonical::file_hash(RESOLVER_CSV.as_bytes()),
        file_size: RESOLVER_CSV.len() as i64,
        rows_total: parsed.rows_total,
        imported_by: "fixture".into(),
        imported_at: chrono::Utc::now(),
        mode: jixiao_store::ImportMode::Lenient,
        profile: None,
    };
    let out = service::import(store, &import, &batch, &|_| {})
        .await
        .unwrap();
    assert_eq!(out.held, 3);
}

async fn calls_of(app: &App, no: &str) -> i64 {
    let e = app.store.employee_by_no(no).await.unwrap();
    let page = app.store.calls_of(e.id, None, period(), PageReq::default());
    page.await.unwrap().total
}

contract_test!(
    a_manager_maps_an_unknown_name_and_its_held_calls_count,
    |store| async move {
        let app = app(store).await;
        import_resolver_calls(&app.store).await;
        let manager = app.login("manager").await;

        let imports = app.get("/imports", Some(&manager)).await.text();
        assert!(imports.contains("id=\"held-link\""), "{imports}");
        let page = app.get("/unmatched", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(
            html.contains("Resolver 149") && html.contains("张三"),
            "{html}"
        );
        assert!(html.contains("2026-10-07 – 2026-10-08"), "{html}");

        let before = calls_of(&app, "A003").await;
        let form = |no: &str| {
            format!(
                "csrf={}&source=itsm&alias={}&employee_no={no}",
                enc(&manager.csrf),
                enc("Resolver 149")
            )
        };
        let unknown = app
            .post("/unmatched/map", Some(&manager), &form("ZZ404"))
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.text().contains("id=\"error\""));

        let mapped = app
            .post("/unmatched/map", Some(&manager), &form("A003"))
            .await;
        assert_eq!(mapped.status, StatusCode::OK, "{}", mapped.text());
        let html = mapped.text();
        assert!(
            html.contains("itsm/Resolver 149 now names A003: 2 held records released"),
            "{html}"
        );
        assert!(
            !html.contains("Resolver 149</code>"),
            "the name left the list: {html}"
        );
        assert_eq!(calls_of(&app, "A003").await, before + 2);
        let card = app
            .get(
                &format!("/p/{}/agents/A003/calls", period()),
                Some(&manager),
            )
            .await;
        assert!(card.text().contains("r2"));

        let no_token = app
            .post(
                "/unmatched/map",
                Some(&manager),
                "source=itsm&alias=x&employee_no=A003",
            )
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let agent = app.login("agent").await;
        let by_agent = app
            .post("/unmatched/map", Some(&agent), &form("A001"))
            .await;
        assert_eq!(by_agent.status, StatusCode::FORBIDDEN);
    }
);

contract_test!(
    an_admin_adds_and_removes_an_employees_names,
    |store| async move {
        let app = app(store).await;
        import_resolver_calls(&app.store).await;
        let admin = app.login("admin").await;
        let body = format!(
            "csrf={}&source=itsm&alias={}",
            enc(&admin.csrf),
            enc("张三")
        );
        let added = app
            .post("/employees/A001/aliases", Some(&admin), &body)
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.text());
        let html = added.text();
        assert!(html.contains("1 held records released"), "{html}");
        assert!(html.contains("<code>张三</code>"), "{html}");

        let taken = app
            .post("/employees/A002/aliases", Some(&admin), &body)
            .await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);

        let id = app.store.alias("itsm", "张三").await.unwrap().id;
        let wrong_owner = app
            .post_csrf(&format!("/employees/A002/aliases/{id}/delete"), &admin)
            .await;
        assert_eq!(wrong_owner.status, StatusCode::NOT_FOUND);
        let removed = app
            .post_csrf(&format!("/employees/A001/aliases/{id}/delete"), &admin)
            .await;
        assert_eq!(
            (removed.status, removed.location()),
            (StatusCode::SEE_OTHER, "/employees/A001/aliases")
        );
        assert!(app.store.alias("itsm", "张三").await.is_err());
        let manager = app.login("manager").await;
        let forbidden = app
            .post(
                "/employees/A001/aliases",
                Some(&manager),
                &format!("csrf={}&source=a&alias=b", enc(&manager.csrf)),
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    }
);
