//! The API twins of the mapping-profile pages (`/imports/profiles`, admins and managers): the
//! saved and shipped profiles, one profile's TOML with its parsed summary, saving (checked as
//! the editor checks, 422 with the editor's stable code), deleting, and the editor's preview of
//! a sample file's first rows. Same use cases as the pages ([`crate::profiles`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jixiao_import::mapping::{FieldPreview, Preview, Profile};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ApiReject, ErrorBody};
use super::error_json;
use crate::auth::{Authorized, Managers};
use crate::i18n::{Lang, Tr};
use crate::profiles::{self, Entry, Problem};
use crate::view::profiles::ProblemVm;
use crate::{AppState, WebError};

/// One profile of the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiProfileEntry {
    /// Its name (used as `profile=` of an upload).
    pub name: String,
    /// Its record kind.
    pub kind: String,
    /// Shipped with Jixiao (read-only), or saved.
    pub builtin: bool,
    /// The saved version (null for a shipped profile).
    pub version: Option<i64>,
    /// Who saved it (null for a shipped profile).
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<Entry> for ApiProfileEntry {
    fn from(e: Entry) -> Self {
        let (updated_by, updated_at) = e.updated.map_or((None, None), |(b, a)| (Some(b), Some(a)));
        ApiProfileEntry {
            name: e.name,
            kind: e.kind,
            builtin: e.builtin,
            version: e.version,
            updated_by,
            updated_at,
        }
    }
}

/// What a profile says, parsed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileSummary {
    /// Its name.
    pub name: String,
    /// The canonical record kind it reads.
    pub kind: String,
    /// The source system put on records that name none.
    pub source: Option<String>,
    /// `csv` (delimited text) or `xlsx`.
    pub format: String,
    /// The text encoding (`auto`, `utf8`, `gb18030`).
    pub encoding: String,
    /// Whether the first row names the columns.
    pub header: bool,
    /// Rows skipped before the header or data.
    pub skip_rows: u32,
    /// The time zone the source writes in (null: the center's own).
    pub timezone: Option<String>,
    /// The canonical fields it fills, by name.
    pub fields: Vec<String>,
}

/// An enum of the profile as its TOML spells it.
fn spelled(v: impl Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

impl From<&Profile> for ProfileSummary {
    fn from(p: &Profile) -> Self {
        ProfileSummary {
            name: p.name.clone(),
            kind: p.kind.clone(),
            source: p.source.clone(),
            format: spelled(p.format),
            encoding: spelled(p.encoding),
            header: p.header,
            skip_rows: p.skip_rows,
            timezone: p.timezone.clone(),
            fields: p.fields.keys().cloned().collect(),
        }
    }
}

/// A profile: its TOML and what it says.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiProfile {
    /// Its name.
    pub name: String,
    /// The TOML text, comments kept.
    pub toml: String,
    /// Shipped with Jixiao: it cannot be saved under its own name (save a copy).
    pub builtin: bool,
    /// The saved version; send it back to save a new version (null for a shipped profile).
    pub version: Option<i64>,
    /// Who saved it.
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
    /// The parsed profile (null if the stored text no longer reads).
    pub summary: Option<ProfileSummary>,
}

/// Profile text to save under the name of the path.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveProfileRequest {
    /// The TOML text; its `name` must be the path's.
    pub toml: String,
    /// The version the text was edited from (from `GET /api/v1/profiles/{name}`); leave it out
    /// to create a new profile. A stale version is refused (`profile_err_conflict`).
    #[serde(default)]
    pub version: Option<i64>,
}

/// Profile text and a sample file to read through it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    /// The TOML text (need not be saved).
    pub toml: String,
    /// The sample as text (a CSV/TSV file in UTF-8).
    #[serde(default)]
    pub sample_text: Option<String>,
    /// The sample's bytes in standard base64 (any file the profile reads: GBK text, a
    /// workbook when the profile's format is `xlsx`).
    #[serde(default)]
    pub sample_base64: Option<String>,
}

/// One canonical field of a previewed row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldPreview {
    /// The canonical field.
    pub field: String,
    /// `value`, `blank` or `rejected`.
    pub status: String,
    /// The value as it will be read (for `value`).
    pub value: Option<String>,
}

/// One sample row as it will be read.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPreviewRow {
    /// The file's row (line of a text file, row of a sheet).
    pub row: i64,
    /// The cells as found.
    pub cells: Vec<String>,
    /// Per canonical field.
    pub fields: Vec<ApiFieldPreview>,
    /// The row will be rejected (see `errors`).
    pub rejected: bool,
}

