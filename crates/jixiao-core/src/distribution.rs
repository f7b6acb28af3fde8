//! Forced-distribution quotas for grades (A ≤ 20 %, D ≥ 5 %) and a checker that reports every
//! violation; it changes no grade, because who moves is a human decision.
//!
//! The population is the cards with a grade (a card with no total has none). An "at most p %"
//! quota allows ⌊N × p ÷ 100⌋ cards, so the percentage is never exceeded (20 % of 7 agents
//! allows 1 A); an "at least p %" quota requires ⌈N × p ÷ 100⌉. Apply quotas to a department
//! rather than a small team: 20 % of 4 agents allows no A at all.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// Width of a band of the score histogram, in points of the total score.
pub const SCORE_BAND: u32 = 10;

/// How many `totals` fall in each [`SCORE_BAND`]-point band from 0 to 100 (the last band
/// includes 100; a total above it counts there too, one below 0 in the first): the histogram
/// the overview draws and the exported workbook charts.
pub fn score_bands(totals: impl IntoIterator<Item = Decimal>) -> Vec<u32> {
    let mut bands = vec![0_u32; (100 / SCORE_BAND) as usize];
    let last = bands.len() - 1;
    for total in totals {
        let i = (total / Decimal::from(SCORE_BAND))
            .floor()
            .to_usize()
            .unwrap_or(0);
        bands[i.min(last)] += 1;
    }
    bands
}

/// The share of the population a grade may or must have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeQuota {
    /// The grade.
    pub grade: String,
    /// At most this percentage may have the grade.
    #[serde(default)]
    pub max_percent: Option<Decimal>,
    /// At least this percentage must have the grade.
    #[serde(default)]
    pub min_percent: Option<Decimal>,
}

/// Which way a quota was broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaBound {
    /// More cards have the grade than allowed.
    AtMost,
    /// Fewer cards have the grade than required.
    AtLeast,
}

/// One broken quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaViolation {
    /// The grade.
    pub grade: String,
    /// Which bound was broken.
    pub bound: QuotaBound,
    /// The configured percentage.
    pub percent: Decimal,
    /// Cards with a grade.
    pub population: u64,
    /// Cards with this grade.
    pub count: u64,
    /// The most allowed or the fewest required.
    pub limit: u64,
}

/// Checks percentages are 0–100, at-least does not exceed at-most, grades are not repeated
/// and the at-least quotas together need no more than 100 %.
pub fn validate_quotas(quotas: &[GradeQuota]) -> Result<(), CoreError> {
    let err = |r: String| Err(CoreError::rule("grade quotas", r));
    let pct =
        |p: Option<Decimal>| p.is_none_or(|p| p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED);
    let mut min_total = Decimal::ZERO;
    for (i, q) in quotas.iter().enumerate() {
        if !pct(q.max_percent) || !pct(q.min_percent) {
            return err(format!("{}: percentages must be 0 to 100", q.grade));
        }
        if let (Some(lo), Some(hi)) = (q.min_percent, q.max_percent)
            && lo > hi
        {
            return err(format!(
                "{}: at least {lo} % is more than at most {hi} %",
                q.grade
            ));
        }
        if quotas[..i].iter().any(|o| o.grade == q.grade) {
            return err(format!("{} has two quotas", q.grade));
        }
        min_total += q.min_percent.unwrap_or_default();
    }
    if min_total > Decimal::ONE_HUNDRED {
        return err(format!("the at-least quotas need {min_total} % together"));
    }
    Ok(())
}

/// Every quota the given grades break, in the order of `quotas` (at-most before at-least).
/// `None` grades (no total) are not part of the population.
pub fn check_quotas<'a>(
    grades: impl IntoIterator<Item = Option<&'a str>>,
    quotas: &[GradeQuota],
) -> Vec<QuotaViolation> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut population = 0_u64;
    for g in grades.into_iter().flatten() {
        *counts.entry(g).or_default() += 1;
        population += 1;
    }
    let share = |p: Decimal, up: bool| {
        let exact = Decimal::from(population) * p / Decimal::ONE_HUNDRED;
        let whole = if up { exact.ceil() } else { exact.floor() };
        whole.to_u64().unwrap_or(0)
    };
    let mut out = Vec::new();
    for q in quotas {
        let count = counts.get(q.grade.as_str()).copied().unwrap_or(0);
        let mut report = |bound, percent, limit| {
            out.push(QuotaViolation {
                grade: q.grade.clone(),
                bound,
                percent,
                population,
                count,
                limit,
            })
        };
        if let Some(p) = q.max_percent
            && count > share(p, false)
        {
            report(QuotaBound::AtMost, p, share(p, false));
        }
        if let Some(p) = q.min_percent
            && count < share(p, true)
        {
            report(QuotaBound::AtLeast, p, share(p, true));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn quota(grade: &str, max: Option<Decimal>, min: Option<Decimal>) -> GradeQuota {
        GradeQuota {
            grade: grade.into(),
            max_percent: max,
            min_percent: min,
        }
    }

    #[test]
    fn too_many_as_and_too_few_ds_are_both_reported() {
        let grades = ["A", "A", "B", "B", "B", "C", "C"].map(Some);
        let quotas = [
            quota("A", Some(dec!(20)), None),
            quota("D", None, Some(dec!(5))),
        ];
        let v = check_quotas(grades, &quotas);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].bound, v[0].count, v[0].limit, v[0].population),
            (QuotaBound::AtMost, 2, 1, 7)
        );
        assert_eq!(
            (v[1].bound, v[1].count, v[1].limit),
            (QuotaBound::AtLeast, 0, 1)
        );
    }

    #[test]
    fn a_quota_met_exactly_is_not_a_violation_and_ungraded_cards_do_not_count() {
        let grades = ["A", "B", "B", "B", "D"]
            .map(Some)
            .into_iter()
            .chain([None, None]);
        let quotas = [
            quota("A", Some(dec!(20)), None),
            quota("D", Some(dec!(20)), Some(dec!(20))),
        ];
        assert!(check_quotas(grades, &quotas).is_empty());
        assert!(check_quotas([], &quotas).is_empty());
    }

    #[test]
    fn inconsistent_quotas_are_rejected() {
        let bad = [
            vec![quota("A", Some(dec!(120)), None)],
            vec![quota("A", Some(dec!(10)), Some(dec!(20)))],
            vec![
                quota("A", Some(dec!(10)), None),
                quota("A", Some(dec!(20)), None),
            ],
            vec![
                quota("A", None, Some(dec!(60))),
                quota("B", None, Some(dec!(50))),
            ],
        ];
        for q in bad {
            assert_eq!(validate_quotas(&q).unwrap_err().code(), "invalid_rule");
        }
        assert!(
            validate_quotas(&[
                quota("A", Some(dec!(20)), None),
                quota("D", None, Some(dec!(5)))
            ])
            .is_ok()
        );
    }

    proptest! {
        #[test]
        fn an_at_most_quota_is_broken_exactly_when_the_share_exceeds_the_percentage(
            a in 0_u64..30, others in 0_u64..60, pct in 0_u32..=100,
        ) {
            let grades = std::iter::repeat_n(Some("A"), a as usize)
                .chain(std::iter::repeat_n(Some("B"), others as usize));
            let v = check_quotas(grades, &[quota("A", Some(Decimal::from(pct)), None)]);
            let exceeds = a * 100 > u64::from(pct) * (a + others);
            prop_assert_eq!(!v.is_empty(), exceeds);
        }
    }
}
