//! Forced-distribution quotas for grades (A ≤ 20 %, D ≥ 5 %): a checker that reports every
//! violation ([`check_quotas`]), and, for a scheme that enables them ([`Distribution`]),
//! [`apply_quotas`], which moves grades deterministically to meet them.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<Decimal>,
    /// At least this percentage must have the grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_percent: Option<Decimal>,
}

impl GradeQuota {
    /// The quota in English words: "A at most 20 %", "D at least 5 %", or both.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.max_percent {
            parts.push(format!("at most {} %", p.normalize()));
        }
        if let Some(p) = self.min_percent {
            parts.push(format!("at least {} %", p.normalize()));
        }
        format!("{} {}", self.grade, parts.join(" and "))
    }
}

/// The population a scheme's quotas are applied to.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum QuotaScope {
    /// The graded cards of the department under the same scheme (the default).
    #[default]
    Department,
    /// The graded cards of the team under the same scheme.
    Team,
}

impl QuotaScope {
    /// "department" or "team".
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaScope::Department => "department",
            QuotaScope::Team => "team",
        }
    }
}

fn enabled_by_default() -> bool {
    true
}

/// A scheme's forced distribution: its grade quotas, applied when grading while `enabled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// Whether the quotas move grades; `false` keeps them written but unused.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Within which population the shares are counted.
    #[serde(default)]
    pub within: QuotaScope,
    /// The quotas, in the order of the scheme's grade bands (best first).
    #[serde(default)]
    pub quotas: Vec<GradeQuota>,
}

/// One graded card of a population, for [`apply_quotas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded<'a> {
    /// The total score.
    pub total: Decimal,
    /// The employee number (the first tie-break).
    pub employee_no: &'a str,
    /// The employee id (the last tie-break, for duplicate numbers).
    pub employee_id: i64,
    /// The index of the grade band the total earns (0 = best).
    pub band: usize,
}

