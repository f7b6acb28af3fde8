//! Which scheme scored a card (a department's, or a position's within the department), and
//! forced-distribution quotas applied to the grades of a population of cards.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Scorecard, finish};
use crate::distribution::{Graded, QuotaScope, apply_quotas};
use crate::scheme::Scheme;

/// Where a card's scheme came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SchemeSource {
    /// The department's scheme.
    Department,
    /// The scheme of the employee's position within the department.
    Position {
        /// The position, as on the employee (`Senior agent`).
        position: String,
    },
}

/// The scheme a card was scored under and, when a quota moved its grade, the grade the
/// total alone earns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeUse {
    /// The department's scheme or a position's.
    pub source: SchemeSource,
    /// The grade of the total's band, when a forced-distribution quota changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_by_score: Option<String>,
    /// The quota that changed it, in English words ("A at most 20 %"), with the population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<String>,
}

impl SchemeUse {
    /// The card's note for a position's scheme; none for the department's (the usual case).
    pub fn note(&self) -> Option<String> {
        match &self.source {
            SchemeSource::Department => None,
            SchemeSource::Position { position } => Some(format!(
                "scored under the scheme of position \"{position}\" of the department"
            )),
        }
    }
}

/// Records on `card` which scheme scored it and words its notes again (a position's scheme
/// is named in the notes).
pub fn mark_scheme(card: &mut Scorecard, source: SchemeSource, scheme: &Scheme) {
    card.scheme = Some(SchemeUse {
        source,
        grade_by_score: None,
        quota: None,
    });
    finish(card, scheme);
}

type Group = (i64, Option<SchemeSource>, Option<i64>);

