use super::*;
use crate::kpi::TypeTally;
use crate::scheme::{GradeBand, SchemeItem};
use rust_decimal::dec;

fn scheme() -> Scheme {
    let item = |kpi, weight, floor, target, prorate| SchemeItem {
        kpi,
        weight,
        floor,
        target,
        prorate,
        library_kpi: None,
        scoring: None,
    };
    Scheme {
        items: vec![
            item(KpiCode::Points, dec!(40), dec!(0), dec!(1000), true),
            item(KpiCode::Aht, dec!(15), dec!(600), dec!(240), false),
            item(KpiCode::Csat, dec!(20), dec!(60), dec!(90), false),
            item(KpiCode::Qa, dec!(25), dec!(70), dec!(95), false),
        ],
        distribution: None,
        grades: vec![
            GradeBand {
                grade: "A".into(),
                min_score: dec!(90),
            },
            GradeBand {
                grade: "B".into(),
                min_score: dec!(75),
            },
            GradeBand {
                grade: "C".into(),
                min_score: dec!(60),
            },
            GradeBand {
                grade: "D".into(),
                min_score: dec!(0),
            },
        ],
    }
}

fn coefficients() -> BTreeMap<TypeCode, Decimal> {
    [("INQ", dec!(1.0)), ("CMP", dec!(3.0))]
        .into_iter()
        .map(|(c, v)| (TypeCode::parse(c).unwrap(), v))
        .collect()
}

fn partial(inq: u64, cmp: u64, handle_each: u64) -> Partial {
    let mut p = Partial::default();
    for (code, n) in [("INQ", inq), ("CMP", cmp)] {
        if n > 0 {
            p.by_type.insert(
                TypeCode::parse(code).unwrap(),
                TypeTally {
                    handled: n,
                    talk_secs: n * handle_each,
                    hold_secs: 0,
                    acw_secs: 0,
                },
            );
        }
    }
    p
}

fn card(p: &Partial, team: i64, no: &str, days: u32) -> Scorecard {
    let s = scheme();
    let c = coefficients();
    let rules = Rules {
        scheme: &s,
        coefficients: &c,
        unit_price: dec!(1.25),
        rounding: RoundingRule::default(),
    };
    score_segment(
        &SegmentInput {
            employee_id: 1,
            employee_no: no,
            name: "n",
            team_id: team,
            days,
            period_days: 30,
            partial: p,
            totals: &MeasureTotals::from_partial(p, &c).unwrap(),
        },
        &rules,
    )
}

/// Scores `p` for a full 30-day month under a one-KPI scheme (weight 100, unit price 1).
fn score_single_kpi(kpi: KpiCode, floor: Decimal, target: Decimal, p: &Partial) -> Scorecard {
    let s = Scheme {
        items: vec![SchemeItem {
            kpi,
            weight: dec!(100),
            floor,
            target,
            prorate: false,
            library_kpi: None,
            scoring: None,
        }],
        distribution: None,
        grades: scheme().grades,
    };
    let c = coefficients();
    let rules = Rules {
        scheme: &s,
        coefficients: &c,
        unit_price: dec!(1),
        rounding: RoundingRule::default(),
    };
    score_segment(
        &SegmentInput {
            employee_id: 1,
            employee_no: "A1",
            name: "n",
            team_id: 1,
            days: 30,
            period_days: 30,
            partial: p,
            totals: &MeasureTotals::from_partial(p, &c).unwrap(),
        },
        &rules,
    )
}

#[test]
fn points_are_the_sum_of_coefficients_and_pay_is_points_times_unit_price() {
    let c = card(&partial(300, 100, 240), 1, "A1", 30);
    assert_eq!(c.points, dec!(600.0));
    assert_eq!(c.points_lines.len(), 2);
    assert_eq!(c.variable_pay, dec!(750.00));
}

