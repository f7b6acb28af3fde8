use crate::fixtures::*;
use jixiao_core::period::PeriodStatus;
use jixiao_store::{Backend, CardFilter, PageReq, StoreError, contract_test, service, testing};

contract_test!(closing_twice_is_period_closed, |store| async move {
    center(&store).await;
    service::import(&store, &new_import("a.csv"), &october(), &|_| {})
        .await
        .unwrap();
    let hash = service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
        .await
        .unwrap();
    let info = store.period_info(oct()).await.unwrap();
    assert_eq!(info.status, PeriodStatus::Closed);
    assert_eq!(info.snapshot_hash.as_deref(), Some(hash.as_str()));
    assert_eq!(info.closed_by.as_deref(), Some("boss"));
    assert_eq!(info.closed_at, Some(at("2026-11-02T09:00:00Z")));
    let again = service::close(&store, oct(), "boss", at("2026-11-02T09:01:00Z")).await;
    assert!(matches!(again, Err(StoreError::PeriodClosed(p)) if p == oct()));
    // The store refuses too, even when handed cards directly.
    let direct = store
        .close_period(oct(), &[], "x", "boss", at("2026-11-02T09:02:00Z"))
        .await;
    assert!(matches!(direct, Err(StoreError::PeriodClosed(_))));
    assert!(matches!(
        store.save_scorecards(oct(), &[]).await,
        Err(StoreError::PeriodClosed(_))
    ));
    assert!(matches!(
        service::recompute(&store, oct()).await,
        Err(StoreError::PeriodClosed(_))
    ));
    let log = store.audit_log(PageReq::default()).await.unwrap();
    assert_eq!(log.items[0].kind, "period.close");
    assert_eq!(log.items[0].subject, "2026-10");
    assert_eq!(log.items[0].detail["snapshot_hash"], hash.as_str());
});

contract_test!(
    rows_in_a_closed_period_are_rejected_and_its_snapshot_stays,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let hash = service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();

        let mut changed = october().calls[0].1.clone();
        changed.talk_secs = 999;
        // c2 moved into November: the stored October row must not be modified either.
        let mut moved = october().calls[1].1.clone();
        moved.started_at = "2026-11-03T09:00:00".parse().unwrap();
        let batch = calls(vec![
            changed,
            call("new-oct", "A001", "2026-10-30 09:00:00", "INQ", 50),
            call("nov-1", "A001", "2026-11-02 09:00:00", "INQ", 50),
            moved,
        ]);
        let out = service::import(&store, &new_import("late.csv"), &batch, &|_| {})
            .await
            .unwrap();
        assert_eq!(out.rejects.len(), 2, "{:?}", out.rejects);
        assert_eq!(out.rejects[0].row, 2);
        assert_eq!(out.rejects[0].column, "started_at");
        assert_eq!(out.rejects[0].value, "2026-10-01 09:00:00");
        assert_eq!(
            out.rejects[0].reason,
            "period 2026-10 is closed; send a correction as an adjustment"
        );
        assert_eq!(out.inserted, 1);
        assert_eq!(out.periods_touched, vec!["2026-11".parse().unwrap()]);

        assert_eq!(
            store
                .scorecards(oct(), &CardFilter::default())
                .await
                .unwrap(),
            cards
        );
        let info = store.period_info(oct()).await.unwrap();
        assert_eq!(info.snapshot_hash, Some(hash.clone()));
        assert_eq!(
            service::compute(&store, oct()).await.unwrap().len(),
            cards.len()
        );
        assert_eq!(
            jixiao_core::scorecard::snapshot_hash(&service::compute(&store, oct()).await.unwrap()),
            hash,
            "the closed period's records did not change"
        );
        let oct_calls = store
            .calls_of(c.a1, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert!(oct_calls.items.iter().any(|r| r.record_id == "c2"));
    }
);

contract_test!(periods_are_listed_newest_first, |store| async move {
    center(&store).await;
    store
        .write_import(&new_import("a.csv"), &october())
        .await
        .unwrap();
    let nov = calls(vec![call("n1", "A001", "2026-11-02 09:00:00", "INQ", 50)]);
    store
        .write_import(&new_import("b.csv"), &nov)
        .await
        .unwrap();
    service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
        .await
        .unwrap();
    let periods = store.periods().await.unwrap();
    let listed: Vec<(String, PeriodStatus)> = periods
        .iter()
        .map(|p| (p.period.to_string(), p.status))
        .collect();
    assert_eq!(
        listed,
        [
            ("2026-11".to_string(), PeriodStatus::Open),
            ("2026-10".to_string(), PeriodStatus::Closed)
        ]
    );
    let never = store.period_info("2020-01".parse().unwrap()).await.unwrap();
    assert_eq!(
        (never.status, never.snapshot_hash),
        (PeriodStatus::Open, None)
    );
});

contract_test!(
    scorecards_can_be_filtered_by_team_employee_and_department,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let all = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 4, "A002 has one card per team");
        let t2 = CardFilter {
            team_ids: Some(vec![c.t2]),
            ..CardFilter::default()
        };
        let in_t2 = store.scorecards(oct(), &t2).await.unwrap();
        assert!(in_t2.iter().all(|k| k.team_id == c.t2) && in_t2.len() == 2);
        let none = CardFilter {
            team_ids: Some(vec![]),
            ..CardFilter::default()
        };
        assert!(store.scorecards(oct(), &none).await.unwrap().is_empty());
        let a2 = CardFilter {
            employee_id: Some(c.a2),
            department_id: Some(c.dept),
            ..CardFilter::default()
        };
        assert_eq!(store.scorecards(oct(), &a2).await.unwrap().len(), 2);
        let other = CardFilter {
            department_id: Some(c.dept + 100),
            ..CardFilter::default()
        };
        assert!(store.scorecards(oct(), &other).await.unwrap().is_empty());
        // Ordered by team, then rank.
        let ranks: Vec<(i64, Option<u32>)> =
            all.iter().map(|k| (k.team_id, k.rank_in_team)).collect();
        let mut sorted = ranks.clone();
        sorted.sort_by_key(|&(t, r)| (t, r.is_none(), r));
        assert_eq!(ranks, sorted);
    }
);

/// Not a contract test: it needs both backends at once.
#[tokio::test]
async fn sqlite_and_postgres_compute_the_identical_snapshot_hash() {
    let Some(pg) = testing::fresh_store(Backend::Postgres).await else {
        return;
    };
    let lite = testing::fresh_store(Backend::Sqlite).await.unwrap();
    let mut hashes = Vec::new();
    for store in [&lite, &pg] {
        center(store).await;
        service::import(store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        hashes.push(
            service::close(store, oct(), "boss", at("2026-11-02T09:00:00Z"))
                .await
                .unwrap(),
        );
    }
    assert_eq!(hashes[0], hashes[1]);
    let cards = |s: &jixiao_store::Store| {
        let s = s.clone();
        async move { s.scorecards(oct(), &CardFilter::default()).await.unwrap() }
    };
    assert_eq!(cards(&lite).await, cards(&pg).await);
    testing::dispose(pg).await;
}
