//! Assessment schemes: which KPIs count, their weights, how a value becomes a 0–100 score, and
//! the grade bands.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::kpi::{Direction, KpiCode, standard_kpi};
use crate::money::round_half_up;
use crate::scoring::ScoringRule;

/// One KPI in a scheme, scored linearly from `floor` (0 points) to `target` (100, capped), or
/// by its own [`ScoringRule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeItem {
    /// The KPI.
    pub kpi: KpiCode,
    /// Weight in percent; the items of a scheme total 100.
    pub weight: Decimal,
    /// The value scoring 0 (and anything worse).
    pub floor: Decimal,
    /// The value scoring 100 (and anything better).
    pub target: Decimal,
    /// Whether floor and target are per whole month and shrink with the days in the team.
    pub prorate: bool,
    /// A KPI of the standard library (`kpi::STANDARD_KPIS`, such as `fcr`) scored instead of
    /// `kpi`, evaluated on the segment's measures. `kpi` stays for readers that only know the
    /// five codes; the value, unit and direction are the library KPI's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_kpi: Option<String>,
    /// The rule scoring this item; `None` is the linear rule of `floor` and `target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<ScoringRule>,
}

impl SchemeItem {
    /// The code of the KPI this item scores: the library KPI's, else `kpi`'s.
    pub fn code(&self) -> &str {
        self.library_kpi.as_deref().unwrap_or(self.kpi.as_str())
    }

    /// Which way is better for the KPI scored; `None` for an unknown library KPI.
    pub fn direction(&self) -> Option<Direction> {
        match &self.library_kpi {
            // Scored from the unit's targets by `scorecard::apply_unit_attainment`.
            Some(code) if code == crate::targets::UNIT_ATTAINMENT => {
                Some(Direction::HigherIsBetter)
            }
            Some(code) => standard_kpi(code).map(|k| k.direction),
            None => Some(self.kpi.direction()),
        }
    }

    /// Whether this item deducts points from the card's total instead of being weighted into
    /// it: an item of weight 0 with a deduction-per-event rule (扣分项, "−2 per upheld
    /// complaint"). Its deduction is subtracted from the weighted total of the other items.
    pub fn deducts_from_total(&self) -> bool {
        self.weight.is_zero() && matches!(self.scoring, Some(ScoringRule::DeductionPerEvent(_)))
    }

    /// Floor and target for a segment of `days` out of `period_days`.
    pub fn bounds(&self, days: u32, period_days: u32) -> (Decimal, Decimal) {
        if self.prorate && period_days > 0 && days < period_days {
            let f = Decimal::from(days) / Decimal::from(period_days);
            (
                round_half_up(self.floor * f, 2),
                round_half_up(self.target * f, 2),
            )
        } else {
            (self.floor, self.target)
        }
    }

    /// The score of `value` between `floor` and `target`: 0–100, two decimals.
    pub fn score(value: Decimal, floor: Decimal, target: Decimal) -> Decimal {
        let span = target - floor;
        if span.is_zero() {
            return if value >= target {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            };
        }
        // Works for both directions: when lower is better, span is negative.
        let frac = ((value - floor) / span).clamp(Decimal::ZERO, Decimal::ONE);
        round_half_up(frac * Decimal::ONE_HUNDRED, 2)
    }

    /// The rule as data: configured floor and target, before proration.
    pub fn linear_rule(&self) -> LinearRule {
        LinearRule {
            floor: self.floor,
            target: self.target,
            prorate: self.prorate,
        }
    }

    /// The rule in words, for the explanation.
    pub fn describe(&self) -> String {
        self.linear_rule().describe(self.kpi)
    }
}

/// A KPI's linear scoring rule as data, so that pages can word it in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearRule {
    /// The configured value scoring 0, before proration.
    pub floor: Decimal,
    /// The configured value scoring 100, before proration.
    pub target: Decimal,
    /// Whether floor and target shrink with the days in the team.
    pub prorate: bool,
}

const PRORATED: &str = "; prorated by days in team";

impl LinearRule {
    /// The rule in English words, as stored in `KpiResult::rule` and exported.
    pub fn describe(&self, kpi: KpiCode) -> String {
        format!(
            "linear: {} {} scores 0, {} {} scores 100{}",
            self.floor,
            kpi.unit(),
            self.target,
            kpi.unit(),
            if self.prorate { PRORATED } else { "" }
        )
    }

