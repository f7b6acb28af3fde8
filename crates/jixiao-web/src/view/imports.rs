//! The import pages: upload form with the list of past imports, and one background import
//! job (its progress, then its result).

use askama::Template;
use jixiao_store::{
    ImportJob, ImportMode, ImportStage, ImportStatus, ImportSummary, JOB_INTERRUPTED, JobStatus,
    Page, Reject,
};

use super::{Chrome, Pager};
use crate::jobs::INTERNAL_ERROR_PREFIX;

/// One past import, formatted.
#[derive(Debug, Clone)]
pub struct ImportRowVm {
    /// Id.
    pub id: i64,
    /// Catalog key of the kind.
    pub kind: &'static str,
    /// File name.
    pub file_name: String,
    /// First 12 hex digits of the file hash.
    pub hash_short: String,
    /// Rows read.
    pub rows_total: i64,
    /// New.
    pub inserted: i64,
    /// Replaced.
    pub replaced: i64,
    /// Unchanged.
    pub unchanged: i64,
    /// Rejected.
    pub rejected: i64,
    /// Who.
    pub imported_by: String,
    /// When (UTC).
    pub imported_at: String,
    /// Catalog key of the mode.
    pub mode: &'static str,
    /// A strict import with rejects: nothing landed.
    pub refused: bool,
    /// Records held for an unknown agent.
    pub held: i64,
}

/// The catalog key of an import kind.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "calls" => "kind_calls",
        "surveys" => "kind_surveys",
        "qa" => "kind_qa",
        "tickets" => "kind_tickets",
        "chats" => "kind_chats",
        "orders" => "kind_orders",
        "attendance" => "kind_attendance",
        "work" => "kind_work",
        // Held records landing once their agent's name was mapped (service::map_alias).
        "release" => "alias_release",
        _ => "kind_unknown",
    }
}

/// `/imports`: the upload form and past imports.
#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    /// Frame.
    pub c: Chrome,
    /// Past imports, newest first.
    pub rows: Vec<ImportRowVm>,
    /// Paging.
    pub pager: Pager,
    /// Records now held for unknown agents, all imports (links to `/unmatched`).
    pub held_total: i64,
    /// The mapping profiles the upload form offers.
    pub profiles: Vec<super::profiles::ProfileOptionVm>,
    /// The built-in presets the upload form offers, by name.
    pub presets: Vec<&'static str>,
}

impl ImportsPage {
    /// Builds the page.
    pub fn build(c: Chrome, page: Page<ImportSummary>) -> ImportsPage {
        let pager = Pager::new(page.page, page.per_page, page.total, |n| {
            format!("/imports?page={n}")
        });
        let rows = page
            .items
            .into_iter()
            .map(|i| ImportRowVm {
                id: i.id,
                kind: kind_key(&i.kind),
                hash_short: i.file_hash.chars().take(12).collect(),
                file_name: i.file_name,
                rows_total: i.rows_total,
                inserted: i.inserted,
                replaced: i.replaced,
                unchanged: i.unchanged,
                rejected: i.rejected,
                imported_by: i.imported_by,
                imported_at: i.imported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                mode: mode_key(i.mode),
                refused: i.status == ImportStatus::Refused,
                held: i.held,
            })
            .collect();
        ImportsPage {
            c,
            rows,
            pager,
            held_total: 0,
            profiles: Vec::new(),
            presets: Vec::new(),
        }
    }
}

/// How many rejects the job page lists; the CSV has them all.
pub const JOB_REJECTS_SHOWN: usize = 100;

/// A running job's progress bar.
#[derive(Debug, Clone)]
pub struct ProgressVm {
    /// Catalog key of the stage.
    pub stage: &'static str,
    /// Catalog key of the stage's unit.
    pub unit: &'static str,
    /// Units done.
    pub done: i64,
    /// Units in the stage (0 while unknown).
    pub total: i64,
}

/// What a finished job wrote.
#[derive(Debug, Clone)]
pub struct JobResultVm {
    /// The import row.
    pub import: ImportSummary,
    /// The first [`JOB_REJECTS_SHOWN`] rejects.
    pub rejects: Vec<Reject>,
    /// Reject CSV link.
    pub rejects_href: String,
    /// More rejects than listed.
    pub more: bool,
}

