//! `POST /api/v1/imports/{kind}`: JSON batches, reject rows named by record, idempotency keys.

use axum::http::{Method, StatusCode};
use jixiao_store::contract_test;
use serde_json::{Value, json as js};

use super::{call, code, get, json, tokens};
use crate::support::{App, PERIOD, app};

/// Three calls of A003; the third has an unknown-alphabet business type and a bad duration.
fn batch() -> Value {
    let rec = |id: &str, bt: &str, talk: Value| {
        js!({
            "source": "pbx", "record_id": id, "started_at": "2026-10-21 09:00:00",
            "employee_no": "A003", "business_type": bt, "customer_id": null,
            "outcome": "answered", "wait_secs": 5, "talk_secs": talk,
            "hold_secs": 0, "acw_secs": "0:10"
        })
    };
    js!({
        "source_name": "pbx-2026-10-21",
        "records": [rec("j1", "INQ", js!(200)), rec("j2", "CMP", js!("4:10")), rec("j3", "NOPE!", js!("abc"))]
    })
}

async fn post(
    app: &App,
    token: &str,
    kind: &str,
    body: &Value,
    key: Option<&str>,
) -> crate::support::Resp {
    let path = format!("/api/v1/imports/{kind}");
    call(
        app,
        Method::POST,
        &path,
        Some(token),
        Some(&body.to_string()),
        key,
    )
    .await
}

/// The JSON text with every object's keys in reverse order and extra spaces.
fn reversed(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let fields: Vec<String> = o
                .iter()
                .rev()
                .map(|(k, v)| format!("{} :  {}", Value::from(k.as_str()), reversed(v)))
                .collect();
            format!("{{ {} }}", fields.join(" , "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(reversed).collect();
            format!("[ {} ]", items.join(", "))
        }
        other => other.to_string(),
    }
}

async fn import_count(app: &App) -> i64 {
    app.store.imports(Default::default()).await.unwrap().total
}

contract_test!(
    a_json_batch_lands_and_its_rejects_name_the_record_and_field,
    |store| async move {
        let app = app(store).await;
        let manager = tokens(&app).await[1].1.clone();
        let res = post(&app, &manager, "calls", &batch(), Some("b-1")).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let r = json(&res);
        assert_eq!(
            (r["inserted"].clone(), r["rejected"].clone()),
            (2.into(), 2.into()),
            "{r}"
        );
        assert_eq!(r["rows_total"], 3);
        assert_eq!(r["periods_touched"], js!([PERIOD]));
        let rejects: Vec<(i64, &str)> = r["rejects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["row"].as_i64().unwrap(), x["column"].as_str().unwrap()))
            .collect();
        assert_eq!(rejects, [(3, "business_type"), (3, "talk_secs")]);
        // The lineage lists it, with the reject report behind it.
        let id = r["import_id"].as_i64().unwrap();
        let path = format!("/api/v1/imports/{id}/rejects");
        let report = json(&get(&app, &path, Some(&manager)).await);
        assert_eq!(report["rejects"].as_array().unwrap().len(), 2);
        assert_eq!(
            (report["total"].as_i64(), report["per_page"].as_i64()),
            (Some(2), Some(50))
        );
        // Paged by row: the second page of one holds the second reject.
        let second = json(&get(&app, &format!("{path}?page=2&per_page=1"), Some(&manager)).await);
        assert_eq!(
            (second["total"].as_i64(), second["page"].as_i64()),
            (Some(2), Some(2))
        );
        let only = second["rejects"].as_array().unwrap();
        assert_eq!(only.len(), 1);
        assert_eq!(only[0]["column"], "talk_secs");
        let past = json(&get(&app, &format!("{path}?page=3&per_page=1"), Some(&manager)).await);
        assert_eq!(past["rejects"].as_array().unwrap().len(), 0);
        let list = json(&get(&app, "/api/v1/imports?per_page=1", Some(&manager)).await);
        assert_eq!(list["items"][0]["file_name"], "pbx-2026-10-21");
        assert_eq!(list["items"][0]["file_hash"].as_str().unwrap().len(), 64);
        // The scorecards were recomputed: A003 now has the two new calls.
        let path = format!("/api/v1/periods/{PERIOD}/agents/A003");
        let card = json(&get(&app, &path, Some(&manager)).await);
        assert_eq!(card["scorecards"][0]["handled"], 3, "{card}");
    }
);

contract_test!(
    the_same_key_and_body_replay_the_answer_and_import_nothing,
    |store| async move {
        let app = app(store).await;
        let manager = tokens(&app).await[1].1.clone();
        let first = post(&app, &manager, "calls", &batch(), Some("b-1")).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let imports = import_count(&app).await;
        // Same content, keys in another order and other spacing: the same request.
        let path = "/api/v1/imports/calls";
        let body = reversed(&batch());
        let again = call(
            &app,
            Method::POST,
            path,
            Some(&manager),
            Some(&body),
            Some("b-1"),
        )
        .await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.bytes, first.bytes);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(import_count(&app).await, imports);
    }
);