#[test]
fn a_kpi_with_no_data_spreads_its_weight_over_the_others() {
    // No surveys and no QA: only points (40) and AHT (15) have data.
    let c = card(&partial(500, 0, 240), 1, "A1", 30);
    let csat = c.kpis.iter().find(|k| k.kpi == KpiCode::Csat).unwrap();
    assert_eq!(csat.score, None);
    assert_eq!(csat.effective_weight, None);
    // points 500/1000 → 50, AHT 240 s → 100; (50×40 + 100×15) / 55 = 63.64
    assert_eq!(c.total, Some(dec!(63.64)));
    let pts = c.kpis.iter().find(|k| k.kpi == KpiCode::Points).unwrap();
    assert_eq!(pts.effective_weight, Some(dec!(72.73)));
    assert_eq!(c.grade.as_deref(), Some("C"));
    assert!(c.notes.iter().any(|n| n.starts_with("csat: no data")));
}

#[test]
fn an_agent_with_no_records_has_no_total_and_no_rank() {
    let mut cards = vec![
        card(&Partial::default(), 1, "A1", 30),
        card(&partial(10, 0, 100), 1, "A2", 30),
    ];
    // Points and handled are always defined (0), so an empty partial still has a points score.
    assert_eq!(cards[0].total, Some(dec!(0)));
    cards[0] = score_single_kpi(KpiCode::Csat, dec!(60), dec!(90), &Partial::default());
    assert_eq!(cards[0].total, None);
    assert_eq!(cards[0].grade, None);
    rank_in_teams(&mut cards);
    assert_eq!(cards[0].rank_in_team, None);
    assert_eq!(cards[1].rank_in_team, Some(1));
}

#[test]
fn ranks_are_per_team_and_ties_share_a_rank() {
    let mut cards = vec![
        card(&partial(500, 0, 240), 1, "A1", 30),
        card(&partial(500, 0, 240), 1, "A2", 30),
        card(&partial(900, 0, 240), 1, "A3", 30),
        card(&partial(100, 0, 240), 1, "A4", 30),
        card(&partial(100, 0, 240), 2, "B1", 30),
    ];
    rank_in_teams(&mut cards);
    let ranks: Vec<_> = cards.iter().map(|c| c.rank_in_team.unwrap()).collect();
    assert_eq!(ranks, vec![2, 2, 1, 4, 1]);
}

#[test]
fn a_part_month_segment_is_scored_against_a_prorated_target() {
    let full = card(&partial(500, 0, 240), 1, "A1", 30);
    let half = card(&partial(250, 0, 240), 2, "A1", 15);
    let score = |c: &Scorecard| c.kpis[0].score.unwrap();
    assert_eq!(score(&full), score(&half));
    assert_eq!(half.kpis[0].target, dec!(500));
}

#[test]
fn merged_partials_evaluate_like_the_union_of_their_records() {
    let (a, b) = (partial(10, 3, 100), partial(7, 9, 400));
    let mut merged = a.clone();
    merged.merge(&b);
    let mut union = Partial::default();
    for (code, n, each) in [("INQ", 17, 0), ("CMP", 12, 0)] {
        let _ = each;
        union.by_type.insert(
            TypeCode::parse(code).unwrap(),
            TypeTally {
                handled: n,
                ..Default::default()
            },
        );
    }
    union
        .by_type
        .get_mut(&TypeCode::parse("INQ").unwrap())
        .unwrap()
        .talk_secs = 10 * 100 + 7 * 400;
    union
        .by_type
        .get_mut(&TypeCode::parse("CMP").unwrap())
        .unwrap()
        .talk_secs = 3 * 100 + 9 * 400;
    assert_eq!(merged, union);
    let c = coefficients();
    // AHT of the merge is total time over total handled, never the mean of the two AHTs.
    let aht = merged.evaluate(KpiCode::Aht, &c);
    assert_eq!(aht.value, Some(dec!(265.52)));
    assert_ne!(aht.value, Some((dec!(100) + dec!(400)) / dec!(2)));
}

