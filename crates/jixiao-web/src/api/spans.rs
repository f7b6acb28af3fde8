//! Quarters and years: every agent's span from the summed months, in the caller's scope.

use axum::Json;
use axum::extract::{Path, Query, State};
use jixiao_store::service::SpanView;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::CurrentUser;
use crate::spans::{SpanQuery, view};
use crate::{AppState, WebError};

/// A month of the span.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSpanMonth {
    /// `YYYY-MM`.
    pub period: String,
    /// `open`, `computed`, `in_review`, `closed`, or null when the month has no records.
    pub status: Option<String>,
    /// Whether its cards are counted.
    pub included: bool,
}

/// A KPI over the span: Σ numerators ÷ Σ denominators.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSpanKpi {
    /// Library code.
    pub kpi: String,
    /// Σ numerators.
    pub numerator: Decimal,
    /// Σ denominators.
    pub denominator: Decimal,
    /// The value, two decimals; null is no data.
    pub value: Option<Decimal>,
}

/// One agent over the span.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSpanAgent {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// The months with a card of theirs.
    pub months: Vec<String>,
    /// Σ days.
    pub days: u32,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// Σ variable pay; null for roles that do not see pay.
    pub variable_pay: Option<Decimal>,
    /// Every standard library KPI from the summed months.
    pub kpis: Vec<ApiSpanKpi>,
    /// The mean of the monthly totals weighted by days; null without any total.
    pub score: Option<Decimal>,
    /// The score's grade under the scheme of the department of the agent's last card.
    pub grade: Option<String>,
}

/// A quarter or a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSpan {
    /// `2026-Q3` or `2026`.
    pub span: String,
    /// The fiscal year's first month.
    pub fiscal_start: u32,
    /// Whether only closed months count.
    pub closed_only: bool,
    /// Every month of the span and whether it counts.
    pub months: Vec<ApiSpanMonth>,
    /// The agents the caller may see.
    pub agents: Vec<ApiSpanAgent>,
}

fn api(v: SpanView, sees_pay: bool) -> ApiSpan {
    ApiSpan {
        span: v.span,
        fiscal_start: v.fiscal_start,
        closed_only: v.closed_only,
        months: v
            .months
            .into_iter()
            .map(|m| ApiSpanMonth {
                period: m.period.to_string(),
                status: m.status.map(|s| s.as_str().to_string()),
                included: m.included,
            })
            .collect(),
        agents: v
            .rows
            .into_iter()
            .map(|r| ApiSpanAgent {
                employee_no: r.agent.employee_no,
                name: r.agent.name,
                months: r.agent.months.iter().map(ToString::to_string).collect(),
                days: r.agent.days,
                handled: r.agent.handled,
                points: r.agent.points,
                variable_pay: sees_pay.then_some(r.agent.variable_pay),
                kpis: r
                    .agent
                    .library
                    .into_iter()
                    .map(|l| ApiSpanKpi {
                        kpi: l.kpi,
                        numerator: l.numerator,
                        denominator: l.denominator,
                        value: l.value,
                    })
                    .collect(),
                score: r.agent.score,
                grade: r.grade,
            })
            .collect(),
    }
}

/// A quarter (`2026-Q3`), every agent from the summed months in the caller's scope.
#[utoipa::path(get, path = "/api/v1/quarters/{quarter}", operation_id = "quarter", tag = "scores",
    params(("quarter" = String, Path, description = "YYYY-Qn, for example 2026-Q3"), SpanQuery),
    responses(
        (status = 200, description = "The quarter", body = ApiSpan),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "Not a quarter", body = ErrorBody),
    ))]
pub async fn quarter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(quarter): Path<String>,
    Query(q): Query<SpanQuery>,
) -> Result<Json<ApiSpan>, WebError> {
    if !quarter.contains("-Q") {
        return Err(WebError::NotFound);
    }
    let v = view(&state.store, &user, &quarter, &q).await?;
    Ok(Json(api(v, user.user.role.sees_pay())))
}

/// A year (`2026`), every agent from the summed months in the caller's scope.
#[utoipa::path(get, path = "/api/v1/years/{year}", operation_id = "year", tag = "scores",
    params(("year" = String, Path, description = "YYYY, for example 2026"), SpanQuery),
    responses(
        (status = 200, description = "The year", body = ApiSpan),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "Not a year", body = ErrorBody),
    ))]
pub async fn year(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<String>,
    Query(q): Query<SpanQuery>,
) -> Result<Json<ApiSpan>, WebError> {
    if year.contains("-Q") {
        return Err(WebError::NotFound);
    }
    let v = view(&state.store, &user, &year, &q).await?;
    Ok(Json(api(v, user.user.role.sees_pay())))
}
