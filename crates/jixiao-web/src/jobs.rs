//! Background imports: an accepted upload becomes an `import_jobs` row and a tokio task, so the
//! request returns at once and other users are not held up by a long file.
//!
//! The task parses on the blocking pool (parsing is CPU-bound and would stall the async
//! workers), then runs `service::import`, whose progress goes through a watch channel to a
//! writer that records it on the job row at most every [`THROTTLE`] (and at least every
//! [`JOB_HEARTBEAT_SECS`], as a heartbeat), so any instance sharing the database can show it.
//! The import itself is one transaction: if this process dies, the job row is left running,
//! shown as interrupted once stale, and no partial import exists.

use std::time::Duration;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use jixiao_core::org::Role;
use jixiao_import::canonical;
use jixiao_import::mapping::MapError;
use jixiao_import::presets::Preset;
use jixiao_import::reader::Reader;
use jixiao_store::{
    ImportJob, ImportMode, ImportOutcome, ImportProgress, ImportStage, ImportStatus, ImportSummary,
    JOB_HEARTBEAT_SECS, JobStatus, NewImport, NewJob, Reject, Store, StoreError, service,
};
use tokio::sync::watch;

use crate::auth::CurrentUser;
use crate::{AppState, WebError};

/// At most one progress write per job this often.
const THROTTLE: Duration = Duration::from_millis(250);

/// The prefix of a job error that is ours, not the file's: shown as a generic message.
pub const INTERNAL_ERROR_PREFIX: &str = "internal:";

/// An uploaded file.
#[derive(Debug)]
pub struct Upload {
    /// The record kind, as `canonical::Kind::as_str` spells it.
    pub kind: String,
    /// File name as uploaded.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Strict or lenient.
    pub mode: ImportMode,
    /// Read the file through a mapping profile or with a preset (whose kind wins over
    /// `kind`); none: the file is canonical CSV of `kind`.
    pub reader: Option<Reader>,
}

impl Upload {
    /// An upload as the import form (or `POST /api/v1/imports/upload`) describes it: `mode` is
    /// `strict`, `lenient` or "" (lenient, as forms without the field always did); `profile`
    /// is "" (a canonical file of `kind`), `preset:<name>` (a built-in preset) or the name of a
    /// shipped or saved mapping profile. Invalid when the mode, preset or profile is unknown.
    pub async fn prepare(
        store: &Store,
        kind: String,
        file_name: String,
        bytes: Vec<u8>,
        mode: &str,
        profile: &str,
    ) -> Result<Upload, WebError> {
        let mode = match mode.trim() {
            "" => ImportMode::default(),
            m => ImportMode::parse(m)
                .ok_or_else(|| WebError::Invalid("mode must be strict or lenient".into()))?,
        };
        let reader = match profile.trim().strip_prefix("preset:") {
            Some(name) => {
                Some(Reader::Preset(Preset::parse(name).ok_or_else(|| {
                    WebError::Invalid(format!("no preset {name:?}"))
                })?))
            }
            None => crate::profiles::chosen(store, profile)
                .await?
                .map(|p| Reader::Profile(Box::new(p))),
        };
        Ok(Upload {
            kind,
            file_name,
            bytes,
            mode,
            reader,
        })
    }
}

/// Accepts an upload: checks its kind, records a queued job and starts it in the background.
/// Returns the job's id at once.
pub async fn start(
    store: &Store,
    upload: Upload,
    by: &str,
    now: DateTime<Utc>,
) -> Result<i64, WebError> {
    let kind = match &upload.reader {
        Some(r) => r.kind(),
        None => canonical::Kind::parse(&upload.kind),
    };
    let Some(kind) = kind else {
        let kinds: Vec<&str> = canonical::Kind::all().iter().map(|k| k.as_str()).collect();
        return Err(WebError::Invalid(format!(
            "kind must be one of: {}",
            kinds.join(", ")
        )));
    };
    let id = store
        .create_job(&NewJob {
            kind: kind.as_str().to_string(),
            file_name: upload.file_name.clone(),
            file_size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
            mode: upload.mode,
            created_by: by.to_string(),
            created_at: now,
        })
        .await?;
    let (store, by) = (store.clone(), by.to_string());
    tokio::spawn(async move {
        // A second task, so that a panic in the import still ends the job row.
        let ended = tokio::spawn(run(store.clone(), id, kind, upload, by)).await;
        let end = ended.unwrap_or_else(|e| {
            tracing::error!(job = id, error = %e, "import job panicked");
            End::failed(format!("{INTERNAL_ERROR_PREFIX}panic"))
        });
        if let Err(e) = store
            .finish_job(
                id,
                end.status,
                end.import_id,
                end.error.as_deref(),
                Utc::now(),
            )
            .await
        {
            tracing::error!(job = id, error = %e, "import job end not recorded");
        }
    });
    Ok(id)
}

/// How a job ended.
struct End {
    status: JobStatus,
    import_id: Option<i64>,
    error: Option<String>,
}

impl End {
    fn failed(error: String) -> End {
        End {
            status: JobStatus::Failed,
            import_id: None,
            error: Some(error),
        }
    }
}

