use crate::fixtures::*;
use chrono::{DateTime, Utc};
use jixiao_store::{
    AuditVerification, ChainProblem, NewAudit, PageReq, Store, contract_test, service, testing,
};

fn entry(n: u32, at: DateTime<Utc>) -> NewAudit {
    NewAudit {
        actor: format!("user{n}"),
        kind: "rules.update".into(),
        subject: "CALL".into(),
        detail: serde_json::json!({ "n": n }),
        at,
    }
}

/// Appends entries 1..=n, one second apart.
async fn append(store: &Store, n: u32) {
    let start = at("2026-11-01T08:00:00Z");
    for i in 1..=n {
        let when = start + chrono::Duration::seconds(i64::from(i));
        store.audit(&entry(i, when)).await.unwrap();
    }
}

async fn verify(store: &Store) -> AuditVerification {
    store.verify_audit_chain().await.unwrap()
}

fn broken(id: i64, problem: ChainProblem, verified: u64) -> AuditVerification {
    AuditVerification::Broken {
        id,
        problem,
        verified,
    }
}

contract_test!(an_empty_log_is_intact, |store| async move {
    let AuditVerification::Intact { entries, head } = verify(&store).await else {
        panic!("an empty log verifies");
    };
    assert_eq!((entries, head), (0, None));
});

contract_test!(
    a_fresh_chain_verifies_and_links_each_entry_to_the_previous,
    |store| async move {
        append(&store, 3).await;
        let log = store.audit_log(PageReq::default()).await.unwrap();
        let AuditVerification::Intact { entries, head } = verify(&store).await else {
            panic!("a fresh chain verifies");
        };
        assert_eq!(entries, 3);
        assert_eq!(head.as_deref(), Some(log.items[0].entry_hash.as_str()));
        assert_eq!(log.items[0].entry_hash.len(), 64);
        let ids: Vec<i64> = log.items.iter().map(|e| e.id).collect();
        assert_eq!(ids, [3, 2, 1]);
    }
);

contract_test!(
    nanosecond_times_and_unsorted_nested_json_survive_the_round_trip,
    |store| async move {
        let now = Utc::now();
        let odd = at("2026-11-01T08:00:00.123456789Z");
        for (i, when) in [now, odd].into_iter().enumerate() {
            store
                .audit(&NewAudit {
                    actor: "张三 \"quoted\"\n".into(),
                    kind: "import".into(),
                    subject: format!("file{i}.csv"),
                    detail: serde_json::json!({
                        "z": 1, "a": { "y": [1.5, "é", null, -0.0, 1e300], "b": true },
                        "m": u64::MAX, "n": i64::MIN, "e": {}
                    }),
                    at: when,
                })
                .await
                .unwrap();
        }
        assert!(matches!(
            verify(&store).await,
            AuditVerification::Intact { entries: 2, .. }
        ));
        let log = store.audit_log(PageReq::default()).await.unwrap();
        assert_eq!(log.items[0].at, at("2026-11-01T08:00:00.123456Z"));
    }
);

contract_test!(editing_an_entrys_detail_is_detected, |store| async move {
    append(&store, 4).await;
    testing::execute_raw(
        &store,
        "UPDATE audit_log SET detail_json = '{\"n\":99}' WHERE id = 2",
    )
    .await;
    assert_eq!(verify(&store).await, broken(2, ChainProblem::Altered, 1));
});

contract_test!(
    refiling_an_entry_under_another_employee_or_period_is_detected,
    |store| async move {
        append(&store, 4).await;
        // The filter columns are not hashed but follow from hashed content: moving an entry out of
        // an employee's or a period's view is caught like an edit.
        testing::execute_raw(&store, "UPDATE audit_log SET employee_id = 7 WHERE id = 3").await;
        assert_eq!(verify(&store).await, broken(3, ChainProblem::Misfiled, 2));
        testing::execute_raw(
            &store,
            "UPDATE audit_log SET employee_id = NULL WHERE id = 3",
        )
        .await;
        testing::execute_raw(
            &store,
            "UPDATE audit_log SET period = '2026-01' WHERE id = 2",
        )
        .await;
        assert_eq!(verify(&store).await, broken(2, ChainProblem::Misfiled, 1));
    }
);

contract_test!(editing_an_entrys_actor_is_detected, |store| async move {
    append(&store, 4).await;
    testing::execute_raw(
        &store,
        "UPDATE audit_log SET actor = 'mallory' WHERE id = 3",
    )
    .await;
    assert_eq!(verify(&store).await, broken(3, ChainProblem::Altered, 2));
});

