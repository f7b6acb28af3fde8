use proptest::prelude::*;
use rust_decimal::dec;

use super::*;

fn leaf(unit: &str, headcount: u32, history: Decimal, explicit: Option<Decimal>) -> TargetNode {
    TargetNode {
        unit: unit.into(),
        headcount,
        history,
        explicit,
        split: SplitMethod::Explicit,
        parts: vec![],
    }
}

fn node(unit: &str, split: SplitMethod, parts: Vec<TargetNode>) -> TargetNode {
    TargetNode {
        unit: unit.into(),
        headcount: 0,
        history: Decimal::ZERO,
        explicit: None,
        split,
        parts,
    }
}

fn targets(a: &[Allocation]) -> Vec<(&str, Decimal)> {
    a.iter().map(|x| (x.unit.as_str(), x.target)).collect()
}

#[test]
fn a_headcount_split_gives_leftover_units_to_the_largest_remainders() {
    // 100 over 3, 3, 1 agents: quotas 42.857…, 42.857…, 14.285… → 42.86, 42.86, 14.28.
    let shares =
        split_proportionally("center", dec!(100), &[dec!(3), dec!(3), dec!(1)], 2).unwrap();
    assert_eq!(shares, [dec!(42.86), dec!(42.86), dec!(14.28)]);
    // Equal remainders go to the earlier part.
    let shares = split_proportionally("team", dec!(10), &[dec!(1), dec!(1), dec!(1)], 0).unwrap();
    assert_eq!(shares, [dec!(4), dec!(3), dec!(3)]);
}

#[test]
fn a_center_target_decomposes_to_departments_teams_and_agents() {
    let team_a = node(
        "team A",
        SplitMethod::History,
        vec![
            leaf("a1", 1, dec!(300), None),
            leaf("a2", 1, dec!(100), None),
        ],
    );
    let team_b = node(
        "team B",
        SplitMethod::Headcount,
        vec![leaf("b1", 1, dec!(0), None)],
    );
    let dept = node("sales", SplitMethod::Headcount, vec![team_a, team_b]);
    let mut service = leaf("service", 4, dec!(0), Some(dec!(4000)));
    service.split = SplitMethod::Headcount;
    let mut sales = dept;
    sales.explicit = Some(dec!(6000));
    let center = node("center", SplitMethod::Explicit, vec![sales, service]);
    let a = decompose(&center, dec!(10000), 0).unwrap();
    assert_eq!(
        targets(&a),
        [
            ("center", dec!(10000)),
            ("sales", dec!(6000)),
            ("team A", dec!(4000)),
            ("a1", dec!(3000)),
            ("a2", dec!(1000)),
            ("team B", dec!(2000)),
            ("b1", dec!(2000)),
            ("service", dec!(4000)),
        ]
    );
    assert_eq!((a[3].parent.as_deref(), a[3].depth), (Some("team A"), 3));
}

#[test]
fn explicit_targets_that_do_not_add_up_name_the_unit_and_the_difference() {
    let center = node(
        "center",
        SplitMethod::Explicit,
        vec![
            leaf("sales", 0, dec!(0), Some(dec!(600))),
            leaf("service", 0, dec!(0), Some(dec!(350))),
        ],
    );
    let e = decompose(&center, dec!(1000), 0).unwrap_err();
    assert_eq!(
        e,
        CoreError::TargetsDoNotAddUp {
            unit: "center".into(),
            whole: dec!(1000),
            total: dec!(950),
            difference: dec!(-50)
        }
    );
    assert_eq!(e.code(), "targets_do_not_add_up");
    assert_eq!(
        e.to_string(),
        "the targets under center total 950, -50 away from its target 1000"
    );
    let missing = node(
        "c",
        SplitMethod::Explicit,
        vec![leaf("x", 0, dec!(0), None)],
    );
    assert_eq!(
        decompose(&missing, dec!(1), 0).unwrap_err().code(),
        "invalid_value"
    );
}