contract_test!(
    the_same_key_with_another_body_is_refused_and_other_users_keys_are_their_own,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let first = post(&app, &t[1].1, "calls", &batch(), Some("b-1")).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let mut other = batch();
        other["source_name"] = js!("something else");
        let reused = post(&app, &t[1].1, "calls", &other, Some("b-1")).await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&reused), "idempotency_key_reused");
        // The same body to another kind is another request too.
        let kind = post(&app, &t[1].1, "surveys", &batch(), Some("b-1")).await;
        assert_eq!(code(&kind), "idempotency_key_reused");
        // The admin's key "b-1" is not the manager's.
        let admin = post(&app, &t[0].1, "calls", &other, Some("b-1")).await;
        assert_eq!(admin.status, StatusCode::CREATED, "{}", admin.text());
    }
);

contract_test!(
    resending_the_records_under_a_new_key_changes_nothing,
    |store| async move {
        let app = app(store).await;
        let manager = tokens(&app).await[1].1.clone();
        post(&app, &manager, "calls", &batch(), Some("b-1")).await;
        let cards = app
            .store
            .scorecards(crate::support::period(), &Default::default())
            .await
            .unwrap();
        let res = post(&app, &manager, "calls", &batch(), Some("b-2")).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let r = json(&res);
        assert_eq!(
            (
                r["inserted"].clone(),
                r["unchanged"].clone(),
                r["replaced"].clone()
            ),
            (0.into(), 2.into(), 0.into())
        );
        let after = app
            .store
            .scorecards(crate::support::period(), &Default::default())
            .await
            .unwrap();
        assert_eq!(cards, after);
    }
);

contract_test!(
    a_batch_needs_a_key_a_known_kind_and_the_required_fields,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = t[1].1.clone();
        let no_key = post(&app, &manager, "calls", &batch(), None).await;
        assert_eq!(no_key.status, StatusCode::BAD_REQUEST);
        assert_eq!(code(&no_key), "idempotency_key_required");
        let kind = post(&app, &manager, "nonsense", &batch(), Some("k")).await;
        assert_eq!(kind.status, StatusCode::NOT_FOUND);
        let not_json = call(
            &app,
            Method::POST,
            "/api/v1/imports/calls",
            Some(&manager),
            Some("{"),
            Some("k"),
        )
        .await;
        assert_eq!(code(&not_json), "invalid_input");
        // A record without a required field is rejected on its own; the others land.
        let mut partial = batch();
        partial["records"][0]
            .as_object_mut()
            .unwrap()
            .remove("outcome");
        let res = json(&post(&app, &manager, "calls", &partial, Some("p")).await);
        assert_eq!(
            (res["inserted"].clone(), res["rejected"].clone()),
            (1.into(), 3.into()),
            "{res}"
        );
        assert_eq!(
            (
                res["rejects"][0]["row"].clone(),
                res["rejects"][0]["column"].clone()
            ),
            (1.into(), "outcome".into())
        );
        // A refused request does not use up its key: the corrected batch goes through under it.
        let empty = js!({ "source_name": "x", "records": [] });
        let refused = post(&app, &manager, "calls", &empty, Some("k")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&refused), "invalid_input");
        let fixed = post(&app, &manager, "calls", &batch(), Some("k")).await;
        assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.text());
        // Only admins and managers import.
        for i in [2, 3, 4] {
            let res = post(&app, &t[i].1, "calls", &batch(), Some("x")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[i].0);
        }
        let anon = call(
            &app,
            Method::POST,
            "/api/v1/imports/calls",
            None,
            Some("{}"),
            Some("x"),
        )
        .await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    }
);

contract_test!(
    a_strict_batch_with_a_reject_lands_nothing,
    |store| async move {
        let app = app(store).await;
        let manager = tokens(&app).await[1].1.clone();
        let mut strict = batch();
        strict["mode"] = js!("strict");
        let res = post(&app, &manager, "calls", &strict, Some("s-1")).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let r = json(&res);
        assert_eq!(
            (r["status"].clone(), r["inserted"].clone()),
            ("refused".into(), 0.into()),
            "{r}"
        );
        assert_eq!(r["mode"], "strict");
    }
);
