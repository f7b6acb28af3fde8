//! Property tests: parsing and evaluating never panic, evaluation is deterministic, and a
//! formula over merged totals equals the formula over the union of the records.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::kpi::library::STANDARD_KPIS;

const COUNTS: [&str; 6] = [
    "offered",
    "answered",
    "handled",
    "abandoned",
    "surveys",
    "inquiries",
];

fn formula_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(COUNTS.to_vec()).prop_map(str::to_string),
        (0_u32..1000, 0_u32..100).prop_map(|(a, b)| format!("{a}.{b}")),
    ];
    leaf.prop_recursive(6, 64, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (
                prop::sample::select(vec!["min", "max", "if_zero"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            (inner, 0_u32..=10).prop_map(|(a, dp)| format!("round({a}, {dp})")),
        ]
    })
}

fn big_or_small() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0_i64..1000).prop_map(Decimal::from),
        Just(Decimal::ZERO),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        any::<i64>().prop_map(|n| Decimal::new(n, 3)),
    ]
}

/// One record: a handful of measures with small counts and times.
fn record() -> impl Strategy<Value = Vec<(String, i64)>> {
    let names: Vec<String> = MeasureCatalog::standard()
        .iter()
        .map(|m| m.name.clone())
        .collect();
    prop::collection::vec((prop::sample::select(names), 0_i64..2000), 0..8)
}

fn totals_of(records: &[Vec<(String, i64)>]) -> MeasureTotals {
    let mut t = MeasureTotals::new();
    for r in records {
        for (name, v) in r {
            t.add(name, Decimal::from(*v)).unwrap();
        }
    }
    t
}

proptest! {
    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = Formula::parse(&text, &MeasureCatalog::standard());
    }

    #[test]
    fn evaluating_any_formula_never_panics_and_is_deterministic(
        text in formula_text(),
        values in prop::collection::vec(big_or_small(), COUNTS.len()),
        policy in prop::sample::select(vec![DivZero::NoData, DivZero::Zero, DivZero::Error]),
    ) {
        let f = Formula::parse(&text, &MeasureCatalog::standard()).unwrap().with_div_zero(policy);
        let t = MeasureTotals::from_pairs(COUNTS.iter().copied().zip(values)).unwrap();
        let first = f.evaluate(&t);
        prop_assert_eq!(first, f.evaluate(&t));
    }

    #[test]
    fn every_library_kpi_over_merged_parts_equals_it_over_the_union(
        records in prop::collection::vec(record(), 0..40),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
    ) {
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(records.len() + 1)).collect();
        bounds.extend([0, records.len()]);
        bounds.sort_unstable();
        let mut merged = MeasureTotals::new();
        for w in bounds.windows(2) {
            merged.merge(&totals_of(&records[w[0]..w[1]])).unwrap();
        }
        let union = totals_of(&records);
        prop_assert_eq!(&merged, &union);
        let cat = MeasureCatalog::standard();
        for k in STANDARD_KPIS {
            let f = k.definition().compile(&cat).unwrap();
            prop_assert_eq!(f.evaluate(&merged), f.evaluate(&union), "{}", k.code);
        }
    }
}

#[test]
fn an_empty_record_set_gives_no_data_for_every_ratio_and_zero_for_every_count() {
    let cat = MeasureCatalog::standard();
    for k in STANDARD_KPIS {
        let f = k.definition().compile(&cat).unwrap();
        let v = f.evaluate(&MeasureTotals::new()).unwrap();
        let expected = (!k.formula.contains('/')).then_some(Decimal::ZERO);
        assert_eq!(v, expected, "{}", k.code);
    }
}
