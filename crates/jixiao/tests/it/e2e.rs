//! Demo data → close a month → read the .xlsx back and check it against the scorecards.

use calamine::{Data, Reader, Xlsx};
use jixiao::cmd;
use jixiao_core::Period;
use jixiao_core::kpi::KpiCode;
use jixiao_import::demo::DemoParams;
use jixiao_import::export::{Lang, scorecard_workbook};
use jixiao_store::{CardFilter, Store, contract_test, service};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn months() -> Vec<Period> {
    vec!["2026-08".parse().unwrap(), "2026-09".parse().unwrap()]
}

async fn small_demo(store: &Store) {
    let params = DemoParams {
        seed: 11,
        months: months(),
        agents: 40,
        ..DemoParams::default()
    };
    cmd::demo::load(store, &params, false)
        .await
        .expect("demo loads");
}

fn num(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn close_to(cell: &Data, want: Option<Decimal>) -> bool {
    match (num(cell), want) {
        (None, None) => true,
        (Some(got), Some(w)) => (got - w.to_f64().unwrap()).abs() < 1e-9,
        _ => false,
    }
}

contract_test!(
    the_exported_workbook_of_a_closed_month_equals_its_scorecards,
    |store| async move {
        small_demo(&store).await;
        let period = months()[1];
        let hash = service::close(&store, period, "test", chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(hash.len(), 64);

        let rows = cmd::export::rows(&store, period).await.unwrap();
        let cards = store
            .scorecards(period, &CardFilter::default())
            .await
            .unwrap();
        assert!(
            cards.len() >= 40,
            "every agent has a scorecard, got {}",
            cards.len()
        );
        let bytes = scorecard_workbook(&rows, Lang::En).unwrap();

        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&sheet).unwrap();
        let table: Vec<&[Data]> = range.rows().collect();
        let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.starts_with(name))
                .unwrap_or_else(|| panic!("{name} in {header:?}"))
        };
        assert_eq!(table.len() - 1, cards.len(), "one row per scorecard");
        for (row, card) in table[1..].iter().zip(&cards) {
            assert_eq!(row[col("Employee")].to_string(), card.employee_no);
            assert!(close_to(
                &row[col("Handled")],
                Some(Decimal::from(card.handled))
            ));
            assert!(close_to(&row[col("Points")], Some(card.points)));
            let kpi = |k: KpiCode| {
                card.kpis
                    .iter()
                    .find(|r| r.kpi == k)
                    .and_then(|r| r.value.value)
            };
            assert!(
                close_to(&row[col("AHT")], kpi(KpiCode::Aht)),
                "{}",
                card.employee_no
            );
            assert!(
                close_to(&row[col("CSAT")], kpi(KpiCode::Csat)),
                "{}",
                card.employee_no
            );
            assert!(
                close_to(&row[col("QA")], kpi(KpiCode::Qa)),
                "{}",
                card.employee_no
            );
            assert!(close_to(&row[col("Total")], card.total));
            assert_eq!(
                row[col("Grade")].to_string(),
                card.grade.clone().unwrap_or_default()
            );
            assert!(close_to(
                &row[col("Rank")],
                card.rank_in_team.map(Decimal::from)
            ));
            assert!(close_to(&row[col("Variable pay")], Some(card.variable_pay)));
        }

        // A closed month no longer changes: recomputing it is refused and its cards stay put.
        assert!(service::recompute(&store, period).await.is_err());
        assert_eq!(
            store
                .scorecards(period, &CardFilter::default())
                .await
                .unwrap(),
            cards
        );
    }
);

contract_test!(
    recomputing_an_open_month_from_the_same_records_gives_the_same_scorecards,
    |store| async move {
        small_demo(&store).await;
        let period = months()[1];
        let before = store
            .scorecards(period, &CardFilter::default())
            .await
            .unwrap();
        let again = service::recompute(&store, period).await.unwrap();
        assert_eq!(
            jixiao_core::scorecard::snapshot_hash(&before),
            jixiao_core::scorecard::snapshot_hash(&again)
        );
    }
);

contract_test!(
    the_demo_closes_its_oldest_month_and_leaves_the_others_open,
    |store| async move {
        small_demo(&store).await;
        let periods = store.periods().await.unwrap();
        let status = |p: Period| {
            periods
                .iter()
                .find(|i| i.period == p)
                .map(|i| i.status.as_str())
        };
        assert_eq!(status(months()[0]), Some("closed"));
        // Imported and recomputed, not closed: the lifecycle's "computed".
        assert_eq!(status(months()[1]), Some("computed"));
        // Each month has a center target of handled interactions, split down to every agent,
        // so the overview shows target tiles and leaders their unit's attainment.
        for p in months() {
            let targets = store.targets(p).await.unwrap();
            assert_eq!(targets.len(), 1, "{p}");
            assert_eq!(targets[0].plan.measure, "handled");
            let cards = store.scorecards(p, &Default::default()).await.unwrap();
            let handled: u64 = cards.iter().map(|c| c.handled).sum();
            let whole = targets[0].plan.whole;
            assert!(
                whole > rust_decimal::Decimal::from(handled),
                "{p}: target {whole} above the {handled} handled"
            );
            let agents = targets[0]
                .allocations
                .iter()
                .filter(|a| a.unit.starts_with("agent:"))
                .count();
            assert!(agents >= cards.len() / 2, "{p}: {agents} agent shares");
        }
    }
);
