//! Identity: unknown agents are held, not rejected; mapping an alias releases them.

use crate::fixtures::*;
use jixiao_core::Period;
use jixiao_core::record::{CallRecord, QaRecord};
use jixiao_core::scorecard::Scorecard;
use jixiao_store::{NewEmployee, PageReq, RecordBatch, Store, StoreError, contract_test, service};
use rust_decimal::dec;

fn nov() -> Period {
    "2026-11".parse().unwrap()
}

/// Handled calls on `employee_id`'s stored scorecards of `period`, all teams.
async fn handled(store: &Store, period: Period, employee_id: i64) -> u64 {
    let cards: Vec<Scorecard> = store.scorecards(period, &Default::default()).await.unwrap();
    cards
        .iter()
        .filter(|c| c.employee_id == employee_id)
        .map(|c| c.handled)
        .sum()
}

/// Calls the phone system credits to extension 8001, which is nobody's employee number.
fn calls_of_8001() -> RecordBatch {
    calls(vec![
        call("x1", "8001", "2026-10-03 09:00:00", "INQ", 100),
        call("x2", "8001", "2026-10-04 09:00:00", "CMP", 200),
        call("x3", "A001", "2026-10-04 10:00:00", "INQ", 300),
    ])
}

contract_test!(
    a_record_whose_agent_is_unknown_is_held_not_rejected,
    |store| async move {
        center(&store).await;
        let batch = calls(vec![
            call("r1", "Resolver 149", "2026-10-03 09:00:00", "INQ", 100),
            call("r2", "张三", "2026-10-05 09:00:00", "INQ", 100),
            call("r3", "Resolver 149", "2026-10-09 09:00:00", "INQ", 100),
        ]);
        let out = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!((out.inserted, out.held), (0, 3));
        assert_eq!(store.import(out.import_id).await.unwrap().held, 3);
        assert_eq!(store.held_count().await.unwrap(), 3);

        let list = store.unmatched(PageReq::default()).await.unwrap();
        assert_eq!(list.total, 2);
        let first = &list.items[0];
        assert_eq!(
            (first.source.as_str(), first.alias.as_str()),
            ("pbx", "Resolver 149")
        );
        assert_eq!(
            (first.count, first.first, first.last),
            (2, d("2026-10-03"), d("2026-10-09"))
        );
        assert_eq!(
            (first.kinds.clone(), first.mapped_to.clone()),
            (vec!["calls".to_string()], None)
        );

        let held = store.held_records_for("pbx", "Resolver 149").await.unwrap();
        assert_eq!(held.len(), 2);
        assert_eq!((held[0].record_id.as_str(), held[0].row), ("r1", 2));
        assert_eq!(held[0].held_at, at("2026-11-01T08:00:00Z"));
        let back: CallRecord = serde_json::from_str(&held[0].payload).unwrap();
        assert_eq!(
            back, batch.calls[0].1,
            "the payload is the record as imported"
        );
    }
);

contract_test!(
    importing_the_same_file_again_holds_its_records_once,
    |store| async move {
        center(&store).await;
        let batch = calls_of_8001();
        let first = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        let again = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert_eq!((first.held, again.held), (2, 2));
        assert_eq!(store.held_count().await.unwrap(), 2);
        let held = store.held_records_for("pbx", "8001").await.unwrap();
        assert!(
            held.iter().all(|h| h.import_id == first.import_id),
            "unchanged rows keep their import"
        );

        let mut changed = calls_of_8001();
        changed.calls[0].1.talk_secs = 999;
        let third = store
            .write_import(&new_import("b.csv"), &changed)
            .await
            .unwrap();
        let held = store.held_records_for("pbx", "8001").await.unwrap();
        assert_eq!(held.len(), 2);
        let x1: CallRecord = serde_json::from_str(&held[0].payload).unwrap();
        assert_eq!((x1.talk_secs, held[0].import_id), (999, third.import_id));
        assert_eq!(held[1].import_id, first.import_id);
    }
);

