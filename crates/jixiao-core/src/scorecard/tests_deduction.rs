//! Items deducting from the total (扣分项): a weight-0 item with a deduction-per-event rule
//! takes its points off the weighted total of the other items.

use super::*;
use crate::CoreError;
use crate::kpi::{Direction, TypeTally};
use crate::scheme::{GradeBand, SchemeItem};
use crate::scoring::{DeductionRule, PeerGroup, PercentileRule, ScoringRule, apply_percentile};
use rust_decimal::dec;

fn coefficients() -> BTreeMap<TypeCode, Decimal> {
    BTreeMap::from([(TypeCode::parse("INQ").unwrap(), dec!(1))])
}

/// `handled` calls of 100 s and `complaints` upheld complaints.
fn segment(handled: u64, complaints: i64) -> (Partial, MeasureTotals) {
    let mut p = Partial::default();
    p.by_type.insert(
        TypeCode::parse("INQ").unwrap(),
        TypeTally {
            handled,
            talk_secs: 100 * handled,
            hold_secs: 0,
            acw_secs: 0,
        },
    );
    let mut t = MeasureTotals::from_partial(&p, &coefficients()).unwrap();
    t.add("complaints_upheld", complaints.into()).unwrap();
    (p, t)
}

/// Handled calls scored linearly 0 → 10.
fn handled(weight: Decimal) -> SchemeItem {
    SchemeItem {
        kpi: KpiCode::Handled,
        weight,
        floor: dec!(0),
        target: dec!(10),
        prorate: false,
        library_kpi: None,
        scoring: None,
    }
}

fn complaints(weight: Decimal, points: Decimal, cap: Option<Decimal>) -> SchemeItem {
    SchemeItem {
        library_kpi: Some("complaints_upheld".into()),
        scoring: Some(ScoringRule::DeductionPerEvent(DeductionRule {
            points,
            cap,
        })),
        ..handled(weight)
    }
}

fn scheme(items: Vec<SchemeItem>) -> Scheme {
    Scheme {
        items,
        distribution: None,
        grades: [("A", dec!(90)), ("B", dec!(60)), ("C", dec!(0))]
            .into_iter()
            .map(|(g, m)| GradeBand {
                grade: g.into(),
                min_score: m,
            })
            .collect(),
    }
}

fn score(s: &Scheme, (p, t): &(Partial, MeasureTotals)) -> Scorecard {
    let c = coefficients();
    let rules = Rules {
        scheme: s,
        coefficients: &c,
        unit_price: dec!(1),
        rounding: RoundingRule::default(),
    };
    let input = SegmentInput {
        employee_id: 1,
        employee_no: "A1",
        name: "n",
        team_id: 1,
        days: 30,
        period_days: 30,
        partial: p,
        totals: t,
    };
    score_segment(&input, &rules)
}

fn deduction_scheme(cap: Option<Decimal>) -> Scheme {
    let s = scheme(vec![handled(dec!(100)), complaints(dec!(0), dec!(2), cap)]);
    s.validate().expect("a weight-0 deduction item is valid");
    s
}

#[test]
fn a_weight_0_deduction_item_takes_its_points_off_the_total() {
    let card = score(&deduction_scheme(None), &segment(10, 3));
    assert_eq!(card.total, Some(dec!(94)), "100 − 3 × 2");
    assert_eq!(card.grade.as_deref(), Some("A"));
    let k = &card.kpis[1];
    assert_eq!(k.value.value, Some(dec!(3)));
    assert_eq!((k.score, k.deducted), (None, Some(dec!(6))));
    assert_eq!(k.effective_weight, None, "it weighs nothing");
    assert_eq!(card.kpis[0].effective_weight, Some(dec!(100)));
    assert!(
        card.notes
            .iter()
            .any(|n| n == "complaints_upheld: 3 events deduct 6 points from the total"),
        "{:?}",
        card.notes
    );
    // One complaint moves the grade: 91 → A, 88 → B shows the deduction is in points.
    let partly = score(&deduction_scheme(None), &segment(9, 1));
    assert_eq!(partly.total, Some(dec!(88)), "90 − 2");
    assert_eq!(partly.grade.as_deref(), Some("B"));
}

#[test]
fn no_events_deduct_nothing_and_leave_no_note() {
    let card = score(&deduction_scheme(None), &segment(10, 0));
    assert_eq!(card.total, Some(dec!(100)));
    assert_eq!(card.kpis[1].deducted, Some(dec!(0)));
    assert!(card.notes.is_empty(), "{:?}", card.notes);
}

