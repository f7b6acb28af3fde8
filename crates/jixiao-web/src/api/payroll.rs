//! The payroll as JSON, and the period's two workbooks for token clients: the same rows and the
//! same bytes as the pages' `/p/{period}/payroll.csv`, `payroll.xlsx` and `export.xlsx`.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jixiao_import::export::PayrollRow;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers, PeriodPath, PeriodViewers};
use crate::i18n::Lang;
use crate::{AppState, WebError, points, queries};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An .xlsx workbook: the file's bytes, documented as `string`/`binary`.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Workbook(Vec<u8>);

impl Workbook {
    /// The workbook as a download named `file`.
    fn download(self, file: String) -> Response {
        let disposition = format!("attachment; filename=\"{file}\"");
        (
            [
                (header::CONTENT_TYPE, XLSX.to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            self.0,
        )
            .into_response()
    }
}

/// One agent's payroll row: their cards of the period summed, amounts at the rounding rule's
/// places, exactly as the CSV download prints them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayrollRow {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// The period's teams, in card order, joined by " / ".
    pub team: String,
    /// Σ points.
    pub points: Decimal,
    /// Unit price (元/point); null when the agent's cards had different prices.
    pub unit_price: Option<Decimal>,
    /// Σ points pay.
    pub points_pay: Decimal,
    /// Σ KPI bonus.
    pub kpi_bonus: Decimal,
    /// Σ rewards, penalties and corrections.
    pub adjustments: Decimal,
    /// Σ variable pay: the amount to pay.
    pub total: Decimal,
    /// The rounding rule, in the caller's language.
    pub rounding: String,
}

impl From<PayrollRow> for ApiPayrollRow {
    fn from(r: PayrollRow) -> Self {
        ApiPayrollRow {
            employee_no: r.employee_no,
            name: r.name,
            team: r.team,
            points: r.points,
            unit_price: r.unit_price,
            points_pay: r.points_pay,
            kpi_bonus: r.kpi_bonus,
            adjustments: r.adjustments,
            total: r.total,
            rounding: r.rounding,
        }
    }
}

/// A period's payroll.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayroll {
    /// `YYYY-MM`.
    pub period: String,
    /// One row per agent, by employee number.
    pub rows: Vec<ApiPayrollRow>,
}

/// The payroll of the whole center (admin, manager): one row per agent, the rows of
/// `/p/{period}/payroll.csv`, amounts as exact decimal strings.
#[utoipa::path(get, path = "/api/v1/periods/{period}/payroll", operation_id = "period_payroll", tag = "pay",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "The payroll", body = ApiPayroll),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see the payroll", body = ErrorBody),
        (status = 404, description = "Malformed period", body = ErrorBody),
    ))]
pub async fn payroll(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
) -> Result<Json<ApiPayroll>, WebError> {
    let rows = queries::payroll_rows(&state.store, period, lang).await?;
    Ok(Json(ApiPayroll {
        period: period.to_string(),
        rows: rows.into_iter().map(ApiPayrollRow::from).collect(),
    }))
}

/// The payroll workbook (admin, manager): the bytes `/p/{period}/payroll.xlsx` serves.
#[utoipa::path(get, path = "/api/v1/periods/{period}/payroll.xlsx", operation_id = "period_payroll_xlsx", tag = "pay",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "The payroll workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = inline(Workbook)),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see the payroll", body = ErrorBody),
        (status = 404, description = "Malformed period", body = ErrorBody),
    ))]
pub async fn payroll_xlsx(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
) -> Result<Response, WebError> {
    let bytes = points::payroll(&state.store, period, lang, false).await?;
    Ok(Workbook(bytes).download(format!("jixiao-payroll-{period}.xlsx")))
}

/// The scorecard workbook (admin, manager: the whole center; supervisor: the teams they lead):
/// the bytes `/p/{period}/export.xlsx` serves.
#[utoipa::path(get, path = "/api/v1/periods/{period}/export.xlsx", operation_id = "period_export_xlsx", tag = "scores",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "The scorecard workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = inline(Workbook)),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins, managers and supervisors export", body = ErrorBody),
        (status = 404, description = "Malformed period", body = ErrorBody),
    ))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<PeriodViewers>,
    PeriodPath(period): PeriodPath,
) -> Result<Response, WebError> {
    let bytes = queries::export(&state.store, period, &auth.user, lang).await?;
    Ok(Workbook(bytes).download(format!("jixiao-{period}.xlsx")))
}
