//! Library KPIs on scorecards: values with their parts, scheme items scoring a library KPI
//! with a scoring rule, the percentile post-pass, old cards and the snapshot hash.

use super::*;
use crate::kpi::{Direction, STANDARD_KPIS, TypeTally, Unit};
use crate::scheme::{GradeBand, SchemeItem};
use crate::scoring::{PassFailRule, PeerGroup, PercentileRule, StepBand, StepsRule};
use rust_decimal::dec;

fn coefficients() -> BTreeMap<TypeCode, Decimal> {
    BTreeMap::from([(TypeCode::parse("INQ").unwrap(), dec!(1.5))])
}

/// 10 handled calls of 120 s each, plus the given measures.
fn segment(extra: &[(&str, Decimal)]) -> (Partial, MeasureTotals) {
    let mut p = Partial::default();
    p.by_type.insert(
        TypeCode::parse("INQ").unwrap(),
        TypeTally {
            handled: 10,
            talk_secs: 1000,
            hold_secs: 100,
            acw_secs: 100,
        },
    );
    let mut t = MeasureTotals::from_partial(&p, &coefficients()).unwrap();
    for (name, v) in extra {
        t.add(name, *v).unwrap();
    }
    (p, t)
}

fn item(kpi: KpiCode, weight: Decimal) -> SchemeItem {
    SchemeItem {
        kpi,
        weight,
        floor: dec!(0),
        target: dec!(10),
        prorate: false,
        library_kpi: None,
        scoring: None,
    }
}

