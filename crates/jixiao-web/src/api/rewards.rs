//! Reward and penalty rules: list, add, retire (admins and managers).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use jixiao_core::pay::{AdjustmentKind, PayAdjustmentRule, RuleTrigger};
use jixiao_store::{StoredPayRule, service};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::{AppState, WebError};

/// A reward or penalty rule.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiPayRule {
    /// Row id (ignored when adding).
    #[serde(default)]
    pub id: i64,
    /// The department's id; null for every department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// `reward` or `penalty`.
    pub kind: String,
    /// `grade`, `per_event` or `per_unit_above`.
    pub when: String,
    /// The grade, for `grade`.
    #[serde(default)]
    pub grade: Option<String>,
    /// The measure, for `per_event` (a counted event) and `per_unit_above`.
    #[serde(default)]
    pub measure: Option<String>,
    /// For `per_unit_above`: the threshold; null is the agent's own target of the measure.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub threshold: Option<Decimal>,
    /// The amount once, per event or per unit (decimal string).
    #[schema(value_type = String)]
    pub amount: Decimal,
    /// The most one card gets from the rule; null for no cap.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub cap: Option<Decimal>,
    /// The reason printed on the payslip.
    pub reason: String,
    /// Who added it.
    #[serde(default)]
    pub created_by: String,
    /// When.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

impl From<StoredPayRule> for ApiPayRule {
    fn from(s: StoredPayRule) -> Self {
        let (when, grade, measure, threshold) = match s.rule.trigger {
            RuleTrigger::Grade { grade } => ("grade", Some(grade), None, None),
            RuleTrigger::PerEvent { measure } => ("per_event", None, Some(measure), None),
            RuleTrigger::PerUnitAbove { measure, threshold } => {
                ("per_unit_above", None, Some(measure), threshold)
            }
        };
        ApiPayRule {
            id: s.id,
            department_id: s.department_id,
            kind: match s.rule.kind {
                AdjustmentKind::Reward => "reward",
                AdjustmentKind::Penalty => "penalty",
            }
            .into(),
            when: when.into(),
            grade,
            measure,
            threshold,
            amount: s.rule.amount,
            cap: s.rule.cap,
            reason: s.rule.reason,
            created_by: s.created_by,
            created_at: Some(s.created_at),
        }
    }
}

impl ApiPayRule {
    fn rule(self) -> Result<PayAdjustmentRule, WebError> {
        let kind = match self.kind.as_str() {
            "reward" => AdjustmentKind::Reward,
            "penalty" => AdjustmentKind::Penalty,
            k => return Err(WebError::Invalid(format!("kind {k:?}"))),
        };
        let measure = self.measure.unwrap_or_default();
        let trigger = match self.when.as_str() {
            "grade" => RuleTrigger::Grade {
                grade: self.grade.unwrap_or_default(),
            },
            "per_event" => RuleTrigger::PerEvent { measure },
            "per_unit_above" => RuleTrigger::PerUnitAbove {
                measure,
                threshold: self.threshold,
            },
            w => return Err(WebError::Invalid(format!("when {w:?}"))),
        };
        Ok(PayAdjustmentRule {
            kind,
            trigger,
            amount: self.amount,
            cap: self.cap,
            reason: self.reason,
        })
    }
}

/// The reward and penalty rules in force (admin, manager), in the order their lines appear.
#[utoipa::path(get, path = "/api/v1/pay-rules", operation_id = "pay_rules", tag = "pay",
    responses(
        (status = 200, description = "The rules in force", body = [ApiPayRule]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiPayRule>>, WebError> {
    let rules = state.store.pay_adjustment_rules().await?;
    Ok(Json(rules.into_iter().map(ApiPayRule::from).collect()))
}

/// Adds a rule (admin, manager), audited; computed periods are recomputed. 422 when the
/// rule is invalid (amount ≤ 0, no reason, unknown event).
#[utoipa::path(post, path = "/api/v1/pay-rules", operation_id = "add_pay_rule", tag = "pay",
    request_body = ApiPayRule,
    responses(
        (status = 200, description = "The stored rule", body = ApiPayRule),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 422, description = "Invalid rule", body = ErrorBody),
    ))]
pub async fn add(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(req): Json<ApiPayRule>,
) -> Result<Json<ApiPayRule>, WebError> {
    let department = req.department_id;
    let rule = req.rule()?;
    let by = &auth.user.user.username;
    let id = service::add_pay_rule(&state.store, department, &rule, by, Utc::now()).await?;
    let stored = state.store.pay_adjustment_rules().await?;
    stored
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| Json(r.into()))
        .ok_or(WebError::NotFound)
}

/// Retires a rule (admin, manager), audited.
#[utoipa::path(delete, path = "/api/v1/pay-rules/{id}", operation_id = "retire_pay_rule", tag = "pay",
    params(("id" = i64, Path, description = "The rule's id")),
    responses(
        (status = 204, description = "Retired"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 404, description = "No such rule in force", body = ErrorBody),
    ))]
pub async fn retire(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(id): Path<i64>,
) -> Result<StatusCode, WebError> {
    let by = &auth.user.user.username;
    service::retire_pay_rule(&state.store, id, by, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
