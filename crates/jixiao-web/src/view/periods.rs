//! The period list.

use askama::Template;
use jixiao_core::period::PeriodStatus;
use jixiao_store::PeriodInfo;

use super::Chrome;

/// One period, formatted.
#[derive(Debug, Clone)]
pub struct PeriodRowVm {
    /// `YYYY-MM`.
    pub period: String,
    /// Link to its scorecards.
    pub href: String,
    /// Closed?
    pub closed: bool,
    /// Snapshot hash or "".
    pub hash: String,
    /// Who closed it and when, or "".
    pub closed_by: String,
    /// When.
    pub closed_at: String,
    /// Close form action, for managers on open periods.
    pub close_action: Option<String>,
    /// Export link, for those who may export.
    pub export_href: Option<String>,
}

/// `/periods`.
#[derive(Template)]
#[template(path = "periods.html")]
pub struct PeriodsPage {
    /// Frame.
    pub c: Chrome,
    /// Periods, newest first.
    pub rows: Vec<PeriodRowVm>,
}

impl PeriodsPage {
    /// Builds the page; `can_close` for managers and admins.
    pub fn build(c: Chrome, periods: Vec<PeriodInfo>, can_close: bool) -> PeriodsPage {
        let rows = periods
            .into_iter()
            .map(|p| {
                let closed = p.status == PeriodStatus::Closed;
                let period = p.period.to_string();
                PeriodRowVm {
                    href: format!("/p/{period}"),
                    closed,
                    hash: p.snapshot_hash.unwrap_or_default(),
                    closed_by: p.closed_by.unwrap_or_default(),
                    closed_at: p
                        .closed_at
                        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default(),
                    close_action: (can_close && !closed).then(|| format!("/p/{period}/close")),
                    export_href: Some(format!("/p/{period}/export.xlsx")),
                    period,
                }
            })
            .collect();
        PeriodsPage { c, rows }
    }
}
