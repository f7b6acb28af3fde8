//! `/api/v1/notes…`, `/api/v1/notifications…` and `/api/v1/audit` (docs/FAIRNESS.md). Notes
//! have the appeals' scope; notifications are the caller's own; the audit trail is for admins
//! and managers.

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use jixiao_store::{AuditEntry, AuditVerification, Note, Notification};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Paging;
use super::appeals::period;
use super::dto::{ApiPage, ErrorBody};
use crate::appeals as uc;
use crate::auth::{Authorized, CurrentUser, Managers};
use crate::{AppState, WebError};

/// A feedback or coaching note.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiNote {
    /// Id.
    pub id: i64,
    /// Period.
    pub period: String,
    /// Employee.
    pub employee_id: i64,
    /// `feedback` or `coaching`.
    pub kind: String,
    /// Text.
    pub body: String,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When the employee acknowledged it.
    pub acknowledged_at: Option<String>,
}

impl From<Note> for ApiNote {
    fn from(n: Note) -> Self {
        ApiNote {
            id: n.id,
            period: n.period.to_string(),
            employee_id: n.employee_id,
            kind: n.kind.as_str().into(),
            body: n.body,
            author: n.author,
            created_at: n.created_at.to_rfc3339(),
            acknowledged_at: n.acknowledged_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// `?period=&employee_id=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoteQuery {
    /// Only this period.
    period: Option<String>,
    /// Only this employee.
    employee_id: Option<i64>,
    /// 1-based page.
    page: Option<u32>,
    /// Rows per page.
    per_page: Option<u32>,
}

/// The notes the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/notes", operation_id = "notes_list", tag = "appeals",
    params(NoteQuery),
    responses((status = 200, description = "A page of notes", body = ApiPage<ApiNote>)))]
pub async fn notes(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NoteQuery>,
) -> Result<Json<ApiPage<ApiNote>>, WebError> {
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    let page = state
        .store
        .notes(
            &user.user,
            period(q.period.as_deref())?,
            q.employee_id,
            paging.req(),
        )
        .await?;
    Ok(Json(ApiPage::from_page(page, ApiNote::from)))
}

/// A note to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddNote {
    /// Period of the card.
    pub period: String,
    /// The employee.
    pub employee_id: i64,
    /// `feedback` or `coaching`.
    pub kind: String,
    /// Text (required).
    pub body: String,
}

/// Records a note on an employee's card: their supervisor in the period, or a manager.
#[utoipa::path(post, path = "/api/v1/notes", operation_id = "note_add", tag = "appeals",
    request_body = AddNote,
    responses(
        (status = 200, description = "The note", body = ApiNote),
        (status = 404, description = "The employee is out of scope", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<AddNote>,
) -> Result<Json<ApiNote>, WebError> {
    let p = period(Some(&body.period))?.ok_or(WebError::NotFound)?;
    let n = uc::add_note(
        &state.store,
        &user.user,
        p,
        body.employee_id,
        &body.kind,
        &body.body,
    )
    .await?;
    Ok(Json(n.into()))
}

/// The employee acknowledges a note on their card.
#[utoipa::path(post, path = "/api/v1/notes/{id}/ack", operation_id = "note_ack", tag = "appeals",
    params(("id" = i64, Path, description = "Note id")),
    responses(
        (status = 200, description = "The acknowledged note", body = ApiNote),
        (status = 404, description = "Missing, or not the caller's", body = ErrorBody),
    ))]
pub async fn ack_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ApiNote>, WebError> {
    let n = state
        .store
        .acknowledge_note(&user.user, id, Utc::now())
        .await?;
    Ok(Json(n.into()))
}

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiNotification {
    /// Id.
    pub id: i64,
    /// Kind, e.g. `appeal.accepted`, `finding.new`, `period.review`.
    pub kind: String,
    /// Subject line.
    pub subject: String,
    /// App-relative link.
    pub link: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When read.
    pub read_at: Option<String>,
}

