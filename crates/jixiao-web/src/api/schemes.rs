//! Assessment schemes per department and per position within a department (admins and
//! managers): listing them, reading one, checking one without saving, and replacing one
//! (validated, audited, unclosed periods with cards recomputed).

use axum::Json;
use axum::extract::{Path, State};
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::schemes::{self, DepartmentScheme, PositionScheme};
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
    /// Optional forced-distribution quotas: `{ enabled?, within: "department" | "team",
    /// quotas: [{ grade, max_percent?, min_percent? }] }`, in band order.
    distribution: Option<serde_json::Value>,
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

/// A position's scheme within a department and what its employees are scored under.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPositionScheme {
    /// The department's code.
    pub department_code: String,
    /// The position, trimmed.
    pub position: String,
    /// Whether the position has its own scheme; when false, `scheme` and `unit_price` are the
    /// department's, which its employees are scored under.
    pub own: bool,
    /// The position's own unit price per point; null keeps the department's.
    #[schema(value_type = Option<String>)]
    pub own_unit_price: Option<Decimal>,
    /// The unit price the position's employees are paid per point.
    #[schema(value_type = Option<String>)]
    pub unit_price: Option<Decimal>,
    /// Σ the items' weights; null without a scheme.
    #[schema(value_type = Option<String>)]
    pub weight_total: Option<Decimal>,
    /// The scheme the position's employees are scored under; null while the department has
    /// none.
    #[schema(value_type = Option<SchemeDoc>)]
    pub scheme: Option<Scheme>,
}

impl From<PositionScheme> for ApiPositionScheme {
    fn from(p: PositionScheme) -> Self {
        let department_price = p.department_rules.as_ref().map(|(_, d)| *d);
        let (own, own_unit_price, scheme) = match p.own {
            Some((s, price)) => (true, price, Some(s)),
            None => (false, None, p.department_rules.map(|(s, _)| s)),
        };
        ApiPositionScheme {
            department_code: p.department.code,
            position: p.position,
            own,
            unit_price: own_unit_price.or(department_price),
            own_unit_price,
            weight_total: scheme
                .as_ref()
                .map(|s| s.items.iter().map(|i| i.weight).sum()),
            scheme,
        }
    }
}

/// The body saving a position's scheme: the scheme as JSON (`scheme`) or as the editor's TOML
/// (`toml`), exactly one of them, and optionally the position's unit price.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PositionSchemeBody {
    /// The scheme as JSON, like `PUT /api/v1/schemes/{department_code}`'s body.
    #[schema(value_type = Option<SchemeDoc>)]
    #[serde(default)]
    pub scheme: Option<Scheme>,
    /// The scheme as TOML, as on the page.
    #[serde(default)]
    pub toml: Option<String>,
    /// Pay per point for the position (a decimal string, whole fen); absent or null keeps the
    /// department's.
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub unit_price: Option<Decimal>,
}

/// One department position's scheme (admin, manager): its own, or the department's while it
/// has none.
#[utoipa::path(get, path = "/api/v1/schemes/{department_code}/positions/{position}",
    operation_id = "position_scheme", tag = "schemes",
    params(
        ("department_code" = String, Path, description = "The department's code, e.g. CALL"),
        ("position" = String, Path, description = "The position as on the employees, URL-encoded (Senior%20agent)"),
    ),
    responses(
        (status = 200, description = "The position's scheme", body = ApiPositionScheme),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see schemes", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
    ))]
pub async fn get_position(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
) -> Result<Json<ApiPositionScheme>, WebError> {
    Ok(Json(
        schemes::one_position(&state.store, &code, &position)
            .await?
            .into(),
    ))
}

/// Saves a department position's scheme (admin, manager): validated, stored with an audit
/// entry (`rules.update`, before and after), and every computed or in-review period is
/// recomputed; closed periods keep their snapshot. The position's employees are scored under
/// it instead of the department's scheme. 422 `invalid_input` with the reason, nothing stored.
#[utoipa::path(post, path = "/api/v1/schemes/{department_code}/positions/{position}",
    operation_id = "set_position_scheme", tag = "schemes",
    params(
        ("department_code" = String, Path, description = "The department's code, e.g. CALL"),
        ("position" = String, Path, description = "The position as on the employees, URL-encoded (Senior%20agent)"),
    ),
    request_body = PositionSchemeBody,
    responses(
        (status = 200, description = "The stored scheme", body = ApiPositionScheme),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers change schemes", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
        (status = 422, description = "The scheme or price is invalid; the message says why", body = ErrorBody),
    ))]
