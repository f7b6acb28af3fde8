//! The calibration preview and applying it (admins and managers).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use chrono::{NaiveDate, Utc};
use jixiao_core::org::TypeCode;
use jixiao_store::service::{self, CalibrationPreview, CalibrationRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::calibration::CalibrationQuery;
use crate::{AppState, WebError};

/// One business type's proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCalibrationLine {
    /// Type code.
    pub code: String,
    /// Handled calls measured.
    pub handled: u64,
    /// Σ talk + hold + after-call seconds.
    pub handle_secs: u64,
    /// Mean handle seconds; null without calls.
    pub mean_secs: Option<Decimal>,
    /// Ratio to the base type's mean.
    pub ratio: Option<Decimal>,
    /// Skill factor applied.
    pub skill: Decimal,
    /// Coefficient in force.
    pub current: Option<Decimal>,
    /// Proposed coefficient; null without calls (the type keeps its own).
    pub proposed: Option<Decimal>,
}

/// One agent's points and points pay before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAgentImpact {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Points before.
    pub points_before: Decimal,
    /// Points after.
    pub points_after: Decimal,
    /// Points pay before (per department's unit price and rounding).
    pub pay_before: Decimal,
    /// Points pay after.
    pub pay_after: Decimal,
}

/// A calibration proposal and its effect.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCalibration {
    /// Base type.
    pub base: String,
    /// Months measured.
    pub months: Vec<String>,
    /// The base type's mean handle seconds.
    pub base_mean_secs: Decimal,
    /// One line per type.
    pub lines: Vec<ApiCalibrationLine>,
    /// Every agent.
    pub agents: Vec<ApiAgentImpact>,
    /// Σ points before.
    pub points_before: Decimal,
    /// Σ points after.
    pub points_after: Decimal,
    /// Σ points pay before.
    pub pay_before: Decimal,
    /// Σ points pay after.
    pub pay_after: Decimal,
}

impl From<CalibrationPreview> for ApiCalibration {
    fn from(p: CalibrationPreview) -> Self {
        ApiCalibration {
            base: p.request.base.to_string(),
            months: p.request.months.iter().map(ToString::to_string).collect(),
            base_mean_secs: p.calibration.base_mean_secs,
            lines: p
                .calibration
                .lines
                .into_iter()
                .map(|l| ApiCalibrationLine {
                    code: l.code.to_string(),
                    handled: l.handled,
                    handle_secs: l.handle_secs,
                    mean_secs: l.mean_secs,
                    ratio: l.ratio,
                    skill: l.skill,
                    current: l.current,
                    proposed: l.proposed,
                })
                .collect(),
            agents: p
                .agents
                .into_iter()
                .map(|a| ApiAgentImpact {
                    employee_no: a.employee_no,
                    name: a.name,
                    points_before: a.points_before,
                    points_after: a.points_after,
                    pay_before: a.pay_before,
                    pay_after: a.pay_after,
                })
                .collect(),
            points_before: p.points_before,
            points_after: p.points_after,
            pay_before: p.pay_before,
            pay_after: p.pay_after,
        }
    }
}

/// Proposes coefficients from the measured handle time of the chosen months and shows the
/// effect on every agent (admin, manager). Nothing is stored.
#[utoipa::path(get, path = "/api/v1/calibration", operation_id = "calibration", tag = "pay",
    params(CalibrationQuery),
    responses(
        (status = 200, description = "The proposal and its effect", body = ApiCalibration),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 422, description = "Unknown base, bad month or skill factor", body = ErrorBody),
    ))]
pub async fn preview(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Query(q): Query<CalibrationQuery>,
) -> Result<Json<ApiCalibration>, WebError> {
    let req = q.request()?;
    let p = service::calibration_preview(&state.store, &req).await?;
    Ok(Json(p.into()))
}

/// What to apply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiApplyCalibration {
    /// Base type.
    pub base: String,
    /// Months measured, `YYYY-MM`.
    pub months: Vec<String>,
    /// Skill factors by type code (decimal strings).
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, String>)]
    pub skill: BTreeMap<String, Decimal>,
    /// Places, 0–4 (default 2).
    #[serde(default = "two")]
    pub dp: u32,
    /// First day the coefficients apply, `YYYY-MM-DD`.
    pub effective_from: NaiveDate,
}

fn two() -> u32 {
    2
}

/// A standard added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAddedStandard {
    /// Type code.
    pub code: String,
    /// The new coefficient.
    pub coefficient: Decimal,
    /// From.
    pub effective_from: NaiveDate,
}

/// Computes the proposal again and stores every changed coefficient as a point standard
/// from `effective_from`, in one transaction, audited as `calibration.apply` (admin, manager).
/// 409 `period_closed` for a date inside a closed period.
#[utoipa::path(post, path = "/api/v1/calibration/apply", operation_id = "apply_calibration", tag = "pay",
    request_body = ApiApplyCalibration,
    responses(
        (status = 200, description = "The standards added", body = [ApiAddedStandard]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 409, description = "The date is in a closed period", body = ErrorBody),
        (status = 422, description = "Invalid request", body = ErrorBody),
    ))]
pub async fn apply(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(body): Json<ApiApplyCalibration>,
) -> Result<Json<Vec<ApiAddedStandard>>, WebError> {
    let bad = |m: String| WebError::Invalid(m);
    let req = CalibrationRequest {
        base: TypeCode::parse(&body.base).map_err(|_| bad(format!("base {:?}", body.base)))?,
        months: body
            .months
            .iter()
            .map(|m| m.parse().map_err(|_| bad(format!("month {m:?}"))))
            .collect::<Result<_, _>>()?,
        skill: body
            .skill
            .iter()
            .map(|(k, v)| {
                Ok((
                    TypeCode::parse(k).map_err(|_| bad(format!("type {k:?}")))?,
                    *v,
                ))
            })
            .collect::<Result<_, WebError>>()?,
        dp: body.dp,
    };
    let by = &auth.user.user.username;
    let added =
        service::apply_calibration(&state.store, &req, body.effective_from, by, Utc::now()).await?;
    Ok(Json(
        added
            .into_iter()
            .map(|s| ApiAddedStandard {
                code: s.type_code.to_string(),
                coefficient: s.coefficient,
                effective_from: s.effective_from,
            })
            .collect(),
    ))
}