/// The editor's preview: the sample's first rows as the profile reads them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPreview {
    /// The sample's columns (its header's names, or `column 1` … without one).
    pub columns: Vec<String>,
    /// The kind's canonical fields, in order.
    pub fields: Vec<String>,
    /// The rows read (at most 20).
    pub rows: Vec<ApiPreviewRow>,
    /// Rows that would land.
    pub good: usize,
    /// Rows that would be rejected.
    pub bad: usize,
    /// Why: one entry per rejected field (or whole row, with an empty column).
    pub errors: Vec<ApiReject>,
}

impl From<Preview> for ApiPreview {
    fn from(p: Preview) -> Self {
        let mut errors = Vec::new();
        let rows: Vec<ApiPreviewRow> = p
            .rows
            .into_iter()
            .map(|r| {
                let mut rejected = false;
                if let Some(problem) = r.problem {
                    rejected = true;
                    errors.push(ApiReject {
                        row: r.row,
                        column: String::new(),
                        value: String::new(),
                        reason: problem,
                    });
                }
                let fields = p
                    .fields
                    .iter()
                    .zip(r.fields)
                    .map(|(name, f)| {
                        let (status, value) = match f {
                            FieldPreview::Value(v) => ("value", Some(v)),
                            FieldPreview::Empty => ("blank", None),
                            FieldPreview::Rejected {
                                column,
                                value,
                                reason,
                            } => {
                                rejected = true;
                                errors.push(ApiReject {
                                    row: r.row,
                                    column,
                                    value,
                                    reason,
                                });
                                ("rejected", None)
                            }
                        };
                        ApiFieldPreview {
                            field: name.clone(),
                            status: status.to_string(),
                            value,
                        }
                    })
                    .collect();
                ApiPreviewRow {
                    row: r.row,
                    cells: r.cells,
                    fields,
                    rejected,
                }
            })
            .collect();
        let bad = rows.iter().filter(|r| r.rejected).count();
        ApiPreview {
            columns: p.columns,
            fields: p.fields,
            good: rows.len() - bad,
            bad,
            rows,
            errors,
        }
    }
}

/// What a preview answers: the profile read, and the sample's rows when one was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResult {
    /// The profile as parsed.
    pub profile: ProfileSummary,
    /// The sample's first rows (null without a sample: the text was only checked).
    pub preview: Option<ApiPreview>,
}

/// A profile problem as the API answers it: 422 with the editor's stable code (the engine's,
/// like `profile_unknown_field`, or the editor's own, like `profile_err_conflict`).
fn problem(p: Problem) -> Response {
    let vm = ProblemVm::new(&Tr::new(Lang::En), p);
    error_json(StatusCode::UNPROCESSABLE_ENTITY, &vm.code, &vm.message)
}

/// The saved mapping profiles (by name), then the shipped ones (admin, manager).
#[utoipa::path(get, path = "/api/v1/profiles", operation_id = "list_profiles", tag = "imports",
    responses(
        (status = 200, description = "Saved profiles, then the shipped ones", body = Vec<ApiProfileEntry>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see profiles", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
) -> Result<Json<Vec<ApiProfileEntry>>, WebError> {
    let entries = profiles::list(&state.store).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

/// One profile, shipped or saved: its TOML text and what it says (admin, manager).
#[utoipa::path(get, path = "/api/v1/profiles/{name}", operation_id = "get_profile", tag = "imports",
    params(("name" = String, Path, description = "The profile's name")),
    responses(
        (status = 200, description = "The profile", body = ApiProfile),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers see profiles", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(name): Path<String>,
) -> Result<Json<ApiProfile>, WebError> {
    let opened = profiles::open(&state.store, &name).await?;
    Ok(Json(api_profile(name, opened)))
}

fn api_profile(name: String, o: profiles::Opened) -> ApiProfile {
    let summary = profiles::check(&o.toml)
        .ok()
        .map(|(_, p)| ProfileSummary::from(&p));
    let (updated_by, updated_at) = o.updated.map_or((None, None), |(b, a)| (Some(b), Some(a)));
    ApiProfile {
        name,
        toml: o.toml,
        builtin: o.builtin,
        version: o.version,
        updated_by,
        updated_at,
        summary,
    }
}

/// Saves profile text under the path's name (admin, manager), checked as the editor checks
/// it: without `version` a new profile, else a new version of the one edited. Audited.
#[utoipa::path(post, path = "/api/v1/profiles/{name}", operation_id = "save_profile", tag = "imports",
    params(("name" = String, Path, description = "The profile's name; the text's `name` must be the same")),
    request_body = SaveProfileRequest,
    responses(
        (status = 200, description = "The stored profile", body = ApiProfile),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers edit profiles", body = ErrorBody),
        (status = 422, description = "The text does not read, names another profile, a shipped one or an existing one, or was edited from a stale version", body = ErrorBody),
    ))]
