//! The labour budget check: per period and department, total variable pay against the
//! department's budget (docs/KPIS.md, "Points and pay").

use jixiao_core::Period;
use jixiao_core::pay::{BudgetCheck, Payslip, budget_check};

use crate::{CardFilter, Store, StoreError};

/// One department's budget check for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentBudget {
    /// The period.
    pub period: Period,
    /// The department's id.
    pub department_id: i64,
    /// The department's name.
    pub department: String,
    /// Σ variable pay of its stored cards against its budget.
    pub check: BudgetCheck,
}

/// The budget checks of `periods` for every department with a budget, from the stored cards
/// (what the pages and the payroll show). Periods with no cards are skipped.
pub async fn budget_checks(
    store: &Store,
    periods: &[Period],
) -> Result<Vec<DepartmentBudget>, StoreError> {
    let budgets: Vec<_> = store
        .all_pay_rules()
        .await?
        .into_iter()
        .filter_map(|(d, r)| Some((d, r.budget?)))
        .collect();
    if budgets.is_empty() {
        return Ok(Vec::new());
    }
    let departments = store.departments().await?;
    let mut out = Vec::new();
    for &period in periods {
        for &(department_id, budget) in &budgets {
            let filter = CardFilter {
                department_id: Some(department_id),
                ..CardFilter::default()
            };
            let cards = store.scorecards(period, &filter).await?;
            if cards.is_empty() {
                continue;
            }
            let slips: Vec<Payslip> = cards
                .into_iter()
                .map(|c| Payslip {
                    lines: c.pay_lines,
                    total: c.variable_pay,
                    rounding: c.rounding,
                    rounding_dp: c.rounding_dp.unwrap_or(2),
                })
                .collect();
            let department = departments
                .iter()
                .find(|d| d.id == department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            out.push(DepartmentBudget {
                period,
                department_id,
                department,
                check: budget_check(&slips, budget)?,
            });
        }
    }
    out.sort_by(|a, b| (b.period, &a.department).cmp(&(a.period, &b.department)));
    Ok(out)
}