/// `/imports/jobs/{id}`: a background import, refreshed every second until it ends.
#[derive(Template)]
#[template(path = "import_job.html")]
pub struct JobPage {
    /// Frame.
    pub c: Chrome,
    /// The job, as seen now (a dead one is failed).
    pub job: ImportJob,
    /// `queued`, `running`, `done`, `failed` or `refused` (also a `data-status` for scripts).
    pub status: &'static str,
    /// Catalog key of the status.
    pub status_key: &'static str,
    /// Catalog key of the kind.
    pub kind: &'static str,
    /// Catalog key of the mode.
    pub mode_key: &'static str,
    /// While queued or running: refresh the page every second.
    pub refresh: bool,
    /// While running.
    pub progress: Option<ProgressVm>,
    /// Once done or refused.
    pub result: Option<JobResultVm>,
    /// Once failed: a catalog key for our own failures…
    pub error_key: Option<&'static str>,
    /// …or the file's problem, as the reader worded it.
    pub error_text: Option<String>,
}

/// The catalog key of an import mode.
pub fn mode_key(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::Strict => "import_mode_strict_short",
        ImportMode::Lenient => "import_mode_lenient_short",
    }
}

impl JobPage {
    /// Builds the page; `result` is the import a done or refused job wrote, with its rejects.
    pub fn build(
        c: Chrome,
        job: ImportJob,
        result: Option<(ImportSummary, Vec<Reject>)>,
    ) -> JobPage {
        let progress = match (job.status, job.stage) {
            (JobStatus::Running, Some(stage)) => Some(ProgressVm {
                stage: match stage {
                    ImportStage::Parsing => "job_stage_parsing",
                    ImportStage::Writing => "job_stage_writing",
                    ImportStage::Indexing => "job_stage_indexing",
                    ImportStage::Recomputing => "job_stage_recomputing",
                },
                unit: match stage {
                    ImportStage::Parsing => "job_unit_bytes",
                    ImportStage::Writing => "job_unit_records",
                    ImportStage::Indexing => "job_unit_indexes",
                    ImportStage::Recomputing => "job_unit_periods",
                },
                done: job.done.min(job.total),
                total: job.total,
            }),
            _ => None,
        };
        let (error_key, error_text) = match (job.status, job.error.as_deref()) {
            (JobStatus::Failed, Some(JOB_INTERRUPTED)) => (Some("job_interrupted"), None),
            (JobStatus::Failed, Some(e)) if e.starts_with(INTERNAL_ERROR_PREFIX) => {
                (Some("job_failed_internal"), None)
            }
            (JobStatus::Failed, e) => (None, Some(e.unwrap_or_default().to_string())),
            _ => (None, None),
        };
        let status = job.status.as_str();
        JobPage {
            c,
            status,
            status_key: match job.status {
                JobStatus::Queued => "job_status_queued",
                JobStatus::Running => "job_status_running",
                JobStatus::Done => "job_status_done",
                JobStatus::Failed => "job_status_failed",
                JobStatus::Refused => "job_status_refused",
            },
            kind: kind_key(&job.kind),
            mode_key: mode_key(job.mode),
            refresh: !job.status.is_final(),
            progress,
            result: result.map(|(import, mut rejects)| {
                let more = rejects.len() > JOB_REJECTS_SHOWN;
                rejects.truncate(JOB_REJECTS_SHOWN);
                JobResultVm {
                    rejects_href: format!("/imports/{}/rejects.csv", import.id),
                    more,
                    import,
                    rejects,
                }
            }),
            error_key,
            error_text,
            job,
        }
    }
}

/// The replaced-records log of one import as CSV: `kind,source,record_id,previous_import_id`.
pub fn replaced_csv(records: &[jixiao_store::ReplacedRecord]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["kind", "source", "record_id", "previous_import_id"])?;
    for r in records {
        let previous = r.previous_import_id.to_string();
        w.write_record([r.kind.as_str(), &r.source, &r.record_id, &previous])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
