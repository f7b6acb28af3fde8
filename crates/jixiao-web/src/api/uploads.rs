//! The API twin of the upload form (`POST /imports`, admins and managers): a source file as
//! the raw request body, imported in the background by the same job as an upload
//! ([`crate::jobs`]), and the job's progress and result (`GET /imports/jobs/{id}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use jixiao_store::{JOB_INTERRUPTED, JobStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ApiImport, ApiReject, ErrorBody};
use crate::auth::{Authorized, Managers, same_origin};
use crate::jobs::{self, INTERNAL_ERROR_PREFIX, JobScope, Upload};
use crate::view::imports::JOB_REJECTS_SHOWN;
use crate::{AppState, WebError};

/// `?kind=&profile=&mode=&file_name=` of an upload.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Record kind of a canonical file: calls, surveys, qa, tickets, chats, orders, attendance
    /// or work (a profile's or preset's own kind wins).
    #[serde(default)]
    kind: String,
    /// Read the file through this mapping profile (`GET /api/v1/profiles`), or a built-in
    /// preset as `preset:<name>`; leave it out for a canonical file.
    #[serde(default)]
    profile: String,
    /// `strict` (one rejected row and nothing lands) or `lenient` (default).
    #[serde(default)]
    mode: String,
    /// The file's name, kept in the import's lineage (default `upload.csv`).
    #[serde(default)]
    file_name: String,
}

/// An accepted upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadAccepted {
    /// The background job importing the file.
    pub job_id: i64,
    /// Where to follow it: `/api/v1/imports/jobs/{job_id}`.
    pub job_path: String,
}

/// A background import: where it is, and once it ended, what it wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiJob {
    /// Id.
    pub id: i64,
    /// Record kind.
    pub kind: String,
    /// File name.
    pub file_name: String,
    /// Bytes.
    pub file_size: i64,
    /// `strict` or `lenient`.
    pub mode: String,
    /// `queued`, `running`, `done`, `failed` or `refused` (strict with rejects: nothing
    /// landed). A job whose process died is `failed` with `error_code` `job_interrupted`.
    pub status: String,
    /// While running: `parsing` (units: bytes), `writing` (records), `indexing`
    /// (indexes rebuilt after a large fresh load) or `recomputing` (periods).
    pub stage: Option<String>,
    /// Units of the stage done.
    pub done: i64,
    /// Units in the stage.
    pub total: i64,
    /// Once failed: `file` (the file's own problem, see `error`), `job_interrupted` or
    /// `job_failed_internal`.
    pub error_code: Option<String>,
    /// Once failed because of the file: why, as the reader worded it.
    pub error: Option<String>,
    /// Who uploaded it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last progress.
    pub updated_at: DateTime<Utc>,
    /// Once done or refused: the import written, with its counts.
    pub import: Option<ApiImport>,
    /// Its first 100 rejected rows (all of them, paged: `GET /api/v1/imports/{id}/rejects`).
    pub rejects: Vec<ApiReject>,
    /// More rows were rejected than listed here.
    pub more_rejects: bool,
}

/// Imports a source file, sent as the raw body (CSV or TSV in UTF-8 or GBK, or an xlsx
/// workbook read through a profile), in the background, exactly as the upload form does:
/// answers at once with the job to follow. The same file again imports nothing new (its
/// records are `unchanged`).
#[utoipa::path(post, path = "/api/v1/imports/upload", operation_id = "upload_import", tag = "imports",
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 202, description = "Accepted; the job imports it", body = UploadAccepted),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers import", body = ErrorBody),
        (status = 422, description = "An empty body, an unknown kind, mode, profile or preset (`invalid_input`)", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<UploadAccepted>), WebError> {
    // A browser session posting here passes the pages' origin check; a token needs none.
    if auth.user.api_token.is_none() && !same_origin(&headers) {
        return Err(WebError::Csrf);
    }
    if body.is_empty() {
        return Err(WebError::Invalid("no file was uploaded".into()));
    }
    let file_name = match q.file_name.trim() {
        "" => "upload.csv".to_string(),
        name => name.to_string(),
    };
    let upload = Upload::prepare(
        &state.store,
        q.kind,
        file_name,
        body.to_vec(),
        &q.mode,
        &q.profile,
    )
    .await?;
    let by = &auth.user.user.username;
    let id = jobs::start(&state.store, upload, by, Utc::now()).await?;
    tracing::info!(
        job = id,
        by,
        token = auth.user.api_token,
        "api upload accepted"
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(UploadAccepted {
            job_id: id,
            job_path: format!("/api/v1/imports/jobs/{id}"),
        }),
    ))
}

/// A background import's progress, then its result: what `/imports/jobs/{id}` shows. Seen by
/// whoever started it, admins and managers; anyone else gets the 404 of a missing job.
#[utoipa::path(get, path = "/api/v1/imports/jobs/{id}", operation_id = "import_job", tag = "imports",
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = ApiJob),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such job, or not the caller's", body = ErrorBody),
    ))]
pub async fn job(State(state): State<AppState>, scope: JobScope) -> Result<Json<ApiJob>, WebError> {
    let job = scope.job.seen_at(Utc::now());
    let result = jobs::result(&state.store, &job).await?;
    let (error_code, error) = match (job.status, job.error.as_deref()) {
        (JobStatus::Failed, Some(JOB_INTERRUPTED)) => (Some("job_interrupted"), None),
        (JobStatus::Failed, Some(e)) if e.starts_with(INTERNAL_ERROR_PREFIX) => {
            (Some("job_failed_internal"), None)
        }
        (JobStatus::Failed, e) => (Some("file"), Some(e.unwrap_or_default().to_string())),
        _ => (None, None),
    };
    let (import, rejects, more_rejects) = match result {
        Some((import, mut rejects)) => {
            let more = rejects.len() > JOB_REJECTS_SHOWN;
            rejects.truncate(JOB_REJECTS_SHOWN);
            let rejects = rejects.into_iter().map(ApiReject::from).collect();
            (Some(ApiImport::from(import)), rejects, more)
        }
        None => (None, Vec::new(), false),
    };
    Ok(Json(ApiJob {
        id: job.id,
        kind: job.kind,
        file_name: job.file_name,
        file_size: job.file_size,
        mode: job.mode.as_str().to_string(),
        status: job.status.as_str().to_string(),
        stage: job
            .stage
            .filter(|_| job.status == JobStatus::Running)
            .map(|s| s.as_str().to_string()),
        done: job.done.min(job.total),
        total: job.total,
        error_code: error_code.map(str::to_string),
        error,
        created_by: job.created_by,
        created_at: job.created_at,
        updated_at: job.updated_at,
        import,
        rejects,
        more_rejects,
    }))
}
