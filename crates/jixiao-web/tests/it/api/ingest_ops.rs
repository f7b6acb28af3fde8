//! The API twins of the ingest pages: unknown agents and aliases, mapping profiles, file
//! uploads imported by the background job, and API tokens, with the pages' roles and results.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use jixiao_store::{PageReq, contract_test};
use serde_json::{Value, json as js};

use super::{call, code, get, json, tokens};
use crate::profiles::{ACME, ACME_CSV};
use crate::support::{App, PERIOD, Resp, app, period};

/// Calls from a system that names agents by resolver id (two) or display name (one): held.
const RESOLVER_CSV: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
itsm,r1,2026-10-07 09:00:00,Resolver 149,INQ,,answered,5,100,0,0
itsm,r2,2026-10-08 09:00:00,Resolver 149,INQ,,answered,5,100,0,0
itsm,r3,2026-10-08 10:00:00,张三,INQ,,answered,5,100,0,0
";

/// Two good calls of A003 and one with two bad fields (line 4).
const NEW_CALLS: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,n1,2026-10-20 09:00:00,A003,INQ,,answered,5,200,0,10
pbx,n2,2026-10-20 09:05:00,A003,CMP,,answered,5,250,0,10
pbx,n3,2026-10-20 09:10:00,A003,NOPE!,,answered,5,abc,0,10
";

/// `POST path` with a JSON body and a token.
async fn post(app: &App, path: &str, token: Option<&str>, body: &Value) -> Resp {
    call(
        app,
        Method::POST,
        path,
        token,
        Some(&body.to_string()),
        None,
    )
    .await
}

/// `POST /api/v1/imports/upload?{query}` with the raw file as the body.
async fn upload(app: &App, token: Option<&str>, query: &str, file: &[u8]) -> Resp {
    let mut req = Request::post(format!("/api/v1/imports/upload?{query}"))
        .header(header::HOST, "jixiao.test")
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    app.send(req.body(Body::from(file.to_vec())).unwrap()).await
}

/// Uploads a file, expects it accepted, and follows its job until it ends (10 s at most).
async fn import(app: &App, token: &str, query: &str, file: &[u8]) -> Value {
    let res = upload(app, Some(token), query, file).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text());
    let accepted = json(&res);
    let path = accepted["job_path"].as_str().unwrap().to_string();
    assert_eq!(path, format!("/api/v1/imports/jobs/{}", accepted["job_id"]));
    wait(app, token, &path).await
}

