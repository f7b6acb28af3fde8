//! Jixiao's storage: one [`Store`] that speaks SQLite (embedded default) and PostgreSQL
//! (production, shared by several app instances), with one migrations folder per backend, and
//! the application services ([`service`]) that combine storage with the pure engine.
//!
//! Nothing here knows HTTP or file formats. Queries are runtime `sqlx::query_as` with `$n`
//! placeholders that both backends accept; the few dialect differences live in clearly named
//! per-backend functions ([`dialect`]). Money and coefficients are stored as scaled BIGINTs
//! (SQLite has no exact decimal type).

/// Runs the same body on whichever pool the store holds; `$p` is a `&SqlitePool` in one arm and
/// a `&PgPool` in the other, so the body is type-checked once per backend.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}

/// Inside a write transaction `$tx`: refuses (returns PeriodClosed) when `$period` is closed,
/// and locks its row until the transaction ends, so a concurrent close waits for the write.
macro_rules! ensure_open {
    ($tx:ident, $period:expr) => {{
        let period: jixiao_core::Period = $period;
        let p_str = period.to_string();
        sqlx::query(crate::periods::ENSURE_PERIOD)
            .bind(&p_str)
            .execute(&mut *$tx)
            .await?;
        if !crate::dialect::Dialect::lock_periods(&mut *$tx, std::slice::from_ref(&p_str))
            .await?
            .is_empty()
        {
            return Err(crate::StoreError::PeriodClosed(period));
        }
    }};
}

mod accounts;
mod aliases;
mod appeals;
mod audit;
mod calibration;
mod competitions;
mod dialect;
mod error;
pub mod fairness;
mod imports;
mod jobs;
mod kinds;
mod kpi_defs;
mod lifecycle;
mod modes;
pub mod notifications;
mod org;
mod org_admin;
mod pay_rules;
mod periods;
mod position_rules;
mod profiles;
mod ratings;
mod records;
mod replaced;
mod rules;
mod standards;
mod summaries;
mod tallies;
mod targets;
mod tokens;
mod types;
mod users;

pub mod service;
pub mod testing;

pub use accounts::{UserChange, UserSummary};
pub use aliases::{Alias, HeldRecord, Released, UnmatchedAgent};
pub use appeals::{
    AUDIT_KINDS as APPEAL_AUDIT_KINDS, Appeal, AppealEvent, AppealFilter, AppealStep, CardFigures,
    NewAppeal, NewNote, Note,
};
pub use audit::{AuditFilter, AuditVerification, ChainProblem};
pub use competitions::{Competition, EntrantKind, is_competition_metric};
pub use error::StoreError;
pub use imports::{RecordChunks, WholeBatch};
pub use jobs::{
    ImportJob, JOB_HEARTBEAT_SECS, JOB_INTERRUPTED, JOB_STALE_AFTER_SECS, JobStatus, NewJob,
};
pub use kpi_defs::StoredKpiDefinition;
pub use lifecycle::NewAdjustment;
pub use modes::*;
pub use notifications::{Notification, notify_employee, notify_role};
pub use org_admin::{MembershipRow, OrgChange};
pub use pay_rules::StoredPayRule;
pub use periods::{Freeze, Unchanged};
pub use position_rules::{MAX_POSITION_CHARS, PositionRules, clean_position};
pub use profiles::{MappingProfile, SaveProfile};
pub use ratings::{BehaviourRating, MAX_RATING_COMMENT, NewRating};
pub use replaced::ReplacedRecord;
pub use standards::{StoredStandard, unit_str};
pub use summaries::PeriodSummary;
pub use tallies::KpiThresholds;
pub use targets::StoredTarget;
pub use tokens::{API_TOKEN_PREFIX, api_token_hash, new_api_secret};
pub use types::*;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (or in-memory for tests).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The storage contract. Cheap to clone (a pool handle).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// For a SQLite file: dropped with the last clone, which stops its checkpointer
    /// ([`spawn_checkpointer`]).
    _checkpointer: Option<std::sync::Arc<()>>,
    /// See [`imports::DEFER_INDEXES_ROWS`]; lowered by tests (`testing::defer_indexes_from`).
    defer_indexes_rows: u64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish()
    }
}

