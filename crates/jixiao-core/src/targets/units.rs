//! Units scored on their targets: the keys of the units a target is split to, the additive
//! measures a target can be set on (each read from scorecards, so actuals and history are sums
//! over cards), and a supervisor's or department head's attainment of their unit's targets.
//!
//! A unit's actual is the sum of the measure over its cards; its attainment is actual ÷ target
//! × 100 ([`attainment`]); each target's score is the attainment capped to 0–100 (beating a
//! target earns no more than meeting it, so one target cannot hide another); the unit's score
//! is the mean of its targets' scores. A scheme item scoring [`UNIT_ATTAINMENT`] turns that
//! score into points of the card's total (docs/KPIS.md, "Targets").

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::attainment;
use crate::CoreError;
use crate::money::round_half_up;
use crate::scorecard::Scorecard;

/// The library code of the scheme item that scores a unit's attainment.
pub const UNIT_ATTAINMENT: &str = "unit_attainment";

/// The additive measures a target may be set on: each is a sum, so a unit's value is the sum
/// of its members' and a split adds back up.
pub const TARGET_MEASURES: [&str; 6] = [
    "points",
    "handled",
    "tickets_resolved",
    "chat_sessions",
    "orders_paid",
    "order_amount",
];

/// Whether `measure` can carry a target.
pub fn is_target_measure(measure: &str) -> bool {
    TARGET_MEASURES.contains(&measure)
}

/// A measure's value on one card (Σ over the card's records), `None` for a measure that is no
/// target measure. Points and handled are the card's own; the others are read from the
/// library values that carry them (`tickets_resolved`, `chat_sessions` are their own KPI,
/// `order_amount` is the numerator of `avg_order_value`, `orders_paid` the denominator of
/// `refund_rate`), so a card stored long ago gives the same number as today's engine.
pub fn card_actual(card: &Scorecard, measure: &str) -> Option<Decimal> {
    let lib = |code: &str| card.library.iter().find(|v| v.kpi == code);
    match measure {
        "points" => Some(card.points),
        "handled" => Some(Decimal::from(card.handled)),
        "tickets_resolved" | "chat_sessions" => {
            Some(lib(measure).map_or(Decimal::ZERO, |v| v.numerator))
        }
        "order_amount" => Some(lib("avg_order_value").map_or(Decimal::ZERO, |v| v.numerator)),
        "orders_paid" => Some(lib("refund_rate").map_or(Decimal::ZERO, |v| v.denominator)),
        _ => None,
    }
}

/// A unit of the organisation that a target is split to, written `center`, `department:3`,
/// `team:5` or `agent:5:12` (team 5, employee 12: an agent's share is per team segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKey {
    /// The whole center.
    Center,
    /// A department, by id.
    Department(i64),
    /// A team, by id.
    Team(i64),
    /// An agent's segment in a team.
    Agent {
        /// The team's id.
        team: i64,
        /// The employee's id.
        employee: i64,
    },
}

impl fmt::Display for UnitKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitKey::Center => f.write_str("center"),
            UnitKey::Department(d) => write!(f, "department:{d}"),
            UnitKey::Team(t) => write!(f, "team:{t}"),
            UnitKey::Agent { team, employee } => write!(f, "agent:{team}:{employee}"),
        }
    }
}

impl FromStr for UnitKey {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, CoreError> {
        let bad = || {
            CoreError::invalid(
                "unit",
                s,
                "expected center, department:N, team:N or agent:T:E",
            )
        };
        let mut parts = s.split(':');
        let kind = parts.next().ok_or_else(bad)?;
        let ids: Vec<i64> = parts
            .map(|p| p.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match (kind, ids.as_slice()) {
            ("center", []) => Ok(UnitKey::Center),
            ("department", [d]) => Ok(UnitKey::Department(*d)),
            ("team", [t]) => Ok(UnitKey::Team(*t)),
            ("agent", [team, employee]) => Ok(UnitKey::Agent {
                team: *team,
                employee: *employee,
            }),
            _ => Err(bad()),
        }
    }
}

/// One target of a unit: the target, the summed actual and what they give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttainmentRow {
    /// The measure the target is set on.
    pub measure: String,
    /// The units whose targets and actuals are summed (`team:5`, or several teams a
    /// supervisor leads).
    pub units: Vec<String>,
    /// Σ the units' targets.
    pub target: Decimal,
    /// Σ the measure over the units' cards.
    pub actual: Decimal,
    /// How many cards were summed.
    pub cards: u32,
    /// actual ÷ target × 100, two decimals; `None` for a target of 0.
    pub attainment: Option<Decimal>,
    /// The attainment capped to 0–100.
    pub score: Option<Decimal>,
}

impl AttainmentRow {
    /// A row from its sums.
    pub fn new(
        measure: &str,
        units: Vec<String>,
        target: Decimal,
        actual: Decimal,
        cards: u32,
    ) -> Self {
        let attainment = attainment(actual, target);
        AttainmentRow {
            measure: measure.to_string(),
            units,
            target,
            actual,
            cards,
            attainment,
            score: attainment.map(|a| a.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)),
        }
    }
}