/// Parses and imports the file, reporting progress to the job row.
async fn run(store: Store, id: i64, kind: canonical::Kind, upload: Upload, by: String) -> End {
    let size = upload.bytes.len() as u64;
    let (tx, rx) = watch::channel(ImportProgress {
        stage: ImportStage::Parsing,
        done: 0,
        total: size,
    });
    let writer = tokio::spawn(write_progress(store.clone(), id, rx));
    let end = import(&store, kind, upload, &by, &tx).await;
    drop(tx);
    // The last progress write lands before the end is recorded, never after it.
    let _ = writer.await;
    match end {
        Ok(outcome) => {
            tracing::info!(
                job = id,
                import_id = outcome.import_id,
                kind = kind.as_str(),
                inserted = outcome.inserted,
                replaced = outcome.replaced,
                rejected = outcome.rejects.len(),
                "import"
            );
            End {
                status: match outcome.status {
                    ImportStatus::Done => JobStatus::Done,
                    ImportStatus::Refused => JobStatus::Refused,
                },
                import_id: Some(outcome.import_id),
                error: None,
            }
        }
        // The file's own problem: its message is for the user, as on the upload page before.
        Err(Failure::File(e)) => End::failed(e.to_string()),
        Err(Failure::Store(e)) => {
            tracing::error!(job = id, code = e.code(), error = %e, "import job failed");
            End::failed(format!("{INTERNAL_ERROR_PREFIX}{}", e.code()))
        }
        Err(Failure::Parser(e)) => {
            tracing::error!(job = id, error = %e, "parsing an upload panicked");
            End::failed(format!("{INTERNAL_ERROR_PREFIX}parse"))
        }
    }
}

/// Why an import job did not write an import.
enum Failure {
    /// The file as a whole is unusable (or does not fit the profile).
    File(MapError),
    /// The store failed.
    Store(StoreError),
    /// The parser panicked (a bug; the blocking task caught it).
    Parser(tokio::task::JoinError),
}

/// The import proper.
async fn import(
    store: &Store,
    kind: canonical::Kind,
    upload: Upload,
    by: &str,
    progress: &watch::Sender<ImportProgress>,
) -> Result<ImportOutcome, Failure> {
    let Upload {
        file_name,
        bytes,
        mode,
        reader,
        ..
    } = upload;
    let size = bytes.len();
    let reader = reader.unwrap_or(Reader::Canonical(kind));
    let lineage = reader.lineage();
    let name = file_name.clone();
    let (batch, rows_total, file_hash) = tokio::task::spawn_blocking(move || {
        let hash = canonical::file_hash(&bytes);
        reader
            .read(&name, &bytes)
            .map(|(batch, rows)| (batch, rows, hash))
    })
    .await
    .map_err(Failure::Parser)?
    .map_err(Failure::File)?;
    progress.send_replace(ImportProgress {
        stage: ImportStage::Parsing,
        done: size as u64,
        total: size as u64,
    });
    let import = NewImport {
        kind: kind.as_str().to_string(),
        file_name,
        file_hash,
        file_size: i64::try_from(size).unwrap_or(i64::MAX),
        rows_total,
        imported_by: by.to_string(),
        imported_at: Utc::now(),
        mode,
        profile: lineage,
    };
    let report = |p: ImportProgress| {
        progress.send_replace(p);
    };
    service::import(store, &import, &batch, &report)
        .await
        .map_err(Failure::Store)
}

/// Writes the latest progress to the job row, at most every [`THROTTLE`], and touches it every
/// [`JOB_HEARTBEAT_SECS`] when nothing moves; ends when the sender is dropped.
async fn write_progress(store: Store, id: i64, mut rx: watch::Receiver<ImportProgress>) {
    let heartbeat = Duration::from_secs(JOB_HEARTBEAT_SECS);
    loop {
        let p = *rx.borrow_and_update();
        // Best effort: on SQLite the import's write transaction holds the lock, so this waits
        // (or times out) until it commits; the import does not depend on it.
        if let Err(e) = store.job_progress(id, &p, Utc::now()).await {
            tracing::debug!(job = id, error = %e, "job progress not recorded");
        }
        tokio::time::sleep(THROTTLE).await;
        match tokio::time::timeout(heartbeat, rx.changed()).await {
            Ok(Ok(())) | Err(_) => {}
            Ok(Err(_)) => break,
        }
    }
}

/// The job of the path, if this user may see it: the one who started it, admins and managers.
/// Anyone else gets the same 404 as for a job that does not exist.
#[derive(Debug)]
pub struct JobScope {
    /// Who asks.
    pub user: CurrentUser,
    /// The job.
    pub job: ImportJob,
}

impl FromRequestParts<AppState> for JobScope {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::NotFound)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let job = state.store.job(id).await?;
        let sees_all = matches!(user.user.role, Role::Admin | Role::Manager);
        if !sees_all && job.created_by != user.user.username {
            return Err(WebError::NotFound);
        }
        Ok(JobScope { user, job })
    }
}

/// What a done or refused job wrote: the import row and its first rejects, one more than
/// the job's views list (so they know whether there are more); `None` otherwise.
pub async fn result(
    store: &Store,
    job: &ImportJob,
) -> Result<Option<(ImportSummary, Vec<Reject>)>, WebError> {
    let Some(id) = job.import_id.filter(|_| job.status.is_final()) else {
        return Ok(None);
    };
    Ok(Some((
        store.import(id).await?,
        store
            .import_rejects_page(
                id,
                jixiao_store::PageReq {
                    page: 1,
                    per_page: u32::try_from(crate::view::imports::JOB_REJECTS_SHOWN + 1)
                        .unwrap_or(u32::MAX),
                },
            )
            .await?
            .items,
    )))
}
