//! `/config/calibration`: the proposal from measured handle time and its effect on every
//! agent's points and points pay, with the form that applies it from a date.

use askama::Template;
use jixiao_store::service::CalibrationPreview;

use super::Chrome;
use super::fmt::{dec2, opt2, plain};

/// One business type's line.
#[derive(Debug, Clone)]
pub struct LineVm {
    /// Code.
    pub code: String,
    /// Handled calls measured.
    pub handled: u64,
    /// Mean handle seconds or "—".
    pub mean_secs: String,
    /// Ratio to the base or "—".
    pub ratio: String,
    /// Skill factor.
    pub skill: String,
    /// Current coefficient or "—".
    pub current: String,
    /// Proposed coefficient or "—" (no data: keeps its own).
    pub proposed: String,
    /// Whether the proposal changes the coefficient.
    pub changes: bool,
}

/// One agent's effect.
#[derive(Debug, Clone)]
pub struct AgentVm {
    /// Employee number and name.
    pub agent: String,
    /// Points before and after.
    pub points: (String, String),
    /// Points pay before and after, and the change.
    pub pay: (String, String, String),
}

/// The page.
#[derive(Template)]
#[template(path = "calibration.html")]
pub struct CalibrationPage {
    /// Frame.
    pub c: Chrome,
    /// Business type codes for the base select.
    pub types: Vec<String>,
    /// Months with records, newest first.
    pub periods: Vec<String>,
    /// The form's values, to show them again and to post them to apply.
    pub base: String,
    /// Months, comma-separated.
    pub months: String,
    /// Skill factors as typed.
    pub skill: String,
    /// Places.
    pub dp: String,
    /// The proposal's lines, when a base was chosen.
    pub lines: Vec<LineVm>,
    /// Every agent's effect.
    pub agents: Vec<AgentVm>,
    /// Totals: points before/after, pay before/after/change.
    pub totals: Option<(String, String, String, String, String)>,
    /// Why the request was refused, if it was.
    pub error: Option<String>,
    /// The first day of the month after the last chosen one: the default effective date.
    pub default_from: String,
}

impl CalibrationPage {
    /// Fills the proposal and effect.
    pub fn show(&mut self, p: &CalibrationPreview) {
        self.lines = p
            .calibration
            .lines
            .iter()
            .map(|l| LineVm {
                code: l.code.to_string(),
                handled: l.handled,
                mean_secs: opt2(l.mean_secs),
                ratio: l.ratio.map(plain).unwrap_or_else(|| "—".into()),
                skill: plain(l.skill),
                current: l.current.map(plain).unwrap_or_else(|| "—".into()),
                proposed: l.proposed.map(plain).unwrap_or_else(|| "—".into()),
                changes: l.proposed.is_some() && l.proposed != l.current,
            })
            .collect();
        self.agents = p
            .agents
            .iter()
            .map(|a| AgentVm {
                agent: format!("{} {}", a.employee_no, a.name),
                points: (plain(a.points_before), plain(a.points_after)),
                pay: (
                    dec2(a.pay_before),
                    dec2(a.pay_after),
                    format!("{:+.2}", a.pay_after - a.pay_before),
                ),
            })
            .collect();
        self.totals = Some((
            plain(p.points_before),
            plain(p.points_after),
            dec2(p.pay_before),
            dec2(p.pay_after),
            format!("{:+.2}", p.pay_after - p.pay_before),
        ));
        if let Some(last) = p.request.months.iter().max() {
            self.default_from = last.next().first_day().to_string();
        }
    }
}