/// The grade bands (indices into the scheme's bands, 0 = best) of `members` after the quotas
/// of `quotas` (one per grade, `band_of` giving a quota's band index) are met, in the order of
/// `members`. Deterministic and independent of the order of `members`:
///
/// 1. The members are ranked by total, higher first; ties by employee number, then id
///    (ascending). Grades stay monotone in this ranking.
/// 2. At-most quotas, best grade first: a grade holding more than ⌊N × p ÷ 100⌋ keeps its
///    best-ranked members and the rest move down one grade (where they count towards that
///    grade's own quota).
/// 3. At-least quotas, worst grade first: a grade holding fewer than ⌈N × p ÷ 100⌉ takes the
///    lowest-ranked members of the grades above it; an at-least quota on the best grade
///    takes the best-ranked members of the grades below it.
///
/// When the quotas cannot all be met (rounding of small populations), the last step wins;
/// [`check_quotas`] reports what remains.
pub fn apply_quotas(
    members: &[Graded<'_>],
    bands: usize,
    quotas: &[(usize, &GradeQuota)],
) -> Vec<usize> {
    let n = members.len();
    if n == 0 || bands == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&members[a], &members[b]);
        y.total
            .cmp(&x.total)
            .then_with(|| x.employee_no.cmp(y.employee_no))
            .then_with(|| x.employee_id.cmp(&y.employee_id))
    });
    // bound[g]..bound[g + 1] are the ranking positions holding band g.
    let mut bound = vec![0_usize; bands + 1];
    for &i in &order {
        let band = members[i].band.min(bands - 1);
        for b in bound.iter_mut().skip(band + 1) {
            *b += 1;
        }
    }
    let share = |p: Decimal, up: bool| {
        let exact = Decimal::from(n) * p / Decimal::ONE_HUNDRED;
        let whole = if up { exact.ceil() } else { exact.floor() };
        whole.to_usize().unwrap_or(0).min(n)
    };
    let quota_of = |g: usize| quotas.iter().find(|(b, _)| *b == g).map(|(_, q)| *q);
    // 2. At most, best first (the worst grade has nowhere to move down to).
    for g in 0..bands - 1 {
        if let Some(max) = quota_of(g).and_then(|q| q.max_percent) {
            let allowed = bound[g] + share(max, false);
            if bound[g + 1] > allowed {
                bound[g + 1] = allowed;
            }
        }
    }
    // 3. At least, worst first, by moving the grades above down.
    for g in (1..bands).rev() {
        if let Some(min) = quota_of(g).and_then(|q| q.min_percent) {
            let need = share(min, true);
            if bound[g + 1] - bound[g] < need {
                let edge = bound[g + 1].saturating_sub(need);
                for b in bound.iter_mut().take(g + 1).skip(1) {
                    *b = (*b).min(edge);
                }
            }
        }
    }
    // … and the best grade by moving the best-ranked of the grades below up.
    if let Some(min) = quota_of(0).and_then(|q| q.min_percent) {
        let need = share(min, true);
        if bound[1] < need {
            for b in bound.iter_mut().take(bands).skip(1) {
                *b = (*b).max(need);
            }
        }
    }
    let mut out = vec![0; n];
    for (pos, &i) in order.iter().enumerate() {
        out[i] = (0..bands)
            .find(|&g| pos < bound[g + 1])
            .unwrap_or(bands - 1);
    }
    out
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

    fn graded(totals: &[(i64, &'static str)], bands: &[i64]) -> Vec<Graded<'static>> {
        totals
            .iter()
            .enumerate()
            .map(|(i, &(t, no))| Graded {
                total: Decimal::from(t),
                employee_no: no,
                employee_id: i as i64,
                band: bands
                    .iter()
                    .position(|&m| t >= m)
                    .unwrap_or(bands.len() - 1),
            })
            .collect()
    }

    #[test]
    fn at_most_20_percent_a_keeps_the_best_ranked_and_moves_the_rest_down_one_grade() {
        // Bands A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 0; 10 cards, 4 of them A by score.
        let m = graded(
            &[
                (95, "A01"),
                (91, "A02"),
                (93, "A03"),
                (90, "A04"),
                (80, "A05"),
                (70, "A06"),
                (65, "A07"),
                (61, "A08"),
                (62, "A09"),
                (40, "A10"),
            ],
            &[90, 75, 60, 0],
        );
        let a = quota("A", Some(dec!(20)), None);
        let out = apply_quotas(&m, 4, &[(0, &a)]);
        // A01 (95) and A03 (93) stay A; A02 and A04 become B.
        assert_eq!(out, vec![0, 1, 0, 1, 1, 2, 2, 2, 2, 3]);
    }

    #[test]
    fn ties_are_broken_by_employee_number_and_the_result_ignores_input_order() {
        let m = graded(
            &[(92, "B02"), (92, "B01"), (92, "B03"), (50, "B04")],
            &[90, 0],
        );
        let a = quota("A", Some(dec!(50)), None);
        let out = apply_quotas(&m, 2, &[(0, &a)]);
        assert_eq!(out, vec![0, 0, 1, 1], "B01 and B02 keep A; B03 gives way");
        let mut rev = m.clone();
        rev.reverse();
        let mut back = apply_quotas(&rev, 2, &[(0, &a)]);
        back.reverse();
        assert_eq!(back, out);
    }

    #[test]
    fn at_least_5_percent_d_takes_the_lowest_ranked_and_an_at_least_a_promotes_the_best() {
        let m = graded(
            &[(80, "C1"), (70, "C2"), (65, "C3"), (64, "C4")],
            &[90, 75, 60, 0],
        );
        let d = quota("D", None, Some(dec!(5)));
        assert_eq!(apply_quotas(&m, 4, &[(3, &d)]), vec![1, 2, 2, 3]);
        let a = quota("A", None, Some(dec!(25)));
        assert_eq!(apply_quotas(&m, 4, &[(0, &a), (3, &d)]), vec![0, 2, 2, 3]);
        // No quota, or none broken: the grades of the scores.
        assert_eq!(apply_quotas(&m, 4, &[]), vec![1, 2, 2, 2]);
        assert!(apply_quotas(&[], 4, &[(3, &d)]).is_empty());
    }

    #[test]
    fn a_demoted_card_counts_towards_the_next_grades_own_at_most_quota() {
        let m = graded(
            &[(95, "1"), (94, "2"), (80, "3"), (79, "4"), (10, "5")],
            &[90, 75, 0],
        );
        let a = quota("A", Some(dec!(20)), None);
        let b = quota("B", Some(dec!(40)), None);
        // A keeps 1; "2" joins B, which keeps 2 ("2", "3"); "4" goes to C.
        assert_eq!(
            apply_quotas(&m, 3, &[(0, &a), (1, &b)]),
            vec![0, 1, 1, 2, 2]
        );
    }

    proptest! {
        #[test]
        fn applied_quotas_are_met_monotone_and_order_independent(
            totals in proptest::collection::vec(0_i64..=100, 1..40),
            max_a in 0_u32..=50, min_d in 0_u32..=30, shift in 0_usize..40,
        ) {
            let nos: Vec<String> = (0..totals.len()).map(|i| format!("E{i:03}")).collect();
            let bands = [90_i64, 75, 60, 0];
            let m: Vec<Graded<'_>> = totals
                .iter()
                .zip(&nos)
                .enumerate()
                .map(|(i, (&t, no))| Graded {
                    total: Decimal::from(t),
                    employee_no: no,
                    employee_id: i as i64,
                    band: bands.iter().position(|&b| t >= b).unwrap(),
                })
                .collect();
            let a = quota("A", Some(Decimal::from(max_a)), None);
            let d = quota("D", None, Some(Decimal::from(min_d)));
            let out = apply_quotas(&m, 4, &[(0, &a), (3, &d)]);
            let n = m.len();
            let count = |g: usize| out.iter().filter(|&&b| b == g).count();
            prop_assert!(count(0) * 100 <= max_a as usize * n);
            prop_assert!(count(3) * 100 >= min_d as usize * n);
            // A better total never gets a worse grade.
            for i in 0..n {
                for j in 0..n {
                    if m[i].total > m[j].total {
                        prop_assert!(out[i] <= out[j]);
                    }
                }
            }
            // Grades only move where a quota asks: nobody rises, except into A (none here).
            for i in 0..n {
                prop_assert!(out[i] >= m[i].band);
            }
            let k = shift % n;
            let mut rotated = m.clone();
            rotated.rotate_left(k);
            let mut again = apply_quotas(&rotated, 4, &[(0, &a), (3, &d)]);
            again.rotate_right(k);
            prop_assert_eq!(again, out);
        }
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
