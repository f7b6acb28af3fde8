//! The adjustments block of the agent page: the list for everyone who sees the card, the form
//! for managers while the period is not closed.

use jixiao_core::Period;
use jixiao_core::scorecard::Scorecard;

use super::fmt::{dec2, plain};

/// One adjustment, formatted.
#[derive(Debug, Clone)]
pub struct AdjustmentRowVm {
    /// Points, signed, or "".
    pub points: String,
    /// Pay, signed, two decimals, or "" (also when pay is hidden from the viewer).
    pub pay: String,
    /// The reason.
    pub reason: String,
    /// The closed period corrected, or "".
    pub corrects: String,
    /// Who entered it.
    pub author: String,
    /// When, UTC.
    pub created_at: String,
}

/// What the agent page shows about adjustments.
#[derive(Debug, Clone, Default)]
pub struct AdjustmentsVm {
    /// The agent's adjustments in this period, oldest first.
    pub rows: Vec<AdjustmentRowVm>,
    /// Form action, for managers on a period that is not closed.
    pub action: Option<String>,
    /// The period before, the usual one to correct.
    pub corrects_default: String,
}

impl AdjustmentsVm {
    /// Collects the adjustments from the cards the viewer sees; `can_add` for managers on an
    /// unclosed period.
    pub fn build(
        period: Period,
        employee_no: &str,
        cards: &[Scorecard],
        show_pay: bool,
        can_add: bool,
    ) -> AdjustmentsVm {
        let rows = cards
            .iter()
            .flat_map(|c| &c.adjustments)
            .map(|a| AdjustmentRowVm {
                points: if a.points.is_zero() {
                    String::new()
                } else {
                    plain(a.points)
                },
                pay: if show_pay && !a.pay.is_zero() {
                    dec2(a.pay)
                } else {
                    String::new()
                },
                reason: a.reason.clone(),
                corrects: a.corrects.map(|p| p.to_string()).unwrap_or_default(),
                author: a.author.clone(),
                created_at: a.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            })
            .collect();
        AdjustmentsVm {
            rows,
            action: can_add.then(|| format!("/p/{period}/agents/{employee_no}/adjustments")),
            corrects_default: period.prev().to_string(),
        }
    }
}
