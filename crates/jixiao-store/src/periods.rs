//! Periods and their scorecards. A closed period never changes: its status flips from open to
//! closed in one conditional statement, so two instances closing at once cannot both win.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::money::{round_half_up, to_scaled};
use jixiao_core::period::PeriodStatus;
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;

use crate::audit::AppendAudit;
use crate::dialect::{BeginWrite, BulkInsert, Col, Dialect};
use crate::{CardFilter, NewAudit, PeriodInfo, Store, StoreError, corrupt};

type PeriodRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<NaiveDate>,
);

fn info(r: PeriodRow) -> Result<PeriodInfo, StoreError> {
    Ok(PeriodInfo {
        period: r.0.parse()?,
        status: PeriodStatus::parse(&r.1)?,
        snapshot_hash: r.2,
        closed_by: r.3,
        closed_at: r.4,
        review_until: r.5,
    })
}

/// The summary columns are for filtering and sorting only; `card_json` is authoritative, so
/// rounding a value with more digits than the column keeps is harmless.
fn summary(what: &'static str, v: Decimal, scale: u32) -> Result<i64, StoreError> {
    to_scaled(round_half_up(v, scale), scale)
        .ok_or_else(|| corrupt(what, &v.to_string(), "out of range"))
}

fn card_columns(period: &str, cards: &[Scorecard]) -> Result<Vec<Col>, StoreError> {
    let mut total = Vec::with_capacity(cards.len());
    let mut points = Vec::with_capacity(cards.len());
    let mut pay = Vec::with_capacity(cards.len());
    let mut json = Vec::with_capacity(cards.len());
    for c in cards {
        total.push(c.total.map(|t| summary("total", t, 2)).transpose()?);
        points.push(summary("points", c.points, 4)?);
        pay.push(summary("variable pay", c.variable_pay, 2)?);
        json.push(
            serde_json::to_string(c)
                .map_err(|e| corrupt("scorecard", &c.employee_no, e.to_string()))?,
        );
    }
    Ok(vec![
        Col::Text(vec![period.to_string(); cards.len()]),
        Col::Int(cards.iter().map(|c| c.employee_id).collect()),
        Col::Int(cards.iter().map(|c| c.team_id).collect()),
        Col::Text(cards.iter().map(|c| c.employee_no.clone()).collect()),
        Col::OptInt(total),
        Col::OptText(cards.iter().map(|c| c.grade.clone()).collect()),
        Col::OptInt(
            cards
                .iter()
                .map(|c| c.rank_in_team.map(i64::from))
                .collect(),
        ),
        Col::Int(points),
        Col::Int(pay),
        Col::Int(
            cards
                .iter()
                .map(|c| i64::try_from(c.handled).unwrap_or(i64::MAX))
                .collect(),
        ),
        Col::Text(json),
    ])
}

const CARD_INSERT: BulkInsert<'static> = BulkInsert {
    table: "scorecards",
    columns: &[
        "period",
        "employee_id",
        "team_id",
        "employee_no",
        "total",
        "grade",
        "rank_in_team",
        "points",
        "variable_pay",
        "handled",
        "card_json",
    ],
    suffix: "",
};

/// Saves a period's center totals (the transaction has checked that it is not closed).
const SAVE_CENTER: &str = "INSERT INTO period_center_totals (period, totals_json) VALUES ($1, $2) \
                           ON CONFLICT (period) DO UPDATE SET totals_json = excluded.totals_json";

/// Cards serialised and written at a time by [`Store::save_computed`] (about 5 MB of JSON).
const SAVE_CHUNK: usize = 1_000;

/// Records the basis and snapshot hash of a period's saved cards.
const SAVE_BASIS: &str = "INSERT INTO period_cards_basis (period, basis, cards_hash) \
                          VALUES ($1, $2, $3) ON CONFLICT (period) DO UPDATE SET \
                          basis = excluded.basis, cards_hash = excluded.cards_hash";

const MARK_COMPUTED: &str =
    "UPDATE periods SET status = 'computed' WHERE period = $1 AND status = 'open'";

/// The audit entry of the open → computed transition; the actor is the system because any
/// import or recompute triggers it.
fn computed_audit(period: &str, cards: usize) -> NewAudit {
    NewAudit {
        actor: "system".into(),
        kind: "period.computed".into(),
        subject: period.to_string(),
        detail: serde_json::json!({ "from": "open", "to": "computed", "scorecards": cards }),
        // save_scorecards takes no time from its callers (imports, alias releases, recompute),
        // and the entry only needs to be ordered in the chain, so the store reads the clock.
        at: Utc::now(),
    }
}

