//! Reward and penalty rules applied to the cards of a period (docs/KPIS.md, "Rewards and
//! penalties"), and adding or retiring a rule with the recompute that shows it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::pay::{Adjustment, PayAdjustmentRule, RuleContext, rule_adjustments};
use jixiao_core::scorecard::Scorecard;
use jixiao_core::targets::UnitKey;
use rust_decimal::Decimal;

use crate::{Store, StoreError};

/// The rules in force and the agents' own targets of a period, loaded once per computation.
pub(crate) struct RuleBook {
    rules: Vec<(Option<i64>, PayAdjustmentRule)>,
    targets: HashMap<(i64, i64, String), Decimal>,
    period_days: u32,
}

impl RuleBook {
    /// Loads the rules and, when a rule needs them, the period's agent targets.
    pub(crate) async fn load(
        store: &Store,
        period: Period,
        stored: &[crate::StoredTarget],
    ) -> Result<RuleBook, StoreError> {
        let rules: Vec<_> = store
            .pay_adjustment_rules()
            .await?
            .into_iter()
            .map(|r| (r.department_id, r.rule))
            .collect();
        let mut targets = HashMap::new();
        if !rules.is_empty() {
            for t in stored {
                for a in &t.allocations {
                    if let Ok(UnitKey::Agent { team, employee }) = a.unit.parse() {
                        targets.insert((team, employee, t.plan.measure.clone()), a.target);
                    }
                }
            }
        }
        Ok(RuleBook {
            rules,
            targets,
            period_days: period.days(),
        })
    }

    /// The rewards and penalties of `card` under the rules of its department and the rules
    /// for every department, in the order the rules were added.
    pub(crate) fn adjustments(&self, card: &Scorecard, department: Option<i64>) -> Vec<Adjustment> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let rules: Vec<PayAdjustmentRule> = self
            .rules
            .iter()
            .filter(|(d, _)| d.is_none() || *d == department)
            .map(|(_, r)| r.clone())
            .collect();
        let target_of = |measure: &str| {
            self.targets
                .get(&(card.team_id, card.employee_id, measure.to_string()))
                .copied()
        };
        rule_adjustments(
            card,
            &rules,
            RuleContext {
                period_days: self.period_days,
                target_of: &target_of,
            },
        )
    }
}

/// Adds a rule (audited) and recomputes every computed or in-review period, whose payslips
/// change with it; open periods pick it up when they are computed, closed ones never.
pub async fn add_pay_rule(
    store: &Store,
    department_id: Option<i64>,
    rule: &PayAdjustmentRule,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = store
        .add_pay_adjustment_rule(department_id, rule, by, at)
        .await?;
    super::recompute_scored(store).await?;
    Ok(id)
}

/// Retires a rule (audited) and recomputes as [`add_pay_rule`] does.
pub async fn retire_pay_rule(
    store: &Store,
    id: i64,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.retire_pay_adjustment_rule(id, by, at).await?;
    super::recompute_scored(store).await
}
