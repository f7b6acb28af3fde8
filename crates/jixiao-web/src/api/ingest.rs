//! The JSON import use case: validate the batch, claim its idempotency key, import through the
//! same parser and service as a file, and keep the answer for replays. No HTTP here beyond the
//! status code that is stored with the answer.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use jixiao_import::canonical::Kind;
use jixiao_store::{IdempotencyClaim, ImportMode, NewImport, Store, service};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::dto::ApiReject;
use crate::WebError;
use crate::auth::CurrentUser;

/// Longest accepted `Idempotency-Key`.
const MAX_KEY_LEN: usize = 255;
/// A claimed key whose request never answered (its instance died) is free again after this.
const STALE_CLAIM_MINUTES: i64 = 15;

/// Strict (all or nothing) or lenient (the good rows land).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiImportMode {
    /// One rejected row and no record lands; the import and its reject report are kept.
    Strict,
    /// The good rows land; the rejected ones are reported.
    #[default]
    Lenient,
}

impl From<ApiImportMode> for ImportMode {
    fn from(m: ApiImportMode) -> Self {
        match m {
            ApiImportMode::Strict => ImportMode::Strict,
            ApiImportMode::Lenient => ImportMode::Lenient,
        }
    }
}

/// The body of `POST /api/v1/imports/{kind}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBatch {
    /// What the batch is, kept as the import's file name (lineage), e.g. `pbx-2026-10-08`.
    #[schema(example = "pbx-2026-10-08")]
    pub source_name: String,
    /// The records: objects whose keys are the canonical field names of the kind (see
    /// docs/IMPORT.md); values are strings, numbers, booleans or null (= empty).
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<Value>,
    /// Strict or lenient; lenient when left out.
    #[serde(default)]
    pub mode: ApiImportMode,
}

/// What an API import did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// The import's id (its lineage: `GET /api/v1/imports`).
    pub import_id: i64,
    /// Record kind.
    pub kind: String,
    /// The batch's `source_name`.
    pub source_name: String,
    /// Strict or lenient.
    pub mode: ApiImportMode,
    /// `done`, or `refused` (strict with rejects: nothing landed).
    pub status: String,
    /// Records in the batch.
    pub rows_total: i64,
    /// New records.
    pub inserted: i64,
    /// Records that replaced an earlier version.
    pub replaced: i64,
    /// Records already present with identical content.
    pub unchanged: i64,
    /// Rejected rows (rows are 1-based indexes in `records`).
    pub rejected: i64,
    /// The reject report.
    pub rejects: Vec<ApiReject>,
    /// Open periods whose scorecards were recomputed.
    pub periods_touched: Vec<String>,
}

/// An answer to an import request: the status, the JSON body, and whether it is a replay.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// The body.
    pub body: Value,
    /// Whether this is the stored answer to an earlier identical request.
    pub replayed: bool,
}

/// The JSON value with every object's keys sorted, compact: equal for equal content however
/// the client ordered or spaced it.
pub fn canonical_json(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(o) => {
                let mut keys: Vec<&String> = o.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&o[k])))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(v).to_string()
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Checks an `Idempotency-Key`: 1–255 visible ASCII characters.
fn check_key(key: Option<&str>) -> Result<&str, WebError> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let key = key.ok_or(WebError::IdempotencyKeyRequired)?;
    if key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(WebError::Invalid(format!(
            "the Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"
        )));
    }
    Ok(key)
}

