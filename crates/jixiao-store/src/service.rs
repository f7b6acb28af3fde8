//! Application services: the few operations that combine storage with the pure engine, shared
//! by the CLI and the web handlers so that neither holds business logic.

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::scorecard::Scorecard;

use crate::{ImportOutcome, NewImport, RecordBatch, Store, StoreError};

/// Writes an import and recomputes every open period it touched.
pub async fn import(
    store: &Store,
    import: &NewImport,
    batch: &RecordBatch,
) -> Result<ImportOutcome, StoreError> {
    todo!()
}

/// Computes the scorecards of a period from its records (tallies → engine → ranks), without saving.
pub async fn compute(store: &Store, period: Period) -> Result<Vec<Scorecard>, StoreError> {
    todo!()
}

/// Computes and saves the scorecards of an open period.
pub async fn recompute(store: &Store, period: Period) -> Result<Vec<Scorecard>, StoreError> {
    todo!()
}

/// Computes the final scorecards, stores them with their hash and closes the period; returns the hash.
pub async fn close(
    store: &Store,
    period: Period,
    by: &str,
    at: DateTime<Utc>,
) -> Result<String, StoreError> {
    todo!()
}
