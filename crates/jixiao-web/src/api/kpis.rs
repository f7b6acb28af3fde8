//! Custom KPI formulas: the live check the formula editor calls as a formula is typed, and the
//! definitions themselves (every version of every code; saving the next version), as
//! `/config/kpis` shows and saves them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jixiao_store::StoredKpiDefinition;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, Managers};
use crate::kdefs::{self, CheckRequest, FormulaCheck, FormulaProblem, KdefForm};
use crate::{AppState, WebError};

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

/// One stored version of a custom KPI definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKpiVersion {
    /// The KPI's code.
    pub code: String,
    /// The version, from 1.
    pub version: u32,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The formula over base measures.
    pub formula: String,
    /// `no_data`, `zero` or `error`.
    pub div_zero: String,
    /// The declared unit (`count`, `seconds`, `minutes`, `money`, `score`, `points`, `percent`).
    pub unit: String,
    /// `higher_is_better` or `lower_is_better`.
    pub direction: String,
    /// `workload` or `quality`.
    pub class: String,
    /// Who saved this version.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The snake_case code a serde enum is stored and posted as.
fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl From<StoredKpiDefinition> for ApiKpiVersion {
    fn from(s: StoredKpiDefinition) -> Self {
        let d = s.definition;
        ApiKpiVersion {
            div_zero: code_of(&d.formula.div_zero),
            unit: code_of(&d.unit),
            direction: code_of(&d.direction),
            class: code_of(&d.class),
            code: d.code,
            version: d.version,
            name_en: d.name_en,
            name_zh: d.name_zh,
            formula: d.formula.text,
            created_by: s.created_by,
            created_at: s.created_at,
        }
    }
}

/// A custom KPI: its latest version (the one open periods compute with) and every version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKpi {
    /// The KPI's code.
    pub code: String,
    /// The latest version.
    pub latest_version: u32,
    /// Every version, oldest first; the last is the latest.
    pub versions: Vec<ApiKpiVersion>,
}

/// The stored definitions grouped by code (they come ordered by code, then version).
fn grouped(defs: Vec<StoredKpiDefinition>) -> Vec<ApiKpi> {
    let mut out: Vec<ApiKpi> = Vec::new();
    for d in defs.into_iter().map(ApiKpiVersion::from) {
        match out.last_mut() {
            Some(k) if k.code == d.code => {
                k.latest_version = d.version;
                k.versions.push(d);
            }
            _ => out.push(ApiKpi {
                code: d.code.clone(),
                latest_version: d.version,
                versions: vec![d],
            }),
        }
    }
    out
}

/// A definition to save, field for field the editor of `/config/kpis`: every field is a
/// string, and a missing or unknown one is refused with its own code like the page refuses it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct KpiBody {
    /// The code, `[a-z_][a-z0-9_]*`, not a standard KPI's; saving an existing code adds a
    /// version.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The formula, e.g. `answered_within_threshold / offered * 100`.
    pub formula: String,
    /// Division by zero: `no_data`, `zero` or `error`.
    pub div_zero: String,
    /// The declared unit: `count`, `seconds`, `minutes`, `money`, `score`, `points` or
    /// `percent`; the formula must give it.
    pub unit: String,
    /// `higher_is_better` or `lower_is_better`.
    pub direction: String,
    /// `workload` or `quality`.
    pub class: String,
}

impl From<KpiBody> for KdefForm {
    fn from(b: KpiBody) -> Self {
        KdefForm {
            csrf: String::new(),
            code: b.code,
            name_en: b.name_en,
            name_zh: b.name_zh,
            formula: b.formula,
            div_zero: b.div_zero,
            unit: b.unit,
            direction: b.direction,
            class: b.class,
        }
    }
}

/// A refused definition: `{ "error": { "code", "message", "position", "suggestion" } }`, the
/// usual error body with where in the formula and the nearest known name.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiRefusal {
    /// Why: a stable code such as `formula_unknown_measure`, `formula_syntax`,
    /// `formula_wrong_unit` or `invalid_input`, and a message.
    pub error: FormulaProblem,
}

/// Every custom KPI with all its versions, by code (admin, manager).
#[utoipa::path(get, path = "/api/v1/kpis", operation_id = "list_kpis", tag = "kpis",
    responses(
        (status = 200, description = "The custom KPIs", body = [ApiKpi]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see KPI definitions", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiKpi>>, WebError> {
    Ok(Json(grouped(state.store.kpi_definitions().await?)))
}

/// One custom KPI with all its versions (admin, manager).
#[utoipa::path(get, path = "/api/v1/kpis/{code}", operation_id = "get_kpi", tag = "kpis",
    params(("code" = String, Path, description = "The KPI's code")),
    responses(
        (status = 200, description = "The KPI", body = ApiKpi),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see KPI definitions", body = ErrorBody),
        (status = 404, description = "No custom KPI has this code", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
) -> Result<Json<ApiKpi>, WebError> {
    let mut defs = state.store.kpi_definitions().await?;
    defs.retain(|d| d.definition.code == code);
    grouped(defs).pop().map(Json).ok_or(WebError::NotFound)
}

/// Saves a custom KPI definition (admin, manager) as the next version of its code (1 for a
/// new code), audited, exactly as the editor of `/config/kpis` saves it; open periods compute
/// with the latest version from their next recompute, closed ones keep theirs. 422 with the
/// refusal's stable code (and the formula position and suggestion) when the code, a choice,
/// the formula or its unit is refused; nothing is stored then.
#[utoipa::path(post, path = "/api/v1/kpis", operation_id = "save_kpi", tag = "kpis",
    request_body = KpiBody,
    responses(
        (status = 200, description = "The stored version", body = ApiKpiVersion),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers edit KPIs", body = ErrorBody),
        (status = 422, description = "Refused; nothing stored", body = KpiRefusal),
    ))]
pub async fn save(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(body): Json<KpiBody>,
) -> Result<Response, WebError> {
    let form = KdefForm::from(body);
    let by = &auth.user.user.username;
    Ok(
        match kdefs::save(&state.store, &form, by, Utc::now()).await? {
            Ok(s) => Json(ApiKpiVersion::from(s)).into_response(),
            Err(problem) => {
                let refusal = KpiRefusal { error: problem };
                (StatusCode::UNPROCESSABLE_ENTITY, Json(refusal)).into_response()
            }
        },
    )
}
