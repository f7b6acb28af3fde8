//! Ranking within a team: competition ranking (1, 2, 2, 4) by total score.

use std::collections::BTreeMap;

use super::Scorecard;

/// Sets `rank_in_team` on every scorecard with a total; cards without one stay unranked.
pub fn rank_in_teams(cards: &mut [Scorecard]) {
    let mut by_team: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, c) in cards.iter().enumerate() {
        if c.total.is_some() {
            by_team.entry(c.team_id).or_default().push(i);
        }
    }
    for idx in by_team.values_mut() {
        idx.sort_by(|&a, &b| cards[b].total.cmp(&cards[a].total));
        let mut rank = 0;
        for (pos, &i) in idx.iter().enumerate() {
            if pos == 0 || cards[i].total != cards[idx[pos - 1]].total {
                rank = pos as u32 + 1;
            }
            cards[i].rank_in_team = Some(rank);
        }
    }
    for c in cards.iter_mut().filter(|c| c.total.is_none()) {
        c.rank_in_team = None;
    }
}