pub async fn save(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(name): Path<String>,
    Json(req): Json<SaveProfileRequest>,
) -> Result<Response, WebError> {
    let named = match profiles::check(&req.toml) {
        Ok((_, p)) => p.name,
        Err(p) => return Ok(problem(p)),
    };
    if named != name {
        let message = format!("the profile text is named {named:?}, not {name:?} as the path says");
        return Ok(error_json(
            StatusCode::UNPROCESSABLE_ENTITY,
            "profile_name_mismatch",
            &message,
        ));
    }
    let by = &auth.user.user.username;
    let saved = profiles::save(
        &state.store,
        &req.toml,
        Some(&name),
        req.version,
        by,
        Utc::now(),
    )
    .await?;
    let saved = match saved {
        Ok(saved) => saved,
        Err(p) => return Ok(problem(p)),
    };
    tracing::info!(
        profile = saved.name,
        version = saved.version,
        by,
        "mapping profile saved"
    );
    let opened = profiles::open(&state.store, &saved.name).await?;
    Ok(Json(api_profile(saved.name, opened)).into_response())
}

/// Deletes a saved profile (admin, manager); imports keep its name. Audited.
#[utoipa::path(post, path = "/api/v1/profiles/{name}/delete", operation_id = "delete_profile", tag = "imports",
    params(("name" = String, Path, description = "The profile's name")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers edit profiles", body = ErrorBody),
        (status = 404, description = "No such saved profile (a shipped one cannot be deleted)", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Path(name): Path<String>,
) -> Result<StatusCode, WebError> {
    if profiles::is_builtin(&name) {
        return Err(WebError::NotFound);
    }
    let by = &auth.user.user.username;
    state
        .store
        .delete_mapping_profile(&name, by, Utc::now())
        .await?;
    tracing::info!(profile = name, by, "mapping profile deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// Checks profile text and, with a sample file, reads its first 20 rows as an import will
/// (admin, manager): the editor's preview. Saves nothing.
#[utoipa::path(post, path = "/api/v1/profiles/preview", operation_id = "preview_profile", tag = "imports",
    request_body = PreviewRequest,
    responses(
        (status = 200, description = "The profile read, and the sample's rows", body = PreviewResult),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers edit profiles", body = ErrorBody),
        (status = 422, description = "The text does not read, the sample is not base64, or the sample cannot be read through it", body = ErrorBody),
    ))]
pub async fn preview(
    _auth: Authorized<Managers>,
    Json(req): Json<PreviewRequest>,
) -> Result<Response, WebError> {
    let profile = match profiles::check(&req.toml) {
        Ok((_, p)) => ProfileSummary::from(&p),
        Err(p) => return Ok(problem(p)),
    };
    let sample = match (req.sample_text, req.sample_base64.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(WebError::Invalid(
                "send the sample as sample_text or sample_base64, not both".into(),
            ));
        }
        (Some(text), None) => Some(text.into_bytes()),
        (None, Some(b64)) => Some(
            base64(b64).ok_or_else(|| WebError::Invalid("sample_base64 is not base64".into()))?,
        ),
        (None, None) => None,
    };
    let preview = match sample {
        None => None,
        Some(bytes) => match profiles::preview(&req.toml, bytes).await? {
            Ok(p) => Some(ApiPreview::from(p)),
            Err(p) => return Ok(problem(p)),
        },
    };
    Ok(Json(PreviewResult { profile, preview }).into_response())
}

/// Decodes standard base64 (padding optional, whitespace ignored).
fn base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    LENIENT.decode(digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64("aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64("aGVs\nbG8h").unwrap(), b"hello!");
        assert_eq!(base64("").unwrap(), b"");
        assert!(base64("a").is_none());
        assert!(base64("a*==").is_none());
    }
}
