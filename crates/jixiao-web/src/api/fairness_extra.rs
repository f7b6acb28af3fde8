//! `POST /api/v1/complaints/import`, `POST /api/v1/journeys/{id}/survey-link` and
//! `POST /api/v1/journeys/{id}/participants/records`: what the complaint-import form and the
//! journey page's survey-link and "staff from records" buttons do (docs/FAIRNESS.md), through
//! the same use cases ([`crate::fairness_extra`], [`crate::fairness`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::ErrorBody;
use super::fairness::ApiJourney;
use crate::auth::Authorized;
use crate::fairness::{self as uc, Investigators, JourneyWriters};
use crate::fairness_extra::{self as fx, ImportReport};
use crate::{AppState, WebError};

/// Imports complaints from a CSV file (UTF-8 or GBK; columns `reference`, `channel`,
/// `received_at`, `customer_id`, `description` and optional `records` as
/// `source:record_id;…`). Good rows land, a known reference is skipped unchanged, bad rows
/// are reported.
#[utoipa::path(post, path = "/api/v1/complaints/import", operation_id = "complaints_import", tag = "fairness",
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "What the import did", body = ImportReport),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins, managers and QA import complaints", body = ErrorBody),
        (status = 422, description = "Not readable as CSV, or a required column is missing", body = ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    body: Bytes,
) -> Result<Json<ImportReport>, WebError> {
    Ok(Json(
        fx::import_complaints(&state.store, &auth.user, &body).await?,
    ))
}

/// A new single-use survey link; the token is shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSurveyLink {
    /// The journey.
    pub journey_id: i64,
    /// The link's secret token.
    pub token: String,
    /// The public survey page, relative to the site: `/s/{token}`.
    pub path: String,
}

/// Creates a single-use link the customer answers the journey's survey through, with the
/// caller as proxy.
#[utoipa::path(post, path = "/api/v1/journeys/{id}/survey-link", operation_id = "journey_survey_link", tag = "fairness",
    params(("id" = i64, Path, description = "Journey id")),
    responses(
        (status = 200, description = "The link", body = ApiSurveyLink),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "A supervisor", body = ErrorBody),
        (status = 404, description = "No such journey, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "The journey is surveyed already", body = ErrorBody),
    ))]
pub async fn survey_link(
    State(state): State<AppState>,
    auth: Authorized<JourneyWriters>,
    Path(id): Path<String>,
) -> Result<Json<ApiSurveyLink>, WebError> {
    let id = crate::error::id_param(&id)?;
    let token = fx::create_survey_link(&state.store, &auth.user, id).await?;
    Ok(Json(ApiSurveyLink {
        journey_id: id,
        path: format!("/s/{token}"),
        token,
    }))
}

/// What taking the staff from the records did.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffFromRecords {
    /// Participants added.
    pub added: usize,
    /// The journey.
    pub journey: ApiJourney,
}

/// Puts every employee the journey's records show (calls, tickets, chats, work of the
/// customer on the service day) on its stages, as the journey page's button does.
#[utoipa::path(post, path = "/api/v1/journeys/{id}/participants/records", operation_id = "journey_participants_from_records", tag = "fairness",
    params(("id" = i64, Path, description = "Journey id")),
    responses(
        (status = 200, description = "Added", body = StaffFromRecords),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "A supervisor", body = ErrorBody),
        (status = 404, description = "No such journey, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "The journey is surveyed already", body = ErrorBody),
    ))]
pub async fn staff_from_records(
    State(state): State<AppState>,
    auth: Authorized<JourneyWriters>,
    Path(id): Path<String>,
) -> Result<Json<StaffFromRecords>, WebError> {
    let id = crate::error::id_param(&id)?;
    let added = uc::take_candidates(&state.store, &auth.user, id).await?;
    Ok(Json(StaffFromRecords {
        added,
        journey: state.store.journey(id).await?.into(),
    }))
}