#[test]
fn the_snapshot_hash_ignores_order_and_decimal_scale_but_not_values() {
    let a = card(&partial(500, 0, 240), 1, "A1", 30);
    let b = card(&partial(300, 0, 240), 1, "A2", 30);
    let h1 = snapshot_hash(&[a.clone(), b.clone()]);
    assert_eq!(h1, snapshot_hash(&[b.clone(), a.clone()]));
    let mut a2 = a.clone();
    a2.points = dec!(500.000);
    assert_eq!(h1, snapshot_hash(&[a2, b.clone()]));
    let mut a3 = a;
    a3.variable_pay += dec!(0.01);
    assert_ne!(h1, snapshot_hash(&[a3, b]));
}

#[test]
fn recomputing_from_the_same_partial_gives_the_same_scorecard() {
    let p = partial(123, 45, 321);
    assert_eq!(card(&p, 1, "A1", 30), card(&p, 1, "A1", 30));
}

/// A scorecard as stored before the rules were kept as data: no `linear`, no `rounding_dp`.
fn stored_before_rules_as_data(c: &Scorecard) -> String {
    let mut v = serde_json::to_value(c).unwrap();
    v.as_object_mut().unwrap().remove("rounding_dp");
    for k in v["kpis"].as_array_mut().unwrap() {
        k.as_object_mut().unwrap().remove("linear");
    }
    serde_json::to_string(&v).unwrap()
}

#[test]
fn a_scorecard_stored_without_the_rules_as_data_still_loads() {
    let fresh = card(&partial(500, 0, 240), 1, "A1", 15);
    let old_json = stored_before_rules_as_data(&fresh);
    assert!(!old_json.contains("linear\"") && !old_json.contains("rounding_dp"));
    let old: Scorecard = serde_json::from_str(&old_json).unwrap();
    assert_eq!(old.rounding_dp, None);
    assert!(old.kpis.iter().all(|k| k.linear.is_none()));
    // The data is read back from the words, so old cards can be worded in any language.
    assert_eq!(old.rounding_rule(), Some(RoundingRule { dp: 2 }));
    for (o, f) in old.kpis.iter().zip(&fresh.kpis) {
        assert_eq!(o.linear_rule(), f.linear, "{}", o.rule);
    }
    // Loading and saving an old card changes nothing, so its hash does not move either.
    let stored: serde_json::Value = serde_json::from_str(&old_json).unwrap();
    assert_eq!(serde_json::to_value(&old).unwrap(), stored);
}

#[test]
fn a_rule_keeps_its_configured_bounds_while_the_card_shows_prorated_ones() {
    let c = card(&partial(500, 0, 240), 1, "A1", 15);
    let points = &c.kpis[0];
    assert_eq!((points.floor, points.target), (dec!(0), dec!(500)));
    let rule = points.linear.unwrap();
    assert_eq!(
        (rule.floor, rule.target, rule.prorate),
        (dec!(0), dec!(1000), true)
    );
    assert_eq!(c.rounding_dp, Some(2));
}

#[test]
fn the_snapshot_hash_ignores_the_decimal_scale_of_rule_bounds() {
    let a = card(&partial(500, 0, 240), 1, "A1", 30);
    let mut a2 = a.clone();
    a2.kpis[1].linear.as_mut().unwrap().floor = dec!(600.00);
    assert_eq!(snapshot_hash(&[a]), snapshot_hash(&[a2]));
}

#[test]
fn every_library_kpi_is_measured_even_when_the_scheme_does_not_score_it() {
    let card = score_single_kpi(KpiCode::Points, dec!(0), dec!(1000), &partial(10, 0, 120));
    assert_eq!(card.kpis.len(), 1);
    let aht = card
        .measures
        .iter()
        .find(|m| m.kpi == KpiCode::Aht)
        .unwrap();
    assert_eq!(
        (aht.value.numerator, aht.value.denominator),
        (dec!(1200), dec!(10))
    );
    assert_eq!(card.measures.len(), KpiCode::ALL.len());
}
