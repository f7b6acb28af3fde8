//! The API twins of the identity pages (`/unmatched`, `/employees/{no}/aliases`): the agent
//! names no employee answers to (admin, manager), mapping one to an employee, which releases
//! the records held under it, and one employee's names per source system (admin). Same use
//! cases as the pages ([`queries::map_alias`], [`queries::remove_alias`]), so they validate and
//! audit alike.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use jixiao_store::service::AliasMapped;
use jixiao_store::{Alias, UnmatchedAgent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ApiPage, ErrorBody};
use super::{Paging, error_json};
use crate::auth::{Admins, Authorized, Managers};
use crate::i18n::{Lang, Tr};
use crate::queries;
use crate::{AppState, WebError};

/// An agent name no employee answers to, with the records held under it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUnmatched {
    /// The source system (`pbx`, `itsm` …).
    pub source: String,
    /// The name it used.
    pub alias: String,
    /// Records held under the name.
    pub count: i64,
    /// The earliest held record's date.
    pub first: NaiveDate,
    /// The latest held record's date.
    pub last: NaiveDate,
    /// The record kinds held (`calls`, `surveys`, `qa` …).
    pub kinds: Vec<String>,
    /// The employee number the name is mapped to already: its records stay held only because
    /// their period closed before the mapping.
    pub mapped_to: Option<String>,
}

/// The import kind of a held record's table.
fn kind_of_table(table: &str) -> String {
    match table {
        "qa_reviews" => "qa",
        "chat_sessions" => "chats",
        "work_records" => "work",
        other => other,
    }
    .to_string()
}

impl From<UnmatchedAgent> for ApiUnmatched {
    fn from(u: UnmatchedAgent) -> Self {
        ApiUnmatched {
            kinds: u.kinds.iter().map(|k| kind_of_table(k)).collect(),
            source: u.source,
            alias: u.alias,
            count: u.count,
            first: u.first,
            last: u.last,
            mapped_to: u.mapped_to,
        }
    }
}

/// One of an employee's names in a source system.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAlias {
    /// Id (for removing it).
    pub id: i64,
    /// The source system.
    pub source: String,
    /// The name there.
    pub alias: String,
    /// The employee's number.
    pub employee_no: String,
}

impl From<Alias> for ApiAlias {
    fn from(a: Alias) -> Self {
        ApiAlias {
            id: a.id,
            source: a.source,
            alias: a.alias,
            employee_no: a.employee_no,
        }
    }
}

/// A name of a source system to map to an employee.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MapRequest {
    /// The source system, as its records name it.
    #[serde(default)]
    pub source: String,
    /// The agent as that source names them.
    #[serde(default)]
    pub alias: String,
    /// The employee it means.
    #[serde(default)]
    pub employee_no: String,
}

/// A name of a source system to add to the employee of the path.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddAliasRequest {
    /// The source system, as its records name it.
    #[serde(default)]
    pub source: String,
    /// The agent as that source names them.
    #[serde(default)]
    pub alias: String,
}

/// What mapping a name did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AliasMapResult {
    /// The alias as stored.
    pub alias: ApiAlias,
    /// Held records that now count (new, replaced or already present).
    pub released: i64,
    /// The `release` lineage row (`GET /api/v1/imports`), if any record was released.
    pub release_import_id: Option<i64>,
    /// Open periods whose scorecards were recomputed, `YYYY-MM`.
    pub periods_recomputed: Vec<String>,
    /// Records still held under the name: their period closed before the mapping, or the
    /// release rejected them.
    pub still_held: i64,
}

impl From<AliasMapped> for AliasMapResult {
    fn from(m: AliasMapped) -> Self {
        AliasMapResult {
            alias: m.alias.into(),
            released: m.released,
            release_import_id: m.release_import_id,
            periods_recomputed: m
                .periods_recomputed
                .iter()
                .map(ToString::to_string)
                .collect(),
            still_held: i64::try_from(m.still_held.len()).unwrap_or(i64::MAX),
        }
    }
}

/// A mapping's answer: what it did, or the page's form errors as 422s with the page's codes
/// (`alias_unknown_employee`, `alias_conflict`, `alias_invalid`); anything else propagates.
fn mapped(result: Result<AliasMapped, WebError>) -> Result<Response, WebError> {
    let key = match result {
        Ok(m) => return Ok(Json(AliasMapResult::from(m)).into_response()),
        Err(WebError::NotFound) => "alias_unknown_employee",
        Err(WebError::Conflict(_)) => "alias_conflict",
        Err(WebError::Invalid(_)) => "alias_invalid",
        Err(e) => return Err(e),
    };
    let message = Tr::new(Lang::En).get(key);
    Ok(error_json(StatusCode::UNPROCESSABLE_ENTITY, key, message))
}

