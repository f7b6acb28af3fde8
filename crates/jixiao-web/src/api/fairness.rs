//! `/api/v1/complaints…` and `/api/v1/journeys…`: complaints and service journeys with their
//! cross-checked attributions (docs/FAIRNESS.md). Scope: admin, manager and QA see all;
//! a supervisor only complaints attributed to (journeys staffed by) members of their teams;
//! agents no complaints, and only the journeys they opened or surveyed. Out of scope is the
//! same 404 as a missing id. QA may register; only managers and admins decide.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{NaiveDateTime, Utc};
use jixiao_store::fairness::{
    AttributionRow, ComplaintDetail, ComplaintRow, JourneyDetail, JourneyRow, NewComplaint,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use crate::auth::{Authorized, CurrentUser, Managers};
use crate::fairness::{Investigators, complaint_visibility, visibility, visible_complaint};
use crate::{AppState, WebError};

/// A complaint attribution with its cross-check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAttribution {
    /// Id.
    pub id: i64,
    /// The failed stage.
    pub stage_id: i64,
    /// The employee held responsible.
    pub employee_id: i64,
    /// Service time, `YYYY-MM-DD HH:MM:SS`.
    pub service_at: String,
    /// `ok` or the mismatch (`not_this_stage`, `not_this_time`, `not_this_customer`,
    /// `no_record`, `stage_has_no_records`, `no_customer`).
    pub check: String,
    /// The written resolution of a mismatch.
    pub resolution: Option<String>,
    /// Marked upheld (partly upheld decisions).
    pub upheld: bool,
    /// Removed (kept with its reason).
    pub removed: bool,
    /// Why it was removed.
    pub removed_reason: Option<String>,
}

impl From<AttributionRow> for ApiAttribution {
    fn from(a: AttributionRow) -> Self {
        ApiAttribution {
            id: a.id,
            stage_id: a.stage_id,
            employee_id: a.employee_id,
            service_at: a.service_at.to_string(),
            check: a.check.as_str().to_string(),
            resolution: a.resolution,
            upheld: a.upheld,
            removed: a.removed,
            removed_reason: a.removed_reason,
        }
    }
}

/// A complaint.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiComplaint {
    /// Id.
    pub id: i64,
    /// Channel it came in by.
    pub channel: String,
    /// Customer.
    pub customer_id: Option<String>,
    /// When the service happened.
    pub occurred_at: String,
    /// What the customer says.
    pub summary: String,
    /// Linked journey.
    pub journey_id: Option<i64>,
    /// `registered`, `investigating`, `upheld`, `partly_upheld` or `not_upheld`.
    pub status: String,
    /// The decision's reason.
    pub decision_reason: Option<String>,
    /// Attributions (removed ones included); empty in lists.
    pub attributions: Vec<ApiAttribution>,
}

impl From<ComplaintRow> for ApiComplaint {
    fn from(c: ComplaintRow) -> Self {
        ApiComplaint {
            id: c.id,
            channel: c.channel,
            customer_id: c.customer_id,
            occurred_at: c.occurred_at.to_string(),
            summary: c.summary,
            journey_id: c.journey_id,
            status: c.status,
            decision_reason: c.decision_reason,
            attributions: Vec::new(),
        }
    }
}

impl From<ComplaintDetail> for ApiComplaint {
    fn from(d: ComplaintDetail) -> Self {
        let mut c = ApiComplaint::from(d.complaint);
        c.attributions = d
            .attributions
            .into_iter()
            .map(ApiAttribution::from)
            .collect();
        c
    }
}

/// A journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiJourney {
    /// Id.
    pub id: i64,
    /// Its line's code.
    pub line_code: String,
    /// Customer.
    pub customer_id: String,
    /// Service day.
    pub served_on: String,
    /// Whether its survey is recorded.
    pub surveyed: bool,
    /// (stage id, employee id) of its staff; empty in lists.
    pub participants: Vec<(i64, i64)>,
}

impl From<JourneyRow> for ApiJourney {
    fn from(j: JourneyRow) -> Self {
        ApiJourney {
            id: j.id,
            line_code: j.line_code,
            customer_id: j.customer_id,
            served_on: j.served_on.to_string(),
            surveyed: j.surveyed,
            participants: Vec::new(),
        }
    }
}

impl From<JourneyDetail> for ApiJourney {
    fn from(d: JourneyDetail) -> Self {
        let mut j = ApiJourney::from(d.journey);
        j.participants = d
            .participants
            .iter()
            .map(|p| (p.stage_id, p.employee_id))
            .collect();
        j
    }
}

