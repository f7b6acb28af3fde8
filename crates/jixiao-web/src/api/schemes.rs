//! Assessment schemes per department (admins and managers): listing them, reading one and
//! replacing one (validated, audited, unclosed periods with cards recomputed).

use axum::Json;
use axum::extract::{Path, State};
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::schemes::{self, DepartmentScheme};
use crate::{AppState, WebError};

/// The shape of a scheme (docs/KPIS.md, "Schemes"), for the document only: the body is
/// read as the engine's `Scheme`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SchemeDoc {
    /// KPIs: `{ kpi, weight, floor, target, prorate, library_kpi?, scoring? }`; weights are
    /// decimal strings and total 100 (a deduction-per-event item weighs 0).
    items: Vec<serde_json::Value>,
    /// Grade bands `{ grade, min_score }`, best first, strictly descending, the last at 0.
    grades: Vec<serde_json::Value>,
}

/// A department and its scheme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDepartmentScheme {
    /// The department's code.
    pub department_code: String,
    /// Its name.
    pub department_name: String,
    /// Unit price per point; null while the department has no rules.
    #[schema(value_type = Option<String>)]
    pub unit_price: Option<Decimal>,
    /// Σ the items' weights; null without a scheme.
    #[schema(value_type = Option<String>)]
    pub weight_total: Option<Decimal>,
    /// The scheme; null while none is set.
    #[schema(value_type = Option<SchemeDoc>)]
    pub scheme: Option<Scheme>,
}

impl From<DepartmentScheme> for ApiDepartmentScheme {
    fn from((d, rules): DepartmentScheme) -> Self {
        let (scheme, unit_price) = match rules {
            Some((s, p)) => (Some(s), Some(p)),
            None => (None, None),
        };
        ApiDepartmentScheme {
            department_code: d.code,
            department_name: d.name,
            unit_price,
            weight_total: scheme
                .as_ref()
                .map(|s| s.items.iter().map(|i| i.weight).sum()),
            scheme,
        }
    }
}

/// Every department with its scheme, by code (admin, manager).
#[utoipa::path(get, path = "/api/v1/schemes", operation_id = "schemes", tag = "schemes",
    responses(
        (status = 200, description = "The departments' schemes", body = [ApiDepartmentScheme]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see schemes", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiDepartmentScheme>>, WebError> {
    let all = schemes::all(&state.store).await?;
    Ok(Json(
        all.into_iter().map(ApiDepartmentScheme::from).collect(),
    ))
}

/// One department's scheme (admin, manager).
#[utoipa::path(get, path = "/api/v1/schemes/{department_code}", operation_id = "scheme", tag = "schemes",
    params(("department_code" = String, Path, description = "The department's code, e.g. CALL")),
    responses(
        (status = 200, description = "The scheme", body = ApiDepartmentScheme),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see schemes", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
) -> Result<Json<ApiDepartmentScheme>, WebError> {
    Ok(Json(schemes::one(&state.store, &code).await?.into()))
}

/// Replaces a department's scheme (admin, manager): validated, stored with an audit entry
/// (`rules.update`), and every computed or in-review period is recomputed; closed periods
/// keep their snapshot. 422 `invalid_input` with the reason (weights not totalling 100, a
/// target not better than its floor, bands out of order, …), and nothing is stored.
#[utoipa::path(put, path = "/api/v1/schemes/{department_code}", operation_id = "set_scheme", tag = "schemes",
    params(("department_code" = String, Path, description = "The department's code, e.g. CALL")),
    request_body = SchemeDoc,
    responses(
        (status = 200, description = "The stored scheme", body = ApiDepartmentScheme),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers change schemes", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
        (status = 422, description = "The scheme is invalid; the message says why", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(code): Path<String>,
    Json(scheme): Json<Scheme>,
) -> Result<Json<ApiDepartmentScheme>, WebError> {
    let (d, _) = schemes::one(&state.store, &code).await?;
    schemes::save(&state.store, d.id, &scheme, &auth.user.user.username).await?;
    Ok(Json(schemes::one(&state.store, &code).await?.into()))
}
