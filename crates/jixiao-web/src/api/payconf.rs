//! Unit prices and pay rules per department (admins and managers): listing them and replacing
//! one department's (validated, audited in one transaction, unclosed periods recomputed).

use axum::Json;
use axum::extract::{Path, State};
use jixiao_core::pay::BonusBand;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::payconf::{self, DepartmentPay};
use crate::{AppState, WebError};

/// A band of the bonus table: totals at `min_score` or above earn `coefficient` × the base.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiBonusBand {
    /// The lowest total score of the band (inclusive).
    #[schema(value_type = String)]
    pub min_score: Decimal,
    /// The multiple of the bonus base the band earns.
    #[schema(value_type = String)]
    pub coefficient: Decimal,
}

/// A department's unit price and pay rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayConfig {
    /// The department's code.
    pub department_code: String,
    /// Its name.
    pub department_name: String,
    /// Pay per point; null while the department has no scheme (the price is stored with it).
    #[schema(value_type = Option<String>)]
    pub unit_price: Option<Decimal>,
    /// The KPI bonus base.
    #[schema(value_type = String)]
    pub bonus_base: Decimal,
    /// The score-to-coefficient table, best first, the last band from 0.
    pub bonus_table: Vec<ApiBonusBand>,
    /// Decimal places every payslip line is rounded to (half up).
    pub rounding_dp: u32,
    /// The labour budget of a period; null when none is set.
    #[schema(value_type = Option<String>)]
    pub budget: Option<Decimal>,
}

impl From<DepartmentPay> for ApiPayConfig {
    fn from((d, unit_price, rules): DepartmentPay) -> Self {
        ApiPayConfig {
            department_code: d.code,
            department_name: d.name,
            unit_price,
            bonus_base: rules.bonus_base,
            bonus_table: rules
                .bonus_table
                .bands()
                .iter()
                .map(|b| ApiBonusBand {
                    min_score: b.min_score,
                    coefficient: b.coefficient,
                })
                .collect(),
            rounding_dp: rules.rounding.dp,
            budget: rules.budget,
        }
    }
}

/// A department's new unit price and pay rules; amounts are decimal strings in yuan, at most
/// to the fen.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PayConfigBody {
    /// Pay per point, ≥ 0.
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    /// The KPI bonus base, ≥ 0.
    #[schema(value_type = String)]
    pub bonus_base: Decimal,
    /// The bonus table, best first, scores and coefficients going down, the last from 0.
    pub bonus_table: Vec<ApiBonusBand>,
    /// Rounding places, 0 to 4.
    pub rounding_dp: u32,
    /// The labour budget of a period; null or absent for none.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub budget: Option<Decimal>,
}

/// Every department with its unit price and pay rules, by code (admin, manager).
#[utoipa::path(get, path = "/api/v1/pay-config", operation_id = "pay_config", tag = "pay",
    responses(
        (status = 200, description = "The departments' pay configuration", body = [ApiPayConfig]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see pay configuration", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiPayConfig>>, WebError> {
    let all = payconf::all(&state.store).await?;
    Ok(Json(all.into_iter().map(ApiPayConfig::from).collect()))
}

/// Replaces a department's unit price and pay rules (admin, manager): validated, stored in
/// one transaction with an audit entry (`pay.update`, before and after), then every computed
/// or in-review period is recomputed; closed periods keep their snapshot. 422
/// `invalid_input` with the reason (a negative or sub-fen amount, bands out of order, a
/// department without a scheme yet), and nothing is stored.
#[utoipa::path(put, path = "/api/v1/pay-config/{department_code}", operation_id = "set_pay_config", tag = "pay",
    params(("department_code" = String, Path, description = "The department's code, e.g. CALL")),
    request_body = PayConfigBody,
    responses(
        (status = 200, description = "The stored configuration", body = ApiPayConfig),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers change pay configuration", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
        (status = 422, description = "Refused; the message says why", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(code): Path<String>,
    Json(body): Json<PayConfigBody>,
) -> Result<Json<ApiPayConfig>, WebError> {
    let (d, _, _) = payconf::one(&state.store, &code).await?;
    let bands = body
        .bonus_table
        .into_iter()
        .map(|b| BonusBand {
            min_score: b.min_score,
            coefficient: b.coefficient,
        })
        .collect();
    let (price, rules) = payconf::validated(
        body.unit_price,
        body.bonus_base,
        bands,
        body.rounding_dp,
        body.budget,
    )?;
    payconf::save(&state.store, d.id, price, &rules, &auth.user.user.username).await?;
    Ok(Json(payconf::one(&state.store, &code).await?.into()))
}
