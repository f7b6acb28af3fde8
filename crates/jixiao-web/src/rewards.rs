//! Reward and penalty rules for the pages and the API: the add-a-rule form read into a rule,
//! and a rule in words.

use jixiao_core::pay::{AdjustmentKind, PayAdjustmentRule, RuleTrigger};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::HasCsrf;

/// The add-a-rule form of `/config/pay-rules`.
#[derive(Debug, Default, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    csrf: String,
    /// The department's id; empty for every department.
    #[serde(default)]
    pub department_id: String,
    /// `reward` or `penalty`.
    #[serde(default)]
    pub kind: String,
    /// `grade`, `per_event` or `per_unit_above`.
    #[serde(default)]
    pub when: String,
    /// The grade (for `grade`).
    #[serde(default)]
    pub grade: String,
    /// The measure (for `per_event` and `per_unit_above`).
    #[serde(default)]
    pub measure: String,
    /// The threshold (for `per_unit_above`); empty is the agent's own target.
    #[serde(default)]
    pub threshold: String,
    /// The amount once, per event or per unit.
    #[serde(default)]
    pub amount: String,
    /// The most one card may get; empty for no cap.
    #[serde(default)]
    pub cap: String,
    /// The reason printed on the payslip.
    #[serde(default)]
    pub reason: String,
}

impl HasCsrf for RuleForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn decimal(what: &str, s: &str) -> Result<Option<Decimal>, WebError> {
    match s.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| WebError::Invalid(format!("{what} {v:?} is not a number"))),
    }
}

impl RuleForm {
    /// The department (None: every department) and the rule the form describes.
    pub fn rule(&self) -> Result<(Option<i64>, PayAdjustmentRule), WebError> {
        let department = match self.department_id.trim() {
            "" => None,
            d => Some(
                d.parse()
                    .map_err(|_| WebError::Invalid("department".into()))?,
            ),
        };
        let kind = match self.kind.trim() {
            "reward" => AdjustmentKind::Reward,
            "penalty" => AdjustmentKind::Penalty,
            k => return Err(WebError::Invalid(format!("kind {k:?}"))),
        };
        let measure = self.measure.trim().to_string();
        let trigger = match self.when.trim() {
            "grade" => RuleTrigger::Grade {
                grade: self.grade.trim().to_string(),
            },
            "per_event" => RuleTrigger::PerEvent { measure },
            "per_unit_above" => RuleTrigger::PerUnitAbove {
                measure,
                threshold: decimal("threshold", &self.threshold)?,
            },
            w => return Err(WebError::Invalid(format!("trigger {w:?}"))),
        };
        let amount = decimal("amount", &self.amount)?
            .ok_or_else(|| WebError::Invalid("amount is required".into()))?;
        Ok((
            department,
            PayAdjustmentRule {
                kind,
                trigger,
                amount,
                cap: decimal("cap", &self.cap)?,
                reason: self.reason.trim().to_string(),
            },
        ))
    }
}

/// The rule's condition in words (English and Chinese side by side are not needed: the
/// codes are the same in both catalogs).
pub fn describe(rule: &PayAdjustmentRule) -> String {
    match &rule.trigger {
        RuleTrigger::Grade { grade } => format!("grade = {grade}"),
        RuleTrigger::PerEvent { measure } => format!("× {measure}"),
        RuleTrigger::PerUnitAbove {
            measure,
            threshold: Some(t),
        } => format!("× ({measure} − {t})"),
        RuleTrigger::PerUnitAbove {
            measure,
            threshold: None,
        } => format!("× ({measure} − target)"),
    }
}
