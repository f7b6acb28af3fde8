//! `/config/pay-rules`: the reward and penalty rules in force and the form that adds one.

use askama::Template;
use jixiao_core::org::Department;
use jixiao_core::pay::{AdjustmentKind, EVENT_MEASURES};
use jixiao_store::StoredPayRule;

use super::Chrome;
use super::fmt::plain;

/// One rule.
#[derive(Debug, Clone)]
pub struct RuleVm {
    /// Row id.
    pub id: i64,
    /// Department code, or empty for every department.
    pub department: String,
    /// Catalog key of reward or penalty.
    pub kind_key: &'static str,
    /// The condition in words.
    pub condition: String,
    /// The amount.
    pub amount: String,
    /// The cap or empty.
    pub cap: String,
    /// The reason.
    pub reason: String,
    /// Who added it and when.
    pub created: String,
}

/// `/config/pay-rules`.
#[derive(Template)]
#[template(path = "pay_rules.html")]
pub struct PayRulesPage {
    /// Frame.
    pub c: Chrome,
    /// Rules in force.
    pub rules: Vec<RuleVm>,
    /// Departments for the form: (id, code and name).
    pub departments: Vec<(i64, String)>,
    /// Counted events a per-event rule may use.
    pub events: Vec<&'static str>,
    /// Why the last submission was refused, if it was.
    pub error: Option<String>,
    /// Set after a successful change.
    pub saved: bool,
}

impl PayRulesPage {
    /// Builds the page.
    pub fn build(c: Chrome, rules: &[StoredPayRule], departments: &[Department]) -> Self {
        let rules = rules
            .iter()
            .map(|r| RuleVm {
                id: r.id,
                department: r
                    .department_id
                    .and_then(|d| departments.iter().find(|x| x.id == d))
                    .map(|d| d.code.clone())
                    .unwrap_or_default(),
                kind_key: match r.rule.kind {
                    AdjustmentKind::Reward => "pr_reward",
                    AdjustmentKind::Penalty => "pr_penalty",
                },
                condition: crate::rewards::describe(&r.rule),
                amount: plain(r.rule.amount),
                cap: r.rule.cap.map(plain).unwrap_or_default(),
                reason: r.rule.reason.clone(),
                created: format!(
                    "{} {}",
                    r.created_by,
                    r.created_at.format("%Y-%m-%d %H:%M UTC")
                ),
            })
            .collect();
        PayRulesPage {
            c,
            rules,
            departments: departments
                .iter()
                .map(|d| (d.id, format!("{} {}", d.code, d.name)))
                .collect(),
            events: EVENT_MEASURES.to_vec(),
            error: None,
            saved: false,
        }
    }
}