/// Copies a SQLite file's write-ahead log back into the database every second, off the
/// request path: with SQLite's default, the commit that takes the log past 1,000 pages does it
/// (a recompute saving 10,000 cards, about 20,000 pages, spent 0.2 s of its 0.5 s save in it).
/// A passive checkpoint never blocks readers or writers; it stops within a second of the last
/// clone of the store being dropped.
fn spawn_checkpointer(pool: sqlx::SqlitePool, alive: std::sync::Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.upgrade().is_none() || pool.is_closed() {
                break;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::debug!(error = %e, "background WAL checkpoint failed");
            }
        }
    });
}

impl Store {
    /// Connects to `sqlite://PATH` (created if missing), `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            Ok(Self::connect_pg(opts).await?)
        } else {
            Err(StoreError::BadUrl)
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Store, StoreError> {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 64 MiB page cache: bulk imports touch large indexes.
            .pragma("cache_size", "-65536");
        let pool = if memory {
            // Each in-memory connection is its own database, so keep exactly one, forever.
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(opts)
                .await?
        } else {
            // WAL lets readers proceed during an import; NORMAL is durable enough in WAL mode.
            // Checkpoints run in the background (see `spawn_checkpointer`); a commit itself
            // checkpoints only past 64 MiB of WAL.
            let opts = opts
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .pragma("wal_autocheckpoint", "16384");
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(opts)
                .await?;
            let alive = std::sync::Arc::new(());
            spawn_checkpointer(pool.clone(), std::sync::Arc::downgrade(&alive));
            return Ok(Store {
                pool: Pool::Sqlite(pool),
                _checkpointer: Some(alive),
                defer_indexes_rows: imports::DEFER_INDEXES_ROWS,
            });
        };
        Ok(Store {
            pool: Pool::Sqlite(pool),
            _checkpointer: None,
            defer_indexes_rows: imports::DEFER_INDEXES_ROWS,
        })
    }

    pub(crate) async fn connect_pg(opts: PgConnectOptions) -> Result<Store, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        Ok(Store {
            pool: Pool::Postgres(pool),
            _checkpointer: None,
            defer_indexes_rows: imports::DEFER_INDEXES_ROWS,
        })
    }

    /// Applies pending migrations of this backend, then chains any audit entries older than the
    /// audit hash chain (once).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        let sealed = self.seal_legacy_audit().await?;
        if sealed > 0 {
            tracing::info!(
                sealed,
                "chained audit entries written before the hash chain"
            );
        }
        Ok(())
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection of the pool (waits for checked-out ones).
    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

/// Maps database errors near the query: unique violations become [`StoreError::Conflict`].
pub(crate) trait DbResultExt<T> {
    /// Turns a unique-constraint violation into `Conflict(what)`.
    fn conflict(self, what: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T> DbResultExt<T> for Result<T, sqlx::Error> {
    fn conflict(self, what: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what()),
            _ => StoreError::Db(e),
        })
    }
}

/// Turns a missing row into [`StoreError::NotFound`].
pub(crate) fn found<T>(row: Option<T>, what: impl FnOnce() -> String) -> Result<T, StoreError> {
    row.ok_or_else(|| StoreError::NotFound(what()))
}

/// A stored value that no longer parses: the database was edited by hand or is corrupt.
pub(crate) fn corrupt(what: &'static str, value: &str, reason: impl Into<String>) -> StoreError {
    StoreError::Core(jixiao_core::CoreError::Invalid {
        what,
        value: value.to_string(),
        reason: reason.into(),
    })
}

/// Counts stored from unsigned domain values never go negative; clamp instead of panicking.
pub(crate) fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Seconds are written from `u32`; clamp on the way back.
pub(crate) fn secs(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Limit and offset of a page request, the size capped at 500.
pub(crate) fn limit_offset(page: PageReq) -> (i64, i64, PageReq) {
    let per_page = page.per_page.clamp(1, 500);
    let p = page.page.max(1);
    (
        i64::from(per_page),
        i64::from(p - 1) * i64::from(per_page),
        PageReq { page: p, per_page },
    )
}