pub async fn set_position(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
    Json(body): Json<PositionSchemeBody>,
) -> Result<Json<ApiPositionScheme>, WebError> {
    let p = schemes::one_position(&state.store, &code, &position).await?;
    let scheme = match (body.scheme, body.toml) {
        (Some(s), None) => s,
        (None, Some(t)) => schemes::parse(&t)?,
        _ => {
            return Err(WebError::Invalid(
                "give the scheme either as `scheme` (JSON) or as `toml`".into(),
            ));
        }
    };
    if let Some(price) = body.unit_price {
        schemes::parse_price(&price.to_string())?;
    }
    schemes::save_position(
        &state.store,
        p.department.id,
        &p.position,
        &scheme,
        body.unit_price,
        &auth.user.user.username,
    )
    .await?;
    Ok(Json(
        schemes::one_position(&state.store, &code, &p.position)
            .await?
            .into(),
    ))
}

/// Deletes a department position's scheme (admin, manager), audited as `rules.delete` with
/// what it was: the position's employees are scored under the department's scheme again, and
/// every computed or in-review period is recomputed; closed periods keep their snapshot.
#[utoipa::path(post, path = "/api/v1/schemes/{department_code}/positions/{position}/delete",
    operation_id = "delete_position_scheme", tag = "schemes",
    params(
        ("department_code" = String, Path, description = "The department's code, e.g. CALL"),
        ("position" = String, Path, description = "The position as on the employees, URL-encoded (Senior%20agent)"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers change schemes", body = ErrorBody),
        (status = 404, description = "No such department, or the position has no scheme of its own", body = ErrorBody),
    ))]
pub async fn delete_position(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path((code, position)): Path<(String, String)>,
) -> Result<axum::http::StatusCode, WebError> {
    let p = schemes::one_position(&state.store, &code, &position).await?;
    schemes::delete_position(
        &state.store,
        p.department.id,
        &p.position,
        &auth.user.user.username,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The body of a dry run: the scheme as the editor's TOML.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SchemeCheckBody {
    /// The scheme as TOML.
    pub toml: String,
}

/// A dry run's result: the scheme read back with its weight total, or why it is refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeCheck {
    /// Whether the scheme would be accepted.
    pub valid: bool,
    /// Why it is refused (invalid TOML, weights not totalling 100, quotas out of order, …).
    pub error: Option<String>,
    /// Σ the items' weights of a valid scheme.
    #[schema(value_type = Option<String>)]
    pub weight_total: Option<Decimal>,
    /// The scheme as read, when valid.
    #[schema(value_type = Option<SchemeDoc>)]
    pub scheme: Option<Scheme>,
}

/// Checks a scheme for a department without saving anything (admin, manager): the page's
/// Check. Always 200 with the result, valid or not; 404 for an unknown department.
#[utoipa::path(post, path = "/api/v1/schemes/{department_code}/check",
    operation_id = "check_scheme", tag = "schemes",
    params(("department_code" = String, Path, description = "The department's code, e.g. CALL")),
    request_body = SchemeCheckBody,
    responses(
        (status = 200, description = "The check's result, valid or not", body = SchemeCheck),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers check schemes", body = ErrorBody),
        (status = 404, description = "No such department", body = ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
    Json(body): Json<SchemeCheckBody>,
) -> Result<Json<SchemeCheck>, WebError> {
    schemes::one(&state.store, &code).await?;
    Ok(Json(match schemes::parse(&body.toml) {
        Ok(s) => SchemeCheck {
            valid: true,
            error: None,
            weight_total: Some(s.items.iter().map(|i| i.weight).sum()),
            scheme: Some(s),
        },
        Err(WebError::Invalid(m)) => SchemeCheck {
            valid: false,
            error: Some(m),
            weight_total: None,
            scheme: None,
        },
        Err(e) => return Err(e),
    }))
}