impl From<Notification> for ApiNotification {
    fn from(n: Notification) -> Self {
        ApiNotification {
            id: n.id,
            kind: n.kind,
            subject: n.subject,
            link: n.link,
            created_at: n.created_at.to_rfc3339(),
            read_at: n.read_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", operation_id = "notifications_list", tag = "appeals",
    params(Paging),
    responses((status = 200, description = "A page of notifications", body = ApiPage<ApiNotification>)))]
pub async fn notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<Paging>,
) -> Result<Json<ApiPage<ApiNotification>>, WebError> {
    let page = state
        .store
        .notifications(user.user.id, paging.req())
        .await?;
    Ok(Json(ApiPage::from_page(page, ApiNotification::from)))
}

/// Which notifications to mark read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkRead {
    /// One notification; none: all of the caller's.
    pub id: Option<i64>,
}

/// How many were marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// Notifications marked read.
    pub marked: u64,
}

/// Marks one or all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", operation_id = "notifications_read", tag = "appeals",
    request_body = MarkRead,
    responses(
        (status = 200, description = "Marked", body = Marked),
        (status = 404, description = "Not one of the caller's", body = ErrorBody),
    ))]
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<MarkRead>,
) -> Result<Json<Marked>, WebError> {
    let marked = state
        .store
        .mark_notifications_read(user.user.id, body.id, Utc::now())
        .await?;
    Ok(Json(Marked { marked }))
}

/// An audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAuditEntry {
    /// Sequence number.
    pub id: i64,
    /// Who.
    pub actor: String,
    /// Kind.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Detail.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// When (RFC 3339, microseconds).
    pub at: String,
    /// Hex SHA-256 chaining it to the entry before.
    pub entry_hash: String,
}

impl From<AuditEntry> for ApiAuditEntry {
    fn from(e: AuditEntry) -> Self {
        ApiAuditEntry {
            id: e.id,
            actor: e.actor,
            kind: e.kind,
            subject: e.subject,
            detail: e.detail,
            at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            entry_hash: e.entry_hash,
        }
    }
}

/// A page of the audit trail and whether the whole chain verifies.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAudit {
    /// Whether every entry matches its hash and links to the one before.
    pub intact: bool,
    /// The first failing entry, when broken.
    pub broken_at: Option<i64>,
    /// `audit.altered`, `audit.missing`, `audit.unlinked` or `audit.misfiled`, when broken.
    pub problem: Option<String>,
    /// The entries.
    pub entries: ApiPage<ApiAuditEntry>,
}

/// `?employee_no=&period=&kind=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this employee number.
    employee_no: Option<String>,
    /// Only entries about this period.
    period: Option<String>,
    /// Only this kind and its sub-kinds (`appeal` matches `appeal.accept`).
    kind: Option<String>,
    /// 1-based page.
    page: Option<u32>,
    /// Rows per page.
    per_page: Option<u32>,
}

/// The audit trail (admin, manager), newest first, filtered by employee, period and kind.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "audit_list", tag = "appeals",
    params(AuditQuery),
    responses(
        (status = 200, description = "Entries and the chain's verification", body = ApiAudit),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
    ))]
pub async fn audit(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<ApiAudit>, WebError> {
    let filter = uc::audit_filter(
        &state.store,
        q.employee_no.as_deref().unwrap_or(""),
        q.period.as_deref().unwrap_or(""),
        q.kind.as_deref().unwrap_or(""),
    )
    .await?;
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    let page = state.store.audit_search(&filter, paging.req()).await?;
    let (intact, broken_at, problem) = match state.store.verify_audit_chain().await? {
        AuditVerification::Intact { .. } => (true, None, None),
        AuditVerification::Broken { id, problem, .. } => {
            (false, Some(id), Some(problem.code().to_string()))
        }
    };
    Ok(Json(ApiAudit {
        intact,
        broken_at,
        problem,
        entries: ApiPage::from_page(page, ApiAuditEntry::from),
    }))
}
