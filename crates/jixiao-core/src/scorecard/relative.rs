//! Relative scoring over all cards of a period: scheme items whose rule is a percentile rank
//! get their scores here, once every card has its value, and those cards are totalled again.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Scorecard, finish};
use crate::kpi::Direction;
use crate::scheme::Scheme;
use crate::scoring::{PeerGroup, ScoringRule, percentile_scores};

/// One percentile item's peers: (card index, peer group, value).
type Entries = Vec<(usize, i64, Option<Decimal>)>;

/// Scores every scheme item with a percentile rule by the published percentile rank of its
/// value among the cards of the same team or department (`scoring::percentile_scores`), then
/// recomputes those cards' effective weights, totals, grades and notes.
///
/// `scheme_of` gives a card's scheme and department id (`None`: not scored); cards scored
/// under different schemes of a department ([`super::SchemeSource`]) are ranked apart. Items are matched
/// by position, as `score_segment` lays a card's KPIs out in scheme order, so a library KPI
/// and two items sharing the `kpi` field cannot be confused. Run it before
/// [`super::rank_in_teams`]. The result does not depend on the order of the cards.
///
/// `scoring::apply_percentile` scores one `KpiCode` and refreshes only total and grade; this
/// pass also refreshes the weights and the "no data" notes written before the rank existed.
pub fn apply_percentile_items<'s>(
    cards: &mut [Scorecard],
    scheme_of: impl Fn(&Scorecard) -> Option<(&'s Scheme, i64)>,
) {
    // Keyed by the card's scheme source too: a position's scheme has its own items, so its
    // item i is not the department scheme's item i.
    type Key = (i64, Option<super::SchemeSource>, usize);
    let mut groups: BTreeMap<Key, (Direction, Entries)> = BTreeMap::new();
    let mut schemes: BTreeMap<usize, &'s Scheme> = BTreeMap::new();
    for (at, card) in cards.iter().enumerate() {
        let Some((scheme, department)) = scheme_of(card) else {
            continue;
        };
        for (i, item) in scheme.items.iter().enumerate() {
            let Some(ScoringRule::Percentile(rule)) = &item.scoring else {
                continue;
            };
            let peers = match rule.within {
                PeerGroup::Team => card.team_id,
                PeerGroup::Department => department,
            };
            let value = card.kpis.get(i).and_then(|k| k.value.value);
            let source = card.scheme.as_ref().map(|u| u.source.clone());
            let slot = groups
                .entry((department, source, i))
                .or_insert_with(|| (rule.direction, Vec::new()));
            slot.1.push((at, peers, value));
            schemes.insert(at, scheme);
        }
    }
    for ((_, _, i), (direction, entries)) in groups {
        let keyed: Vec<(i64, Option<Decimal>)> = entries.iter().map(|e| (e.1, e.2)).collect();
        let scores = percentile_scores(&keyed, direction);
        for ((at, _, _), score) in entries.into_iter().zip(scores) {
            if let Some(k) = cards[at].kpis.get_mut(i) {
                k.score = score;
            }
        }
    }
    for (at, scheme) in schemes {
        finish(&mut cards[at], scheme);
    }
}
