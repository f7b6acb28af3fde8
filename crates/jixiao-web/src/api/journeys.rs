//! `/api/v1/journey-lines…` (admin, manager) and the journey writes (`POST /api/v1/journeys`,
//! staff, survey): what the journey pages do (docs/FAIRNESS.md). Everyone but supervisors
//! writes journeys; an agent only those they opened (else 404, like a missing one).

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use jixiao_core::fairness::{JourneyLine, StaffSource};
use jixiao_store::fairness::{NewJourney, NewLine, NewStage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use super::fairness::ApiJourney;
use crate::auth::{Authorized, Managers};
use crate::fairness::{self as uc, AnswerInput, JourneyWriters};
use crate::{AppState, WebError};

/// A stage of a line.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStage {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Where its staff come from: `calls`, `tickets`, `chats`, `work` or `none`.
    pub source: String,
}

/// A journey line with its ordered stages.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLine {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// A rating strictly below it is deficient (1–5).
    pub threshold: u8,
    /// Days around the service time the complaint cross-check accepts.
    pub tolerance_days: u32,
    /// Stages in order.
    pub stages: Vec<ApiStage>,
}

impl From<JourneyLine> for ApiLine {
    fn from(l: JourneyLine) -> Self {
        ApiLine {
            id: l.id,
            code: l.code,
            name: l.name,
            threshold: l.threshold,
            tolerance_days: l.tolerance.days,
            stages: l
                .stages
                .into_iter()
                .map(|s| ApiStage {
                    id: s.id,
                    code: s.code,
                    name: s.name,
                    source: s.source.as_str().to_string(),
                })
                .collect(),
        }
    }
}

/// A line to create (or, on `/journey-lines/{id}`, its threshold and tolerance to change;
/// code and name are then ignored).
#[derive(Debug, Deserialize, ToSchema)]
pub struct LineBody {
    /// Code.
    #[serde(default)]
    pub code: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Threshold 1–5.
    pub threshold: u8,
    /// Tolerance in days (default 0).
    #[serde(default)]
    pub tolerance_days: u32,
}

/// A stage to append.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StageBody {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `calls`, `tickets`, `chats`, `work` or `none`.
    pub source: String,
}

/// A journey to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct JourneyBody {
    /// Its line.
    pub line_id: i64,
    /// Customer.
    pub customer_id: String,
    /// Service day `YYYY-MM-DD`.
    pub served_on: String,
    /// An outside reference (order, case number).
    pub reference: Option<String>,
}

/// Staff to put on a stage by hand.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ParticipantBody {
    /// The stage.
    pub stage_id: i64,
    /// The employee.
    pub employee_no: String,
}

/// A survey, recorded with the caller as proxy.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SurveyBody {
    /// `call` or `online`.
    pub channel: String,
    /// Survey day `YYYY-MM-DD` (default today); its period is where findings count.
    pub surveyed_on: Option<String>,
    /// One answer per stage rated.
    pub answers: Vec<AnswerInput>,
}

async fn lines_json(state: &AppState) -> Result<Json<Vec<ApiLine>>, WebError> {
    let lines = state.store.journey_lines().await?;
    Ok(Json(lines.into_iter().map(ApiLine::from).collect()))
}

/// Journey lines with their stages (admin, manager).
#[utoipa::path(get, path = "/api/v1/journey-lines", operation_id = "journey_lines", tag = "fairness",
    responses(
        (status = 200, description = "Lines", body = Vec<ApiLine>),
        (status = 403, description = "Not a manager", body = ErrorBody),
    ))]
