//! How an import runs: strict or lenient, what became of it, and the progress it reports.

use serde::{Deserialize, Serialize};

/// What an import does with a file that has rejects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportMode {
    /// All or nothing: one reject (parse or store stage) and no record lands.
    Strict,
    /// The good rows land; the rejects are reported.
    #[default]
    Lenient,
}

impl ImportMode {
    /// `strict` or `lenient`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Strict => "strict",
            ImportMode::Lenient => "lenient",
        }
    }

    /// Reads [`ImportMode::as_str`] back.
    pub fn parse(s: &str) -> Option<ImportMode> {
        match s {
            "strict" => Some(ImportMode::Strict),
            "lenient" => Some(ImportMode::Lenient),
            _ => None,
        }
    }
}

/// What became of a written import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// Its records landed (all of them, or in lenient mode the good ones).
    #[default]
    Done,
    /// Strict and with rejects: recorded with its reject report, no record landed.
    Refused,
}

impl ImportStatus {
    /// `done` or `refused`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Done => "done",
            ImportStatus::Refused => "refused",
        }
    }

    /// Reads [`ImportStatus::as_str`] back.
    pub fn parse(s: &str) -> Option<ImportStatus> {
        match s {
            "done" => Some(ImportStatus::Done),
            "refused" => Some(ImportStatus::Refused),
            _ => None,
        }
    }
}

/// The stage a running import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStage {
    /// Reading the file into records (done/total in bytes, reported by the caller).
    Parsing,
    /// Writing records in the import's transaction (done/total in records).
    Writing,
    /// Building again, before the commit, the indexes a large fresh load dropped (done/total
    /// in indexes; SQLite only, see `Dialect::defer_indexes`).
    Indexing,
    /// Recomputing the scorecards of the touched periods (done/total in periods).
    Recomputing,
}

impl ImportStage {
    /// `parsing`, `writing`, `indexing` or `recomputing`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStage::Parsing => "parsing",
            ImportStage::Writing => "writing",
            ImportStage::Indexing => "indexing",
            ImportStage::Recomputing => "recomputing",
        }
    }

    /// Reads [`ImportStage::as_str`] back.
    pub fn parse(s: &str) -> Option<ImportStage> {
        match s {
            "parsing" => Some(ImportStage::Parsing),
            "writing" => Some(ImportStage::Writing),
            "indexing" => Some(ImportStage::Indexing),
            "recomputing" => Some(ImportStage::Recomputing),
            _ => None,
        }
    }
}

/// One progress report of a running import: `done` of `total` units of its stage.
///
/// Imports take any `Fn(ImportProgress)` as their progress sink. It is called once per chunk,
/// so it must be cheap and must not block (the web sends it into a channel, the CLI moves a
/// progress bar); if it is `Sync`, the import's future is `Send`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// The stage.
    pub stage: ImportStage,
    /// Units done so far (never more than `total`).
    pub done: u64,
    /// Units in the stage.
    pub total: u64,
}
