//! `/config/points` (point standards per business type, with history) and the labour budget
//! rows of the periods page.

use askama::Template;
use jixiao_core::pay::BudgetStatus;
use jixiao_store::service::DepartmentBudget;
use jixiao_store::{BusinessType, StoredStandard};

use super::Chrome;
use super::fmt::{dec2, opt2, plain};

/// One version of a standard.
#[derive(Debug, Clone)]
pub struct StandardVm {
    /// Points per unit.
    pub coefficient: String,
    /// Catalog key of the unit.
    pub unit_key: &'static str,
    /// First day it applies.
    pub effective_from: String,
    /// Who added it and when.
    pub created: String,
}

/// A business type with its standards, newest first.
#[derive(Debug, Clone)]
pub struct TypeVm {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its own coefficient, used while no standard is in force.
    pub fallback: String,
    /// Versions, newest first.
    pub versions: Vec<StandardVm>,
}

/// `/config/points`.
#[derive(Template)]
#[template(path = "points.html")]
pub struct PointsPage {
    /// Frame.
    pub c: Chrome,
    /// Types by code.
    pub types: Vec<TypeVm>,
    /// Catalog key of why the last submission was refused, if it was.
    pub error_key: Option<&'static str>,
    /// Set after a successful add.
    pub added: bool,
}

fn unit_key(unit: &str) -> &'static str {
    match unit {
        "per_minute" => "pts_unit_per_minute",
        "per_item" => "pts_unit_per_item",
        _ => "pts_unit_per_interaction",
    }
}

impl PointsPage {
    /// Builds the page from the business types and every stored standard.
    pub fn build(c: Chrome, types: Vec<BusinessType>, standards: Vec<StoredStandard>) -> Self {
        let types = types
            .into_iter()
            .map(|t| {
                let mut versions: Vec<StandardVm> = standards
                    .iter()
                    .filter(|s| s.standard.type_code == t.code)
                    .map(|s| StandardVm {
                        coefficient: plain(s.standard.coefficient),
                        unit_key: unit_key(jixiao_store::unit_str(s.standard.unit)),
                        effective_from: s.standard.effective_from.to_string(),
                        created: format!(
                            "{} {}",
                            s.created_by,
                            s.created_at.format("%Y-%m-%d %H:%M UTC")
                        ),
                    })
                    .collect();
                versions.reverse();
                TypeVm {
                    code: t.code.to_string(),
                    name: t.name,
                    fallback: plain(t.coefficient),
                    versions,
                }
            })
            .collect();
        PointsPage {
            c,
            types,
            error_key: None,
            added: false,
        }
    }
}

/// One department's labour budget in one period, for the periods page.
#[derive(Debug, Clone)]
pub struct BudgetRowVm {
    /// `YYYY-MM`.
    pub period: String,
    /// Department name.
    pub department: String,
    /// Σ variable pay.
    pub total_pay: String,
    /// The budget.
    pub budget: String,
    /// total − budget, signed.
    pub difference: String,
    /// Percent of the budget used, or "—".
    pub used: String,
    /// Catalog key of over / on / under.
    pub status_key: &'static str,
    /// CSS class of the status badge.
    pub status_class: &'static str,
}

impl BudgetRowVm {
    /// Formats a budget check.
    pub fn new(b: &DepartmentBudget) -> Self {
        let (status_key, status_class) = match b.check.status {
            BudgetStatus::Over => ("pts_budget_over", "closed"),
            BudgetStatus::OnBudget => ("pts_budget_on", "open"),
            BudgetStatus::Under => ("pts_budget_under", "open"),
        };
        BudgetRowVm {
            period: b.period.to_string(),
            department: b.department.clone(),
            total_pay: dec2(b.check.total_pay),
            budget: dec2(b.check.budget),
            difference: format!("{:+.2}", b.check.difference),
            used: opt2(b.check.used_percent),
            status_key,
            status_class,
        }
    }
}
