//! `/q/{quarter}` and `/y/{year}`: every agent's quarter or year from the summed months.

use askama::Template;
use jixiao_store::service::SpanView;

use super::Chrome;
use super::fmt::{dec2, opt2, plain};

/// The KPIs shown as columns, by library code.
pub const COLUMNS: [&str; 4] = ["aht", "csat", "qa", "fcr"];

/// One month of the span.
#[derive(Debug, Clone)]
pub struct MonthVm {
    /// `YYYY-MM`.
    pub period: String,
    /// Catalog key of its status (or of "no records").
    pub status_key: &'static str,
    /// Counted?
    pub included: bool,
}

/// One agent.
#[derive(Debug, Clone)]
pub struct RowVm {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Months with a card.
    pub months: usize,
    /// Σ days.
    pub days: u32,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: String,
    /// The `COLUMNS` values.
    pub kpis: Vec<String>,
    /// The day-weighted mean of the monthly totals.
    pub score: String,
    /// Its grade.
    pub grade: String,
    /// Σ variable pay.
    pub pay: String,
}

/// The page.
#[derive(Template)]
#[template(path = "span.html")]
pub struct SpanPage {
    /// Frame.
    pub c: Chrome,
    /// `2026-Q3` or `2026`.
    pub span: String,
    /// The months.
    pub months: Vec<MonthVm>,
    /// Agents.
    pub rows: Vec<RowVm>,
    /// The KPI columns' catalog keys.
    pub columns: Vec<String>,
    /// Pay shown?
    pub show_pay: bool,
    /// The fiscal year's first month.
    pub fiscal_start: u32,
    /// Only closed months?
    pub closed_only: bool,
}

fn status_key(s: Option<jixiao_core::period::PeriodStatus>) -> &'static str {
    use jixiao_core::period::PeriodStatus::*;
    match s {
        None => "span_no_records",
        Some(Open) => "lc_status_open",
        Some(Computed) => "lc_status_computed",
        Some(InReview) => "lc_status_in_review",
        Some(Closed) => "lc_status_closed",
    }
}

impl SpanPage {
    /// Builds the page.
    pub fn build(c: Chrome, v: &SpanView, show_pay: bool) -> Self {
        SpanPage {
            c,
            span: v.span.clone(),
            months: v
                .months
                .iter()
                .map(|m| MonthVm {
                    period: m.period.to_string(),
                    status_key: status_key(m.status),
                    included: m.included,
                })
                .collect(),
            rows: v
                .rows
                .iter()
                .map(|r| {
                    let a = &r.agent;
                    RowVm {
                        employee_no: a.employee_no.clone(),
                        name: a.name.clone(),
                        months: a.months.len(),
                        days: a.days,
                        handled: a.handled,
                        points: plain(a.points),
                        kpis: COLUMNS
                            .iter()
                            .map(|k| {
                                opt2(a.library.iter().find(|v| v.kpi == *k).and_then(|v| v.value))
                            })
                            .collect(),
                        score: opt2(a.score),
                        grade: r.grade.clone().unwrap_or_else(|| "—".into()),
                        pay: dec2(a.variable_pay),
                    }
                })
                .collect(),
            columns: COLUMNS.iter().map(|k| format!("lib_name_{k}")).collect(),
            show_pay,
            fiscal_start: v.fiscal_start,
            closed_only: v.closed_only,
        }
    }
}