#[test]
fn the_deduction_stops_at_its_cap_and_the_total_at_0() {
    let capped = score(&deduction_scheme(Some(dec!(5))), &segment(10, 3));
    assert_eq!(
        (capped.kpis[1].deducted, capped.total),
        (Some(dec!(5)), Some(dec!(95)))
    );
    let heavy = scheme(vec![
        handled(dec!(100)),
        complaints(dec!(0), dec!(40), None),
    ]);
    let card = score(&heavy, &segment(5, 3));
    assert_eq!(card.kpis[1].deducted, Some(dec!(100)), "at most 100");
    assert_eq!(card.total, Some(dec!(0)), "50 − 100 stops at 0");
}

#[test]
fn a_deduction_alone_makes_no_total() {
    let card = score(&deduction_scheme(None), &segment(0, 2));
    // Handled 0 still scores (0 calls is data); take a scheme whose only weighted KPI has none.
    assert_eq!(card.total, Some(dec!(0)));
    let aht = SchemeItem {
        kpi: KpiCode::Aht,
        floor: dec!(600),
        target: dec!(200),
        ..handled(dec!(100))
    };
    let s = scheme(vec![aht, complaints(dec!(0), dec!(2), None)]);
    let card = score(&s, &segment(0, 2));
    assert_eq!(card.total, None);
    assert_eq!(
        card.kpis[1].deducted,
        Some(dec!(4)),
        "still shown on the card"
    );
}

#[test]
fn a_weighted_deduction_item_is_still_scored_100_minus_the_deduction_at_its_weight() {
    let s = scheme(vec![handled(dec!(80)), complaints(dec!(20), dec!(2), None)]);
    s.validate().unwrap();
    let card = score(&s, &segment(10, 3));
    let k = &card.kpis[1];
    assert_eq!((k.score, k.deducted), (Some(dec!(94)), None));
    assert_eq!(card.total, Some(dec!(98.8)), "(100 × 80 + 94 × 20) / 100");
}

#[test]
fn only_a_deduction_per_event_item_may_weigh_0() {
    let mut s = deduction_scheme(None);
    s.items[1].scoring = None;
    s.items[1].floor = dec!(5);
    s.items[1].target = dec!(0);
    assert!(matches!(s.validate(), Err(CoreError::InvalidScheme(m)) if m.contains("weight")));
    let mut s = deduction_scheme(None);
    s.items[1].weight = dec!(-1);
    assert!(s.validate().is_err());
    // Deduction items add nothing to the 100 %.
    let mut s = deduction_scheme(None);
    s.items[0].weight = dec!(90);
    assert!(matches!(s.validate(), Err(CoreError::WeightsNot100 { .. })));
}

#[test]
fn a_percentile_post_pass_keeps_the_deduction_in_the_total() {
    let aht = SchemeItem {
        kpi: KpiCode::Aht,
        scoring: Some(ScoringRule::Percentile(PercentileRule {
            direction: Direction::LowerIsBetter,
            within: PeerGroup::Team,
        })),
        ..handled(dec!(100))
    };
    let s = scheme(vec![aht, complaints(dec!(0), dec!(2), None)]);
    s.validate().unwrap();
    let mut cards = vec![score(&s, &segment(10, 1)), score(&s, &segment(10, 0))];
    let rule = PercentileRule {
        direction: Direction::LowerIsBetter,
        within: PeerGroup::Team,
    };
    apply_percentile(&mut cards, KpiCode::Aht, &rule, |c| c.team_id, &s);
    // Same AHT: both rank 50; the one with a complaint loses 2 points.
    assert_eq!(cards[0].total, Some(dec!(48)));
    assert_eq!(cards[1].total, Some(dec!(50)));
}

#[test]
fn the_deduction_travels_in_the_stored_json_and_old_cards_read_without_it() {
    let card = score(&deduction_scheme(None), &segment(10, 3));
    let json = serde_json::to_value(&card).unwrap();
    assert_eq!(json["kpis"][1]["deducted"], serde_json::json!("6"));
    assert!(
        json["kpis"][0].get("deducted").is_none(),
        "absent, not null"
    );
    let back: Scorecard = serde_json::from_value(json).unwrap();
    assert_eq!(back, card);
}