fn library_item(code: &str, weight: Decimal, scoring: Option<ScoringRule>) -> SchemeItem {
    SchemeItem {
        library_kpi: Some(code.into()),
        scoring,
        floor: dec!(50),
        target: dec!(90),
        ..item(KpiCode::Handled, weight)
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

fn score(s: &Scheme, (p, t): &(Partial, MeasureTotals), team: i64, no: &str) -> Scorecard {
    let c = coefficients();
    let rules = Rules {
        scheme: s,
        coefficients: &c,
        unit_price: dec!(1),
        rounding: RoundingRule::default(),
    };
    let input = SegmentInput {
        employee_id: 1,
        employee_no: no,
        name: "n",
        team_id: team,
        days: 30,
        period_days: 30,
        partial: p,
        totals: t,
    };
    score_segment(&input, &rules)
}

fn fcr(resolved: i64, repeats: i64) -> (Partial, MeasureTotals) {
    segment(&[
        ("first_contact_resolved", resolved.into()),
        ("repeat_contacts", repeats.into()),
    ])
}

#[test]
fn every_library_kpi_is_on_the_card_with_its_numerator_and_denominator() {
    let seg = segment(&[("answered", dec!(10)), ("wait_secs_answered", dec!(95))]);
    let card = score(
        &scheme(vec![item(KpiCode::Handled, dec!(100))]),
        &seg,
        1,
        "A1",
    );
    assert_eq!(card.library.len(), STANDARD_KPIS.len());
    let get = |code: &str| card.library.iter().find(|v| v.kpi == code).unwrap();
    let aht = get("aht");
    assert_eq!(
        (aht.numerator, aht.denominator, aht.value, aht.unit),
        (dec!(1200), dec!(10), Some(dec!(120)), Unit::Seconds)
    );
    assert_eq!(get("asa").value, Some(dec!(9.5)));
    // The engine's points (10 × 1.5), not a `points` measure a caller may have passed.
    assert_eq!(get("points").value, Some(dec!(15.0)));
    assert_eq!(
        get("service_level").value,
        None,
        "no offered calls: no data"
    );
    // The five scored KPIs agree with their partial-based values.
    for m in &card.measures {
        let v = get(m.kpi.as_str());
        assert_eq!(v.kpi_value(), m.value, "{}", v.kpi);
    }
}

#[test]
fn a_scheme_item_scores_a_library_kpi_with_its_scoring_rule() {
    let steps = ScoringRule::Steps(StepsRule {
        direction: Direction::HigherIsBetter,
        bands: vec![
            StepBand {
                edge: dec!(80),
                score: dec!(100),
            },
            StepBand {
                edge: dec!(70),
                score: dec!(60),
            },
        ],
    });
    let s = scheme(vec![
        item(KpiCode::Handled, dec!(50)),
        library_item("fcr", dec!(50), Some(steps.clone())),
    ]);
    s.validate().unwrap();
    let card = score(&s, &fcr(3, 1), 1, "A1");
    let k = &card.kpis[1];
    assert_eq!(k.code(), "fcr");
    assert_eq!(
        (k.value.value, k.value.numerator, k.value.denominator),
        (Some(dec!(75)), dec!(3), dec!(4))
    );
    assert_eq!(k.score, Some(dec!(60)));
    assert_eq!(k.scoring, Some(steps));
    assert_eq!(
        k.rule,
        "steps: ≥ 80 % scores 100, ≥ 70 % scores 60, otherwise 0"
    );
    assert_eq!(card.total, Some(dec!(80)), "(100 × 50 + 60 × 50) ÷ 100");
}

#[test]
fn a_library_item_without_a_rule_is_linear_in_its_own_unit() {
    let s = scheme(vec![library_item("fcr", dec!(100), None)]);
    let card = score(&s, &fcr(7, 3), 1, "A1");
    let k = &card.kpis[0];
    // 70 % between 50 (0 points) and 90 (100 points).
    assert_eq!(k.score, Some(dec!(50)));
    assert_eq!(k.rule, "linear: 50 % scores 0, 90 % scores 100");
    assert_eq!(card.total, Some(dec!(50)));
}

#[test]
fn a_library_item_with_no_data_spreads_its_weight_and_says_so() {
    let pass = ScoringRule::PassFail(PassFailRule {
        direction: Direction::HigherIsBetter,
        threshold: dec!(80),
    });
    let s = scheme(vec![
        item(KpiCode::Handled, dec!(60)),
        library_item("fcr", dec!(40), Some(pass)),
    ]);
    let card = score(&s, &segment(&[]), 1, "A1");
    assert_eq!(card.kpis[1].score, None);
    assert_eq!(card.kpis[0].effective_weight, Some(dec!(100)));
    assert!(card.notes.iter().any(|n| n.starts_with("fcr: no data")));
}

#[test]
fn percentile_items_are_ranked_among_the_team_after_all_cards_are_scored() {
    let rule = ScoringRule::Percentile(PercentileRule {
        direction: Direction::HigherIsBetter,
        within: PeerGroup::Team,
    });
    let s = scheme(vec![
        item(KpiCode::Handled, dec!(50)),
        library_item("fcr", dec!(50), Some(rule)),
    ]);
    let segs = [fcr(9, 1), fcr(5, 5), fcr(1, 9), fcr(0, 0), fcr(8, 2)];
    let teams = [1, 1, 1, 1, 2];
    let mut cards: Vec<Scorecard> = segs
        .iter()
        .zip(teams)
        .enumerate()
        .map(|(i, (seg, team))| score(&s, seg, team, &format!("A{i}")))
        .collect();
    assert!(cards[0].notes[0].contains("not scored yet"));
    assert_eq!(cards[0].kpis[0].effective_weight, Some(dec!(100)));
    let mut reversed: Vec<Scorecard> = cards.iter().rev().cloned().collect();
    apply_percentile_items(&mut cards, |_| Some((&s, 7)));
    let scores: Vec<Option<Decimal>> = cards.iter().map(|c| c.kpis[1].score).collect();
    // Among three with data in team 1: (B + E/2) ÷ N; the card with no data stays unscored;
    // alone in team 2 scores 50.
    let third = |n: i64| Some(Decimal::new(n, 0) * dec!(100) / dec!(6));
    let expected = [
        third(5).map(|d| crate::money::round_half_up(d, 2)),
        Some(dec!(50)),
        third(1).map(|d| crate::money::round_half_up(d, 2)),
        None,
        Some(dec!(50)),
    ];
    assert_eq!(scores, expected);
    assert!(cards[0].notes.is_empty());
    assert_eq!(cards[0].kpis[1].effective_weight, Some(dec!(50)));
    // Handled 10 against a target of 10 scores 100; (100 + 83.33) ÷ 2.
    assert_eq!(cards[0].total, Some(dec!(91.67)));
    assert_eq!(cards[0].grade.as_deref(), Some("A"));
    assert!(cards[3].notes[0].starts_with("fcr: no data"));
    apply_percentile_items(&mut reversed, |_| Some((&s, 7)));
    reversed.reverse();
    assert_eq!(reversed, cards, "the order of the cards does not matter");
}

#[test]
fn a_scorecard_stored_before_the_library_still_loads() {
    let s = scheme(vec![item(KpiCode::Handled, dec!(100))]);
    let fresh = score(&s, &segment(&[]), 1, "A1");
    let mut v = serde_json::to_value(&fresh).unwrap();
    v.as_object_mut().unwrap().remove("library");
    let old: Scorecard = serde_json::from_value(v.clone()).unwrap();
    assert!(old.library.is_empty());
    assert!(
        old.kpis
            .iter()
            .all(|k| k.library_kpi.is_none() && k.scoring.is_none())
    );
    // Saving it again writes exactly what was stored: its snapshot hash does not move.
    assert_eq!(serde_json::to_value(&old).unwrap(), v);
    let json = serde_json::to_string(&fresh).unwrap();
    assert!(!json.contains("library_kpi") && !json.contains("\"scoring\""));
}

#[test]
fn the_snapshot_hash_covers_library_values_but_not_their_decimal_scale() {
    let pass = ScoringRule::PassFail(PassFailRule {
        direction: Direction::HigherIsBetter,
        threshold: dec!(80),
    });
    let s = scheme(vec![library_item("fcr", dec!(100), Some(pass))]);
    let a = score(&s, &fcr(3, 1), 1, "A1");
    let h = snapshot_hash(std::slice::from_ref(&a));
    let mut scaled = a.clone();
    scaled.library[2].numerator = dec!(1200.000);
    if let Some(ScoringRule::PassFail(r)) = &mut scaled.kpis[0].scoring {
        r.threshold = dec!(80.00);
    }
    assert_eq!(snapshot_hash(&[scaled]), h);
    let mut changed = a;
    changed.library[2].numerator += dec!(1);
    assert_ne!(snapshot_hash(&[changed]), h);
}
