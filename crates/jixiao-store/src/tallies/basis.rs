//! What a period's saved scorecards were computed from, so that a close can tell whether they
//! are still current (migration 0021): the binary's version, the generation of everything a
//! computation reads but records (`kpi_inputs`, bumped by triggers in each change's own
//! transaction), and the revisions of the period and of every later period its repeat window
//! reaches (bumped by each import in its transaction). All are counters that only grow, so an
//! equal basis read later means nothing changed in between.

use jixiao_core::Period;

use crate::{Backend, Store, StoreError};

/// Tables whose rows never feed a computation (sessions, the audit log, import bookkeeping, the
/// cards themselves…), or that are the counters: they carry no trigger. Every other table must
/// carry `kpi_inputs_<table>…`, or [`Store::cards_basis`] says nothing is known.
const UNWATCHED: &[&str] = &[
    "_sqlx_migrations",
    "api_idempotency",
    "api_tokens",
    "audit_log",
    // Derived from calls, memberships and thresholds, which are watched.
    "call_sums",
    "call_sums_inputs",
    "call_sums_state",
    "held_records",
    "import_jobs",
    "import_rejects",
    "imports",
    "kpi_inputs",
    "login_failures",
    "notifications",
    "period_cards_basis",
    "period_center_totals",
    "periods",
    "scorecards",
    "sessions",
    "users",
];

fn unwatched_list() -> String {
    UNWATCHED
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tables lacking their change trigger: SQLite needs `_del` on every watched table and `_ins`,
/// `_upd` on all but the record tables (whose inserts and updates bump the period revision);
/// PostgreSQL one statement trigger per table.
fn untracked_sql(backend: Backend) -> String {
    let skip = unwatched_list();
    match backend {
        Backend::Sqlite => format!(
            "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' \
             AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND t.name NOT IN ({skip}) \
             AND (SELECT COUNT(*) FROM sqlite_master g WHERE g.type = 'trigger' \
             AND g.tbl_name = t.name AND g.name IN ('kpi_inputs_' || t.name || '_ins', \
             'kpi_inputs_' || t.name || '_upd', 'kpi_inputs_' || t.name || '_del')) \
             < CASE WHEN t.name IN ({}) THEN 1 ELSE 3 END",
            super::AGENT_TABLES
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Backend::Postgres => format!(
            "SELECT CAST(c.relname AS TEXT) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() \
             AND c.relname NOT IN ({skip}) AND NOT EXISTS (SELECT 1 FROM pg_trigger g \
             WHERE g.tgrelid = c.oid AND g.tgname = 'kpi_inputs_' || c.relname)"
        ),
    }
}

impl Store {
    /// The basis the period's cards would be computed from now, or None when some table a
    /// computation may read has no change trigger (then no saved cards are trusted).
    /// The change counter of everything a computation reads besides the records (bumped by
    /// the triggers of migration 0021 in each change's own transaction).
    pub async fn kpi_generation(&self) -> Result<i64, StoreError> {
        let (generation,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT generation FROM kpi_inputs WHERE id = 1").fetch_one(p).await)?;
        Ok(generation)
    }

    pub(crate) async fn cards_basis(&self, period: Period) -> Result<Option<String>, StoreError> {
        let sql = untracked_sql(self.backend());
        let untracked: Vec<(String,)> =
            on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        if let Some((table,)) = untracked.first() {
            tracing::debug!(%table, "table without a kpi_inputs trigger: cards never trusted");
            return Ok(None);
        }
        let (generation,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT generation FROM kpi_inputs WHERE id = 1").fetch_one(p).await)?;
        // Thresholds are watched: a new window changes the generation too.
        let window = self.kpi_thresholds().await?.repeat_window_days;
        let reach = period.last_day() + chrono::Duration::days(i64::from(window));
        let (first, last) = (period.to_string(), Period::containing(reach).to_string());
        let revisions: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT period, CAST(revision AS BIGINT) FROM periods \
             WHERE period >= $1 AND period <= $2 ORDER BY period")
            .bind(&first)
            .bind(&last)
            .fetch_all(p)
            .await)?;
        let mut basis = format!("v{} g{generation} w{window}", env!("CARGO_PKG_VERSION"));
        for (p, r) in revisions {
            basis.push_str(&format!(" {p}:{r}"));
        }
        Ok(Some(basis))
    }

    /// The basis and snapshot hash last recorded for the period's saved cards.
    pub(crate) async fn saved_cards_basis(
        &self,
        period: Period,
    ) -> Result<Option<(String, String)>, StoreError> {
        let sql = "SELECT basis, cards_hash FROM period_cards_basis WHERE period = $1";
        let period = period.to_string();
        Ok(on_pool!(self, p => sqlx::query_as(sql).bind(&period).fetch_optional(p).await)?)
    }
}
