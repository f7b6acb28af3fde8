use crate::fixtures::*;
use jixiao_core::record::Reject;
use jixiao_store::{PageReq, RecordBatch, contract_test, service};
use rust_decimal::dec;

contract_test!(
    importing_the_same_batch_twice_changes_nothing,
    |store| async move {
        center(&store).await;
        let batch = october();
        let first = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert_eq!(
            (first.inserted, first.replaced, first.unchanged),
            (13, 0, 0)
        );
        assert_eq!(first.periods_touched, vec![oct()]);
        assert!(first.rejects.is_empty(), "{:?}", first.rejects);
        let second = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert_eq!(
            (second.inserted, second.replaced, second.unchanged),
            (0, 0, 13)
        );
        assert!(second.periods_touched.is_empty());
        assert_ne!(first.import_id, second.import_id);
    }
);

contract_test!(records_read_back_as_they_were_written, |store| async move {
    let c = center(&store).await;
    let batch = october();
    store
        .write_import(&new_import("a.csv"), &batch)
        .await
        .unwrap();
    let calls = store
        .calls_of(c.a1, None, oct(), PageReq::default())
        .await
        .unwrap();
    let mine: Vec<_> = batch
        .calls
        .iter()
        .map(|(_, r)| r.clone())
        .filter(|r| r.employee_no.as_ref().map(|n| n.as_str()) == Some("A001"))
        .collect();
    assert_eq!(calls.items, mine);
    let surveys = store
        .surveys_of(c.a1, None, oct(), PageReq::default())
        .await
        .unwrap();
    assert_eq!(
        surveys.items,
        vec![batch.surveys[0].1.clone(), batch.surveys[1].1.clone()]
    );
    let reviews = store
        .qa_of(c.a2, None, oct(), PageReq::default())
        .await
        .unwrap();
    assert_eq!(reviews.items, vec![batch.qa[2].1.clone()]);
    assert_eq!(reviews.items[0].score, dec!(87.25));
    // While in team 2, A002 handled only the call of the 20th.
    let in_t2 = store
        .calls_of(c.a2, Some(c.t2), oct(), PageReq::default())
        .await
        .unwrap();
    assert_eq!(in_t2.items.len(), 1);
    assert_eq!(in_t2.items[0].record_id, "c4");
});

contract_test!(
    the_same_key_with_different_content_replaces_and_recomputes,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let card = |cards: &[jixiao_core::scorecard::Scorecard]| {
            cards
                .iter()
                .find(|k| k.employee_id == c.a1)
                .cloned()
                .unwrap()
        };
        let before = card(&store.scorecards(oct(), &Default::default()).await.unwrap());
        let mut changed = october();
        changed.calls[0].1.talk_secs = 1000;
        let out = service::import(&store, &new_import("b.csv"), &changed, &|_| {})
            .await
            .unwrap();
        assert_eq!((out.inserted, out.replaced, out.unchanged), (0, 1, 12));
        assert_eq!(out.periods_touched, vec![oct()]);
        let after = card(&store.scorecards(oct(), &Default::default()).await.unwrap());
        assert_ne!(
            before.kpis[1].value, after.kpis[1].value,
            "AHT follows the new talk time"
        );
        let log = store.audit_log(PageReq::default()).await.unwrap();
        // Two imports and the first one's open → computed transition.
        assert_eq!(log.total, 3);
        assert_eq!(log.items[0].kind, "import");
        assert_eq!(log.items[0].detail["replaced"], 1);
    }
);

contract_test!(
    unknown_types_are_rejects_and_unknown_agents_are_held_not_errors,
    |store| async move {
        center(&store).await;
        let parse_reject = Reject {
            row: 9,
            column: "talk_secs".into(),
            value: "x".into(),
            reason: "not a number".into(),
        };
        let batch = RecordBatch {
            rejects: vec![parse_reject.clone()],
            ..calls(vec![
                call("k1", "A001", "2026-10-01 09:00:00", "INQ", 100),
                call("k2", "Z999", "2026-10-01 09:00:00", "INQ", 100),
                call("k3", "A001", "2026-10-01 09:00:00", "NOPE", 100),
            ])
        };
        let out = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert_eq!((out.inserted, out.held), (1, 1));
        let expected = vec![
            Reject {
                row: 4,
                column: "business_type".into(),
                value: "NOPE".into(),
                reason: "unknown business type".into(),
            },
            parse_reject,
        ];
        assert_eq!(out.rejects, expected);
        assert_eq!(store.import_rejects(out.import_id).await.unwrap(), expected);
        let listed = store.imports(PageReq::default()).await.unwrap();
        assert_eq!(listed.total, 1);
        let s = &listed.items[0];
        assert_eq!(
            (s.inserted, s.replaced, s.unchanged, s.rejected, s.held),
            (1, 0, 0, 2, 1)
        );
        assert_eq!((s.file_name.as_str(), s.file_size), ("a.csv", 1234));
        assert_eq!(s.imported_at, at("2026-11-01T08:00:00Z"));
    }
);

contract_test!(
    a_key_repeated_in_one_batch_keeps_the_later_row,
    |store| async move {
        let c = center(&store).await;
        let batch = calls(vec![
            call("k1", "A001", "2026-10-01 09:00:00", "INQ", 100),
            call("k1", "A001", "2026-10-01 09:00:00", "INQ", 222),
        ]);
        let out = store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        assert_eq!(out.inserted, 1);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].row, 2);
        let page = store
            .calls_of(c.a1, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert_eq!(page.items[0].talk_secs, 222);
    }
);

