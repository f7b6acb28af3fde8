//! Competitions: stored with their entrants, audited, validated; standings from stored cards.

use crate::fixtures::*;
use jixiao_store::{Competition, EntrantKind, PageReq, contract_test, service};

fn comp(metric: &str, kind: EntrantKind, entrants: Vec<i64>) -> Competition {
    Competition {
        id: 0,
        name: "October sprint".into(),
        metric: metric.into(),
        first_period: oct(),
        last_period: oct(),
        entrant_kind: kind,
        entrants,
        higher_is_better: true,
        prize: "A team dinner".into(),
        created_by: "boss".into(),
        created_at: at("2026-10-01T08:00:00Z"),
    }
}

contract_test!(
    a_competition_is_stored_audited_and_ranked_from_the_stored_cards,
    |store| async move {
        let c = center(&store).await;
        store
            .write_import(&new_import("oct.csv"), &october())
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        let id = store
            .create_competition(&comp("points", EntrantKind::Agent, vec![c.a2, c.a1, c.a1]))
            .await
            .unwrap();
        let stored = store.competition(id).await.unwrap();
        assert_eq!(stored.entrants, [c.a1.min(c.a2), c.a1.max(c.a2)]);
        assert_eq!(stored.prize, "A team dinner");
        let rows = service::competition_standings(&store, &stored)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].rank, Some(1));
        assert!(rows[0].value >= rows[1].value);
        assert!(!rows[0].label.is_empty());

        let aht = store
            .create_competition(&comp("aht", EntrantKind::Team, vec![c.t1, c.t2]))
            .await
            .unwrap();
        let mut aht = store.competition(aht).await.unwrap();
        aht.higher_is_better = false;
        let rows = service::competition_standings(&store, &aht).await.unwrap();
        assert!(rows.iter().all(|r| r.cards > 0));
        assert_eq!(store.competitions().await.unwrap().len(), 2);
        let log = store.audit_log(PageReq::default()).await.unwrap().items;
        assert_eq!(
            log.iter()
                .filter(|e| e.kind == "competition.create")
                .count(),
            2
        );
    }
);

contract_test!(
    a_competition_without_entrants_name_or_known_metric_is_refused,
    |store| async move {
        let c = center(&store).await;
        let codes = |v: Competition| {
            let store = store.clone();
            async move { store.create_competition(&v).await.unwrap_err().code() }
        };
        assert_eq!(
            codes(comp("points", EntrantKind::Team, vec![])).await,
            "invalid_value"
        );
        assert_eq!(
            codes(comp("bogus", EntrantKind::Team, vec![c.t1])).await,
            "invalid_value"
        );
        let mut blank = comp("points", EntrantKind::Team, vec![c.t1]);
        blank.name = "  ".into();
        assert_eq!(codes(blank).await, "invalid_value");
        let mut backwards = comp("points", EntrantKind::Team, vec![c.t1]);
        backwards.first_period = "2026-11".parse().unwrap();
        assert_eq!(codes(backwards).await, "invalid_value");
        assert!(store.competitions().await.unwrap().is_empty());
    }
);

contract_test!(
    standings_read_from_summed_columns_equal_standings_over_the_whole_cards,
    |store| async move {
        let c = center(&store).await;
        store
            .write_import(&new_import("oct.csv"), &october())
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        let cards = store
            .scorecards(oct(), &jixiao_store::CardFilter::default())
            .await
            .unwrap();
        for metric in ["points", "total", "aht"] {
            for (kind, entrants) in [
                (EntrantKind::Team, vec![c.t1, c.t2]),
                (EntrantKind::Agent, vec![c.a1, c.a2, c.a3]),
            ] {
                let def = comp(metric, kind, entrants);
                let fast = service::competition_standings(&store, &def).await.unwrap();
                let whole = service::standings(&def, &cards, &Default::default());
                let strip = |rows: Vec<service::Standing>| -> Vec<_> {
                    rows.into_iter()
                        .map(|r| (r.entrant_id, r.rank, r.value, r.cards))
                        .collect()
                };
                assert_eq!(strip(fast), strip(whole), "{metric} {kind:?}");
            }
        }
    }
);
