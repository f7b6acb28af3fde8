//! A manager's target plan (the whole, a split method per level, explicit values) applied to
//! the organisation of a period: center → departments → teams → agents.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Allocation, SplitMethod, TargetNode, UnitKey, decompose, is_target_measure};
use crate::CoreError;

/// How a center target is split, level by level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetPlan {
    /// The additive measure (`targets::TARGET_MEASURES`).
    pub measure: String,
    /// The center's target.
    pub whole: Decimal,
    /// Decimal places every share keeps (0 for volumes, 2 for money), 0–2.
    pub dp: u32,
    /// Center → departments.
    pub departments: SplitMethod,
    /// Department → teams.
    pub teams: SplitMethod,
    /// Team → agents.
    pub agents: SplitMethod,
    /// Explicit targets by unit key (`department:3`, `team:5`, `agent:5:12`), for the levels
    /// split explicitly.
    #[serde(default)]
    pub explicit: BTreeMap<String, Decimal>,
}

/// A unit of the period's organisation with its previous value (the history a split by
/// history uses); agents are the leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnit {
    /// The unit.
    pub key: UnitKey,
    /// Its value of the measure in the previous period (leaves only; parents sum their parts).
    pub history: Decimal,
    /// Its parts.
    pub parts: Vec<OrgUnit>,
}

impl TargetPlan {
    /// Checks the measure, places and whole.
    pub fn validate(&self) -> Result<(), CoreError> {
        if !is_target_measure(&self.measure) {
            return Err(CoreError::invalid(
                "target measure",
                &self.measure,
                "not an additive measure (points, handled, tickets_resolved, chat_sessions, orders_paid, order_amount)",
            ));
        }
        if self.dp > 2 {
            return Err(CoreError::invalid(
                "target places",
                &self.dp.to_string(),
                "0 to 2",
            ));
        }
        if self.whole < Decimal::ZERO || self.whole.round_dp(self.dp) != self.whole {
            return Err(CoreError::invalid(
                "target",
                &self.whole.to_string(),
                "must be ≥ 0 with at most the chosen decimal places",
            ));
        }
        for (unit, v) in &self.explicit {
            unit.parse::<UnitKey>()?;
            if *v < Decimal::ZERO || v.round_dp(self.dp) != *v {
                return Err(CoreError::invalid(
                    "explicit target",
                    unit,
                    "must be ≥ 0 with at most the chosen decimal places",
                ));
            }
        }
        Ok(())
    }

    /// The split tree of `center` under this plan.
    pub fn tree(&self, center: &OrgUnit) -> TargetNode {
        self.node(center, 0)
    }

    fn node(&self, unit: &OrgUnit, depth: usize) -> TargetNode {
        let split = match depth {
            0 => self.departments,
            1 => self.teams,
            _ => self.agents,
        };
        let key = unit.key.to_string();
        TargetNode {
            explicit: self.explicit.get(&key).copied(),
            unit: key,
            headcount: u32::from(unit.parts.is_empty()),
            history: unit.history,
            split,
            parts: unit.parts.iter().map(|p| self.node(p, depth + 1)).collect(),
        }
    }

    /// Every unit's share, the center first, each unit before its parts (see
    /// [`decompose`]). Fails when explicit values do not add up or nothing can be split by.
    pub fn allocate(&self, center: &OrgUnit) -> Result<Vec<Allocation>, CoreError> {
        self.validate()?;
        decompose(&self.tree(center), self.whole, self.dp)
    }
}

