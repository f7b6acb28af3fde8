//! Custom KPI formulas: the live check the formula editor calls as a formula is typed.

use axum::Json;

use crate::WebError;
use crate::auth::{Authorized, Managers};
use crate::kdefs::{self, CheckRequest, FormulaCheck};

/// Checks a KPI formula (admin, manager) against the standard measures, and against a
/// declared unit if one is given: valid with the unit of its result, or the error's stable
/// code, message, 1-based character position and a "did you mean" suggestion. Saves nothing.
#[utoipa::path(post, path = "/api/v1/kpis/check", operation_id = "check_kpi_formula", tag = "kpis",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The check's result, valid or not", body = FormulaCheck),
        (status = 401, description = "Not authenticated", body = crate::api::dto::ErrorBody),
        (status = 403, description = "Only admins and managers edit KPIs", body = crate::api::dto::ErrorBody),
    ))]
pub async fn check(
    _auth: Authorized<Managers>,
    Json(req): Json<CheckRequest>,
) -> Result<Json<FormulaCheck>, WebError> {
    Ok(Json(kdefs::check_request(&req)))
}
