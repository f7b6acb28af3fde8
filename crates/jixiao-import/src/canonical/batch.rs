//! One entry point for "a canonical file of this kind → a batch for the store", shared by the
//! CLI import and the upload page.

use jixiao_core::record::RecordBatch;

use super::{FileError, Parsed, parse_calls, parse_qa, parse_surveys};

/// The record kinds with a canonical CSV format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Call records.
    Calls,
    /// Satisfaction survey answers.
    Surveys,
    /// QA reviews.
    Qa,
}

impl Kind {
    /// The stored spelling (`calls`, `surveys`, `qa`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Calls => "calls",
            Kind::Surveys => "surveys",
            Kind::Qa => "qa",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Calls, Kind::Surveys, Kind::Qa]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Parses a canonical file of `kind` into a batch and the number of data rows read.
pub fn parse_batch(kind: Kind, bytes: &[u8]) -> Result<(RecordBatch, i64), FileError> {
    fn into<T>(
        p: Parsed<T>,
        put: impl FnOnce(&mut RecordBatch, Vec<(i64, T)>),
    ) -> (RecordBatch, i64) {
        let mut b = RecordBatch {
            rejects: p.rejects,
            ..RecordBatch::default()
        };
        put(&mut b, p.records);
        (b, p.rows_total)
    }
    Ok(match kind {
        Kind::Calls => into(parse_calls(bytes)?, |b, r| b.calls = r),
        Kind::Surveys => into(parse_surveys(bytes)?, |b, r| b.surveys = r),
        Kind::Qa => into(parse_qa(bytes)?, |b, r| b.qa = r),
    })
}
