//! Relative scoring: the percentile rank of a value among its peers, a post-pass over all
//! cards of a period (like [`crate::scorecard::rank_in_teams`]).
//!
//! The published percentile rank: `(B + E / 2) ÷ N × 100`, where N is the peers with data in
//! the group (the agent included), B those strictly worse and E those equal (the agent
//! included). Equal values share a score, a lone agent scores 50, the best of N scores
//! `(N − ½) ÷ N × 100`, and the score does not depend on the order of the cards.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PercentileRule;
use crate::kpi::{Direction, KpiCode};
use crate::money::round_half_up;
use crate::scheme::Scheme;
use crate::scorecard::Scorecard;

/// Who an agent is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerGroup {
    /// The agents of the same team.
    Team,
    /// The agents of the same department.
    Department,
}

impl PeerGroup {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            PeerGroup::Team => "team",
            PeerGroup::Department => "department",
        }
    }
}

/// The percentile rank of each entry's value within its group, two decimals, in input order;
/// entries with no value get none and do not count as peers.
pub fn percentile_scores<G: Ord>(
    entries: &[(G, Option<Decimal>)],
    direction: Direction,
) -> Vec<Option<Decimal>> {
    let mut groups: BTreeMap<&G, Vec<Decimal>> = BTreeMap::new();
    for (g, v) in entries {
        if let Some(v) = v {
            groups.entry(g).or_default().push(*v);
        }
    }
    for values in groups.values_mut() {
        values.sort_unstable();
    }
    entries
        .iter()
        .map(|(g, v)| {
            let v = (*v)?;
            let values = &groups[g];
            let below = values.partition_point(|x| *x < v);
            let equal = values.partition_point(|x| *x <= v) - below;
            let worse = match direction {
                Direction::HigherIsBetter => below,
                Direction::LowerIsBetter => values.len() - below - equal,
            };
            let half_ranks = Decimal::from(2 * worse + equal);
            let n = Decimal::from(2 * values.len());
            Some(round_half_up(half_ranks * Decimal::ONE_HUNDRED / n, 2))
        })
        .collect()
}

/// Scores `kpi` on every card by percentile rank among the cards with the same `group_of`
/// key (the team id, or the team's department), then recomputes each changed card's total
/// and grade under `scheme`. Run it before [`crate::scorecard::rank_in_teams`].
pub fn apply_percentile<G: Ord>(
    cards: &mut [Scorecard],
    kpi: KpiCode,
    rule: &PercentileRule,
    group_of: impl Fn(&Scorecard) -> G,
    scheme: &Scheme,
) {
    let entries: Vec<(G, Option<Decimal>)> = cards
        .iter()
        .map(|c| {
            let v = c
                .kpis
                .iter()
                .find(|k| k.kpi == kpi)
                .and_then(|k| k.value.value);
            (group_of(c), v)
        })
        .collect();
    let scores = percentile_scores(&entries, rule.direction);
    for (card, score) in cards.iter_mut().zip(scores) {
        let Some(k) = card.kpis.iter_mut().find(|k| k.kpi == kpi) else {
            continue;
        };
        k.score = score;
        k.rule = rule.describe();
        k.linear = None;
        retotal(card, scheme);
    }
}

/// The total as `score_segment` computes it (weighted scores, less deductions).
fn retotal(card: &mut Scorecard, scheme: &Scheme) {
    card.total = crate::scorecard::total_of(&card.kpis);
    card.grade = card.total.map(|t| scheme.grade(t));
}
