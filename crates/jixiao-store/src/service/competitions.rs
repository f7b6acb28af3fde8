//! Competition standings, computed from stored scorecards: points are summed, a library KPI
//! is Σ numerator ÷ Σ denominator over every card of the entrant in the range (never an
//! average of ratios), the total score is the mean of the cards' totals.
//!
//! A year-long competition of a whole center reads tens of thousands of cards, so only what
//! the metric needs is read ([`Figures`]): points and total from the cards' summary columns
//! (points kept to 4 decimals, totals to 2, as the engine rounds them), a KPI's numerator and
//! denominator from the card itself, and only for the entrants' cards.

use std::collections::BTreeMap;

use jixiao_core::kpi::standard_kpi;
use jixiao_core::money::round_half_up;
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;

use crate::{Competition, EntrantKind, Store, StoreError};

/// What a competition reads of one scorecard, or of several of one entrant already summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The card's team segment (for summed figures of a team: that team).
    pub team_id: i64,
    /// The agent (for summed figures of an agent: that agent).
    pub employee_id: i64,
    /// Scorecards these figures are of.
    pub cards: u32,
    /// Workload points, summed.
    pub points: Decimal,
    /// The total scores, summed over the cards that have one.
    pub total_sum: Decimal,
    /// Cards with a total score.
    pub totals: u32,
    /// The competition's library KPI: (Σ numerator, Σ denominator); `None` without data.
    pub kpi: Option<(Decimal, Decimal)>,
}

impl Figures {
    /// The figures of a whole card for `metric`.
    pub fn of(card: &Scorecard, metric: &str) -> Figures {
        Figures {
            team_id: card.team_id,
            employee_id: card.employee_id,
            cards: 1,
            points: card.points,
            total_sum: card.total.unwrap_or_default(),
            totals: u32::from(card.total.is_some()),
            kpi: card
                .library
                .iter()
                .find(|l| l.kpi == metric)
                .map(|l| (l.numerator, l.denominator)),
        }
    }
}

/// One entrant's place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    /// 1 for the best; equal values share a rank (1, 2, 2, 4). `None` without data.
    pub rank: Option<u32>,
    /// Team id or employee id.
    pub entrant_id: i64,
    /// Team name or agent name.
    pub label: String,
    /// Team code or employee number.
    pub code: String,
    /// The value ranked on (two decimals); `None` without data.
    pub value: Option<Decimal>,
    /// Scorecards counted.
    pub cards: u32,
}

#[derive(Default)]
struct Acc {
    num: Decimal,
    den: Decimal,
    totals: u32,
    cards: u32,
}

impl Acc {
    fn add(&mut self, metric: &str, c: &Figures) {
        self.cards += c.cards;
        match metric {
            "points" => self.num += c.points,
            "total" => {
                self.num += c.total_sum;
                self.totals += c.totals;
            }
            _ => {
                if let Some((n, d)) = c.kpi {
                    self.num += n;
                    self.den += d;
                }
            }
        }
    }

    fn value(&self, metric: &str) -> Option<Decimal> {
        let v = match metric {
            "points" => (self.cards > 0).then_some(self.num),
            "total" => (self.totals > 0).then(|| self.num / Decimal::from(self.totals)),
            code => {
                let formula = standard_kpi(code).map_or("", |k| k.formula);
                if formula.contains('/') {
                    // `N / D` or `N / D * k`: the library keeps N and D, the scale is k.
                    let scale = formula
                        .rsplit_once('*')
                        .and_then(|(_, k)| k.trim().parse::<Decimal>().ok())
                        .unwrap_or(Decimal::ONE);
                    (!self.den.is_zero()).then(|| self.num * scale / self.den)
                } else {
                    (self.cards > 0).then_some(self.num)
                }
            }
        };
        v.map(|v| round_half_up(v, 2))
    }
}

/// Ranks the entrants of `c` over `cards` (every card of every period in its range).
/// `names` gives each entrant's (label, code). Pure.
pub fn standings(
    c: &Competition,
    cards: &[Scorecard],
    names: &BTreeMap<i64, (String, String)>,
) -> Vec<Standing> {
    let figures: Vec<Figures> = cards.iter().map(|k| Figures::of(k, &c.metric)).collect();
    standings_of(c, &figures, names)
}