    /// Reads back a rule worded by [`LinearRule::describe`]; scorecards stored before the rule
    /// was kept as data only have the words.
    pub fn from_description(text: &str) -> Option<LinearRule> {
        let rest = text.strip_prefix("linear: ")?;
        let (rest, prorate) = match rest.strip_suffix(PRORATED) {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let (floor, target) = rest.split_once(" scores 0, ")?;
        let target = target.strip_suffix(" scores 100")?;
        let number = |s: &str| s.split_once(' ')?.0.parse::<Decimal>().ok();
        Some(LinearRule {
            floor: number(floor)?,
            target: number(target)?,
            prorate,
        })
    }
}

/// A grade and the lowest total score that earns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeBand {
    /// The grade, for example `A`.
    pub grade: String,
    /// Lowest total score (inclusive) for this grade.
    pub min_score: Decimal,
}

/// The scheme a department's agents are assessed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// KPIs with weights and rules.
    pub items: Vec<SchemeItem>,
    /// Grade bands from the best down; the last must start at 0.
    pub grades: Vec<GradeBand>,
}

impl Scheme {
    /// Checks weights total 100 %, rules point the KPI's way and grade bands are ordered.
    /// Items deducting from the total weigh 0 and count nothing towards the 100 %.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.items.is_empty() {
            return Err(CoreError::InvalidScheme(
                "a scheme needs at least one KPI".into(),
            ));
        }
        let total: Decimal = self.items.iter().map(|i| i.weight).sum();
        if total != Decimal::ONE_HUNDRED {
            return Err(CoreError::WeightsNot100 { total });
        }
        for (n, item) in self.items.iter().enumerate() {
            let code = item.code();
            if item.weight < Decimal::ZERO || (item.weight.is_zero() && !item.deducts_from_total())
            {
                return Err(CoreError::InvalidScheme(format!(
                    "{code}: weight must be above 0 (only a deduction-per-event item may weigh 0: it deducts from the total)"
                )));
            }
            if self.items[..n].iter().any(|o| o.code() == code) {
                return Err(CoreError::InvalidScheme(format!("{code} appears twice")));
            }
            let Some(direction) = item.direction() else {
                return Err(CoreError::InvalidScheme(format!(
                    "{code} is not a KPI of the library"
                )));
            };
            if let Some(rule) = &item.scoring {
                rule.validate(direction)?;
                continue;
            }
            let ok = match direction {
                Direction::HigherIsBetter => item.target > item.floor,
                Direction::LowerIsBetter => item.target < item.floor,
            };
            if !ok {
                return Err(CoreError::InvalidScheme(format!(
                    "{code}: target {} must be better than floor {}",
                    item.target, item.floor
                )));
            }
        }
        let ordered = self
            .grades
            .windows(2)
            .all(|w| w[0].min_score > w[1].min_score);
        if self.grades.is_empty()
            || !ordered
            || self.grades.last().map(|g| g.min_score) != Some(Decimal::ZERO)
        {
            return Err(CoreError::InvalidScheme(
                "grade bands must be listed best first, strictly descending, the last starting at 0".into(),
            ));
        }
        Ok(())
    }

    /// The grade a total score earns.
    pub fn grade(&self, total: Decimal) -> String {
        self.grades
            .iter()
            .find(|g| total >= g.min_score)
            .or(self.grades.last())
            .map(|g| g.grade.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    pub(crate) fn sample() -> Scheme {
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
            grades: ["A:90", "B:75", "C:60", "D:0"]
                .iter()
                .map(|s| {
                    let (g, m) = s.split_once(':').unwrap();
                    GradeBand {
                        grade: g.into(),
                        min_score: m.parse().unwrap(),
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn weights_that_do_not_sum_to_100_are_rejected() {
        let mut s = sample();
        s.items[0].weight = dec!(39.5);
        assert_eq!(
            s.validate(),
            Err(CoreError::WeightsNot100 { total: dec!(99.5) })
        );
        assert!(sample().validate().is_ok());
    }

    #[test]
    fn a_target_worse_than_its_floor_is_rejected() {
        let mut s = sample();
        s.items[1].target = dec!(700);
        assert_eq!(s.validate().unwrap_err().code(), "invalid_scheme");
    }

    #[test]
    fn grade_band_edges_belong_to_the_higher_grade() {
        let s = sample();
        assert_eq!(s.grade(dec!(90)), "A");
        assert_eq!(s.grade(dec!(89.99)), "B");
        assert_eq!(s.grade(dec!(75)), "B");
        assert_eq!(s.grade(dec!(60)), "C");
        assert_eq!(s.grade(dec!(0)), "D");
    }

    #[test]
    fn linear_scores_are_capped_and_work_in_both_directions() {
        assert_eq!(SchemeItem::score(dec!(75), dec!(60), dec!(90)), dec!(50));
        assert_eq!(SchemeItem::score(dec!(95), dec!(60), dec!(90)), dec!(100));
        assert_eq!(SchemeItem::score(dec!(10), dec!(60), dec!(90)), dec!(0));
        // AHT: floor 600 s, target 240 s; 420 s is half way.
        assert_eq!(SchemeItem::score(dec!(420), dec!(600), dec!(240)), dec!(50));
        assert_eq!(
            SchemeItem::score(dec!(200), dec!(600), dec!(240)),
            dec!(100)
        );
        assert_eq!(SchemeItem::score(dec!(700), dec!(600), dec!(240)), dec!(0));
    }

    #[test]
    fn monthly_targets_shrink_with_the_days_spent_in_the_team() {
        let s = sample();
        assert_eq!(s.items[0].bounds(15, 30), (dec!(0), dec!(500)));
        assert_eq!(s.items[0].bounds(30, 30), (dec!(0), dec!(1000)));
        assert_eq!(s.items[1].bounds(15, 30), (dec!(600), dec!(240)));
    }

    #[test]
    fn a_rule_in_words_reads_back_as_the_same_rule() {
        for item in sample().items {
            let words = item.describe();
            assert_eq!(
                LinearRule::from_description(&words),
                Some(item.linear_rule()),
                "{words}"
            );
        }
        assert_eq!(
            sample().items[0].describe(),
            "linear: 0 points scores 0, 1000 points scores 100; prorated by days in team"
        );
        assert_eq!(LinearRule::from_description("step: 1 s scores 0"), None);
    }

    #[test]
    fn a_library_item_must_name_a_library_kpi_once_with_a_rule_pointing_its_way() {
        use crate::scoring::PassFailRule;
        let mut s = sample();
        s.items[3].library_kpi = Some("fcr".into());
        assert!(s.validate().is_ok(), "QA's 70 → 95 also suits FCR");
        s.items[3].library_kpi = Some("fcrr".into());
        assert_eq!(s.validate().unwrap_err().code(), "invalid_scheme");
        s.items[3].library_kpi = Some("aht".into());
        assert_eq!(s.validate().unwrap_err().code(), "invalid_scheme", "twice");
        s.items[3].library_kpi = Some("abandonment_rate".into());
        s.items[3].scoring = Some(ScoringRule::PassFail(PassFailRule {
            direction: Direction::HigherIsBetter,
            threshold: dec!(5),
        }));
        assert_eq!(s.validate().unwrap_err().code(), "invalid_rule");
        if let Some(ScoringRule::PassFail(r)) = &mut s.items[3].scoring {
            r.direction = Direction::LowerIsBetter;
        }
        assert!(s.validate().is_ok(), "a rule replaces floor and target");
    }

    #[test]
    fn a_scheme_stored_before_library_items_reads_and_writes_back_unchanged() {
        let json = r#"{"kpi":"aht","weight":"15","floor":"600","target":"240","prorate":false}"#;
        let item: SchemeItem = serde_json::from_str(json).unwrap();
        assert_eq!((item.library_kpi.as_deref(), item.code()), (None, "aht"));
        assert!(item.scoring.is_none());
        assert_eq!(serde_json::to_string(&item).unwrap(), json);
    }

    proptest::proptest! {
        #[test]
        fn weights_pass_validation_exactly_when_they_total_100(
            w in proptest::collection::vec(1_i64..6000, 4),
        ) {
            let mut s = sample();
            for (item, w) in s.items.iter_mut().zip(&w) {
                item.weight = Decimal::new(*w, 2);
            }
            let total: Decimal = s.items.iter().map(|i| i.weight).sum();
            let expected = if total == Decimal::ONE_HUNDRED {
                Ok(())
            } else {
                Err(CoreError::WeightsNot100 { total })
            };
            proptest::prop_assert_eq!(s.validate(), expected);
        }

        #[test]
        fn a_total_gets_the_best_band_whose_edge_it_reaches(t in 0_i64..=10_000) {
            let s = sample();
            let total = Decimal::new(t, 2);
            let best = s.grades.iter().find(|g| total >= g.min_score).unwrap();
            proptest::prop_assert_eq!(s.grade(total), best.grade.clone());
            proptest::prop_assert!(s.grades.iter().filter(|g| g.min_score > total)
                .all(|g| g.grade != s.grade(total)));
        }
    }
}
