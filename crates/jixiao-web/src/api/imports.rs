//! Import lineage, reject reports, and JSON batches pushed by integrations (admin, manager).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use jixiao_store::{Page, ReplacedRecord};
use serde::Serialize;
use utoipa::ToSchema;

use super::Paging;
use super::dto::{ApiImport, ApiPage, ApiReject, ErrorBody, ImportRejects};
use super::ingest::{self, ImportBatch, ImportResult};
use crate::auth::{Authorized, Managers};
use crate::{AppState, WebError};

/// The request header naming a batch, so that sending it again imports it once.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The response header set on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";

/// Imports, newest first.
#[utoipa::path(get, path = "/api/v1/imports", operation_id = "list_imports", tag = "imports",
    params(Paging),
    responses(
        (status = 200, description = "One page of imports", body = ApiPage<ApiImport>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see imports", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Query(q): Query<Paging>,
) -> Result<Json<ApiPage<ApiImport>>, WebError> {
    let page = state.store.imports(q.req()).await?;
    Ok(Json(ApiPage::from_page(page, ApiImport::from)))
}

/// An import's reject report, paged by row: each rejected row with its column, value and
/// reason (`/imports/{id}/rejects.csv` downloads them all).
#[utoipa::path(get, path = "/api/v1/imports/{id}/rejects", operation_id = "import_rejects", tag = "imports",
    params(("id" = i64, Path, description = "Import id"), Paging),
    responses(
        (status = 200, description = "One page of the reject report", body = ImportRejects),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see imports", body = ErrorBody),
        (status = 404, description = "No such import", body = ErrorBody),
    ))]
pub async fn rejects(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
    Query(q): Query<Paging>,
) -> Result<Json<ImportRejects>, WebError> {
    let id = crate::error::id_param(&id)?;
    state.store.import(id).await?;
    let page = state.store.import_rejects_page(id, q.req()).await?;
    Ok(Json(ImportRejects {
        import_id: id,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        rejects: page.items.into_iter().map(ApiReject::from).collect(),
    }))
}

/// A record an import replaced.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiReplaced {
    /// Record kind (`calls`, `tickets`, …).
    pub kind: String,
    /// Source system.
    pub source: String,
    /// The source's record id.
    pub record_id: String,
    /// The import the replaced version came from.
    pub previous_import_id: i64,
}

impl From<ReplacedRecord> for ApiReplaced {
    fn from(r: ReplacedRecord) -> Self {
        ApiReplaced {
            kind: r.kind,
            source: r.source,
            record_id: r.record_id,
            previous_import_id: r.previous_import_id,
        }
    }
}

/// The records an import replaced, by kind, source and record id, each with the import its
/// replaced version came from: the rows of `/imports/{id}/replaced.csv`, paged.
#[utoipa::path(get, path = "/api/v1/imports/{id}/replaced", operation_id = "import_replaced", tag = "imports",
    params(("id" = i64, Path, description = "Import id"), Paging),
    responses(
        (status = 200, description = "One page of replaced records", body = ApiPage<ApiReplaced>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see imports", body = ErrorBody),
        (status = 404, description = "No such import", body = ErrorBody),
    ))]
pub async fn replaced(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
    Query(q): Query<Paging>,
) -> Result<Json<ApiPage<ApiReplaced>>, WebError> {
    let id = crate::error::id_param(&id)?;
    state.store.import(id).await?;
    let records = state.store.replaced_records(id).await?;
    Ok(Json(ApiPage::from_page(
        Page::of(records, q.req()),
        ApiReplaced::from,
    )))
}

/// Imports a JSON batch of records of `kind` (`calls`, `surveys`, `qa`, and the other kinds of
/// docs/IMPORT.md), validated exactly like a canonical file; rows in the reject report are
/// 1-based indexes in `records`. The
/// `Idempotency-Key` header is required: the same key with the same body answers the first
/// answer again (header `Idempotent-Replayed: true`) and imports nothing; the same key with a
/// different body is refused with `idempotency_key_reused`.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", operation_id = "create_import", tag = "imports",
    params(
        ("kind" = String, Path, description = "Record kind: calls, surveys, qa, tickets, chats, orders, attendance or work"),
        ("Idempotency-Key" = String, Header, description = "Names the batch: 1–255 visible ASCII characters, unique per batch"),
    ),
    request_body = ImportBatch,
    responses(
        (status = 201, description = "Imported (or refused in strict mode, see `status`); also the replayed answer", body = ImportResult),
        (status = 400, description = "No Idempotency-Key (`idempotency_key_required`)", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers import", body = ErrorBody),
        (status = 404, description = "Unknown kind", body = ErrorBody),
        (status = 409, description = "The same key is being processed (`idempotency_key_in_progress`)", body = ErrorBody),
        (status = 422, description = "Not an import batch (`invalid_input`), or the key reused for another body (`idempotency_key_reused`)", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| {
            v.to_str().map_err(|_| {
                WebError::Invalid("the Idempotency-Key must be visible ASCII characters".into())
            })
        })
        .transpose()?;
    let answer =
        ingest::import_batch(&state.store, &auth.user, &kind, key, &body, Utc::now()).await?;
    let mut res = (answer.status, Json(answer.body)).into_response();
    if answer.replayed {
        res.headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(res)
}
