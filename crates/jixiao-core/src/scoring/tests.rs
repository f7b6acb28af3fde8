use proptest::prelude::*;
use rust_decimal::{Decimal, dec};

use super::*;
use crate::kpi::KpiCode;
use crate::scheme::Scheme;
use crate::scorecard::Scorecard;

const HIGHER: Direction = Direction::HigherIsBetter;
const LOWER: Direction = Direction::LowerIsBetter;

fn linear(floor: Decimal, target: Decimal, capped: bool) -> ScoringRule {
    ScoringRule::Linear(LinearScoring {
        floor,
        target,
        capped,
        prorate: false,
    })
}

fn steps(direction: Direction, bands: &[(Decimal, Decimal)]) -> StepsRule {
    StepsRule {
        direction,
        bands: bands
            .iter()
            .map(|&(edge, score)| StepBand { edge, score })
            .collect(),
    }
}

// Today's stored JSON, as jixiao-store keeps it (serde-str decimals).
const SCHEME_JSON: &str = r#"{"items":[
    {"kpi":"points","weight":"40","floor":"0","target":"1000","prorate":true},
    {"kpi":"aht","weight":"60","floor":"600","target":"240","prorate":false}],
  "grades":[{"grade":"A","min_score":"90"},{"grade":"B","min_score":"75"},{"grade":"D","min_score":"0"}]}"#;
const OLD_CARD_JSON: &str = r#"{"employee_id":1,"employee_no":"A001","name":"n","team_id":7,
  "days":30,"handled":10,"points":"12.5","points_lines":[{"business_type":"INQ","handled":10,
  "coefficient":"1.25","points":"12.50"}],"kpis":[{"kpi":"aht","value":{"value":"300",
  "numerator":"3000","denominator":"10"},"floor":"600","target":"240",
  "rule":"linear: 600 s scores 0, 240 s scores 100","score":"83.33","weight":"100",
  "effective_weight":"100"}],"total":"83.33","grade":"B","rank_in_team":1,"unit_price":"1",
  "variable_pay":"12.50","rounding":"rounded half away from zero to 2 decimal places (四舍五入)",
  "notes":[]}"#;

#[test]
fn todays_stored_schemes_scorecards_and_linear_rules_still_load() {
    let scheme: Scheme = serde_json::from_str(SCHEME_JSON).unwrap();
    assert!(scheme.validate().is_ok());
    let card: Scorecard = serde_json::from_str(OLD_CARD_JSON).unwrap();
    let from_words = ScoringRule::from(card.kpis[0].linear_rule().unwrap());
    assert_eq!(from_words, linear(dec!(600), dec!(240), true));
    assert_eq!(from_words.score(dec!(300)), Some(dec!(83.33)));
    // The bare linear rule kept on newer cards, and a whole scheme item, read as rules.
    let bare: ScoringRule =
        serde_json::from_str(r#"{"floor":"0","target":"1000","prorate":true}"#).unwrap();
    assert_eq!(bare, scheme.items[0].scoring_rule());
    let item = serde_json::to_string(&scheme.items[1]).unwrap();
    let rule: ScoringRule = serde_json::from_str(&item).unwrap();
    assert_eq!(rule, linear(dec!(600), dec!(240), true));
}

#[test]
fn every_rule_round_trips_through_tagged_json_and_unknown_kinds_are_refused() {
    let rules = [
        linear(dec!(60), dec!(90), false),
        ScoringRule::Steps(steps(
            HIGHER,
            &[(dec!(95), dec!(100)), (dec!(90), dec!(80))],
        )),
        ScoringRule::PassFail(PassFailRule {
            direction: LOWER,
            threshold: dec!(300),
        }),
        ScoringRule::DeductionPerEvent(DeductionRule {
            points: dec!(2),
            cap: Some(dec!(10)),
        }),
        ScoringRule::Percentile(PercentileRule {
            direction: HIGHER,
            within: PeerGroup::Department,
        }),
    ];
    for r in rules {
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            serde_json::from_str::<ScoringRule>(&json).unwrap(),
            r,
            "{json}"
        );
    }
    let json = serde_json::to_string(&ScoringRule::DeductionPerEvent(DeductionRule {
        points: dec!(2),
        cap: None,
    }))
    .unwrap();
    assert_eq!(
        json,
        r#"{"kind":"deduction_per_event","points":"2","cap":null}"#
    );
    let odd = r#"{"kind":"lottery","floor":"0","target":"1","prorate":false}"#;
    assert!(serde_json::from_str::<ScoringRule>(odd).is_err());
}

