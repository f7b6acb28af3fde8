use proptest::prelude::*;
use rust_decimal::dec;

use super::*;

fn code(s: &str) -> TypeCode {
    TypeCode::parse(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn std(t: &str, unit: PointUnit, c: Decimal, from: &str) -> PointStandard {
    PointStandard {
        type_code: code(t),
        unit,
        coefficient: c,
        effective_from: day(from),
    }
}

fn book() -> StandardBook {
    StandardBook::new(vec![
        std("INQ", PointUnit::PerInteraction, dec!(1.2), "2026-10-01"),
        std("INQ", PointUnit::PerInteraction, dec!(1), "2026-01-01"),
        std("CMP", PointUnit::PerMinute, dec!(0.5), "2026-01-01"),
        std("LEAD", PointUnit::PerItem, dec!(3), "2026-01-01"),
    ])
    .unwrap()
}

fn tally(t: &str, interactions: u64, handle_secs: u64, items: Decimal) -> DayTally {
    DayTally {
        type_code: code(t),
        interactions,
        handle_secs,
        items,
    }
}

#[test]
fn the_standard_in_force_is_the_latest_effective_on_or_before_the_day() {
    let b = book();
    let c = |d: &str| b.standard_for(&code("INQ"), day(d)).map(|s| s.coefficient);
    assert_eq!(c("2025-12-31"), None);
    assert_eq!(c("2026-01-01"), Some(dec!(1)));
    assert_eq!(c("2026-09-30"), Some(dec!(1)));
    assert_eq!(c("2026-10-01"), Some(dec!(1.2)));
    assert_eq!(b.history(&code("INQ")).len(), 2);
    assert_eq!(
        b.coefficients_on(day("2026-10-15"))[&code("INQ")],
        dec!(1.2)
    );
    assert!(b.standard_for(&code("NONE"), day("2026-10-01")).is_none());
}

#[test]
fn two_versions_of_a_type_on_one_date_are_rejected() {
    let e = StandardBook::new(vec![
        std("INQ", PointUnit::PerInteraction, dec!(1), "2026-10-01"),
        std("INQ", PointUnit::PerMinute, dec!(2), "2026-10-01"),
    ])
    .unwrap_err();
    assert_eq!(e.code(), "point_standard_duplicate");
    assert_eq!(
        e.to_string(),
        "two point standards for INQ take effect on 2026-10-01"
    );
}

#[test]
fn negative_or_too_precise_coefficients_are_rejected() {
    for c in [dec!(-0.1), dec!(1.00001), dec!(2000000)] {
        let e = StandardBook::new(vec![std("INQ", PointUnit::PerItem, c, "2026-10-01")]);
        assert_eq!(e.unwrap_err().code(), "invalid_value", "{c}");
    }
    assert!(StandardBook::new(vec![std("INQ", PointUnit::PerItem, dec!(0), "2026-10-01")]).is_ok());
}

#[test]
fn a_days_points_use_each_types_unit_and_the_standard_of_that_day() {
    let tallies = [
        tally("INQ", 10, 3000, dec!(0)),
        tally("CMP", 1, 125, dec!(0)),
        tally("LEAD", 0, 0, dec!(2.5)),
        tally("INQ", 5, 100, dec!(0)),
    ];
    let sept = points_for_day(&book(), day("2026-09-30"), &tallies).unwrap();
    let lines: Vec<_> = sept
        .lines
        .iter()
        .map(|l| (l.type_code.as_str(), l.quantity, l.points))
        .collect();
    // CMP: 125 s = 2.0833 min × 0.5 = 1.0417 (rounded once, from 62.5 ÷ 60).
    assert_eq!(
        lines,
        [
            ("CMP", dec!(2.0833), dec!(1.0417)),
            ("INQ", dec!(15), dec!(15)),
            ("LEAD", dec!(2.5), dec!(7.5))
        ]
    );
    assert_eq!(sept.total, dec!(23.5417));
    let oct = points_for_day(&book(), day("2026-10-01"), &tallies).unwrap();
    assert_eq!(oct.lines[1].points, dec!(18.0));
    assert_eq!(
        oct.lines[1].standard.as_ref().unwrap().effective_from,
        day("2026-10-01")
    );
}

#[test]
fn a_type_without_a_standard_earns_nothing_and_is_reported() {
    let p = points_for_day(&book(), day("2026-10-01"), &[tally("NEW", 4, 60, dec!(0))]).unwrap();
    assert_eq!(p.total, dec!(0));
    assert_eq!(
        p.missing().map(TypeCode::as_str).collect::<Vec<_>>(),
        ["NEW"]
    );
    let none = points_for_day(&book(), day("2026-10-01"), &[]).unwrap();
    assert!(none.lines.is_empty() && none.total.is_zero());
}

#[test]
fn a_new_standard_does_not_change_a_past_days_points() {
    let tallies = [tally("INQ", 7, 0, dec!(0))];
    let before = points_for_day(&book(), day("2026-11-03"), &tallies).unwrap();
    let mut all: Vec<PointStandard> = book().by_type.into_values().flatten().collect();
    all.push(std("INQ", PointUnit::PerInteraction, dec!(2), "2026-12-01"));
    let later = StandardBook::new(all).unwrap();
    assert_eq!(
        points_for_day(&later, day("2026-11-03"), &tallies).unwrap(),
        before
    );
    assert_eq!(
        points_for_day(&later, day("2026-12-01"), &tallies)
            .unwrap()
            .total,
        dec!(14)
    );
}

proptest! {
    #[test]
    fn splitting_a_days_tallies_does_not_change_its_points(
        parts in prop::collection::vec((0_usize..3, 0_u64..50, 0_u64..5000, 0_i64..1000), 0..20),
    ) {
        let types = ["INQ", "CMP", "LEAD"];
        let split: Vec<DayTally> = parts
            .iter()
            .map(|&(t, n, s, i)| tally(types[t], n, s, Decimal::new(i, 2)))
            .collect();
        let mut whole: BTreeMap<usize, DayTally> = BTreeMap::new();
        for &(t, n, s, i) in &parts {
            let e = whole.entry(t).or_insert_with(|| tally(types[t], 0, 0, dec!(0)));
            e.interactions += n;
            e.handle_secs += s;
            e.items += Decimal::new(i, 2);
        }
        let whole: Vec<DayTally> = whole.into_values().collect();
        let d = day("2026-10-05");
        prop_assert_eq!(points_for_day(&book(), d, &split), points_for_day(&book(), d, &whole));
    }

    #[test]
    fn the_book_does_not_depend_on_the_order_standards_are_given(seed in any::<u64>()) {
        let mut all: Vec<PointStandard> = book().by_type.into_values().flatten().collect();
        if seed % 2 == 1 {
            all.reverse();
        }
        let n = all.len();
        all.rotate_left((seed as usize / 2) % n);
        prop_assert_eq!(StandardBook::new(all).unwrap(), book());
    }
}