/// A complaint to register.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterComplaint {
    /// Channel (phone, online, letter, import…).
    pub channel: String,
    /// Customer id (needed for the cross-check).
    pub customer_id: Option<String>,
    /// When the service happened, `YYYY-MM-DD HH:MM:SS`.
    pub occurred_at: String,
    /// What the customer says.
    pub summary: String,
    /// The journey it is about.
    pub journey_id: Option<i64>,
}

/// A decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Decide {
    /// `upheld`, `partly_upheld` or `not_upheld`.
    pub outcome: String,
    /// Why (required).
    pub reason: String,
    /// Partly upheld: the attributions upheld (each active one is marked accordingly first).
    #[serde(default)]
    pub upheld: Vec<i64>,
}

/// Complaints in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/complaints", operation_id = "complaints", tag = "fairness",
    responses(
        (status = 200, description = "Complaints", body = Vec<ApiComplaint>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "Agents see no complaints", body = ErrorBody),
    ))]
pub async fn complaints(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ApiComplaint>>, WebError> {
    let v = complaint_visibility(&state.store, &user).await?;
    let rows = state.store.complaints(&v).await?;
    Ok(Json(rows.into_iter().map(ApiComplaint::from).collect()))
}

/// Registers a complaint (admin, manager, QA).
#[utoipa::path(post, path = "/api/v1/complaints", operation_id = "complaint_register", tag = "fairness",
    request_body = RegisterComplaint,
    responses(
        (status = 200, description = "The registered complaint", body = ApiComplaint),
        (status = 403, description = "Not an investigator", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    auth: Authorized<Investigators>,
    Json(body): Json<RegisterComplaint>,
) -> Result<Json<ApiComplaint>, WebError> {
    let occurred_at =
        NaiveDateTime::parse_from_str(body.occurred_at.trim(), "%Y-%m-%d %H:%M:%S")
            .map_err(|_| WebError::Invalid(format!("invalid time {:?}", body.occurred_at)))?;
    let c = NewComplaint {
        channel: body.channel,
        customer_id: body.customer_id,
        occurred_at,
        summary: body.summary,
        journey_id: body.journey_id,
    };
    let id = state
        .store
        .register_complaint(&c, &auth.user.user.username, Utc::now())
        .await?;
    Ok(Json(state.store.complaint(id).await?.into()))
}

/// One complaint with its attributions and their cross-checks.
#[utoipa::path(get, path = "/api/v1/complaints/{id}", operation_id = "complaint", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint", body = ApiComplaint),
        (status = 404, description = "No such complaint, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ApiComplaint>, WebError> {
    Ok(Json(
        visible_complaint(&state.store, &user, id).await?.into(),
    ))
}

/// Decides an investigated complaint (admin, manager): its findings count in today's period.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/decide", operation_id = "complaint_decide", tag = "fairness",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = Decide,
    responses(
        (status = 200, description = "The decided complaint", body = ApiComplaint),
        (status = 403, description = "Not a manager", body = ErrorBody),
        (status = 409, description = "Not investigating, no attribution, an unresolved mismatch, or a closed period", body = ErrorBody),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(id): Path<i64>,
    Json(body): Json<Decide>,
) -> Result<Json<ApiComplaint>, WebError> {
    crate::fairness::decide(
        &state.store,
        &auth.user,
        id,
        &body.outcome,
        &body.upheld,
        &body.reason,
    )
    .await?;
    Ok(Json(state.store.complaint(id).await?.into()))
}

/// Journeys in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/journeys", operation_id = "journeys", tag = "fairness",
    responses(
        (status = 200, description = "Journeys", body = Vec<ApiJourney>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    ))]
pub async fn journeys(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ApiJourney>>, WebError> {
    let v = visibility(&state.store, &user).await?;
    let rows = state.store.journeys(&v, &user.user.username).await?;
    Ok(Json(rows.into_iter().map(ApiJourney::from).collect()))
}

/// One journey with its staff.
#[utoipa::path(get, path = "/api/v1/journeys/{id}", operation_id = "journey", tag = "fairness",
    params(("id" = i64, Path, description = "Journey id")),
    responses(
        (status = 200, description = "The journey", body = ApiJourney),
        (status = 404, description = "No such journey, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn journey(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ApiJourney>, WebError> {
    let d = crate::fairness::visible_journey(&state.store, &user, id).await?;
    Ok(Json(d.into()))
}