contract_test!(
    an_entry_given_another_entrys_hash_is_detected,
    |store| async move {
        append(&store, 4).await;
        testing::execute_raw(
            &store,
            "UPDATE audit_log SET entry_hash = (SELECT entry_hash FROM audit_log WHERE id = 1) \
             WHERE id = 2",
        )
        .await;
        assert_eq!(verify(&store).await, broken(2, ChainProblem::Altered, 1));
    }
);

contract_test!(deleting_a_middle_entry_is_detected, |store| async move {
    append(&store, 5).await;
    testing::execute_raw(&store, "DELETE FROM audit_log WHERE id = 3").await;
    assert_eq!(verify(&store).await, broken(4, ChainProblem::Missing, 2));
});

contract_test!(deleting_the_first_entry_is_detected, |store| async move {
    append(&store, 3).await;
    testing::execute_raw(&store, "DELETE FROM audit_log WHERE id = 1").await;
    assert_eq!(verify(&store).await, broken(2, ChainProblem::Missing, 0));
});

contract_test!(
    a_forged_entry_copying_the_last_hash_is_detected,
    |store| async move {
        append(&store, 3).await;
        testing::execute_raw(
            &store,
            "INSERT INTO audit_log (id, actor, kind, subject, detail_json, at, prev_hash, \
             entry_hash) SELECT id + 1, 'mallory', 'period.close', '2026-10', '{}', at, \
             entry_hash, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1",
        )
        .await;
        assert_eq!(verify(&store).await, broken(4, ChainProblem::Altered, 3));
    }
);

contract_test!(
    a_forged_entry_with_its_own_link_is_detected,
    |store| async move {
        append(&store, 3).await;
        let forged_hash = "ab".repeat(32);
        testing::execute_raw(
            &store,
            &format!(
                "INSERT INTO audit_log (id, actor, kind, subject, detail_json, at, prev_hash, \
                 entry_hash) VALUES (4, 'mallory', 'x', 'y', '{{}}', '2026-11-01T09:00:00Z', \
                 '{forged_hash}', '{forged_hash}')"
            ),
        )
        .await;
        assert_eq!(verify(&store).await, broken(4, ChainProblem::Unlinked, 3));
    }
);

contract_test!(
    appends_after_many_entries_and_from_closes_keep_the_chain_valid,
    |store| async move {
        append(&store, 120).await;
        center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        store
            .audit(&entry(999, at("2026-11-03T09:00:00Z")))
            .await
            .unwrap();
        // More than one verification page.
        let AuditVerification::Intact { entries, .. } = verify(&store).await else {
            panic!("the chain stays valid");
        };
        // 120 + rules + import + period.computed + close + 1.
        assert_eq!(entries, 124);
        let log = store.audit_log(PageReq::default()).await.unwrap();
        let kinds: Vec<&str> = log.items.iter().take(3).map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["rules.update", "period.close", "import"]);
    }
);

contract_test!(concurrent_appends_form_one_chain, |store| async move {
    let tasks: Vec<_> = (1..=16)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.audit(&entry(i, Utc::now())).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(matches!(
        verify(&store).await,
        AuditVerification::Intact { entries: 16, .. }
    ));
});

contract_test!(
    entries_written_before_the_chain_are_sealed_once_at_migrate,
    |store| async move {
        for i in 1..=3 {
            testing::execute_raw(
                &store,
                &format!(
                    "INSERT INTO audit_log (id, actor, kind, subject, detail_json, at) VALUES \
                     ({}, 'old', 'import', 'f.csv', '{{\"b\": 2, \"a\": {i}}}', \
                     '2026-01-01T00:00:0{i}Z')",
                    i * 2
                ),
            )
            .await;
        }
        store.migrate().await.unwrap();
        assert!(matches!(
            verify(&store).await,
            AuditVerification::Intact { entries: 3, .. }
        ));
        store
            .audit(&entry(4, at("2026-11-01T00:00:00Z")))
            .await
            .unwrap();
        // Once the chain has started, a blanked hash is tampering, not a legacy entry.
        testing::execute_raw(
            &store,
            "UPDATE audit_log SET prev_hash = '', entry_hash = '' WHERE id = 2",
        )
        .await;
        store.migrate().await.unwrap();
        assert_eq!(verify(&store).await, broken(2, ChainProblem::Altered, 0));
    }
);