/// The agent names no employee answers to, most held records first (what `/unmatched` lists).
#[utoipa::path(get, path = "/api/v1/unmatched", operation_id = "list_unmatched", tag = "imports",
    params(Paging),
    responses(
        (status = 200, description = "One page of unknown names", body = ApiPage<ApiUnmatched>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Query(q): Query<Paging>,
) -> Result<Json<ApiPage<ApiUnmatched>>, WebError> {
    let page = state.store.unmatched(q.req()).await?;
    Ok(Json(ApiPage::from_page(page, ApiUnmatched::from)))
}

/// Maps an unknown name of a source to an employee, audited, and releases the records held
/// under it: those of open periods now count (`released`), and those periods are recomputed.
#[utoipa::path(post, path = "/api/v1/unmatched/map", operation_id = "map_unmatched", tag = "imports",
    request_body = MapRequest,
    responses(
        (status = 200, description = "Mapped; what was released", body = AliasMapResult),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers", body = ErrorBody),
        (status = 422, description = "No such employee (`alias_unknown_employee`), the name is mapped to another employee (`alias_conflict`), or an unusable name (`alias_invalid`)", body = ErrorBody),
    ))]
pub async fn map(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(req): Json<MapRequest>,
) -> Result<Response, WebError> {
    let by = &auth.user.user.username;
    let result = queries::map_alias(
        &state.store,
        &req.source,
        &req.alias,
        &req.employee_no,
        by,
        Utc::now(),
    )
    .await;
    mapped(result)
}

/// An employee's names per source system (admin).
#[utoipa::path(get, path = "/api/v1/employees/{employee_no}/aliases", operation_id = "list_aliases", tag = "imports",
    params(("employee_no" = String, Path, description = "Employee number")),
    responses(
        (status = 200, description = "The employee's names", body = [ApiAlias]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
        (status = 404, description = "No such employee", body = ErrorBody),
    ))]
pub async fn aliases(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
    Path(no): Path<String>,
) -> Result<Json<Vec<ApiAlias>>, WebError> {
    let employee = queries::employee_by_path_no(&state.store, &no).await?;
    let aliases = state.store.aliases_of(employee.id).await?;
    Ok(Json(aliases.into_iter().map(ApiAlias::from).collect()))
}

/// Adds a name to the employee (admin), audited, releasing what was held under it.
#[utoipa::path(post, path = "/api/v1/employees/{employee_no}/aliases", operation_id = "add_alias", tag = "imports",
    params(("employee_no" = String, Path, description = "Employee number")),
    request_body = AddAliasRequest,
    responses(
        (status = 200, description = "Added; what was released", body = AliasMapResult),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
        (status = 404, description = "No such employee", body = ErrorBody),
        (status = 422, description = "The name is mapped to another employee (`alias_conflict`), or an unusable name (`alias_invalid`)", body = ErrorBody),
    ))]
pub async fn add(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path(no): Path<String>,
    Json(req): Json<AddAliasRequest>,
) -> Result<Response, WebError> {
    // An unknown employee in the path is a 404, as on the page, not a 422.
    let employee = queries::employee_by_path_no(&state.store, &no).await?;
    let by = &auth.user.user.username;
    let no = employee.employee_no.to_string();
    let result =
        queries::map_alias(&state.store, &req.source, &req.alias, &no, by, Utc::now()).await;
    mapped(result)
}

/// Removes one of the employee's names (admin), audited. Records already counted stay.
#[utoipa::path(post, path = "/api/v1/employees/{employee_no}/aliases/{id}/delete", operation_id = "remove_alias", tag = "imports",
    params(
        ("employee_no" = String, Path, description = "Employee number"),
        ("id" = i64, Path, description = "The alias's id"),
    ),
    responses(
        (status = 200, description = "Removed; the alias as it was", body = ApiAlias),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
        (status = 404, description = "No such employee, or the alias is not theirs", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path((no, id)): Path<(String, String)>,
) -> Result<Json<ApiAlias>, WebError> {
    let id = crate::error::id_param(&id)?;
    let employee = queries::employee_by_path_no(&state.store, &no).await?;
    let by = &auth.user.user.username;
    let removed = queries::remove_alias(&state.store, &employee, id, by, Utc::now()).await?;
    Ok(Json(removed.into()))
}