pub(crate) const ENSURE_PERIOD: &str =
    "INSERT INTO periods (period, status) VALUES ($1, 'open') ON CONFLICT (period) DO NOTHING";

/// The cards a close freezes.
#[derive(Debug, Clone, Copy)]
pub enum Freeze<'a> {
    /// These cards, computed for the close: they replace the saved ones.
    Cards(&'a [Scorecard]),
    /// The saved cards as they are: they are current, and their recorded snapshot hash is the
    /// close's hash.
    Saved,
}

/// What a close expects to be as it was when its cards were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unchanged {
    /// The period's record revision ([`Store::period_revision`]).
    pub revision: i64,
    /// The change counter of every other input ([`Store::kpi_generation`]).
    pub generation: i64,
}

impl Store {
    /// Periods that have records or a status row, newest first.
    pub async fn periods(&self) -> Result<Vec<PeriodInfo>, StoreError> {
        // The second branch takes its NULLs from the outer join so that PostgreSQL knows
        // their types (a bare NULL in a UNION is text). The months of the calls are found by
        // skipping through the `(period, employee_id)` index one month at a time (a recursive
        // "next period after this one"), not by `DISTINCT`, which reads every call's entry:
        // this runs on nearly every page, and a center has millions of calls.
        let sql = "WITH RECURSIVE cp(period) AS (SELECT MIN(period) FROM calls UNION ALL \
                   SELECT (SELECT MIN(n.period) FROM calls n WHERE n.period > cp.period) \
                   FROM cp WHERE cp.period IS NOT NULL) \
                   SELECT period, status, snapshot_hash, closed_by, closed_at, review_until \
                   FROM periods UNION ALL SELECT c.period, 'open', p.snapshot_hash, p.closed_by, \
                   p.closed_at, p.review_until \
                   FROM cp c LEFT JOIN periods p ON p.period = c.period \
                   WHERE c.period IS NOT NULL AND p.period IS NULL \
                   ORDER BY 1 DESC";
        let rows: Vec<PeriodRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        rows.into_iter().map(info).collect()
    }