pub async fn lines(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiLine>>, WebError> {
    lines_json(&state).await
}

/// Creates a line (admin, manager).
#[utoipa::path(post, path = "/api/v1/journey-lines", operation_id = "journey_line_create", tag = "fairness",
    request_body = LineBody,
    responses(
        (status = 200, description = "Every line", body = Vec<ApiLine>),
        (status = 403, description = "Not a manager", body = ErrorBody),
        (status = 409, description = "The code exists", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn create_line(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(b): Json<LineBody>,
) -> Result<Json<Vec<ApiLine>>, WebError> {
    let l = NewLine {
        code: b.code,
        name: b.name,
        threshold: b.threshold,
        tolerance_days: b.tolerance_days,
    };
    let by = &auth.user.user.username;
    state.store.create_journey_line(&l, by, Utc::now()).await?;
    lines_json(&state).await
}

/// Changes a line's threshold and tolerance (admin, manager).
#[utoipa::path(post, path = "/api/v1/journey-lines/{id}", operation_id = "journey_line_update", tag = "fairness",
    params(("id" = i64, Path, description = "Line id")),
    request_body = LineBody,
    responses(
        (status = 200, description = "Every line", body = Vec<ApiLine>),
        (status = 403, description = "Not a manager", body = ErrorBody),
        (status = 404, description = "No such line", body = ErrorBody),
    ))]
pub async fn update_line(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(id): Path<i64>,
    Json(b): Json<LineBody>,
) -> Result<Json<Vec<ApiLine>>, WebError> {
    let by = &auth.user.user.username;
    state
        .store
        .update_journey_line(id, b.threshold, b.tolerance_days, by, Utc::now())
        .await?;
    lines_json(&state).await
}

/// Appends a stage to a line (admin, manager).
#[utoipa::path(post, path = "/api/v1/journey-lines/{id}/stages", operation_id = "journey_stage_add", tag = "fairness",
    params(("id" = i64, Path, description = "Line id")),
    request_body = StageBody,
    responses(
        (status = 200, description = "Every line", body = Vec<ApiLine>),
        (status = 403, description = "Not a manager", body = ErrorBody),
        (status = 404, description = "No such line", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn add_stage(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(id): Path<i64>,
    Json(b): Json<StageBody>,
) -> Result<Json<Vec<ApiLine>>, WebError> {
    let s = NewStage {
        line_id: id,
        code: b.code,
        name: b.name,
        source: StaffSource::parse(b.source.trim())
            .map_err(|e| WebError::Invalid(e.to_string()))?,
    };
    let by = &auth.user.user.username;
    state.store.add_journey_stage(&s, by, Utc::now()).await?;
    lines_json(&state).await
}

/// Opens a journey (everyone but supervisors).
#[utoipa::path(post, path = "/api/v1/journeys", operation_id = "journey_open", tag = "fairness",
    request_body = JourneyBody,
    responses(
        (status = 200, description = "The journey", body = ApiJourney),
        (status = 403, description = "A supervisor", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    auth: Authorized<JourneyWriters>,
    Json(b): Json<JourneyBody>,
) -> Result<Json<ApiJourney>, WebError> {
    let j = NewJourney {
        line_id: b.line_id,
        customer_id: b.customer_id,
        served_on: uc::parse_day(&b.served_on)?,
        reference: b.reference,
    };
    let by = &auth.user.user.username;
    let id = state.store.create_journey(&j, by, Utc::now()).await?;
    Ok(Json(state.store.journey(id).await?.into()))
}

/// Puts an employee on a stage of a journey by hand.
#[utoipa::path(post, path = "/api/v1/journeys/{id}/participants", operation_id = "journey_participant_add", tag = "fairness",
    params(("id" = i64, Path, description = "Journey id")),
    request_body = ParticipantBody,
    responses(
        (status = 200, description = "The journey", body = ApiJourney),
        (status = 403, description = "A supervisor", body = ErrorBody),
        (status = 404, description = "No such journey, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Surveyed already, or already on the stage", body = ErrorBody),
    ))]
pub async fn add_participant(
    State(state): State<AppState>,
    auth: Authorized<JourneyWriters>,
    Path(id): Path<i64>,
    Json(b): Json<ParticipantBody>,
) -> Result<Json<ApiJourney>, WebError> {
    uc::writable_journey(&state.store, &auth.user, id).await?;
    let employee = uc::employee_id(&state.store, &b.employee_no).await?;
    let by = &auth.user.user.username;
    state
        .store
        .add_journey_participant(id, b.stage_id, employee, None, by, Utc::now())
        .await?;
    Ok(Json(state.store.journey(id).await?.into()))
}

/// What a recorded survey made.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResult {
    /// Findings made (one per responsible employee of each deficient stage).
    pub findings: usize,
    /// The journey.
    pub journey: ApiJourney,
}

/// Records the journey's survey with the caller as proxy; refused when the caller served it.
#[utoipa::path(post, path = "/api/v1/journeys/{id}/survey", operation_id = "journey_survey", tag = "fairness",
    params(("id" = i64, Path, description = "Journey id")),
    request_body = SurveyBody,
    responses(
        (status = 200, description = "Recorded", body = SurveyResult),
        (status = 403, description = "A supervisor", body = ErrorBody),
        (status = 404, description = "No such journey, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Surveyed already, or its period is closed", body = ErrorBody),
        (status = 422, description = "Invalid answers, or the proxy served the journey", body = ErrorBody),
    ))]
pub async fn survey(
    State(state): State<AppState>,
    auth: Authorized<JourneyWriters>,
    Path(id): Path<i64>,
    Json(b): Json<SurveyBody>,
) -> Result<Json<SurveyResult>, WebError> {
    let day = uc::parse_day(b.surveyed_on.as_deref().unwrap_or_default())?;
    let findings =
        uc::record_survey(&state.store, &auth.user, id, &b.answers, &b.channel, day).await?;
    Ok(Json(SurveyResult {
        findings,
        journey: state.store.journey(id).await?.into(),
    }))
}