/// Applies the enabled forced-distribution quotas of each card's scheme
/// ([`Scheme::active_quotas`], rule in [`apply_quotas`]): the population is the graded cards
/// of the same department (or team, `within = "team"`) scored under the same scheme (the
/// department's, or one position's). A card whose grade moves keeps the grade its total
/// earns in [`SchemeUse::grade_by_score`] and a note says why.
///
/// `scheme_of` gives a card's scheme and department id (`None`: not graded here). Run it after
/// every pass that totals cards again (percentiles, unit attainment), since those grade from
/// the bands, and before pay, whose reward rules may read the grade. The result does not
/// depend on the order of the cards.
pub fn apply_grade_quotas<'s>(
    cards: &mut [Scorecard],
    scheme_of: impl Fn(&Scorecard) -> Option<(&'s Scheme, i64)>,
) {
    let mut groups: BTreeMap<Group, (&'s Scheme, Vec<usize>)> = BTreeMap::new();
    for (at, card) in cards.iter_mut().enumerate() {
        if let Some(u) = card.scheme.as_mut() {
            u.grade_by_score = None;
            u.quota = None;
        }
        let Some((scheme, department)) = scheme_of(card) else {
            continue;
        };
        let Some(d) = scheme.active_quotas() else {
            continue;
        };
        if card.total.is_none() {
            continue;
        }
        let team = (d.within == QuotaScope::Team).then_some(card.team_id);
        let source = card.scheme.as_ref().map(|u| u.source.clone());
        groups
            .entry((department, source, team))
            .or_insert_with(|| (scheme, Vec::new()))
            .1
            .push(at);
    }
    for ((_, _, team), (scheme, members)) in groups {
        let Some(d) = scheme.active_quotas() else {
            continue;
        };
        let graded: Vec<Graded<'_>> = members
            .iter()
            .map(|&at| {
                let c = &cards[at];
                let total = c.total.unwrap_or_default();
                Graded {
                    total,
                    employee_no: &c.employee_no,
                    employee_id: c.employee_id,
                    band: scheme.band_of(total),
                }
            })
            .collect();
        let quotas: Vec<_> = d
            .quotas
            .iter()
            .filter_map(|q| Some((scheme.band_index(&q.grade)?, q)))
            .collect();
        let bands = apply_quotas(&graded, scheme.grades.len(), &quotas);
        let by_score: Vec<usize> = graded.iter().map(|g| g.band).collect();
        let population = members.len();
        let within = if team.is_some() { "team" } else { "department" };
        for ((&at, score_band), band) in members.iter().zip(by_score).zip(bands) {
            if band == score_band {
                continue;
            }
            let by_score = scheme.grades[score_band].grade.clone();
            let grade = scheme.grades[band].grade.clone();
            // Moved down: the score grade's at-most quota, else the new grade's at-least;
            // moved up: the new grade's at-least.
            let quota = quotas
                .iter()
                .find(|(b, q)| band > score_band && *b == score_band && q.max_percent.is_some())
                .or_else(|| quotas.iter().find(|(b, _)| *b == band))
                .map_or_else(String::new, |(_, q)| q.describe());
            let words = format!("{quota} of {population} graded cards in the {within}");
            let card = &mut cards[at];
            card.notes.push(format!(
                "grade {grade} by quota ({words}); the score would give {by_score}"
            ));
            card.grade = Some(grade);
            let u = card.scheme.get_or_insert(SchemeUse {
                source: SchemeSource::Department,
                grade_by_score: None,
                quota: None,
            });
            u.grade_by_score = Some(by_score);
            u.quota = Some(words);
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::{Decimal, dec};

    use super::*;
    use crate::distribution::{Distribution, GradeQuota};
    use crate::kpi::KpiCode;
    use crate::scheme::{GradeBand, SchemeItem};

    fn scheme(max_a: Option<Decimal>, within: QuotaScope) -> Scheme {
        let band = |g: &str, m: i64| GradeBand {
            grade: g.into(),
            min_score: m.into(),
        };
        Scheme {
            items: vec![SchemeItem {
                kpi: KpiCode::Points,
                weight: dec!(100),
                floor: dec!(0),
                target: dec!(100),
                prorate: false,
                library_kpi: None,
                scoring: None,
            }],
            grades: vec![band("A", 90), band("B", 75), band("C", 0)],
            distribution: max_a.map(|p| Distribution {
                enabled: true,
                within,
                quotas: vec![GradeQuota {
                    grade: "A".into(),
                    max_percent: Some(p),
                    min_percent: None,
                }],
            }),
        }
    }

    /// A card of `handled` points (1 point each), so its total is `handled` (capped at 100).
    fn card(s: &Scheme, no: &str, team_id: i64, handled: u64) -> Scorecard {
        let id = no[1..].parse().unwrap();
        crate::scorecard::fixture::inq_card(s, id, no, team_id, handled)
    }

    #[test]
    fn a_quota_moves_the_lowest_ranked_a_to_b_and_the_card_says_so() {
        let s = scheme(Some(dec!(20)), QuotaScope::Department);
        s.validate().unwrap();
        // Five cards, three earn A by score; 20 % of 5 allows one A. Ties: lower number first.
        let mut cards: Vec<Scorecard> = [("A005", 95), ("A002", 92), ("A001", 92), ("A004", 80)]
            .into_iter()
            .chain([("A003", 10)])
            .map(|(no, h)| card(&s, no, 1, h))
            .collect();
        for c in &mut cards {
            mark_scheme(c, SchemeSource::Department, &s);
        }
        apply_grade_quotas(&mut cards, |_| Some((&s, 7)));
        let grades: Vec<_> = cards.iter().map(|c| c.grade.clone().unwrap()).collect();
        assert_eq!(grades, ["A", "B", "B", "B", "C"]);
        let moved = &cards[2];
        let u = moved.scheme.as_ref().unwrap();
        assert_eq!(u.grade_by_score.as_deref(), Some("A"));
        assert_eq!(
            moved.notes.last().unwrap(),
            "grade B by quota (A at most 20 % of 5 graded cards in the department); the score would give A"
        );
        assert_eq!(cards[3].scheme.as_ref().unwrap().grade_by_score, None);
        // Applying again gives the same grades and one note each.
        let before = cards.clone();
        for c in &mut cards {
            finish(c, &s);
        }
        apply_grade_quotas(&mut cards, |_| Some((&s, 7)));
        assert_eq!(cards, before);
    }

    #[test]
    fn quotas_count_within_the_team_when_asked_and_not_across_schemes() {
        let s = scheme(Some(dec!(50)), QuotaScope::Team);
        let mut cards = vec![
            card(&s, "A001", 1, 95),
            card(&s, "A002", 1, 94),
            card(&s, "A003", 2, 93),
            card(&s, "A004", 2, 92),
        ];
        apply_grade_quotas(&mut cards, |_| Some((&s, 7)));
        let grades: Vec<_> = cards.iter().map(|c| c.grade.clone().unwrap()).collect();
        assert_eq!(grades, ["A", "B", "A", "B"]);

        // Department-wide, but A004 and A005 are scored under a position's scheme: their own
        // population (together, 50 % of 5 would allow A001 and A002 an A).
        let d = scheme(Some(dec!(50)), QuotaScope::Department);
        let mut cards: Vec<Scorecard> = [95, 94, 93, 92, 91]
            .into_iter()
            .zip(1..)
            .map(|(h, i)| card(&d, &format!("A00{i}"), 1, h))
            .collect();
        for c in &mut cards[..3] {
            mark_scheme(c, SchemeSource::Department, &d);
        }
        for c in &mut cards[3..] {
            let senior = SchemeSource::Position {
                position: "Senior agent".into(),
            };
            mark_scheme(c, senior, &d);
        }
        assert!(cards[3].notes[0].contains("\"Senior agent\""));
        apply_grade_quotas(&mut cards, |_| Some((&d, 7)));
        let grades: Vec<_> = cards.iter().map(|c| c.grade.clone().unwrap()).collect();
        assert_eq!(grades, ["A", "B", "B", "A", "B"]);
    }

    #[test]
    fn disabled_or_absent_quotas_and_cards_without_a_total_change_nothing() {
        let mut s = scheme(Some(dec!(0)), QuotaScope::Department);
        if let Some(d) = s.distribution.as_mut() {
            d.enabled = false;
        }
        let mut cards = vec![card(&s, "A001", 1, 95), card(&s, "A002", 1, 0)];
        let before = cards.clone();
        apply_grade_quotas(&mut cards, |_| Some((&s, 7)));
        assert_eq!(cards, before);
        let none = scheme(None, QuotaScope::Department);
        apply_grade_quotas(&mut cards, |_| Some((&none, 7)));
        assert_eq!(cards, before);
    }
}
