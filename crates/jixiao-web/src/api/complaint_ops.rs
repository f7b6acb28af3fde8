//! `/api/v1/complaints/{id}/…` investigation steps and `/api/v1/complaints/stats`: what the
//! complaint page does (docs/FAIRNESS.md). Admins, managers and QA investigate; the
//! complaint must be in the caller's scope (else 404, like a missing one).

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use jixiao_store::fairness::{ComplaintStats, StatRow};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::dto::ErrorBody;
use super::fairness::ApiComplaint;
use crate::auth::{Authorized, CurrentUser};
use crate::fairness::{self as uc, Investigators};
use crate::{AppState, WebError};

/// An interaction to link.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkBody {
    /// `calls`, `tickets` or `chats`.
    pub kind: String,
    /// The record's source system.
    pub source: String,
    /// The record's id in that source.
    pub record_id: String,
}

/// An attribution to add.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttributeBody {
    /// The failed stage.
    pub stage_id: i64,
    /// The employee held responsible.
    pub employee_no: String,
    /// Service time `YYYY-MM-DD HH:MM:SS`; default the complaint's.
    pub service_at: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// A written reason (removing an attribution, resolving a mismatch).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// Why (required).
    pub reason: String,
}

async fn current(state: &AppState, id: i64) -> Result<Json<ApiComplaint>, WebError> {
    Ok(Json(state.store.complaint(id).await?.into()))
}

/// Links an interaction to an undecided complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/links", operation_id = "complaint_link", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = LinkBody,
    responses(
        (status = 200, description = "The complaint", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 404, description = "No such complaint, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Decided, or already linked", body = ErrorBody),
    ))]
pub async fn link(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Path(id): Path<i64>,
    Json(b): Json<LinkBody>,
) -> Result<Json<ApiComplaint>, WebError> {
    uc::visible_complaint(&state.store, &auth.user, id).await?;
    let by = &auth.user.user.username;
    state
        .store
        .link_complaint(id, &b.kind, &b.source, &b.record_id, by, Utc::now())
        .await?;
    current(&state, id).await
}

/// Starts investigating a registered complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/investigate", operation_id = "complaint_investigate", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 404, description = "No such complaint, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Not registered", body = ErrorBody),
    ))]
pub async fn investigate(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Path(id): Path<i64>,
) -> Result<Json<ApiComplaint>, WebError> {
    uc::visible_complaint(&state.store, &auth.user, id).await?;
    state
        .store
        .start_investigation(id, &auth.user.user.username, Utc::now())
        .await?;
    current(&state, id).await
}

/// Attributes a failed stage to an employee; the cross-check result is in the answer.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/attributions", operation_id = "complaint_attribute", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = AttributeBody,
    responses(
        (status = 200, description = "The complaint with the new attribution", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 404, description = "No such complaint, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Not investigating", body = ErrorBody),
        (status = 422, description = "Unknown stage or employee", body = ErrorBody),
    ))]
pub async fn attribute(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Path(id): Path<i64>,
    Json(b): Json<AttributeBody>,
) -> Result<Json<ApiComplaint>, WebError> {
    let at = uc::parse_opt_time(b.service_at.as_deref().unwrap_or_default())?;
    let note = b.note.unwrap_or_default();
    uc::attribute(
        &state.store,
        &auth.user,
        id,
        b.stage_id,
        &b.employee_no,
        at,
        &note,
    )
    .await?;
    current(&state, id).await
}

/// Removes an attribution with a reason (it is kept, marked removed).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/attributions/{aid}/remove", operation_id = "complaint_unattribute", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id"), ("aid" = i64, Path, description = "Attribution id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "The complaint", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 404, description = "No such complaint or attribution, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Not investigating, or already removed", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Path((id, aid)): Path<(i64, i64)>,
    Json(b): Json<ReasonBody>,
) -> Result<Json<ApiComplaint>, WebError> {
    uc::visible_complaint(&state.store, &auth.user, id).await?;
    let by = &auth.user.user.username;
    state
        .store
        .remove_attribution(id, aid, &b.reason, by, Utc::now())
        .await?;
    current(&state, id).await
}

/// Resolves an attribution's cross-check mismatch in writing.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/attributions/{aid}/resolve", operation_id = "complaint_resolve", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id"), ("aid" = i64, Path, description = "Attribution id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "The complaint", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 404, description = "No such complaint or attribution, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Not investigating, or nothing to resolve", body = ErrorBody),
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Path((id, aid)): Path<(i64, i64)>,
    Json(b): Json<ReasonBody>,
) -> Result<Json<ApiComplaint>, WebError> {
    uc::visible_complaint(&state.store, &auth.user, id).await?;
    let by = &auth.user.user.username;
    state
        .store
        .resolve_mismatch(id, aid, &b.reason, by, Utc::now())
        .await?;
    current(&state, id).await
}

/// `?period=YYYY-MM` (default the newest period with data).
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// The period.
    pub period: Option<String>,
}

/// One line of the statistics.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ApiStatRow {
    /// Stage, team or employee id (0: none).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Complaints attributed (service day in the period).
    pub complaints: i64,
    /// Upheld findings counted in the period.
    pub upheld: i64,
}

/// The statistics of a period.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ApiStats {
    /// Per stage.
    pub stages: Vec<ApiStatRow>,
    /// Per team.
    pub teams: Vec<ApiStatRow>,
    /// Per employee.
    pub employees: Vec<ApiStatRow>,
}

fn rows(r: Vec<StatRow>) -> Vec<ApiStatRow> {
    r.into_iter()
        .map(|s| ApiStatRow {
            id: s.id,
            name: s.name,
            complaints: s.complaints,
            upheld: s.upheld,
        })
        .collect()
}

impl From<ComplaintStats> for ApiStats {
    fn from(s: ComplaintStats) -> Self {
        ApiStats {
            stages: rows(s.stages),
            teams: rows(s.teams),
            employees: rows(s.employees),
        }
    }
}

/// Complaint statistics per stage, team and employee, in the caller's scope.
#[utoipa::path(get, path = "/api/v1/complaints/stats", operation_id = "complaint_stats", tag = "fairness",
    params(StatsQuery),
    responses(
        (status = 200, description = "Statistics", body = ApiStats),
        (status = 404, description = "Agents see no complaints", body = ErrorBody),
    ))]
pub async fn stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<StatsQuery>,
) -> Result<Json<ApiStats>, WebError> {
    let v = uc::complaint_visibility(&state.store, &user).await?;
    let period = uc::stats_period(&state.store, q.period.as_deref()).await?;
    Ok(Json(state.store.complaint_stats(period, &v).await?.into()))
}