#[test]
fn linear_rules_are_capped_unless_told_otherwise() {
    let capped = linear(dec!(60), dec!(90), true);
    assert_eq!(capped.score(dec!(75)), Some(dec!(50)));
    assert_eq!(capped.score(dec!(99)), Some(dec!(100)));
    assert_eq!(capped.score(dec!(10)), Some(dec!(0)));
    let open = linear(dec!(60), dec!(90), false);
    assert_eq!(open.score(dec!(99)), Some(dec!(130)));
    assert_eq!(open.score(dec!(10)), Some(dec!(0)));
    let aht = linear(dec!(600), dec!(240), true);
    assert_eq!(aht.direction(), LOWER);
    assert_eq!(aht.score(dec!(420)), Some(dec!(50)));
    assert_eq!(
        capped.describe("%"),
        "linear: 60 % scores 0, 90 % scores 100"
    );
    assert!(linear(dec!(5), dec!(5), true).validate(HIGHER).is_err());
}

#[test]
fn a_step_band_edge_belongs_to_its_band() {
    let up = steps(
        HIGHER,
        &[
            (dec!(95), dec!(100)),
            (dec!(90), dec!(80)),
            (dec!(80), dec!(50)),
        ],
    );
    let score = |v| up.score(v);
    assert_eq!(
        [
            score(dec!(95)),
            score(dec!(94.99)),
            score(dec!(90)),
            score(dec!(80)),
            score(dec!(79.99))
        ],
        [dec!(100), dec!(80), dec!(80), dec!(50), dec!(0)]
    );
    let down = steps(LOWER, &[(dec!(240), dec!(100)), (dec!(300), dec!(60))]);
    assert_eq!(down.score(dec!(240)), dec!(100));
    assert_eq!(down.score(dec!(240.01)), dec!(60));
    assert_eq!(down.score(dec!(301)), dec!(0));
    assert_eq!(
        ScoringRule::Steps(down).describe("s"),
        "steps: ≤ 240 s scores 100, ≤ 300 s scores 60, otherwise 0"
    );
}

#[test]
fn step_bands_out_of_order_or_out_of_range_are_rejected() {
    let bad = [
        steps(HIGHER, &[]),
        steps(HIGHER, &[(dec!(90), dec!(80)), (dec!(95), dec!(100))]),
        steps(HIGHER, &[(dec!(90), dec!(80)), (dec!(90), dec!(70))]),
        steps(HIGHER, &[(dec!(95), dec!(80)), (dec!(90), dec!(100))]),
        steps(LOWER, &[(dec!(300), dec!(100)), (dec!(240), dec!(60))]),
        steps(HIGHER, &[(dec!(95), dec!(101))]),
    ];
    for s in bad {
        let dir = s.direction;
        assert_eq!(
            ScoringRule::Steps(s).validate(dir).unwrap_err().code(),
            "invalid_rule"
        );
    }
}

#[test]
fn pass_fail_passes_at_the_threshold() {
    let sla = PassFailRule {
        direction: HIGHER,
        threshold: dec!(90),
    };
    assert_eq!(
        (sla.score(dec!(90)), sla.score(dec!(89.99))),
        (dec!(100), dec!(0))
    );
    let aht = PassFailRule {
        direction: LOWER,
        threshold: dec!(300),
    };
    assert_eq!(
        (aht.score(dec!(300)), aht.score(dec!(300.01))),
        (dec!(100), dec!(0))
    );
}

#[test]
fn deductions_are_per_event_and_stop_at_the_cap_or_zero() {
    let capped = DeductionRule {
        points: dec!(2),
        cap: Some(dec!(10)),
    };
    assert_eq!(capped.score(dec!(0)), dec!(100));
    assert_eq!(capped.score(dec!(3)), dec!(94));
    assert_eq!(capped.score(dec!(50)), dec!(90));
    let open = DeductionRule {
        points: dec!(15),
        cap: None,
    };
    assert_eq!(open.score(dec!(7)), dec!(0));
    assert_eq!(open.score(Decimal::MAX), dec!(0));
    assert!(
        DeductionRule {
            points: dec!(0),
            cap: None
        }
        .validate()
        .is_err()
    );
    assert!(
        DeductionRule {
            points: dec!(1),
            cap: Some(dec!(120))
        }
        .validate()
        .is_err()
    );
    let rule = ScoringRule::DeductionPerEvent(capped);
    assert!(rule.validate(LOWER).is_ok());
    assert_eq!(rule.validate(HIGHER).unwrap_err().code(), "invalid_rule");
}

