//! Quarters and years: the months' stored cards aggregated per agent (docs/KPIS.md,
//! "Quarters and years"). Only computed, in-review or closed months count (or only closed
//! ones when asked); the view says which months are in and which are not.

use std::collections::HashMap;

use jixiao_core::Period;
use jixiao_core::period::PeriodStatus;
use jixiao_core::span::{AgentSpan, Span, aggregate};

use crate::{CardFilter, Store, StoreError};

/// Which months a span counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanOptions {
    /// The first month of the fiscal year (1 = calendar year).
    pub fiscal_start: u32,
    /// Only closed months (final numbers) instead of every computed one.
    pub closed_only: bool,
}

impl Default for SpanOptions {
    fn default() -> Self {
        SpanOptions {
            fiscal_start: 1,
            closed_only: false,
        }
    }
}

/// A month of the span and whether it is counted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpanMonth {
    /// The month.
    pub period: Period,
    /// Its status; `None` when it has no records.
    pub status: Option<PeriodStatus>,
    /// Whether its cards are counted.
    pub included: bool,
}

/// An agent's span with the grade of its score.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpanRow {
    /// The aggregate.
    pub agent: AgentSpan,
    /// The grade of the score under the scheme of the agent's last card (their position's,
    /// else their department's); forced-distribution quotas are not applied to spans.
    pub grade: Option<String>,
}

/// A quarter's or year's view.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpanView {
    /// `2026-Q3` or `2026`.
    pub span: String,
    /// The options it was computed with.
    pub fiscal_start: u32,
    /// Whether only closed months count.
    pub closed_only: bool,
    /// Every month of the span, in order.
    pub months: Vec<SpanMonth>,
    /// One row per agent, by employee number.
    pub rows: Vec<SpanRow>,
}

/// The span's view over the cards `filter` lets through (a supervisor's teams, an agent).
pub async fn span_view(
    store: &Store,
    span: Span,
    options: SpanOptions,
    filter: &CardFilter,
) -> Result<SpanView, StoreError> {
    let status: HashMap<Period, PeriodStatus> = store
        .periods()
        .await?
        .into_iter()
        .map(|p| (p.period, p.status))
        .collect();
    let mut months = Vec::new();
    let mut cards = Vec::new();
    for period in span.months(options.fiscal_start)? {
        let st = status.get(&period).copied();
        let included = match st {
            Some(PeriodStatus::Closed) => true,
            Some(PeriodStatus::Computed | PeriodStatus::InReview) => !options.closed_only,
            _ => false,
        };
        if included {
            cards.push((period, store.scorecards(period, filter).await?));
        }
        months.push(SpanMonth {
            period,
            status: st,
            included,
        });
    }
    // The scheme of each agent's last card (their position's in its department, else the
    // department's) grades the span's score.
    let mut last: HashMap<i64, &jixiao_core::scorecard::Scorecard> = HashMap::new();
    for (_, month) in &cards {
        for c in month {
            last.insert(c.employee_id, c);
        }
    }
    let team_department: HashMap<i64, i64> = store
        .teams()
        .await?
        .into_iter()
        .map(|t| (t.id, t.department_id))
        .collect();
    let departments: std::collections::BTreeSet<i64> = last
        .values()
        .filter_map(|c| team_department.get(&c.team_id).copied())
        .collect();
    let book = match cards.last() {
        Some((period, _)) => super::schemes::SchemeBook::load(store, departments, *period).await?,
        None => super::schemes::SchemeBook::default(),
    };
    let mut rows = Vec::new();
    for agent in aggregate(&cards) {
        let grade = last.get(&agent.employee_id).and_then(|c| {
            let department = *team_department.get(&c.team_id)?;
            let score = agent.score?;
            Some(book.for_card(department, c)?.grade(score))
        });
        rows.push(SpanRow { agent, grade });
    }
    Ok(SpanView {
        span: span.to_string(),
        fiscal_start: options.fiscal_start,
        closed_only: options.closed_only,
        months,
        rows,
    })
}