contract_test!(
    mapping_an_alias_releases_its_held_records_into_the_scorecards,
    |store| async move {
        let c = center(&store).await;
        let mut batch = calls_of_8001();
        batch.qa = vec![(9, qa("q8", "8001", "2026-10-06", dec!(90), false))];
        service::import(&store, &new_import("a.csv"), &batch, &|_| {})
            .await
            .unwrap();
        assert_eq!(handled(&store, oct(), c.a1).await, 1);

        let at_map = at("2026-11-02T09:00:00Z");
        let alias = agent("8001");
        let done = service::map_alias(&store, "pbx", &alias, c.a1, "admin", at_map)
            .await
            .unwrap();
        assert_eq!((done.released, done.still_held.len()), (2, 0));
        assert_eq!(done.periods_recomputed, vec![oct()]);
        assert_eq!(
            handled(&store, oct(), c.a1).await,
            3,
            "the released calls count"
        );

        // The QA review came from another source: its 8001 is another name, still unmatched.
        let list = store.unmatched(PageReq::default()).await.unwrap();
        assert_eq!(list.total, 1);
        assert_eq!(
            (list.items[0].source.as_str(), list.items[0].kinds.clone()),
            ("qa", vec!["qa_reviews".to_string()])
        );
        let held_qa = store.held_records_for("qa", "8001").await.unwrap();
        let review: QaRecord = serde_json::from_str(&held_qa[0].payload).unwrap();
        assert_eq!(review.score, dec!(90));

        let release = store.import(done.release_import_id.unwrap()).await.unwrap();
        assert_eq!((release.kind.as_str(), release.inserted), ("release", 2));
        assert!(
            release.file_name.contains("pbx/8001"),
            "{}",
            release.file_name
        );
        let log = store.audit_log(PageReq::default()).await.unwrap();
        assert_eq!(
            (log.items[0].kind.as_str(), log.items[0].subject.as_str()),
            ("alias.map", "pbx/8001")
        );
        assert_eq!(log.items[0].detail["released"], 2);

        // Mapping again changes nothing and releases nothing.
        let again = service::map_alias(&store, "pbx", &alias, c.a1, "admin", at_map)
            .await
            .unwrap();
        assert_eq!((again.released, again.release_import_id), (0, None));
        assert_eq!(store.aliases_of(c.a1).await.unwrap().len(), 1);
    }
);

contract_test!(
    held_records_of_a_closed_period_stay_held_and_are_reported,
    |store| async move {
        let c = center(&store).await;
        let batch = calls(vec![
            call("o1", "8001", "2026-10-03 09:00:00", "INQ", 100),
            call("n1", "8001", "2026-11-03 09:00:00", "INQ", 100),
        ]);
        service::import(&store, &new_import("a.csv"), &batch, &|_| {})
            .await
            .unwrap();
        let hash = service::close(&store, oct(), "admin", at("2026-11-05T00:00:00Z"))
            .await
            .unwrap();

        let done = service::map_alias(
            &store,
            "pbx",
            &agent("8001"),
            c.a1,
            "admin",
            at("2026-11-06T00:00:00Z"),
        )
        .await
        .unwrap();
        assert_eq!(done.released, 1);
        assert_eq!(done.periods_recomputed, vec![nov()]);
        assert_eq!(done.still_held.len(), 1);
        assert_eq!(
            (
                done.still_held[0].record_id.as_str(),
                done.still_held[0].period
            ),
            ("o1", oct())
        );
        assert_eq!(handled(&store, nov(), c.a1).await, 1);
        assert_eq!(
            store.period_info(oct()).await.unwrap().snapshot_hash,
            Some(hash),
            "the closed month is untouched"
        );
        let list = store.unmatched(PageReq::default()).await.unwrap();
        assert_eq!(
            (list.items[0].count, list.items[0].mapped_to.as_deref()),
            (1, Some("A001"))
        );
    }
);

contract_test!(
    an_unknown_agent_in_a_closed_period_is_rejected_not_held,
    |store| async move {
        center(&store).await;
        service::close(&store, oct(), "admin", at("2026-11-05T00:00:00Z"))
            .await
            .unwrap();
        let out = store
            .write_import(
                &new_import("late.csv"),
                &calls(vec![call("o9", "8001", "2026-10-03 09:00:00", "INQ", 100)]),
            )
            .await
            .unwrap();
        assert_eq!((out.held, out.rejects.len()), (0, 1));
        assert!(
            out.rejects[0].reason.contains("closed"),
            "{:?}",
            out.rejects
        );
        assert_eq!(store.held_count().await.unwrap(), 0);
    }
);