#[test]
fn percentile_ranks_share_ties_and_ignore_agents_with_no_data() {
    let v = |x: i64| Some(Decimal::from(x));
    let entries = [
        (1, v(10)),
        (1, v(20)),
        (1, v(20)),
        (1, v(40)),
        (1, None),
        (2, v(5)),
    ];
    let up = percentile_scores(&entries, HIGHER);
    assert_eq!(
        up,
        [
            Some(dec!(12.5)),
            Some(dec!(50)),
            Some(dec!(50)),
            Some(dec!(87.5)),
            None,
            Some(dec!(50))
        ]
    );
    let down = percentile_scores(&entries, LOWER);
    assert_eq!(down[0], Some(dec!(87.5)));
    assert_eq!(down[3], Some(dec!(12.5)));
    assert!(percentile_scores::<i64>(&[], HIGHER).is_empty());
}

#[test]
fn a_percentile_post_pass_rescores_the_kpi_and_the_total() {
    let scheme: Scheme = serde_json::from_str(SCHEME_JSON).unwrap();
    let mut a: Scorecard = serde_json::from_str(OLD_CARD_JSON).unwrap();
    let mut b = a.clone();
    b.employee_no = "A002".into();
    b.kpis[0].value.value = Some(dec!(200));
    let mut cards = vec![a.clone(), b];
    let rule = PercentileRule {
        direction: LOWER,
        within: PeerGroup::Team,
    };
    apply_percentile(&mut cards, KpiCode::Aht, &rule, |c| c.team_id, &scheme);
    assert_eq!(cards[0].kpis[0].score, Some(dec!(25)));
    assert_eq!(
        (cards[0].total, cards[0].grade.as_deref()),
        (Some(dec!(25)), Some("D"))
    );
    assert_eq!(
        (cards[1].total, cards[1].grade.as_deref()),
        (Some(dec!(75)), Some("B"))
    );
    assert_eq!(
        cards[1].kpis[0].rule,
        "percentile rank within the team, lower is better"
    );
    a.kpis[0].value.value = None;
    a.kpis[0].score = None;
    let mut alone = vec![a];
    apply_percentile(&mut alone, KpiCode::Aht, &rule, |c| c.team_id, &scheme);
    assert_eq!(alone[0].total, None);
}

fn dec_in(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (lo * 100..hi * 100).prop_map(|n| Decimal::new(n, 2))
}

proptest! {
    #[test]
    fn capped_linear_scoring_equals_todays_scheme_scoring(
        v in dec_in(-1000, 1000), f in dec_in(-1000, 1000), t in dec_in(-1000, 1000),
    ) {
        let rule = linear(f, t, true);
        prop_assert_eq!(rule.score(v), Some(crate::scheme::SchemeItem::score(v, f, t)));
    }

    #[test]
    fn scores_stay_between_0_and_100_and_never_fall_as_values_improve(
        a in dec_in(-500, 500), b in dec_in(-500, 500),
        edges in prop::collection::btree_set(-500_i64..500, 1..6),
        pts in dec_in(0, 30),
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let n = edges.len() as i64;
        let bands: Vec<(Decimal, Decimal)> = edges.iter().rev().enumerate()
            .map(|(i, e)| (Decimal::from(*e), Decimal::from(100 - 100 * i as i64 / n)))
            .collect();
        let rules = [
            linear(dec!(-100), dec!(100), true),
            ScoringRule::Steps(steps(HIGHER, &bands)),
            ScoringRule::PassFail(PassFailRule { direction: HIGHER, threshold: dec!(0) }),
        ];
        for r in rules {
            r.validate(HIGHER).unwrap();
            let (s_lo, s_hi) = (r.score(lo).unwrap(), r.score(hi).unwrap());
            prop_assert!(Decimal::ZERO <= s_lo && s_hi <= Decimal::ONE_HUNDRED);
            prop_assert!(s_lo <= s_hi, "{:?}: {} -> {}, {} -> {}", r, lo, s_lo, hi, s_hi);
        }
        let d = DeductionRule { points: pts + dec!(0.01), cap: None };
        prop_assert!(d.score(hi.abs()) <= d.score(lo.abs().min(hi.abs())));
    }

    #[test]
    fn percentile_scores_do_not_depend_on_card_order(
        values in prop::collection::vec((0_i64..3, prop::option::of(0_i64..20)), 0..30),
        seed in any::<u64>(),
    ) {
        let entries: Vec<(i64, Option<Decimal>)> =
            values.iter().map(|&(g, v)| (g, v.map(Decimal::from))).collect();
        let scores = percentile_scores(&entries, HIGHER);
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|i| (*i as u64).wrapping_mul(seed | 1).rotate_left(17));
        let shuffled: Vec<_> = order.iter().map(|&i| entries[i]).collect();
        let again = percentile_scores(&shuffled, HIGHER);
        for (k, &i) in order.iter().enumerate() {
            prop_assert_eq!(again[k], scores[i]);
            if let Some(s) = scores[i] {
                prop_assert!(Decimal::ZERO < s && s < Decimal::ONE_HUNDRED);
            }
        }
    }
}