/// For each allocation with parts, the parts' sum when it differs from its target: the check
/// that the parts add back up to the whole (empty when everything adds up).
pub fn mismatches(allocations: &[Allocation]) -> Vec<(String, Decimal, Decimal)> {
    let mut sums: BTreeMap<&str, Decimal> = BTreeMap::new();
    for a in allocations {
        if let Some(p) = &a.parent {
            *sums.entry(p.as_str()).or_default() += a.target;
        }
    }
    allocations
        .iter()
        .filter_map(|a| {
            let s = *sums.get(a.unit.as_str())?;
            (s != a.target).then(|| (a.unit.clone(), a.target, s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::dec;

    use super::*;

    fn agent(team: i64, employee: i64, history: Decimal) -> OrgUnit {
        OrgUnit {
            key: UnitKey::Agent { team, employee },
            history,
            parts: vec![],
        }
    }

    fn org(teams: &[(i64, i64, Vec<Decimal>)]) -> OrgUnit {
        let mut departments: BTreeMap<i64, Vec<OrgUnit>> = BTreeMap::new();
        let mut next = 100;
        for (dept, team, agents) in teams {
            let parts = agents
                .iter()
                .map(|h| {
                    next += 1;
                    agent(*team, next, *h)
                })
                .collect();
            departments.entry(*dept).or_default().push(OrgUnit {
                key: UnitKey::Team(*team),
                history: Decimal::ZERO,
                parts,
            });
        }
        OrgUnit {
            key: UnitKey::Center,
            history: Decimal::ZERO,
            parts: departments
                .into_iter()
                .map(|(d, parts)| OrgUnit {
                    key: UnitKey::Department(d),
                    history: Decimal::ZERO,
                    parts,
                })
                .collect(),
        }
    }

    fn plan(whole: Decimal, dp: u32, splits: [SplitMethod; 3]) -> TargetPlan {
        TargetPlan {
            measure: "points".into(),
            whole,
            dp,
            departments: splits[0],
            teams: splits[1],
            agents: splits[2],
            explicit: BTreeMap::new(),
        }
    }

    #[test]
    fn explicit_departments_then_headcount_then_history_down_to_agents() {
        let center = org(&[
            (1, 11, vec![dec!(10), dec!(30)]),
            (1, 12, vec![dec!(5)]),
            (2, 21, vec![dec!(1)]),
        ]);
        let mut p = plan(
            dec!(1000),
            0,
            [
                SplitMethod::Explicit,
                SplitMethod::Headcount,
                SplitMethod::History,
            ],
        );
        p.explicit.insert("department:1".into(), dec!(900));
        p.explicit.insert("department:2".into(), dec!(100));
        let a = p.allocate(&center).unwrap();
        let get = |u: &str| a.iter().find(|x| x.unit == u).unwrap().target;
        assert_eq!(get("team:11"), dec!(600));
        assert_eq!(get("team:12"), dec!(300));
        assert_eq!(get("agent:11:101"), dec!(150));
        assert_eq!(get("agent:11:102"), dec!(450));
        assert_eq!(get("agent:21:104"), dec!(100));
        assert!(mismatches(&a).is_empty());
    }

    #[test]
    fn explicit_values_that_do_not_add_up_are_refused_naming_the_unit() {
        let center = org(&[(1, 11, vec![dec!(1)]), (2, 21, vec![dec!(1)])]);
        let mut p = plan(
            dec!(1000),
            0,
            [
                SplitMethod::Explicit,
                SplitMethod::Headcount,
                SplitMethod::Headcount,
            ],
        );
        p.explicit.insert("department:1".into(), dec!(600));
        p.explicit.insert("department:2".into(), dec!(300));
        let err = p.allocate(&center).unwrap_err();
        assert_eq!(err.code(), "targets_do_not_add_up");
        assert!(err.to_string().contains("center"), "{err}");
    }

    #[test]
    fn a_measure_that_is_no_sum_is_refused() {
        let mut p = plan(dec!(1), 0, [SplitMethod::Headcount; 3]);
        p.measure = "aht".into();
        assert_eq!(p.validate().unwrap_err().code(), "invalid_value");
    }

    #[test]
    fn a_stored_mismatch_is_reported_with_the_parts_sum() {
        let a = |unit: &str, parent: Option<&str>, target| Allocation {
            unit: unit.into(),
            parent: parent.map(Into::into),
            depth: u32::from(parent.is_some()),
            target,
        };
        let rows = [
            a("center", None, dec!(10)),
            a("department:1", Some("center"), dec!(4)),
            a("department:2", Some("center"), dec!(5)),
        ];
        assert_eq!(
            mismatches(&rows),
            vec![("center".to_string(), dec!(10), dec!(9))]
        );
    }

    proptest! {
        #[test]
        fn every_split_adds_back_up_at_every_level(
            teams in proptest::collection::vec((1_i64..4, proptest::collection::vec(0_u32..500, 1..6)), 1..6),
            whole in 0_u64..10_000_000,
            dp in 0_u32..3,
            by_history in any::<bool>(),
        ) {
            let spec: Vec<(i64, i64, Vec<Decimal>)> = teams
                .iter()
                .enumerate()
                .map(|(i, (d, hs))| (*d, i as i64 + 1, hs.iter().map(|h| Decimal::from(*h + 1)).collect()))
                .collect();
            let center = org(&spec);
            let agents = if by_history { SplitMethod::History } else { SplitMethod::Headcount };
            let whole = Decimal::new(whole as i64, dp);
            let p = plan(whole, dp, [SplitMethod::Headcount, SplitMethod::History, agents]);
            let a = p.allocate(&center).unwrap();
            prop_assert!(mismatches(&a).is_empty());
            prop_assert_eq!(a[0].target, whole);
            let leaves: Decimal = a.iter().filter(|x| x.unit.starts_with("agent:")).map(|x| x.target).sum();
            prop_assert_eq!(leaves, whole);
        }
    }
}