#[test]
fn a_split_with_nothing_to_split_by_or_a_bad_target_is_rejected() {
    let e = |w: Decimal, weights: &[Decimal], dp| {
        split_proportionally("u", w, weights, dp).unwrap_err()
    };
    assert_eq!(e(dec!(10), &[dec!(0), dec!(0)], 0).code(), "invalid_value");
    assert_eq!(e(dec!(10), &[], 0).code(), "invalid_value");
    assert_eq!(e(dec!(-10), &[dec!(1)], 0).code(), "invalid_value");
    assert_eq!(e(dec!(10.5), &[dec!(1)], 0).code(), "invalid_value");
    assert_eq!(e(dec!(10), &[dec!(-1), dec!(2)], 0).code(), "invalid_value");
    assert_eq!(
        e(Decimal::MAX, &[Decimal::MAX, dec!(1)], 2).code(),
        "invalid_value"
    );
}

#[test]
fn a_single_part_takes_the_whole_and_zero_splits_to_zeros() {
    assert_eq!(
        split_proportionally("u", dec!(7.25), &[dec!(3)], 2).unwrap(),
        [dec!(7.25)]
    );
    assert_eq!(
        split_proportionally("u", dec!(0), &[dec!(1), dec!(2)], 2).unwrap(),
        [dec!(0), dec!(0)]
    );
}

#[test]
fn attainment_is_actual_over_target_and_no_data_for_a_zero_target() {
    assert_eq!(attainment(dec!(450), dec!(600)), Some(dec!(75)));
    assert_eq!(attainment(dec!(2), dec!(3)), Some(dec!(66.67)));
    assert_eq!(attainment(dec!(5), dec!(0)), None);
}

proptest! {
    #[test]
    fn proportional_shares_add_up_exactly_and_stay_within_a_unit_of_their_quota(
        whole in 0_i64..10_000_000,
        weights in prop::collection::vec(0_i64..100_000, 1..12),
        dp in 0_u32..4,
        wdp in 0_u32..3,
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let whole = Decimal::new(whole, dp);
        let w: Vec<Decimal> = weights.iter().map(|x| Decimal::new(*x, wdp)).collect();
        let shares = split_proportionally("u", whole, &w, dp).unwrap();
        prop_assert_eq!(shares.iter().copied().sum::<Decimal>(), whole);
        let total: Decimal = w.iter().copied().sum();
        let unit = Decimal::new(1, dp);
        for (s, x) in shares.iter().zip(&w) {
            let quota = whole * *x / total;
            prop_assert!((*s - quota).abs() < unit, "{} vs {}", s, quota);
            prop_assert!(s.scale() == dp);
        }
        prop_assert_eq!(split_proportionally("u", whole, &w, dp).unwrap(), shares);
    }

    #[test]
    fn every_level_of_a_decomposition_adds_up_to_its_parent(
        teams in prop::collection::vec(prop::collection::vec(1_u32..5, 1..6), 1..5),
        whole in 0_i64..1_000_000,
    ) {
        let dept = node(
            "dept",
            SplitMethod::Headcount,
            teams
                .iter()
                .enumerate()
                .map(|(t, agents)| {
                    let parts = agents.iter().enumerate()
                        .map(|(a, h)| leaf(&format!("t{t}a{a}"), *h, Decimal::ZERO, None))
                        .collect();
                    node(&format!("t{t}"), SplitMethod::Headcount, parts)
                })
                .collect(),
        );
        let a = decompose(&dept, Decimal::new(whole, 2), 2).unwrap();
        for parent in &a {
            let parts: Vec<Decimal> = a
                .iter()
                .filter(|x| x.parent.as_deref() == Some(parent.unit.as_str()))
                .map(|x| x.target)
                .collect();
            if !parts.is_empty() {
                prop_assert!(check_adds_up(&parent.unit, parent.target, &parts).is_ok());
            }
        }
    }
}