contract_test!(pages_report_the_total_across_pages, |store| async move {
    let c = center(&store).await;
    let batch = calls(
        (0..120)
            .map(|i| {
                call(
                    &format!("p{i:03}"),
                    "A001",
                    &format!("2026-10-{:02} 09:{:02}:00", i % 28 + 1, i % 60),
                    "INQ",
                    60,
                )
            })
            .collect(),
    );
    store
        .write_import(&new_import("a.csv"), &batch)
        .await
        .unwrap();
    let page = |n| PageReq {
        page: n,
        per_page: 50,
    };
    let p2 = store.calls_of(c.a1, None, oct(), page(2)).await.unwrap();
    assert_eq!(
        (p2.items.len(), p2.total, p2.page, p2.per_page),
        (50, 120, 2, 50)
    );
    let p3 = store.calls_of(c.a1, None, oct(), page(3)).await.unwrap();
    assert_eq!(p3.items.len(), 20);
    let all: Vec<_> = [page(1), page(2), page(3)]
        .into_iter()
        .map(|p| {
            let store = store.clone();
            async move { store.calls_of(c.a1, None, oct(), p).await.unwrap().items }
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for f in all {
        for r in f.await {
            assert!(seen.insert(r.record_id), "no row on two pages");
        }
    }
    assert_eq!(seen.len(), 120);
    let capped = store
        .calls_of(
            c.a1,
            None,
            oct(),
            PageReq {
                page: 1,
                per_page: 10_000,
            },
        )
        .await
        .unwrap();
    assert_eq!(capped.per_page, 500);
});

contract_test!(
    concurrent_imports_each_count_only_their_own_new_rows,
    |store| async move {
        center(&store).await;
        // Two batches of new calls in different months, so neither waits for the other's
        // period lock; on PostgreSQL they may interleave between each other's statements.
        let batch = |month: &str, n: usize| {
            calls(
                (0..n)
                    .map(|i| {
                        call(
                            &format!("{month}-{i}"),
                            "A001",
                            &format!("2026-{month}-05 10:00:00"),
                            "INQ",
                            60,
                        )
                    })
                    .collect(),
            )
        };
        let (sep, nov) = (batch("09", 300), batch("11", 500));
        for _ in 0..3 {
            let (sep_file, nov_file) = (new_import("sep.csv"), new_import("nov.csv"));
            let (a, b) = tokio::join!(
                store.write_import(&sep_file, &sep),
                store.write_import(&nov_file, &nov)
            );
            let (a, b) = (a.unwrap(), b.unwrap());
            // The first round inserts; later rounds find everything unchanged.
            assert!(
                matches!((a.inserted, a.unchanged), (300, 0) | (0, 300)),
                "{a:?}"
            );
            assert!(
                matches!((b.inserted, b.unchanged), (500, 0) | (0, 500)),
                "{b:?}"
            );
            assert_eq!((a.replaced, b.replaced), (0, 0));
        }
    }
);

contract_test!(
    each_import_lists_exactly_the_records_it_replaced,
    |store| async move {
        center(&store).await;
        let first = service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        assert!(
            store
                .replaced_records(first.import_id)
                .await
                .unwrap()
                .is_empty()
        );
        let mut changed = october();
        changed.calls[0].1.talk_secs = 1000;
        let (source, id) = (
            changed.calls[0].1.source.clone(),
            changed.calls[0].1.record_id.clone(),
        );
        let second = service::import(&store, &new_import("b.csv"), &changed, &|_| {})
            .await
            .unwrap();
        let want = vec![jixiao_store::ReplacedRecord {
            kind: "calls".into(),
            source,
            record_id: id,
            previous_import_id: first.import_id,
        }];
        assert_eq!(
            store.replaced_records(second.import_id).await.unwrap(),
            want
        );
        // Sending the changed file again changes nothing, and its import replaced nothing;
        // the second import's log stays as it was.
        let third = service::import(&store, &new_import("c.csv"), &changed, &|_| {})
            .await
            .unwrap();
        assert_eq!(third.replaced, 0);
        assert!(
            store
                .replaced_records(third.import_id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.replaced_records(second.import_id).await.unwrap(),
            want
        );
    }
);

contract_test!(
    a_qa_reviews_interaction_form_and_item_scores_read_back_and_a_changed_item_replaces_it,
    |store| async move {
        let c = center(&store).await;
        let mut review = qa("d1", "A002", "2026-10-09", dec!(88.5), false);
        review.interaction_id = Some("pbx:c4".into());
        review.form = Some("语音质检表 v2".into());
        review.items = jixiao_core::record::QaItem::parse_list("greeting=10;empathy=8.50").unwrap();
        let batch = RecordBatch {
            qa: vec![(2, review.clone())],
            ..RecordBatch::default()
        };
        let first = store
            .write_import(&new_import("qa.csv"), &batch)
            .await
            .unwrap();
        assert_eq!(first.inserted, 1);
        let read = store
            .qa_of(c.a2, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert_eq!(
            read.items,
            vec![review.clone()],
            "exactly as written, 8.50 included"
        );

        let again = store
            .write_import(&new_import("qa.csv"), &batch)
            .await
            .unwrap();
        assert_eq!((again.inserted, again.replaced, again.unchanged), (0, 0, 1));

        review.items[1].score = dec!(9);
        let changed = RecordBatch {
            qa: vec![(2, review.clone())],
            ..RecordBatch::default()
        };
        let out = store
            .write_import(&new_import("qa2.csv"), &changed)
            .await
            .unwrap();
        assert_eq!((out.inserted, out.replaced), (0, 1));
        let read = store
            .qa_of(c.a2, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert_eq!(read.items, vec![review]);
    }
);
