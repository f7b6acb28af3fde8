//! Background import jobs: one row per uploaded file, with its progress.
//!
//! The row is written outside the import's transaction, by whoever runs the import, so any
//! instance sharing the database can show it. The import itself stays atomic: a job whose
//! process died leaves a row stuck in `running` (shown as interrupted, see
//! [`ImportJob::seen_at`]) and no partial import.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::{ImportMode, ImportProgress, ImportStage, Store, StoreError, corrupt, found};

/// A queued or running job whose row has not moved for this long belongs to a process that
/// died. Runners touch the row at least every [`JOB_HEARTBEAT_SECS`], so a live job is never
/// mistaken for a dead one (on SQLite, see docs/IMPORT.md, a write transaction can hold the
/// row still for as long as it lasts).
pub const JOB_STALE_AFTER_SECS: i64 = 300;
/// How often a runner touches its job's row when the progress has not changed.
pub const JOB_HEARTBEAT_SECS: u64 = 10;

/// The error recorded for a job whose process died.
pub const JOB_INTERRUPTED: &str = "interrupted";

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Accepted, not started.
    Queued,
    /// Parsing, writing or recomputing.
    Running,
    /// The import was written (see its counts and rejects).
    Done,
    /// The file was unusable, the import failed, or the process died; nothing was imported.
    Failed,
    /// A strict import with rejects: recorded with its reject report, no record landed.
    Refused,
}

impl JobStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
            JobStatus::Refused => "refused",
        }
    }

    /// Reads [`JobStatus::as_str`] back.
    pub fn parse(s: &str) -> Option<JobStatus> {
        [
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Done,
            JobStatus::Failed,
            JobStatus::Refused,
        ]
        .into_iter()
        .find(|j| j.as_str() == s)
    }

    /// Whether the job has ended (it will not change any more).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::Failed | JobStatus::Refused
        )
    }
}

/// A job to record when a file is accepted.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The record kind, as in [`crate::NewImport::kind`].
    pub kind: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Bytes.
    pub file_size: i64,
    /// Strict or lenient.
    pub mode: ImportMode,
    /// Who uploaded it (username).
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportJob {
    /// Id.
    pub id: i64,
    /// Record kind.
    pub kind: String,
    /// File name.
    pub file_name: String,
    /// Bytes.
    pub file_size: i64,
    /// Strict or lenient.
    pub mode: ImportMode,
    /// Where it is.
    pub status: JobStatus,
    /// The stage while running.
    pub stage: Option<ImportStage>,
    /// Units of the stage done.
    pub done: i64,
    /// Units in the stage.
    pub total: i64,
    /// The import it wrote (done or refused).
    pub import_id: Option<i64>,
    /// Why it failed, for the user: a file error, [`JOB_INTERRUPTED`], or an error code.
    pub error: Option<String>,
    /// Who uploaded it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change (progress or heartbeat).
    pub updated_at: DateTime<Utc>,
}

impl ImportJob {
    /// The job as it should be shown at `now`: a queued or running job whose row has not been
    /// touched for [`JOB_STALE_AFTER_SECS`] is failed with [`JOB_INTERRUPTED`].
    pub fn seen_at(mut self, now: DateTime<Utc>) -> ImportJob {
        let stale = now - self.updated_at > TimeDelta::seconds(JOB_STALE_AFTER_SECS);
        if !self.status.is_final() && stale {
            self.status = JobStatus::Failed;
            self.error = Some(JOB_INTERRUPTED.to_string());
        }
        self
    }
}

type JobRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

fn job(r: JobRow) -> Result<ImportJob, StoreError> {
    Ok(ImportJob {
        id: r.0,
        kind: r.1,
        file_name: r.2,
        file_size: r.3,
        mode: ImportMode::parse(&r.4).ok_or_else(|| corrupt("job mode", &r.4, "unknown"))?,
        status: JobStatus::parse(&r.5).ok_or_else(|| corrupt("job status", &r.5, "unknown"))?,
        stage: match r.6 {
            None => None,
            Some(s) => {
                Some(ImportStage::parse(&s).ok_or_else(|| corrupt("job stage", &s, "unknown"))?)
            }
        },
        done: r.7,
        total: r.8,
        import_id: r.9,
        error: r.10,
        created_by: r.11,
        created_at: r.12,
        updated_at: r.13,
    })
}

/// Progress counts are stored as BIGINT.
fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Store {
    /// Records an accepted upload as a queued job; returns its id.
    pub async fn create_job(&self, j: &NewJob) -> Result<i64, StoreError> {
        let sql = "INSERT INTO import_jobs (kind, file_name, file_size, mode, status, created_by, \
                   created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
        let (id,): (i64,) = on_pool!(self, p => sqlx::query_as(sql)
            .bind(&j.kind)
            .bind(&j.file_name)
            .bind(j.file_size)
            .bind(j.mode.as_str())
            .bind(JobStatus::Queued.as_str())
            .bind(&j.created_by)
            .bind(j.created_at)
            .fetch_one(p)
            .await)?;
        Ok(id)
    }

    /// One job, as stored (see [`ImportJob::seen_at`] for how to show it).
    pub async fn job(&self, id: i64) -> Result<ImportJob, StoreError> {
        let sql = "SELECT id, kind, file_name, file_size, mode, status, stage, done, total, \
                   import_id, error, created_by, created_at, updated_at \
                   FROM import_jobs WHERE id = $1";
        let row: Option<JobRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
        job(found(row, || format!("import job {id}"))?)
    }

    /// Marks a job running at `progress` (also a heartbeat when nothing changed). A job that
    /// has already ended is left alone.
    pub async fn job_progress(
        &self,
        id: i64,
        progress: &ImportProgress,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE import_jobs SET status = 'running', stage = $1, done = $2, total = $3, \
                   updated_at = $4 WHERE id = $5 AND status IN ('queued', 'running')";
        on_pool!(self, p => sqlx::query(sql)
            .bind(progress.stage.as_str())
            .bind(signed(progress.done))
            .bind(signed(progress.total))
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Ends a job: `done` or `refused` with the import it wrote, or `failed` with a reason
    /// fit to show the user.
    pub async fn finish_job(
        &self,
        id: i64,
        status: JobStatus,
        import_id: Option<i64>,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !status.is_final() {
            return Err(StoreError::Conflict(format!(
                "a job cannot end as {}",
                status.as_str()
            )));
        }
        let sql = "UPDATE import_jobs SET status = $1, import_id = $2, error = $3, \
                   updated_at = $4 WHERE id = $5";
        on_pool!(self, p => sqlx::query(sql)
            .bind(status.as_str())
            .bind(import_id)
            .bind(error)
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
