//! Assessment schemes: which KPIs count, their weights, how a value becomes a 0–100 score, the
//! grade bands and the optional forced-distribution quotas.
//!
//! The components of docs/KPIS.md ("Schemes") are all items: workload is an item scoring
//! `points`, quality items score KPIs, and the supervisor's behaviour rating is an item
//! scoring the library KPI `behaviour` (the anchored 1–5 level's score, see
//! [`crate::behaviour`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::distribution::{Distribution, validate_quotas};
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
    /// Forced-distribution quotas applied when grading (`scorecard::apply_grade_quotas`);
    /// `None`: grades are the bands' alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
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
        if let Some(d) = &self.distribution {
            self.validate_distribution(d)?;
        }
        Ok(())
    }

    /// Quotas: percentages 0–100, at-least not above at-most, the at-least quotas needing no
    /// more than 100 % together, each naming a grade of the bands once, listed in the bands'
    /// order, and no at-most quota on the worst grade (nobody can move below it).
    fn validate_distribution(&self, d: &Distribution) -> Result<(), CoreError> {
        validate_quotas(&d.quotas)?;
        let mut last = None;
        for q in &d.quotas {
            let Some(band) = self.band_index(&q.grade) else {
                return Err(CoreError::rule(
                    "grade quotas",
                    format!("{} is not a grade of the bands", q.grade),
                ));
            };
            if last.is_some_and(|l| band <= l) {
                return Err(CoreError::rule(
                    "grade quotas",
                    "quotas must be listed in the order of the grade bands, best first",
                ));
            }
            if band + 1 == self.grades.len() && q.max_percent.is_some() {
                return Err(CoreError::rule(
                    "grade quotas",
                    format!(
                        "{}: the worst grade cannot have an at-most quota (nobody can move below it)",
                        q.grade
                    ),
                ));
            }
            last = Some(band);
        }
        Ok(())
    }

    /// The index of a grade among the bands (0 = best).
    pub fn band_index(&self, grade: &str) -> Option<usize> {
        self.grades.iter().position(|g| g.grade == grade)
    }

    /// The index of the band a total score earns (0 = best).
    pub fn band_of(&self, total: Decimal) -> usize {
        self.grades
            .iter()
            .position(|g| total >= g.min_score)
            .unwrap_or(self.grades.len().saturating_sub(1))
    }

    /// The quotas that move grades: the distribution's, when it is enabled.
    pub fn active_quotas(&self) -> Option<&Distribution> {
        self.distribution
            .as_ref()
            .filter(|d| d.enabled && !d.quotas.is_empty())
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
            distribution: None,
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

    fn with_quotas(quotas: &[(&str, Option<i64>, Option<i64>)]) -> Scheme {
        use crate::distribution::{Distribution, GradeQuota, QuotaScope};
        let mut s = sample();
        s.distribution = Some(Distribution {
            enabled: true,
            within: QuotaScope::Department,
            quotas: quotas
                .iter()
                .map(|&(g, max, min)| GradeQuota {
                    grade: g.into(),
                    max_percent: max.map(Decimal::from),
                    min_percent: min.map(Decimal::from),
                })
                .collect(),
        });
        s
    }

    #[test]
    fn quotas_must_name_grades_of_the_bands_in_order_with_shares_that_fit() {
        assert!(
            with_quotas(&[("A", Some(20), None), ("D", None, Some(5))])
                .validate()
                .is_ok()
        );
        let bad = [
            vec![("E", Some(20), None)],
            vec![("D", None, Some(5)), ("A", Some(20), None)],
            vec![("A", Some(101), None)],
            vec![("A", Some(-1), None)],
            vec![("B", None, Some(60)), ("C", None, Some(50))],
            vec![("A", Some(10), Some(20))],
            vec![("D", Some(30), None)],
            vec![("A", Some(20), None), ("A", Some(10), None)],
        ];
        for q in bad {
            assert_eq!(
                with_quotas(&q).validate().unwrap_err().code(),
                "invalid_rule",
                "{q:?}"
            );
        }
    }

    #[test]
    fn a_scheme_with_behaviour_workload_bands_and_quotas_reads_from_its_stored_form() {
        // Workload (points), a quality KPI, the supervisor's behaviour rating (the library KPI
        // `behaviour`, 0–100 from the anchored 1–5 level) and quotas applied per team.
        let json = r#"{
            "items": [
                {"kpi":"points","weight":"40","floor":"0","target":"1000","prorate":true},
                {"kpi":"qa","weight":"40","floor":"70","target":"95","prorate":false},
                {"kpi":"csat","weight":"20","floor":"40","target":"100","prorate":false,
                 "library_kpi":"behaviour"}
            ],
            "grades": [{"grade":"A","min_score":"90"},{"grade":"B","min_score":"75"},
                       {"grade":"C","min_score":"60"},{"grade":"D","min_score":"0"}],
            "distribution": {"within":"team","quotas":[
                {"grade":"A","max_percent":"20"},{"grade":"D","min_percent":"5"}]}
        }"#;
        let s: Scheme = serde_json::from_str(json).unwrap();
        s.validate().unwrap();
        let d = s.active_quotas().unwrap();
        assert!(d.enabled, "enabled unless it says otherwise");
        assert_eq!(d.within, crate::distribution::QuotaScope::Team);
        assert_eq!(s.items[2].code(), "behaviour");
        let back: Scheme = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        // A scheme without quotas is written as before.
        assert!(
            !serde_json::to_string(&sample())
                .unwrap()
                .contains("distribution")
        );
        assert_eq!(s.band_of(dec!(89.99)), 1);
        assert_eq!(s.band_index("D"), Some(3));
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
