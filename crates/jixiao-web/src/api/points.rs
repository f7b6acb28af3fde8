//! Point standards (admins and managers): every version with its effective date, and adding
//! one, as `/config/points` lists and adds them.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use jixiao_store::{StoredStandard, unit_str};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::points::{self, StandardForm};
use crate::{AppState, WebError};

/// A version of a business type's point standard, applying from its date on.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPointStandard {
    /// The business type's code.
    pub type_code: String,
    /// `per_interaction` (points per handled interaction).
    pub unit: String,
    /// Points per unit (decimal string).
    #[schema(value_type = String)]
    pub coefficient: Decimal,
    /// The first day it applies.
    pub effective_from: NaiveDate,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<StoredStandard> for ApiPointStandard {
    fn from(s: StoredStandard) -> Self {
        ApiPointStandard {
            type_code: s.standard.type_code.to_string(),
            unit: unit_str(s.standard.unit).to_string(),
            coefficient: s.standard.coefficient,
            effective_from: s.standard.effective_from,
            created_by: s.created_by,
            created_at: s.created_at,
        }
    }
}

/// A standard to add, field for field the form of `/config/points`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PointStandardBody {
    /// The business type's code, e.g. `INQ`.
    pub type_code: String,
    /// Points per handled interaction, a decimal string, e.g. `"1.5"`.
    pub coefficient: String,
    /// The first day it applies, `YYYY-MM-DD`.
    pub effective_from: String,
}

/// Every version of every point standard, by business type then date (admin, manager).
#[utoipa::path(get, path = "/api/v1/point-standards", operation_id = "point_standards", tag = "pay",
    responses(
        (status = 200, description = "The standards", body = [ApiPointStandard]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiPointStandard>>, WebError> {
    let all = state.store.point_standards().await?;
    Ok(Json(all.into_iter().map(ApiPointStandard::from).collect()))
}

/// Adds a version of a business type's point standard (admin, manager), applying from its
/// date on, audited (`points.standard.add`), exactly as `/config/points` adds it. 422
/// `invalid_input` for a malformed type code, coefficient or date; 409 `period_closed` for a
/// date on or before the end of a closed period; 409 `conflict` for a second version on the
/// same date.
#[utoipa::path(post, path = "/api/v1/point-standards", operation_id = "add_point_standard", tag = "pay",
    request_body = PointStandardBody,
    responses(
        (status = 200, description = "The stored standard", body = ApiPointStandard),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 409, description = "A closed period, or a version on that date already", body = ErrorBody),
        (status = 422, description = "Invalid standard", body = ErrorBody),
    ))]
pub async fn add(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(body): Json<PointStandardBody>,
) -> Result<Json<ApiPointStandard>, WebError> {
    let form = StandardForm::new(&body.type_code, &body.coefficient, &body.effective_from);
    let by = &auth.user.user.username;
    let added = points::add_standard(&state.store, &form, by, Utc::now()).await?;
    let stored = state.store.point_standards().await?;
    stored
        .into_iter()
        .find(|s| s.standard == added)
        .map(|s| Json(s.into()))
        .ok_or(WebError::NotFound)
}