/// [`standings`] over the figures the metric needs. Pure.
pub fn standings_of(
    c: &Competition,
    cards: &[Figures],
    names: &BTreeMap<i64, (String, String)>,
) -> Vec<Standing> {
    let mut acc: BTreeMap<i64, Acc> = c.entrants.iter().map(|e| (*e, Acc::default())).collect();
    for card in cards {
        let key = match c.entrant_kind {
            EntrantKind::Team => card.team_id,
            EntrantKind::Agent => card.employee_id,
        };
        if let Some(a) = acc.get_mut(&key) {
            a.add(&c.metric, card);
        }
    }
    let mut rows: Vec<Standing> = acc
        .iter()
        .map(|(id, a)| {
            let (label, code) = names.get(id).cloned().unwrap_or_default();
            Standing {
                rank: None,
                entrant_id: *id,
                label,
                code,
                value: a.value(&c.metric),
                cards: a.cards,
            }
        })
        .collect();
    rows.sort_by(|a, b| match (a.value, b.value) {
        (Some(x), Some(y)) if c.higher_is_better => y.cmp(&x).then(a.code.cmp(&b.code)),
        (Some(x), Some(y)) => x.cmp(&y).then(a.code.cmp(&b.code)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.code.cmp(&b.code),
    });
    let mut prev: Option<(Decimal, u32)> = None;
    for (i, row) in (1_u32..).zip(rows.iter_mut()) {
        let Some(v) = row.value else { continue };
        let rank = match prev {
            Some((pv, pr)) if pv == v => pr,
            _ => i,
        };
        row.rank = Some(rank);
        prev = Some((v, rank));
    }
    rows
}

/// The standings of a competition from the stored scorecards of its periods.
pub async fn competition_standings(
    store: &Store,
    c: &Competition,
) -> Result<Vec<Standing>, StoreError> {
    let cards = store.competition_figures(c).await?;
    let names: BTreeMap<i64, (String, String)> = match c.entrant_kind {
        EntrantKind::Team => store
            .teams()
            .await?
            .into_iter()
            .map(|t| (t.id, (t.name, t.code)))
            .collect(),
        EntrantKind::Agent => store
            .employees()
            .await?
            .into_iter()
            .map(|e| (e.id, (e.name, e.employee_no.to_string())))
            .collect(),
    };
    Ok(standings_of(c, &cards, &names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use rust_decimal::dec;

    fn comp(metric: &str, higher: bool) -> Competition {
        Competition {
            id: 1,
            name: "Q4".into(),
            metric: metric.into(),
            first_period: "2026-10".parse().unwrap(),
            last_period: "2026-10".parse().unwrap(),
            entrant_kind: EntrantKind::Agent,
            entrants: vec![1, 2, 3, 4],
            higher_is_better: higher,
            prize: String::new(),
            created_by: "m".into(),
            created_at: Utc::now(),
        }
    }

    fn card(employee_id: i64, points: Decimal) -> Scorecard {
        let mut c: Scorecard = serde_json::from_value(serde_json::json!({
            "employee_id": employee_id, "employee_no": format!("A{employee_id}"), "name": "",
            "team_id": 1, "days": 31, "handled": 0, "points": "0", "points_lines": [],
            "kpis": [], "total": null, "grade": null, "rank_in_team": null,
            "unit_price": "0", "variable_pay": "0", "rounding": "", "notes": []
        }))
        .unwrap();
        c.points = points;
        c
    }

    #[test]
    fn equal_values_share_a_rank_and_entrants_without_cards_come_last_unranked() {
        let cards = [card(1, dec!(10)), card(2, dec!(30)), card(3, dec!(10))];
        let rows = standings(&comp("points", true), &cards, &BTreeMap::new());
        let got: Vec<(i64, Option<u32>)> = rows.iter().map(|r| (r.entrant_id, r.rank)).collect();
        assert_eq!(got, [(2, Some(1)), (1, Some(2)), (3, Some(2)), (4, None)]);
        let rows = standings(&comp("points", false), &cards, &BTreeMap::new());
        assert_eq!(rows[0].entrant_id, 1);
        assert_eq!(rows[2].rank, Some(3));
    }
}