    /// A period's status (Open when never closed).
    pub async fn period_info(&self, period: Period) -> Result<PeriodInfo, StoreError> {
        let sql = "SELECT period, status, snapshot_hash, closed_by, closed_at, review_until \
                   FROM periods WHERE period = $1";
        let p_str = period.to_string();
        let row: Option<PeriodRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&p_str).fetch_optional(p).await)?;
        match row {
            Some(r) => info(r),
            None => Ok(PeriodInfo {
                period,
                status: PeriodStatus::Open,
                snapshot_hash: None,
                closed_by: None,
                closed_at: None,
                review_until: None,
            }),
        }
    }

    /// How many imports have changed the period's records: a close computed at one revision
    /// must not be stored at another.
    pub async fn period_revision(&self, period: Period) -> Result<i64, StoreError> {
        let sql = "SELECT revision FROM periods WHERE period = $1";
        let p_str = period.to_string();
        let row: Option<(i64,)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&p_str).fetch_optional(p).await)?;
        Ok(row.map_or(0, |(r,)| r))
    }

    /// Replaces the stored scorecards of an unclosed period (an open one becomes computed,
    /// audited as `period.computed`); PeriodClosed if closed.
    pub async fn save_scorecards(
        &self,
        period: Period,
        cards: &[Scorecard],
    ) -> Result<(), StoreError> {
        self.save_computed(period, Arc::new(cards.to_vec()), None, None)
            .await
            .map(|_| ())
    }

    /// Replaces the stored scorecards of an unclosed period as [`Store::save_scorecards`]
    /// does, and in the same transaction the period's center totals (when given) and the
    /// basis the cards were computed from with their snapshot hash (when given; without it
    /// any recorded basis is removed, so that a close never trusts cards it did not see
    /// computed). One transaction: the basis recorded is always that of the cards saved.
    /// Returns the cards' snapshot hash, computed on a blocking thread while the cards are
    /// serialised and written ([`SAVE_CHUNK`] at a time, so that the database stores one
    /// chunk while the next is serialised).
    pub(crate) async fn save_computed(
        &self,
        period: Period,
        cards: Arc<Vec<Scorecard>>,
        center: Option<&jixiao_core::kpi::MeasureTotals>,
        basis: Option<&str>,
    ) -> Result<String, StoreError> {
        let p_str = period.to_string();
        let started = std::time::Instant::now();
        let hashing = {
            let cards = Arc::clone(&cards);
            tokio::task::spawn_blocking(move || jixiao_core::scorecard::snapshot_hash(&cards))
        };
        let center = center
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| crate::corrupt("center totals", &p_str, e.to_string()))?;
        let postgres = self.backend() == crate::Backend::Postgres;
        let prepared = started.elapsed();
        let hash = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if postgres {
                // Derived data: a crash may lose this commit, never half of it (cards, center
                // and basis go together), and the next recompute writes it again; so the
                // commit does not wait for the flush of ~50 MB of log.
                sqlx::query("SET LOCAL synchronous_commit = off")
                    .execute(&mut *tx)
                    .await?;
            }
            ensure_open!(tx, period);
            sqlx::query("DELETE FROM scorecards WHERE period = $1")
                .bind(&p_str)
                .execute(&mut *tx)
                .await?;
            let deleted = started.elapsed();
            let mut chunks = cards.chunks(SAVE_CHUNK);
            tx.insert_chunks(&CARD_INSERT, || {
                chunks.next().map(|chunk| card_columns(&p_str, chunk))
            })
            .await?;
            let inserted = started.elapsed();
            let hash = hashing
                .await
                .map_err(|_| crate::corrupt("scorecards", &p_str, "hashing failed"))?;
            let basis = basis.map(|b| (b, hash.as_str()));
            if let Some(json) = &center {
                sqlx::query(SAVE_CENTER).bind(&p_str).bind(json).execute(&mut *tx).await?;
            }
            match basis {
                Some((basis, hash)) => {
                    sqlx::query(SAVE_BASIS)
                        .bind(&p_str)
                        .bind(basis)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query("DELETE FROM period_cards_basis WHERE period = $1")
                        .bind(&p_str)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            // Saved cards make an open period computed; in the same transaction as its audit
            // entry, so the transition is recorded exactly once.
            let computed = sqlx::query(MARK_COMPUTED)
                .bind(&p_str)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if computed > 0 {
                tx.append_audit(&computed_audit(&p_str, cards.len())).await?;
            }
            let before_commit = started.elapsed();
            tx.commit().await?;
            tracing::debug!(
                period = %p_str,
                delete_ms = (deleted - prepared).as_millis() as u64,
                serialise_and_insert_ms = (inserted - deleted).as_millis() as u64,
                rest_ms = (before_commit - inserted).as_millis() as u64,
                commit_ms = (started.elapsed() - before_commit).as_millis() as u64,
                "saved cards"
            );
            Ok::<_, StoreError>(hash)
        })?;
        Ok(hash)
    }

    /// Atomically stores the final scorecards and marks the period closed with its hash;
    /// PeriodClosed if it already was (also when another instance closed it first).
    pub async fn close_period(
        &self,
        period: Period,
        cards: &[Scorecard],
        hash: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.close_period_at_revision(period, Freeze::Cards(cards), hash, by, at, None)
            .await
            .map(|_| ())
    }

    /// Like [`Store::close_period`], but only if nothing changed since `unchanged` was read:
    /// the period's records are still at its `revision` (see [`Store::period_revision`]) and the
    /// other inputs of a computation at its `generation` (see [`Store::kpi_generation`]); returns false, changing nothing, when an import or a
    /// configuration change came since the cards were computed. Writes the `period.close`
    /// audit entry in the same transaction.
    ///
    /// With [`Freeze::Saved`] the saved cards stay as they are, provided the snapshot hash
    /// recorded with them (in their save's transaction) is still `hash` once the period row is
    /// locked; otherwise it returns false, changing nothing.
    pub async fn close_period_at_revision(
        &self,
        period: Period,
        cards: Freeze<'_>,
        hash: &str,
        by: &str,
        at: DateTime<Utc>,
        unchanged: Option<Unchanged>,
    ) -> Result<bool, StoreError> {
        let p_str = period.to_string();
        let cols = match cards {
            Freeze::Cards(cards) => Some(card_columns(&p_str, cards)?),
            Freeze::Saved => None,
        };
        // The WHERE makes the flip conditional: on PostgreSQL a second closer blocks on the row
        // lock, then re-checks the WHERE against the committed row and updates nothing.
        let flip = "INSERT INTO periods (period, status, snapshot_hash, closed_by, closed_at) \
                    VALUES ($1, 'closed', $2, $3, $4) ON CONFLICT (period) DO UPDATE SET \
                    status = 'closed', snapshot_hash = excluded.snapshot_hash, \
                    closed_by = excluded.closed_by, closed_at = excluded.closed_at \
                    WHERE periods.status <> 'closed' AND ($5 IS NULL OR periods.revision = $5) \
                    AND ($6 IS NULL OR (SELECT generation FROM kpi_inputs WHERE id = 1) = $6)";
        let mut audit = NewAudit {
            actor: by.to_string(),
            kind: "period.close".into(),
            subject: p_str.clone(),
            detail: serde_json::json!({ "snapshot_hash": hash }),
            at,
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let from: Option<(String,)> =
                sqlx::query_as("SELECT status FROM periods WHERE period = $1")
                    .bind(&p_str)
                    .fetch_optional(&mut *tx)
                    .await?;
            audit.detail["from"] = from.map_or("open".into(), |(s,)| s).into();
            if cols.is_none() {
                // Locked first: a save of other cards either committed before (and is seen
                // here) or waits for this close and then finds the period closed.
                crate::dialect::Dialect::lock_periods(&mut *tx, std::slice::from_ref(&p_str))
                    .await?;
                let saved: Option<(String,)> = sqlx::query_as(
                    "SELECT cards_hash FROM period_cards_basis WHERE period = $1")
                    .bind(&p_str)
                    .fetch_optional(&mut *tx)
                    .await?;
                if saved.as_ref().map(|(h,)| h.as_str()) != Some(hash) {
                    return Ok(false);
                }
            }
            let flipped = sqlx::query(flip)
                .bind(&p_str)
                .bind(hash)
                .bind(by)
                .bind(at)
                .bind(unchanged.map(|u| u.revision))
                .bind(unchanged.map(|u| u.generation))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if flipped == 0 {
                let (status,): (String,) =
                    sqlx::query_as("SELECT status FROM periods WHERE period = $1")
                        .bind(&p_str)
                        .fetch_one(&mut *tx)
                        .await?;
                return if status == "closed" {
                    Err(StoreError::PeriodClosed(period))
                } else {
                    Ok(false)
                };
            }
            let count = match &cols {
                Some(cols) => {
                    sqlx::query("DELETE FROM scorecards WHERE period = $1")
                        .bind(&p_str)
                        .execute(&mut *tx)
                        .await?;
                    tx.bulk_insert(&CARD_INSERT, cols).await?;
                    cols.first().map_or(0, crate::dialect::Col::len)
                }
                None => {
                    let (n,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM scorecards WHERE period = $1")
                            .bind(&p_str)
                            .fetch_one(&mut *tx)
                            .await?;
                    usize::try_from(n).unwrap_or_default()
                }
            };
            audit.detail["scorecards"] = count.into();
            // In the close transaction: the period is closed if and only if the entry exists.
            tx.append_audit(&audit).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Stored scorecards of a period, filtered, ordered by team then rank then employee_no.
    pub async fn scorecards(
        &self,
        period: Period,
        filter: &CardFilter,
    ) -> Result<Vec<Scorecard>, StoreError> {
        let mut sql = "SELECT s.card_json FROM scorecards s JOIN teams t ON t.id = s.team_id \
                       WHERE s.period = $1 AND ($2 IS NULL OR s.employee_id = $2) \
                       AND ($3 IS NULL OR t.department_id = $3)"
            .to_string();
        let teams = filter.team_ids.as_deref().unwrap_or_default();
        if let Some(ids) = &filter.team_ids {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 4)).collect();
            sql.push_str(&format!(" AND s.team_id IN ({})", marks.join(", ")));
        }
        sql.push_str(
            " ORDER BY s.team_id, (s.rank_in_team IS NULL), s.rank_in_team, s.employee_no",
        );
        let p_str = period.to_string();
        let rows: Vec<(String,)> = on_pool!(self, p => {
            let mut q = sqlx::query_as(&sql)
                .bind(&p_str)
                .bind(filter.employee_id)
                .bind(filter.department_id);
            for id in teams {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        rows.into_iter()
            .map(|(json,)| {
                serde_json::from_str(&json)
                    .map_err(|e| corrupt("stored scorecard", &p_str, e.to_string()))
            })
            .collect()
    }
}
