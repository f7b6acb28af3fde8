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
    /// Catalog key of the lifecycle state (`lc_status_…`).
    pub status_key: &'static str,
    /// Last day of the review window, or "".
    pub review_until: String,
    /// Review form action, for managers on computed or in-review periods.
    pub review_action: Option<String>,
    /// The review window has not ended yet: closing now cuts it short (a warning, not a refusal).
    pub review_running: bool,
    /// Default for the review form's date: the current end, else the month after's 10th.
    pub review_default: String,
}

/// `/periods`.
#[derive(Template)]
#[template(path = "periods.html")]
pub struct PeriodsPage {
    /// Frame.
    pub c: Chrome,
    /// Periods, newest first.
    pub rows: Vec<PeriodRowVm>,
    /// Labour budget checks per period and department (managers only; empty otherwise).
    pub budgets: Vec<super::points::BudgetRowVm>,
    /// Payroll downloads and the point standards link (managers and admins).
    pub can_pay: bool,
    /// The quarters and years the listed months fall in, newest first: (label, link).
    pub spans: Vec<(String, String)>,
}

impl PeriodsPage {
    /// Builds the page; `can_close` for managers and admins.
    pub fn build(c: Chrome, periods: Vec<PeriodInfo>, can_close: bool) -> PeriodsPage {
        let spans = spans_of(periods.iter().map(|p| p.period));
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
                    status_key: status_key(p.status),
                    review_until: p.review_until.map(|d| d.to_string()).unwrap_or_default(),
                    review_action: (can_close && p.status.can_become(PeriodStatus::InReview))
                        .then(|| format!("/p/{period}/review")),
                    review_running: false,
                    review_default: p
                        .review_until
                        .unwrap_or_else(|| p.period.next().first_day() + chrono::Days::new(9))
                        .to_string(),
                    export_href: Some(format!("/p/{period}/export.xlsx")),
                    period,
                }
            })
            .collect();
        PeriodsPage {
            c,
            rows,
            budgets: Vec::new(),
            can_pay: false,
            spans,
        }
    }
}

/// The quarters (`/q/2026-Q3`), then the years (`/y/2026`), that `periods` fall in, newest
/// first, each once.
fn spans_of(periods: impl Iterator<Item = jixiao_core::Period>) -> Vec<(String, String)> {
    let mut quarters = std::collections::BTreeSet::new();
    let mut years = std::collections::BTreeSet::new();
    for p in periods {
        quarters.insert((p.year(), (p.month() - 1) / 3 + 1));
        years.insert(p.year());
    }
    let q = quarters.into_iter().rev().map(|(y, q)| {
        let label = format!("{y}-Q{q}");
        let href = format!("/q/{label}");
        (label, href)
    });
    let y = years
        .into_iter()
        .rev()
        .map(|y| (y.to_string(), format!("/y/{y}")));
    q.chain(y).collect()
}

impl PeriodsPage {
    /// Marks the periods in review whose window has not ended by `today`, so the page warns
    /// before a manager closes them early.
    pub fn warn_running_reviews(&mut self, today: chrono::NaiveDate) {
        let today = today.to_string();
        for r in &mut self.rows {
            // ISO dates compare as strings.
            r.review_running = !r.closed && !r.review_until.is_empty() && r.review_until >= today;
        }
    }
}

/// The catalog key of a lifecycle state.
pub fn status_key(status: PeriodStatus) -> &'static str {
    match status {
        PeriodStatus::Open => "lc_status_open",
        PeriodStatus::Computed => "lc_status_computed",
        PeriodStatus::InReview => "lc_status_in_review",
        PeriodStatus::Closed => "lc_status_closed",
    }
}