contract_test!(
    a_mapped_alias_resolves_a_later_import_directly,
    |store| async move {
        let c = center(&store).await;
        store.add_alias("pbx", &agent("8001"), c.a2).await.unwrap();
        let out = store
            .write_import(&new_import("a.csv"), &calls_of_8001())
            .await
            .unwrap();
        assert_eq!((out.inserted, out.held), (3, 0));
        let mine = store
            .calls_of(c.a2, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert_eq!(mine.total, 2);
        // The alias is per source: the same name from another system is still unknown.
        let other = RecordBatch {
            surveys: vec![(2, survey("s8", "8001", "2026-10-04", 5))],
            ..RecordBatch::default()
        };
        assert_eq!(
            store
                .write_import(&new_import("s.csv"), &other)
                .await
                .unwrap()
                .held,
            1
        );
    }
);

contract_test!(
    a_corrected_file_lands_a_held_record_and_lets_go_of_it,
    |store| async move {
        center(&store).await;
        store
            .write_import(&new_import("a.csv"), &calls_of_8001())
            .await
            .unwrap();
        let fixed = calls(vec![call("x1", "A003", "2026-10-03 09:00:00", "INQ", 100)]);
        let out = store
            .write_import(&new_import("fixed.csv"), &fixed)
            .await
            .unwrap();
        assert_eq!((out.inserted, out.held), (1, 0));
        let held = store.held_records_for("pbx", "8001").await.unwrap();
        assert_eq!(
            held.iter()
                .map(|h| h.record_id.as_str())
                .collect::<Vec<_>>(),
            ["x2"]
        );
    }
);

contract_test!(
    an_employee_created_afterwards_can_take_the_held_records,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &calls_of_8001(), &|_| {})
            .await
            .unwrap();
        let ids = store
            .insert_employees(&[NewEmployee {
                employee_no: no("A009"),
                name: "New Agent".into(),
                position: "agent".into(),
                hire_date: d("2026-10-01"),
            }])
            .await
            .unwrap();
        store
            .add_membership(&jixiao_core::org::Membership {
                employee_id: ids[0],
                team_id: c.t1,
                valid_from: d("2026-10-01"),
                valid_to: None,
            })
            .await
            .unwrap();
        let done = service::map_alias(
            &store,
            "pbx",
            &agent("8001"),
            ids[0],
            "admin",
            at("2026-11-02T00:00:00Z"),
        )
        .await
        .unwrap();
        assert_eq!(done.released, 2);
        assert_eq!(handled(&store, oct(), ids[0]).await, 2);
    }
);

contract_test!(
    an_alias_names_one_employee_and_never_shadows_an_employee_number,
    |store| async move {
        let c = center(&store).await;
        let a = store
            .add_alias(" pbx ", &agent("8001"), c.a1)
            .await
            .unwrap();
        assert_eq!((a.source.as_str(), a.employee_no.as_str()), ("pbx", "A001"));
        assert_eq!(
            store.add_alias("pbx", &agent("8001"), c.a1).await.unwrap(),
            a
        );
        let taken = store.add_alias("pbx", &agent("8001"), c.a2).await;
        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
        let shadow = store.add_alias("pbx", &agent("A002"), c.a1).await;
        assert!(matches!(shadow, Err(StoreError::Conflict(_))), "{shadow:?}");
        assert!(matches!(
            store.add_alias("pbx", &agent("x"), 999_999).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.add_alias("  ", &agent("x"), c.a1).await,
            Err(StoreError::Core(_))
        ));
        store.add_alias("ivr", &agent("Ann"), c.a1).await.unwrap();
        let all = store.aliases(PageReq::default()).await.unwrap();
        assert_eq!(
            all.items
                .iter()
                .map(|a| a.source.as_str())
                .collect::<Vec<_>>(),
            ["ivr", "pbx"]
        );

        let removed = service::remove_alias(&store, a.id, "admin", at("2026-11-02T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(removed.alias, "8001");
        assert_eq!(store.aliases_of(c.a1).await.unwrap().len(), 1);
        assert!(matches!(
            store.delete_alias(a.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            store
                .write_import(&new_import("a.csv"), &calls_of_8001())
                .await
                .unwrap()
                .held,
            2
        );
    }
);