/// Imports a JSON batch of `kind` once per (user, idempotency key): the same key with the same
/// body answers what the first request answered, without importing again; with another body
/// it is refused.
pub async fn import_batch(
    store: &Store,
    user: &CurrentUser,
    kind: &str,
    key: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Answer, WebError> {
    let kind = Kind::parse(kind).ok_or(WebError::NotFound)?;
    let key = check_key(key)?;
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| WebError::Invalid(format!("the body is not valid JSON: {e}")))?;
    let canonical = canonical_json(&value);
    let batch: ImportBatch = serde_json::from_value(value)
        .map_err(|e| WebError::Invalid(format!("the body is not an import batch: {e}")))?;
    let source_name = batch.source_name.trim();
    if source_name.is_empty() || source_name.chars().count() > 200 {
        return Err(WebError::Invalid(
            "source_name must be 1 to 200 characters".into(),
        ));
    }
    if batch.records.is_empty() {
        return Err(WebError::Invalid("records must not be empty".into()));
    }
    // The kind is part of the request: the same body sent to another kind is another request.
    let request_hash = sha256(&format!("{}\n{canonical}", kind.as_str()));
    let stale = now - Duration::minutes(STALE_CLAIM_MINUTES);
    let user_id = user.user.id;
    match store
        .claim_idempotency(user_id, key, &request_hash, now, stale)
        .await?
    {
        IdempotencyClaim::Claimed => {}
        IdempotencyClaim::Done { status, body } => {
            return Ok(Answer {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body,
                replayed: true,
            });
        }
        IdempotencyClaim::Mismatch => return Err(WebError::IdempotencyKeyReused),
        IdempotencyClaim::InProgress => return Err(WebError::IdempotencyInProgress),
    }
    let imported = run(store, user, kind, &batch, &canonical, now).await;
    let answer = match imported {
        Ok(result) => serde_json::to_value(result).map_err(WebError::internal),
        Err(e) => Err(e),
    };
    match answer {
        Ok(body) => {
            store
                .finish_idempotency(user_id, key, StatusCode::CREATED.as_u16(), &body)
                .await?;
            Ok(Answer {
                status: StatusCode::CREATED,
                body,
                replayed: false,
            })
        }
        Err(e) => {
            // Nothing was imported: the client may fix the batch, or retry, under the same key.
            store.release_idempotency(user_id, key).await?;
            Err(e)
        }
    }
}

/// Parses and imports the batch (recomputing the open periods it touched).
async fn run(
    store: &Store,
    user: &CurrentUser,
    kind: Kind,
    batch: &ImportBatch,
    canonical: &str,
    now: DateTime<Utc>,
) -> Result<ImportResult, WebError> {
    let (records, rows_total) =
        jixiao_import::json::parse(kind, &batch.records).map_err(WebError::File)?;
    let import = NewImport {
        kind: kind.as_str().to_string(),
        file_name: batch.source_name.trim().to_string(),
        file_hash: sha256(canonical),
        file_size: i64::try_from(canonical.len()).unwrap_or(i64::MAX),
        rows_total,
        imported_by: user.user.username.clone(),
        imported_at: now,
        mode: batch.mode.into(),
        profile: None,
    };
    let outcome = service::import(store, &import, &records, &|_| {}).await?;
    tracing::info!(
        import_id = outcome.import_id,
        kind = kind.as_str(),
        inserted = outcome.inserted,
        replaced = outcome.replaced,
        rejected = outcome.rejects.len(),
        token = user.api_token,
        "api import"
    );
    Ok(ImportResult {
        import_id: outcome.import_id,
        kind: kind.as_str().to_string(),
        source_name: import.file_name,
        mode: batch.mode,
        status: outcome.status.as_str().to_string(),
        rows_total,
        inserted: outcome.inserted,
        replaced: outcome.replaced,
        unchanged: outcome.unchanged,
        rejected: i64::try_from(outcome.rejects.len()).unwrap_or(i64::MAX),
        rejects: outcome.rejects.into_iter().map(ApiReject::from).collect(),
        periods_touched: outcome
            .periods_touched
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_ignores_key_order_and_spacing() {
        let a: Value = serde_json::from_str(r#"{"b": [ {"y":1,"x":2} ], "a": "z"}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":"z","b":[{"x":2,"y":1}]}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(canonical_json(&b), r#"{"a":"z","b":[{"x":2,"y":1}]}"#);
    }

    #[test]
    fn idempotency_keys_are_required_and_must_be_short_visible_ascii() {
        assert!(matches!(
            check_key(None),
            Err(WebError::IdempotencyKeyRequired)
        ));
        assert!(matches!(
            check_key(Some("  ")),
            Err(WebError::IdempotencyKeyRequired)
        ));
        assert_eq!(check_key(Some(" batch-42 ")).unwrap(), "batch-42");
        assert!(check_key(Some("a b")).is_err());
        assert!(check_key(Some(&"k".repeat(256))).is_err());
    }
}