/// Polls a job until it has ended.
async fn wait(app: &App, token: &str, path: &str) -> Value {
    for _ in 0..500 {
        let res = get(app, path, Some(token)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let job = json(&res);
        if !matches!(job["status"].as_str(), Some("queued" | "running")) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("job {path} did not end within 10 s");
}

async fn calls_of(app: &App, no: &str) -> i64 {
    let e = app.store.employee_by_no(no).await.unwrap();
    let page = app.store.calls_of(e.id, None, period(), PageReq::default());
    page.await.unwrap().total
}

async fn audited(app: &App, kind: &str) -> bool {
    app.store
        .audit_kinds()
        .await
        .unwrap()
        .iter()
        .any(|k| k == kind)
}

/// Standard base64, padded.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let mut n = [0u8; 3];
        n[..chunk.len()].copy_from_slice(chunk);
        let v = u32::from_be_bytes([0, n[0], n[1], n[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

contract_test!(
    unknown_agents_are_listed_and_mapping_a_name_releases_its_held_records,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let job = import(
            &app,
            manager,
            "kind=calls&file_name=itsm.csv",
            RESOLVER_CSV.as_bytes(),
        )
        .await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(app.store.held_count().await.unwrap(), 3);

        let list = get(&app, "/api/v1/unmatched?per_page=1", Some(manager)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text());
        let list = json(&list);
        assert_eq!(
            (list["total"].clone(), list["per_page"].clone()),
            (2.into(), 1.into())
        );
        let top = &list["items"][0];
        assert_eq!(
            (
                top["source"].clone(),
                top["alias"].clone(),
                top["count"].clone()
            ),
            ("itsm".into(), "Resolver 149".into(), 2.into()),
            "{list}"
        );
        assert_eq!(top["kinds"], js!(["calls"]));
        assert_eq!(
            (top["first"].clone(), top["last"].clone()),
            ("2026-10-07".into(), "2026-10-08".into())
        );
        for who in [sup, qa, agent] {
            let res = get(&app, "/api/v1/unmatched", Some(who)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            get(&app, "/api/v1/unmatched", None).await.status,
            StatusCode::UNAUTHORIZED
        );

        let map = |no: &str| js!({"source": "itsm", "alias": "Resolver 149", "employee_no": no});
        let unknown = post(&app, "/api/v1/unmatched/map", Some(manager), &map("ZZ404")).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&unknown), "alias_unknown_employee");
        let bad = js!({"source": "itsm", "alias": " ", "employee_no": "A003"});
        let bad = post(&app, "/api/v1/unmatched/map", Some(manager), &bad).await;
        assert_eq!(code(&bad), "alias_invalid", "{}", bad.text());
        for who in [sup, qa, agent] {
            let res = post(&app, "/api/v1/unmatched/map", Some(who), &map("A003")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        let before = calls_of(&app, "A003").await;
        let mapped = post(&app, "/api/v1/unmatched/map", Some(manager), &map("A003")).await;
        assert_eq!(mapped.status, StatusCode::OK, "{}", mapped.text());
        let m = json(&mapped);
        assert_eq!(m["released"], 2, "{m}");
        assert_eq!(m["still_held"], 0);
        assert_eq!(m["alias"]["employee_no"], "A003");
        assert_eq!(m["periods_recomputed"], js!([PERIOD]));
        assert_eq!(calls_of(&app, "A003").await, before + 2);
        assert_eq!(app.store.held_count().await.unwrap(), 1);
        assert!(audited(&app, "alias.map").await);
        let list = json(&get(&app, "/api/v1/unmatched", Some(admin)).await);
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["alias"], "张三");
        // The same name for another employee is a conflict.
        let again = post(&app, "/api/v1/unmatched/map", Some(admin), &map("A001")).await;
        assert_eq!(code(&again), "alias_conflict");

        // One employee's names (admin only, like the page).
        let path = "/api/v1/employees/A003/aliases";
        let names = get(&app, path, Some(admin)).await;
        assert_eq!(names.status, StatusCode::OK, "{}", names.text());
        let names = json(&names);
        assert_eq!(names[0]["alias"], "Resolver 149", "{names}");
        for who in [manager, sup, qa, agent] {
            assert_eq!(
                get(&app, path, Some(who)).await.status,
                StatusCode::FORBIDDEN
            );
        }
        let nobody = get(&app, "/api/v1/employees/NOBODY/aliases", Some(admin)).await;
        assert_eq!(nobody.status, StatusCode::NOT_FOUND);

        let add = js!({"source": "itsm", "alias": "张三"});
        let by_manager = post(&app, "/api/v1/employees/A001/aliases", Some(manager), &add).await;
        assert_eq!(by_manager.status, StatusCode::FORBIDDEN);
        let to_nobody = post(&app, "/api/v1/employees/NOBODY/aliases", Some(admin), &add).await;
        assert_eq!(to_nobody.status, StatusCode::NOT_FOUND);
        let before = calls_of(&app, "A001").await;
        let added = post(&app, "/api/v1/employees/A001/aliases", Some(admin), &add).await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.text());
        assert_eq!(json(&added)["released"], 1);
        assert_eq!(calls_of(&app, "A001").await, before + 1);
        assert_eq!(app.store.held_count().await.unwrap(), 0);
        let id = json(&added)["alias"]["id"].as_i64().unwrap();

        // Removing: only the employee's own alias, only by an admin.
        let wrong = format!("/api/v1/employees/A003/aliases/{id}/delete");
        let res = call(&app, Method::POST, &wrong, Some(admin), None, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let path = format!("/api/v1/employees/A001/aliases/{id}/delete");
        let res = call(&app, Method::POST, &path, Some(manager), None, None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = call(&app, Method::POST, &path, Some(admin), None, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(json(&res)["alias"], "张三");
        let left = json(&get(&app, "/api/v1/employees/A001/aliases", Some(admin)).await);
        assert_eq!(left, js!([]));
        assert!(audited(&app, "alias.remove").await);
    }
);

contract_test!(
    a_profile_saved_through_the_api_is_listed_opened_previewed_and_used,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let names = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect()
        };
        let list = get(&app, "/api/v1/profiles", Some(manager)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text());
        assert!(names(&json(&list)).contains(&"pbx-cdr".to_string()));
        let shipped = json(&get(&app, "/api/v1/profiles/pbx-cdr", Some(manager)).await);
        assert_eq!(shipped["builtin"], true, "{shipped}");
        assert_eq!(shipped["summary"]["kind"], "calls");
        assert!(shipped["toml"].as_str().unwrap().contains("pbx-cdr"));

        let path = "/api/v1/profiles/acme-pbx";
        let save = |version: Value| js!({"toml": ACME, "version": version});
        let saved = post(&app, path, Some(manager), &save(Value::Null)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
        let saved = json(&saved);
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["summary"]["source"], "acme");
        assert!(audited(&app, "mapping_profile.save").await);
        let list = json(&get(&app, "/api/v1/profiles", Some(admin)).await);
        assert!(names(&list).contains(&"acme-pbx".to_string()), "{list}");
        let opened = json(&get(&app, path, Some(admin)).await);
        assert_eq!(opened["toml"], ACME);
        assert_eq!(opened["builtin"], false);
        assert_eq!(opened["updated_by"], "manager");
        assert_eq!(
            opened["summary"]["fields"].as_array().unwrap().len(),
            9,
            "{opened}"
        );
        // Validated as the editor validates: each refusal is a 422 with a stable code.
        let exists = post(&app, path, Some(manager), &save(Value::Null)).await;
        assert_eq!(
            (exists.status, code(&exists)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "profile_err_exists".into()
            )
        );
        let v2 = post(&app, path, Some(admin), &save(1.into())).await;
        assert_eq!(json(&v2)["version"], 2, "{}", v2.text());
        let stale = post(&app, path, Some(manager), &save(1.into())).await;
        assert_eq!(code(&stale), "profile_err_conflict");
        let other = post(
            &app,
            "/api/v1/profiles/other",
            Some(manager),
            &save(Value::Null),
        )
        .await;
        assert_eq!(code(&other), "profile_name_mismatch");
        let builtin = shipped["toml"].as_str().unwrap();
        let res = post(
            &app,
            "/api/v1/profiles/pbx-cdr",
            Some(manager),
            &js!({"toml": builtin}),
        )
        .await;
        assert_eq!(code(&res), "profile_err_builtin");
        let broken =
            js!({"toml": "name = \"x\"\nkind = \"calls\"\n[fields]\nnope = { column = \"A\" }\n"});
        let res = post(&app, "/api/v1/profiles/x", Some(manager), &broken).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let engine = code(&res);
        assert!(engine.starts_with("profile_"), "{}", res.text());

        // The preview reads the sample as an import will: rows, and each reject.
        let preview = js!({"toml": ACME, "sample_text": ACME_CSV});
        let res = post(&app, "/api/v1/profiles/preview", Some(manager), &preview).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let p = json(&res);
        assert_eq!(p["profile"]["name"], "acme-pbx");
        let rows = p["preview"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{p}");
        assert_eq!(
            (p["preview"]["good"].clone(), p["preview"]["bad"].clone()),
            (2.into(), 1.into())
        );
        assert_eq!(rows[2]["rejected"], true);
        let errors = p["preview"]["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{p}");
        assert_eq!(errors[0]["row"], 4);
        assert_eq!(errors[0]["column"], "Result");
        assert_eq!(errors[0]["value"], "BUSY");
        assert!(!errors[0]["reason"].as_str().unwrap().is_empty());
        let b64 = js!({"toml": ACME, "sample_base64": base64(ACME_CSV.as_bytes())});
        let same = post(&app, "/api/v1/profiles/preview", Some(admin), &b64).await;
        assert_eq!(json(&same)["preview"], p["preview"]);
        let checked = post(
            &app,
            "/api/v1/profiles/preview",
            Some(manager),
            &js!({"toml": ACME}),
        )
        .await;
        assert!(json(&checked)["preview"].is_null(), "{}", checked.text());
        let not_b64 = js!({"toml": ACME, "sample_base64": "*"});
        let res = post(&app, "/api/v1/profiles/preview", Some(manager), &not_b64).await;
        assert_eq!(code(&res), "invalid_input");

        // A file uploaded through the saved profile imports as the preview said.
        let job = import(
            &app,
            manager,
            "profile=acme-pbx&file_name=acme.csv",
            ACME_CSV.as_bytes(),
        )
        .await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["kind"], "calls");
        assert_eq!(
            (
                job["import"]["inserted"].clone(),
                job["import"]["rejected"].clone()
            ),
            (2.into(), 1.into()),
            "{job}"
        );

        for who in [sup, qa, agent] {
            let who = Some(who.as_str());
            assert_eq!(
                get(&app, "/api/v1/profiles", who).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(get(&app, path, who).await.status, StatusCode::FORBIDDEN);
            assert_eq!(
                post(&app, path, who, &save(2.into())).await.status,
                StatusCode::FORBIDDEN
            );
            let res = post(&app, "/api/v1/profiles/preview", who, &preview).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
            let res = call(
                &app,
                Method::POST,
                &format!("{path}/delete"),
                who,
                None,
                None,
            )
            .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            get(&app, "/api/v1/profiles", None).await.status,
            StatusCode::UNAUTHORIZED
        );

        let delete = |p: &str| {
            let (app, p, token) = (&app, format!("{p}/delete"), manager.clone());
            async move { call(app, Method::POST, &p, Some(&token), None, None).await }
        };
        assert_eq!(delete(path).await.status, StatusCode::NO_CONTENT);
        assert!(audited(&app, "mapping_profile.delete").await);
        assert_eq!(
            get(&app, path, Some(manager)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(delete(path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            delete("/api/v1/profiles/pbx-cdr").await.status,
            StatusCode::NOT_FOUND
        );
        let list = json(&get(&app, "/api/v1/profiles", Some(manager)).await);
        assert!(!names(&list).contains(&"acme-pbx".to_string()));
    }
);

contract_test!(
    an_uploaded_file_imports_in_the_background_once,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let query = "kind=calls&file_name=oct-20.csv";
        let first = import(&app, manager, query, NEW_CALLS.as_bytes()).await;
        assert_eq!(first["status"], "done", "{first}");
        assert_eq!(first["file_name"], "oct-20.csv");
        assert_eq!(first["mode"], "lenient");
        assert_eq!(first["created_by"], "manager");
        let counts = |job: &Value| {
            let i = &job["import"];
            [
                &i["inserted"],
                &i["replaced"],
                &i["unchanged"],
                &i["rejected"],
            ]
            .map(|v| v.as_i64().unwrap())
        };
        assert_eq!(counts(&first), [2, 0, 0, 2], "{first}");
        let rejects = first["rejects"].as_array().unwrap();
        assert!(
            rejects
                .iter()
                .any(|r| r["row"] == 4 && r["value"] == "NOPE!"),
            "{first}"
        );
        assert_eq!(first["more_rejects"], false);
        let import_id = first["import"]["id"].as_i64().unwrap();
        let cards = app
            .store
            .scorecards(period(), &Default::default())
            .await
            .unwrap();

        // The same file again changes nothing.
        let second = import(&app, admin, query, NEW_CALLS.as_bytes()).await;
        assert_eq!(counts(&second), [0, 0, 2, 2], "{second}");
        assert_ne!(second["import"]["id"], import_id);
        let again = app
            .store
            .scorecards(period(), &Default::default())
            .await
            .unwrap();
        assert_eq!(cards, again);

        // A GBK file: the customer is read as Chinese ("客户甲" is BF CD BB A7 BC D7 in GBK).
        let mut gbk = b"source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
            pbx,g1,2026-10-21 09:00:00,A003,INQ,".to_vec();
        gbk.extend_from_slice(&[0xBF, 0xCD, 0xBB, 0xA7, 0xBC, 0xD7]);
        gbk.extend_from_slice(b",answered,5,60,0,0\n");
        let job = import(&app, manager, "kind=calls&file_name=gbk.csv", &gbk).await;
        assert_eq!(counts(&job), [1, 0, 0, 0], "{job}");
        let calls = get(
            &app,
            &format!("/api/v1/periods/{PERIOD}/agents/A003/calls?per_page=500"),
            Some(manager),
        )
        .await;
        let calls = json(&calls);
        let g1 = calls["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["record_id"] == "g1");
        assert_eq!(g1.unwrap()["customer_id"], "客户甲", "{calls}");

        // Strict: one bad row and nothing lands.
        let strict = import(
            &app,
            manager,
            "kind=calls&mode=strict&file_name=strict.csv",
            NEW_CALLS
                .replace("n1,", "s1,")
                .replace("n2,", "s2,")
                .replace("n3,", "s3,")
                .as_bytes(),
        )
        .await;
        assert_eq!(strict["status"], "refused", "{strict}");
        assert_eq!(strict["mode"], "strict");
        assert_eq!(strict["import"]["inserted"], 0);

        // A file the reader cannot use fails the job, with the reader's reason.
        let failed = import(&app, manager, "kind=calls", b"just,some\ncolumns,here\n").await;
        assert_eq!(failed["status"], "failed", "{failed}");
        assert_eq!(failed["error_code"], "file");
        assert!(!failed["error"].as_str().unwrap_or_default().is_empty());
        assert!(failed["import"].is_null());

        // Refusals before any job starts.
        for (query, body) in [
            ("kind=nope", NEW_CALLS.as_bytes()),
            ("kind=calls&mode=sloppy", NEW_CALLS.as_bytes()),
            ("kind=calls&profile=nope", NEW_CALLS.as_bytes()),
            ("kind=calls", b"".as_slice()),
        ] {
            let res = upload(&app, Some(manager), query, body).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert_eq!(code(&res), "invalid_input", "{query}");
        }
        for who in [sup, qa, agent] {
            let res = upload(&app, Some(who), query, NEW_CALLS.as_bytes()).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        let res = upload(&app, None, query, NEW_CALLS.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        // The job is seen by its starter, admins and managers; missing for anyone else.
        let job_path = format!("/api/v1/imports/jobs/{}", first["id"]);
        assert_eq!(
            get(&app, &job_path, Some(admin)).await.status,
            StatusCode::OK
        );
        let none = get(&app, "/api/v1/imports/jobs/999999", Some(sup)).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        for who in [sup, qa, agent] {
            let res = get(&app, &job_path, Some(who)).await;
            assert_eq!(
                (res.status, &res.bytes),
                (StatusCode::NOT_FOUND, &none.bytes)
            );
        }
        assert_eq!(
            get(&app, &job_path, None).await.status,
            StatusCode::UNAUTHORIZED
        );

        // `/imports/upload` did not take the place of `/imports/{kind}`: JSON batches still land.
        let batch = js!({"source_name": "b", "records": [{
            "source": "pbx", "record_id": "j1", "started_at": "2026-10-21 09:00:00",
            "employee_no": "A003", "business_type": "INQ", "customer_id": null,
            "outcome": "answered", "wait_secs": 5, "talk_secs": 60, "hold_secs": 0, "acw_secs": 0
        }]});
        let res = call(
            &app,
            Method::POST,
            "/api/v1/imports/calls",
            Some(manager),
            Some(&batch.to_string()),
            Some("k-1"),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        assert_eq!(json(&res)["inserted"], 1);
    }
);

contract_test!(
    a_token_created_through_the_api_authenticates_until_revoked,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager, sup, qa, agent) = (&t[0].1, &t[1].1, &t[2].1, &t[3].1, &t[4].1);
        let req = js!({"username": "agent", "name": "crm-sync"});
        for who in [manager, sup, qa, agent] {
            let who = Some(who.as_str());
            assert_eq!(
                post(&app, "/api/v1/tokens", who, &req).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                get(&app, "/api/v1/tokens", who).await.status,
                StatusCode::FORBIDDEN
            );
            let res = call(
                &app,
                Method::POST,
                "/api/v1/tokens/1/revoke",
                who,
                None,
                None,
            )
            .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            get(&app, "/api/v1/tokens", None).await.status,
            StatusCode::UNAUTHORIZED
        );

        let made = post(&app, "/api/v1/tokens", Some(admin), &req).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        let made = json(&made);
        let secret = made["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("jx_"), "{made}");
        assert_eq!(made["token"]["username"], "agent");
        assert_eq!(made["token"]["created_by"], "admin");
        assert!(audited(&app, "api_token.create").await);
        let me = json(&get(&app, "/api/v1/me", Some(&secret)).await);
        assert_eq!(
            (me["username"].clone(), me["token_id"].clone()),
            ("agent".into(), made["token"]["id"].clone())
        );

        // The list never shows a secret or its hash.
        let list = get(&app, "/api/v1/tokens", Some(admin)).await;
        assert_eq!(list.status, StatusCode::OK);
        let text = list.text();
        assert!(
            text.contains("crm-sync") && !text.contains(&secret),
            "{text}"
        );
        let list = json(&list);
        assert_eq!(list.as_array().unwrap().len(), t.len() + 1);
        let fields = [
            "id",
            "name",
            "username",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ];
        for token in list.as_array().unwrap() {
            let keys: Vec<&str> = token
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert!(keys.iter().all(|k| fields.contains(k)), "{token}");
        }

        for (body, want) in [
            (
                js!({"username": "ghost", "name": "x"}),
                "token_unknown_user",
            ),
            (
                js!({"username": "agent", "name": " "}),
                "token_invalid_form",
            ),
            (
                js!({"username": "agent", "name": "x".repeat(101)}),
                "token_invalid_form",
            ),
        ] {
            let res = post(&app, "/api/v1/tokens", Some(admin), &body).await;
            assert_eq!(
                (res.status, code(&res)),
                (StatusCode::UNPROCESSABLE_ENTITY, want.to_string())
            );
        }

        let revoke = format!("/api/v1/tokens/{}/revoke", made["token"]["id"]);
        let res = call(&app, Method::POST, &revoke, Some(admin), None, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert!(!json(&res)["revoked_at"].is_null());
        assert!(audited(&app, "api_token.revoke").await);
        let me = get(&app, "/api/v1/me", Some(&secret)).await;
        assert_eq!(
            (me.status, code(&me)),
            (StatusCode::UNAUTHORIZED, "invalid_token".into())
        );
        let res = call(
            &app,
            Method::POST,
            "/api/v1/tokens/999999/revoke",
            Some(admin),
            None,
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
);