/// A unit's attainment of all its targets in a period, as shown on its leader's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAttainment {
    /// `team` (a supervisor's teams) or `department` (a department head's).
    pub level: String,
    /// One row per target measure.
    pub rows: Vec<AttainmentRow>,
    /// The mean of the rows' scores, two decimals; `None` when no row has a score.
    pub score: Option<Decimal>,
}

impl UnitAttainment {
    /// The unit's attainment from its rows.
    pub fn new(level: &str, rows: Vec<AttainmentRow>) -> Self {
        let scored: Vec<Decimal> = rows.iter().filter_map(|r| r.score).collect();
        let score = (!scored.is_empty()).then(|| {
            let sum: Decimal = scored.iter().sum();
            round_half_up(sum / Decimal::from(scored.len()), 2)
        });
        UnitAttainment {
            level: level.to_string(),
            rows,
            score,
        }
    }

    /// Σ of the rows' scores and how many rows have one: the numerator and denominator of the
    /// unit's score.
    pub fn parts(&self) -> (Decimal, Decimal) {
        let scored: Vec<Decimal> = self.rows.iter().filter_map(|r| r.score).collect();
        (scored.iter().sum(), Decimal::from(scored.len()))
    }
}

/// Sums each measure over `cards` and their targets over `targets` (unit, measure, target):
/// the rows of a unit made of `units`. Units without a target of a measure add nothing to
/// it; a measure with no target at all has no row.
pub fn unit_rows<'c>(
    units: &[UnitKey],
    targets: &[(UnitKey, String, Decimal)],
    cards: impl Iterator<Item = &'c Scorecard> + Clone,
) -> Vec<AttainmentRow> {
    let mut measures: Vec<&str> = targets
        .iter()
        .filter(|(u, _, _)| units.contains(u))
        .map(|(_, m, _)| m.as_str())
        .collect();
    measures.sort_unstable();
    measures.dedup();
    measures
        .into_iter()
        .map(|m| {
            let target = targets
                .iter()
                .filter(|(u, tm, _)| tm == m && units.contains(u))
                .map(|(_, _, t)| *t)
                .sum();
            let (mut actual, mut n) = (Decimal::ZERO, 0_u32);
            for c in cards.clone() {
                actual += card_actual(c, m).unwrap_or_default();
                n += 1;
            }
            let names = units.iter().map(ToString::to_string).collect();
            AttainmentRow::new(m, names, target, actual, n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::dec;

    use super::*;

    #[test]
    fn unit_keys_print_and_parse_back() {
        for k in [
            UnitKey::Center,
            UnitKey::Department(3),
            UnitKey::Team(5),
            UnitKey::Agent {
                team: 5,
                employee: 12,
            },
        ] {
            assert_eq!(k.to_string().parse::<UnitKey>().unwrap(), k);
        }
        for bad in ["", "team", "team:x", "agent:5", "dept:1", "center:1"] {
            assert_eq!(bad.parse::<UnitKey>().unwrap_err().code(), "invalid_value");
        }
    }

    #[test]
    fn beating_a_target_scores_100_and_missing_it_scores_the_attainment() {
        let over = AttainmentRow::new("points", vec![], dec!(1000), dec!(1250), 3);
        assert_eq!(over.attainment, Some(dec!(125)));
        assert_eq!(over.score, Some(dec!(100)));
        let under = AttainmentRow::new("points", vec![], dec!(1000), dec!(873.456), 3);
        assert_eq!(under.attainment, Some(dec!(87.35)));
        assert_eq!(under.score, Some(dec!(87.35)));
        let zero = AttainmentRow::new("points", vec![], dec!(0), dec!(5), 1);
        assert_eq!((zero.attainment, zero.score), (None, None));
    }

    #[test]
    fn a_units_score_is_the_mean_of_its_targets_scores_and_no_data_without_any() {
        let u = UnitAttainment::new(
            "team",
            vec![
                AttainmentRow::new("points", vec![], dec!(100), dec!(120), 2),
                AttainmentRow::new("handled", vec![], dec!(300), dec!(200), 2),
                AttainmentRow::new("order_amount", vec![], dec!(0), dec!(1), 2),
            ],
        );
        // (100 + 66.67) / 2
        assert_eq!(u.score, Some(dec!(83.34)));
        assert_eq!(u.parts(), (dec!(166.67), dec!(2)));
        assert_eq!(UnitAttainment::new("team", vec![]).score, None);
    }

    proptest! {
        #[test]
        fn attainment_scores_stay_between_0_and_100(
            target in 1_i64..1_000_000, actual in 0_i64..3_000_000,
        ) {
            let row = AttainmentRow::new("handled", vec![], target.into(), actual.into(), 1);
            let s = row.score.unwrap();
            prop_assert!(s >= Decimal::ZERO && s <= Decimal::ONE_HUNDRED);
            prop_assert_eq!(s == Decimal::ONE_HUNDRED, actual * 100_000 >= target * 99_995);
        }
    }
}
