//! Call sums: the month's call measures per (period, employee, team, business type), kept in
//! `call_sums` (migration 0022) so that a recompute after a few late calls reads ten thousand
//! sums instead of ten million calls (issue 4, "recompute after 1 % changes").
//!
//! **What a row holds.** Every call of the period counts in the row of its employee (0 when it
//! has none), the team whose membership covers its date (0 when none does) and its business
//! type: offered, handled, transferred, abandoned, short abandons, answered within the
//! service level, the waits and times of handled calls, and the judged contacts and repeats of
//! first-contact resolution (a contact is judged when handled with a customer id; it is a
//! repeat when the customer's next contact strictly after it starts within the window). The
//! tallies read the segments and the center from these rows exactly as the scanning queries
//! of `calls.rs` compute them; a contract test compares the two after every kind of change.
//!
//! **When they are trusted.** `call_sums_state` records per period the *basis* the rows were
//! made at: the thresholds, the `call_sums_inputs` counter (bumped by triggers on
//! memberships and on deleted calls) and the revisions of the period and of the periods its
//! repeat window reaches (imports bump those). Rows whose basis is not the current one are
//! rebuilt from the calls by two grouped queries before use (what every recompute cost
//! before): any doubt rebuilds, nothing stale is read.
//!
//! **How imports keep them current.** An import of a source that already has calls (a late
//! file, a correction) reads, for each chunk, the calls it may change — the stored rows of the
//! chunk's keys and every contact of their customers, old and new — before and after writing
//! the chunk, and adds the difference of their contributions (each contact's repeat judged
//! among its customer's contacts, all of which are in the set) to the rows of the periods
//! whose basis was current, then records their new basis: in the import's transaction, so the
//! rows and their basis always move together. A fresh source, or more than
//! [`TRACK_LIMIT`] calls in one import, is not tracked: the periods it touches are rebuilt at
//! their next recompute. On PostgreSQL every import and every rebuild holds a transaction
//! advisory lock, so no two of them interleave their reads and writes of the sums.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::Period;
use sqlx::{PgConnection, Row, SqliteConnection};

use jixiao_core::kpi::{MeasureTotals, Partial, TypeTally};
use jixiao_core::org::TypeCode;
use rust_decimal::Decimal;

use super::KpiThresholds;
use super::sums::add;
use crate::dialect::{BulkInsert, Col, Dialect};
use crate::{Backend, Store, StoreError, unsigned};

/// Calls one import may track; beyond this the periods it touches are rebuilt instead (a
/// large load is cheaper to re-sum than to compare call by call).
pub(crate) const TRACK_LIMIT: usize = 250_000;

/// The measures of a row, in column order.
pub(crate) const MEASURES: [&str; 12] = [
    "offered",
    "handled",
    "transferred",
    "abandoned",
    "short_abandoned",
    "within_sl",
    "wait_secs",
    "talk_secs",
    "hold_secs",
    "acw_secs",
    "judged",
    "repeats",
];

/// Indexes into a row's measures.
pub(crate) mod m {
    pub const OFFERED: usize = 0;
    pub const HANDLED: usize = 1;
    pub const TRANSFERRED: usize = 2;
    pub const ABANDONED: usize = 3;
    pub const SHORT: usize = 4;
    pub const WITHIN: usize = 5;
    pub const WAIT: usize = 6;
    pub const TALK: usize = 7;
    pub const HOLD: usize = 8;
    pub const ACW: usize = 9;
    pub const JUDGED: usize = 10;
    pub const REPEATS: usize = 11;
}

/// A row's measures.
pub(crate) type Measures = [i64; 12];

/// (period, employee id or 0, team id or 0, business type).
pub(crate) type SumKey = (String, i64, i64, String);

/// One stored call, as far as the sums need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Fact {
    id: i64,
    period: String,
    date: NaiveDate,
    started_at: NaiveDateTime,
    employee_id: Option<i64>,
    business_type: String,
    customer_id: Option<String>,
    outcome: String,
    wait_secs: i64,
    talk_secs: i64,
    hold_secs: i64,
    acw_secs: i64,
}

/// Memberships by employee: (team, from, to).
pub(crate) type Members = HashMap<i64, Vec<(i64, NaiveDate, Option<NaiveDate>)>>;

fn team_on(members: &Members, employee: i64, date: NaiveDate) -> i64 {
    members
        .get(&employee)
        .and_then(|ms| {
            ms.iter()
                .find(|(_, from, to)| *from <= date && to.is_none_or(|t| date <= t))
        })
        .map_or(0, |(team, _, _)| *team)
}

fn has_customer(f: &Fact) -> bool {
    f.customer_id.as_deref().is_some_and(|c| !c.is_empty())
}

/// The contributions of `facts` to the sums. Every contact of every customer among them must
/// be in `facts`: each contact's repeat is judged among its customer's contacts here, as the
/// scanning query judges it among all of them (the next contact strictly later, within the
/// window's whole days, both ends compared as timestamps).
pub(crate) fn contributions(
    facts: &[Fact],
    th: &KpiThresholds,
    members: &Members,
) -> BTreeMap<SumKey, Measures> {
    // Each customer's contact times, sorted, for "the next contact strictly after".
    let mut times: HashMap<&str, Vec<NaiveDateTime>> = HashMap::new();
    for f in facts.iter().filter(|f| has_customer(f)) {
        times
            .entry(f.customer_id.as_deref().unwrap_or_default())
            .or_default()
            .push(f.started_at);
    }
    for v in times.values_mut() {
        v.sort_unstable();
    }
    let window = chrono::Duration::days(i64::from(th.repeat_window_days));
    let (sl, short) = (
        i64::from(th.service_level_secs),
        i64::from(th.short_abandon_secs),
    );
    let mut out: BTreeMap<SumKey, Measures> = BTreeMap::new();
    for f in facts {
        let employee = f.employee_id.unwrap_or(0);
        let team = f.employee_id.map_or(0, |e| team_on(members, e, f.date));
        let row = out
            .entry((f.period.clone(), employee, team, f.business_type.clone()))
            .or_default();
        let handled = matches!(f.outcome.as_str(), "answered" | "transferred");
        let abandoned = f.outcome == "abandoned";
        let mut add = |i: usize, v: i64| row[i] += v;
        if handled || abandoned {
            add(m::OFFERED, 1);
        }
        if abandoned {
            add(m::ABANDONED, 1);
            if f.wait_secs < short {
                add(m::SHORT, 1);
            }
        }
        if f.outcome == "transferred" {
            add(m::TRANSFERRED, 1);
        }
        if handled {
            add(m::HANDLED, 1);
            if f.wait_secs <= sl {
                add(m::WITHIN, 1);
            }
            add(m::WAIT, f.wait_secs);
            add(m::TALK, f.talk_secs);
            add(m::HOLD, f.hold_secs);
            add(m::ACW, f.acw_secs);
            if has_customer(f) {
                add(m::JUDGED, 1);
                let all = &times[f.customer_id.as_deref().unwrap_or_default()];
                let after = all.partition_point(|t| *t <= f.started_at);
                if all
                    .get(after)
                    .is_some_and(|next| *next <= f.started_at + window)
                {
                    add(m::REPEATS, 1);
                }
            }
        }
    }
    out
}

/// The call measures of the segments (employee, team) from the sums, as `tally_calls` and
/// `fcr` give them: handled calls by type into the partials and measures of rows with a team,
/// and first-contact resolution where some contact was judged.
pub(super) fn segments(
    sums: &BTreeMap<SumKey, Measures>,
    partials: &mut BTreeMap<(i64, i64), Partial>,
    totals: &mut BTreeMap<(i64, i64), MeasureTotals>,
) -> Result<(), StoreError> {
    for ((_, employee, team, code), v) in sums {
        if *team == 0 {
            continue;
        }
        let key = (*employee, *team);
        if v[m::HANDLED] > 0 {
            let t = totals.entry(key).or_default();
            for (name, x) in [
                ("handled", v[m::HANDLED]),
                ("answered", v[m::HANDLED]),
                ("talk_secs", v[m::TALK]),
                ("hold_secs", v[m::HOLD]),
                ("acw_secs", v[m::ACW]),
                ("handle_secs", v[m::TALK] + v[m::HOLD] + v[m::ACW]),
                ("transferred", v[m::TRANSFERRED]),
                ("wait_secs_answered", v[m::WAIT]),
                ("answered_within_threshold", v[m::WITHIN]),
            ] {
                add(t, name, Decimal::from(x))?;
            }
            partials.entry(key).or_default().by_type.insert(
                TypeCode::parse(code)?,
                TypeTally {
                    handled: unsigned(v[m::HANDLED]),
                    talk_secs: unsigned(v[m::TALK]),
                    hold_secs: unsigned(v[m::HOLD]),
                    acw_secs: unsigned(v[m::ACW]),
                },
            );
        }
        if v[m::JUDGED] > 0 {
            let t = totals.entry(key).or_default();
            add_repeats(t, v)?;
        }
    }
    Ok(())
}

fn add_repeats(t: &mut MeasureTotals, v: &Measures) -> Result<(), StoreError> {
    add(
        t,
        "first_contact_resolved",
        Decimal::from(v[m::JUDGED] - v[m::REPEATS]),
    )?;
    add(t, "repeat_contacts", Decimal::from(v[m::REPEATS]))
}

/// The center's call measures (the queue included) from every row of the period, as
/// `center_calls` gives them.
pub(super) fn center(sums: &BTreeMap<SumKey, Measures>) -> Result<MeasureTotals, StoreError> {
    let mut s = Measures::default();
    for v in sums.values() {
        for (a, b) in s.iter_mut().zip(v) {
            *a += b;
        }
    }
    let mut t = MeasureTotals::default();
    for (name, x) in [
        ("offered", s[m::OFFERED]),
        ("answered", s[m::HANDLED]),
        ("handled", s[m::HANDLED]),
        ("abandoned", s[m::ABANDONED]),
        ("short_abandoned", s[m::SHORT]),
        ("answered_within_threshold", s[m::WITHIN]),
        ("wait_secs_answered", s[m::WAIT]),
        ("talk_secs", s[m::TALK]),
        ("hold_secs", s[m::HOLD]),
        ("acw_secs", s[m::ACW]),
        ("handle_secs", s[m::TALK] + s[m::HOLD] + s[m::ACW]),
        ("transferred", s[m::TRANSFERRED]),
    ] {
        add(&mut t, name, Decimal::from(x))?;
    }
    Ok(t)
}

/// First-contact resolution into the center's measures, from every row where a contact was
/// judged (with or without a team), as `fcr` gives it.
pub(super) fn center_repeats(
    sums: &BTreeMap<SumKey, Measures>,
    center: &mut MeasureTotals,
) -> Result<(), StoreError> {
    for v in sums.values().filter(|v| v[m::JUDGED] > 0) {
        add_repeats(center, v)?;
    }
    Ok(())
}

/// `into += sign × from`, dropping rows that end all zero.
pub(crate) fn accumulate(
    into: &mut BTreeMap<SumKey, Measures>,
    from: BTreeMap<SumKey, Measures>,
    sign: i64,
) {
    for (key, v) in from {
        let row = into.entry(key).or_default();
        for (a, b) in row.iter_mut().zip(v) {
            *a += sign * b;
        }
    }
    into.retain(|_, v| v.iter().any(|x| *x != 0));
}

/// The basis string of a period's sums: thresholds, input counter, and the revisions of the
/// period and of the periods its repeat window reaches.
fn basis_text(th: &KpiThresholds, generation: i64, revisions: &[(String, i64)]) -> String {
    let mut b = format!(
        "sl{} sa{} w{} g{generation}",
        th.service_level_secs, th.short_abandon_secs, th.repeat_window_days
    );
    for (p, r) in revisions {
        b.push_str(&format!(" {p}:{r}"));
    }
    b
}

/// The last period a period's repeat window reaches.
fn reach(period: Period, th: &KpiThresholds) -> Period {
    Period::containing(period.last_day() + chrono::Duration::days(i64::from(th.repeat_window_days)))
}

/// The first period whose repeat window reaches `period`.
fn reached_from(period: Period, th: &KpiThresholds) -> Period {
    Period::containing(
        period.first_day() - chrono::Duration::days(i64::from(th.repeat_window_days)),
    )
}

/// Qualified: SQLite's `json_each` has columns of its own (`id`, `key`, `value`…).
const FACT_COLUMNS: &str = "calls.id, calls.period, calls.date, calls.started_at, \
                            calls.employee_id, calls.business_type, calls.customer_id, \
                            calls.outcome, calls.wait_secs, calls.talk_secs, calls.hold_secs, \
                            calls.acw_secs";

const SUMS_INSERT: BulkInsert<'static> = BulkInsert {
    table: "call_sums",
    columns: &[
        "period",
        "employee_id",
        "team_id",
        "business_type",
        "offered",
        "handled",
        "transferred",
        "abandoned",
        "short_abandoned",
        "within_sl",
        "wait_secs",
        "talk_secs",
        "hold_secs",
        "acw_secs",
        "judged",
        "repeats",
    ],
    suffix: "",
};

fn sums_columns(rows: &BTreeMap<SumKey, Measures>) -> Vec<Col> {
    let mut cols = vec![
        Col::Text(rows.keys().map(|k| k.0.clone()).collect()),
        Col::Int(rows.keys().map(|k| k.1).collect()),
        Col::Int(rows.keys().map(|k| k.2).collect()),
        Col::Text(rows.keys().map(|k| k.3.clone()).collect()),
    ];
    for i in 0..MEASURES.len() {
        cols.push(Col::Int(rows.values().map(|v| v[i]).collect()));
    }
    cols
}

/// Adds to existing rows (delta upsert).
fn delta_suffix() -> String {
    let set: Vec<String> = MEASURES
        .iter()
        .map(|c| format!("{c} = call_sums.{c} + excluded.{c}"))
        .collect();
    format!(
        "ON CONFLICT (period, employee_id, team_id, business_type) DO UPDATE SET {}",
        set.join(", ")
    )
}

/// What the sums need from a connection inside a transaction, on either backend.
pub(crate) trait SumsConn: Dialect {
    /// Stored calls of these customers (any period) and of these (source, record id) keys.
    async fn facts(
        &mut self,
        customers: &[String],
        keys: &[(String, String)],
    ) -> Result<Vec<Fact>, sqlx::Error>;

    /// Serializes imports and rebuilds (PostgreSQL; SQLite's write lock already does).
    async fn lock_sums(&mut self) -> Result<(), sqlx::Error>;

    /// Every membership.
    async fn members(&mut self) -> Result<Members, sqlx::Error>;

    /// The basis of `period`'s sums as the data stands in this transaction.
    async fn sums_basis(
        &mut self,
        period: Period,
        th: &KpiThresholds,
    ) -> Result<String, sqlx::Error>;

    /// Stored bases of the periods from `first` to `last`.
    async fn sums_states(
        &mut self,
        first: &str,
        last: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error>;

    async fn set_sums_state(&mut self, period: &str, basis: &str) -> Result<(), sqlx::Error>;

    /// Adds `rows` to the stored sums.
    async fn add_sums(&mut self, rows: &BTreeMap<SumKey, Measures>) -> Result<(), sqlx::Error>;

    /// Replaces the period's rows.
    async fn replace_sums(
        &mut self,
        period: &str,
        rows: &BTreeMap<SumKey, Measures>,
    ) -> Result<(), sqlx::Error>;
}

/// SQLite binds lists as JSON arrays read by `json_each`; `CROSS JOIN` keeps the list as the
/// outer loop, so each entry is one probe of the calls' index (the planner otherwise scanned
/// the calls for the keys: 4.4 s a chunk at a million calls).
async fn sqlite_facts(
    c: &mut SqliteConnection,
    customers: &[String],
    keys: &[(String, String)],
) -> Result<Vec<Fact>, sqlx::Error> {
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    let mut out = Vec::new();
    if !customers.is_empty() {
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM json_each($1) j CROSS JOIN calls \
             ON calls.customer_id = j.value"
        );
        out.extend(
            sqlx::query_as::<_, Fact>(&sql)
                .bind(json(customers))
                .fetch_all(&mut *c)
                .await?,
        );
    }
    if !keys.is_empty() {
        // One array of [source, id] pairs: joining two arrays on their index scanned one
        // for each entry of the other.
        let pairs = serde_json::to_string(keys).unwrap_or_default();
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM json_each($1) k CROSS JOIN calls \
             ON calls.source = json_extract(k.value, '$[0]') \
             AND calls.record_id = json_extract(k.value, '$[1]')"
        );
        out.extend(
            sqlx::query_as::<_, Fact>(&sql)
                .bind(pairs)
                .fetch_all(&mut *c)
                .await?,
        );
    }
    Ok(out)
}

/// Entries per PostgreSQL list, to bound each statement's arrays.
const PG_LIST: usize = 5_000;

/// PostgreSQL binds lists as arrays, [`PG_LIST`] entries at a time, and probes the index once
/// per entry: the `LATERAL … OFFSET 0` subquery cannot be flattened into a join, so the
/// planner cannot trade the probes for a scan of every call. With `= ANY($1)` it did, whenever
/// the table's statistics were missing or stale, as right after a large load (a parallel scan
/// of ten million calls per list: a 101,270-call late file took 123 s to write).
async fn pg_facts(
    c: &mut PgConnection,
    customers: &[String],
    keys: &[(String, String)],
) -> Result<Vec<Fact>, sqlx::Error> {
    let mut out = Vec::new();
    let sql = format!(
        "SELECT calls.* FROM UNNEST($1::text[]) AS u(customer) CROSS JOIN LATERAL \
         (SELECT {FACT_COLUMNS} FROM calls WHERE calls.customer_id = u.customer OFFSET 0) calls"
    );
    for part in customers.chunks(PG_LIST) {
        out.extend(
            sqlx::query_as::<_, Fact>(&sql)
                .bind(part)
                .fetch_all(&mut *c)
                .await?,
        );
    }
    for part in keys.chunks(PG_LIST) {
        let (sources, ids): (Vec<String>, Vec<String>) = part.iter().cloned().unzip();
        let sql = format!(
            "SELECT calls.* FROM UNNEST($1::text[], $2::text[]) AS u(source, record_id) \
             CROSS JOIN LATERAL (SELECT {FACT_COLUMNS} FROM calls \
             WHERE calls.source = u.source AND calls.record_id = u.record_id OFFSET 0) calls"
        );
        out.extend(
            sqlx::query_as::<_, Fact>(&sql)
                .bind(&sources)
                .bind(&ids)
                .fetch_all(&mut *c)
                .await?,
        );
    }
    Ok(out)
}

macro_rules! sums_conn {
    ($conn:ty, $backend:expr, $facts:ident) => {
        impl SumsConn for $conn {
            async fn facts(
                &mut self,
                customers: &[String],
                keys: &[(String, String)],
            ) -> Result<Vec<Fact>, sqlx::Error> {
                let mut out = $facts(self, customers, keys).await?;
                out.sort_by_key(|f| f.id);
                out.dedup_by_key(|f| f.id);
                Ok(out)
            }

            async fn lock_sums(&mut self) -> Result<(), sqlx::Error> {
                if $backend == Backend::Postgres {
                    sqlx::query(
                        "SELECT pg_advisory_xact_lock(hashtext('jixiao.call_sums'), \
                         hashtext(current_schema()))",
                    )
                    .execute(&mut *self)
                    .await?;
                }
                Ok(())
            }

            async fn members(&mut self) -> Result<Members, sqlx::Error> {
                let rows: Vec<(i64, i64, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
                    "SELECT employee_id, team_id, valid_from, valid_to FROM memberships \
                     ORDER BY employee_id, valid_from, id",
                )
                .fetch_all(&mut *self)
                .await?;
                let mut out = Members::new();
                for (e, t, from, to) in rows {
                    out.entry(e).or_default().push((t, from, to));
                }
                Ok(out)
            }

            async fn sums_basis(
                &mut self,
                period: Period,
                th: &KpiThresholds,
            ) -> Result<String, sqlx::Error> {
                let (generation,): (i64,) =
                    sqlx::query_as("SELECT generation FROM call_sums_inputs WHERE id = 1")
                        .fetch_one(&mut *self)
                        .await?;
                let revisions: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT period, CAST(revision AS BIGINT) FROM periods \
                     WHERE period >= $1 AND period <= $2 ORDER BY period",
                )
                .bind(period.to_string())
                .bind(reach(period, th).to_string())
                .fetch_all(&mut *self)
                .await?;
                Ok(basis_text(th, generation, &revisions))
            }

            async fn sums_states(
                &mut self,
                first: &str,
                last: &str,
            ) -> Result<Vec<(String, String)>, sqlx::Error> {
                sqlx::query_as(
                    "SELECT period, basis FROM call_sums_state \
                     WHERE period >= $1 AND period <= $2 ORDER BY period",
                )
                .bind(first)
                .bind(last)
                .fetch_all(&mut *self)
                .await
            }

            async fn set_sums_state(
                &mut self,
                period: &str,
                basis: &str,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO call_sums_state (period, basis) VALUES ($1, $2) \
                     ON CONFLICT (period) DO UPDATE SET basis = excluded.basis",
                )
                .bind(period)
                .bind(basis)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn add_sums(
                &mut self,
                rows: &BTreeMap<SumKey, Measures>,
            ) -> Result<(), sqlx::Error> {
                if rows.is_empty() {
                    return Ok(());
                }
                let suffix = delta_suffix();
                let spec = BulkInsert {
                    suffix: &suffix,
                    ..SUMS_INSERT
                };
                self.bulk_insert(&spec, &sums_columns(rows)).await?;
                Ok(())
            }

            async fn replace_sums(
                &mut self,
                period: &str,
                rows: &BTreeMap<SumKey, Measures>,
            ) -> Result<(), sqlx::Error> {
                sqlx::query("DELETE FROM call_sums WHERE period = $1")
                    .bind(period)
                    .execute(&mut *self)
                    .await?;
                if !rows.is_empty() {
                    self.bulk_insert(&SUMS_INSERT, &sums_columns(rows)).await?;
                }
                Ok(())
            }
        }
    };
}

sums_conn!(SqliteConnection, Backend::Sqlite, sqlite_facts);
sums_conn!(PgConnection, Backend::Postgres, pg_facts);

/// An import's bookkeeping of the sums: the difference its call writes made, or the fact
/// that it wrote calls it did not track.
pub(crate) struct Tracker {
    th: KpiThresholds,
    members: Option<Members>,
    /// Calls tracked so far.
    rows: usize,
    /// Some call write was not tracked: the sums of the periods touched are left stale.
    untracked: bool,
    delta: BTreeMap<SumKey, Measures>,
}

/// The calls a chunk may change, read before writing it.
pub(crate) struct Before {
    customers: Vec<String>,
    keys: Vec<(String, String)>,
    facts: Vec<Fact>,
}

impl Tracker {
    pub(crate) fn new(th: KpiThresholds) -> Self {
        Tracker {
            th,
            members: None,
            rows: 0,
            untracked: false,
            delta: BTreeMap::new(),
        }
    }

    /// Before writing `calls` (a chunk's (source, record id, customer)): reads what they may
    /// change, or gives up tracking (a fresh source, or past [`TRACK_LIMIT`]).
    pub(crate) async fn before<C: SumsConn>(
        &mut self,
        conn: &mut C,
        calls: Vec<(String, String, Option<String>)>,
        fresh: bool,
    ) -> Result<Option<Before>, sqlx::Error> {
        if calls.is_empty() || self.untracked {
            return Ok(None);
        }
        self.rows += calls.len();
        if fresh || self.rows > TRACK_LIMIT {
            self.untracked = true;
            self.delta.clear();
            return Ok(None);
        }
        if self.members.is_none() {
            self.members = Some(conn.members().await?);
        }
        let mut customers: BTreeSet<String> = BTreeSet::new();
        let mut keys = Vec::with_capacity(calls.len());
        for (source, id, customer) in calls {
            if let Some(c) = customer.filter(|c| !c.is_empty()) {
                customers.insert(c);
            }
            keys.push((source, id));
        }
        // The stored versions of the keys may belong to other customers.
        let stored = conn.facts(&[], &keys).await?;
        customers.extend(
            stored
                .iter()
                .filter(|f| has_customer(f))
                .filter_map(|f| f.customer_id.clone()),
        );
        let customers: Vec<String> = customers.into_iter().collect();
        let facts = conn.facts(&customers, &keys).await?;
        Ok(Some(Before {
            customers,
            keys,
            facts,
        }))
    }

    /// After writing the chunk: adds the difference to the import's delta.
    pub(crate) async fn after<C: SumsConn>(
        &mut self,
        conn: &mut C,
        before: Before,
    ) -> Result<(), sqlx::Error> {
        if self.untracked {
            return Ok(());
        }
        let after = conn.facts(&before.customers, &before.keys).await?;
        let members = self.members.as_ref().expect("read before the first chunk");
        let old = contributions(&before.facts, &self.th, members);
        let new = contributions(&after, &self.th, members);
        accumulate(&mut self.delta, new, 1);
        accumulate(&mut self.delta, old, -1);
        Ok(())
    }

    /// Before the import bumps the revisions of `touched`: the periods whose sums are current
    /// now get the import's delta; returns them, for [`Tracker::finish`].
    pub(crate) async fn apply<C: SumsConn>(
        &self,
        conn: &mut C,
        touched: &BTreeSet<String>,
    ) -> Result<Vec<Period>, sqlx::Error> {
        let mut periods: BTreeSet<Period> = BTreeSet::new();
        for p in touched.iter().chain(self.delta.keys().map(|k| &k.0)) {
            if let Ok(p) = p.parse::<Period>() {
                periods.insert(p);
            }
        }
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(Vec::new());
        };
        // Every period whose basis holds a revision this import bumps.
        let first = reached_from(*first, &self.th).to_string();
        let mut current = Vec::new();
        for (p, stored) in conn.sums_states(&first, &last.to_string()).await? {
            let Ok(period) = p.parse::<Period>() else {
                continue;
            };
            if !self.untracked && conn.sums_basis(period, &self.th).await? == stored {
                current.push(period);
            }
        }
        if self.untracked {
            return Ok(Vec::new());
        }
        let keep: BTreeSet<String> = current.iter().map(Period::to_string).collect();
        let rows: BTreeMap<SumKey, Measures> = self
            .delta
            .iter()
            .filter(|(k, _)| keep.contains(&k.0))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        conn.add_sums(&rows).await?;
        Ok(current)
    }

    /// After the revisions are bumped: records the new basis of the periods [`Tracker::apply`]
    /// brought up to date.
    pub(crate) async fn finish<C: SumsConn>(
        &self,
        conn: &mut C,
        current: &[Period],
    ) -> Result<(), sqlx::Error> {
        for period in current {
            let basis = conn.sums_basis(*period, &self.th).await?;
            conn.set_sums_state(&period.to_string(), &basis).await?;
        }
        Ok(())
    }
}

impl Store {
    /// The period's call sums, rebuilt first when their basis is not current, and the rebuilt
    /// rows stored when `keep` (a recompute; a page's read never writes).
    pub(crate) async fn call_sums(
        &self,
        period: Period,
        th: &KpiThresholds,
        keep: bool,
    ) -> Result<BTreeMap<SumKey, Measures>, StoreError> {
        let p = period.to_string();
        let (current, basis) = self.sums_basis_now(period, th).await?;
        if current {
            const READ: &str = "SELECT employee_id, team_id, business_type, offered, handled, \
                 transferred, abandoned, short_abandoned, within_sl, wait_secs, talk_secs, \
                 hold_secs, acw_secs, judged, repeats FROM call_sums WHERE period = $1";
            let mut out = BTreeMap::new();
            if let crate::Pool::Sqlite(pool) = &self.pool {
                let mut conn = pool.acquire().await?;
                let mut handle = conn.lock_handle().await?;
                for (e, t, code, m) in crate::dialect::read_sums(&mut handle, READ, &p)? {
                    out.insert((p.clone(), e, t, code), m);
                }
            } else {
                self.add_grouped(READ, &p, &[], &mut out).await?;
            }
            return Ok(out);
        }
        // Rebuilt from the calls as of now; recorded with the basis read before reading them,
        // so a change committed in between makes them stale again, never wrong.
        let rows = self.scan_call_sums(period, th).await?;
        if !keep {
            return Ok(rows);
        }
        on_pool!(self, pool => {
            let mut tx = crate::dialect::BeginWrite::begin_write(pool).await?;
            tx.lock_sums().await?;
            tx.replace_sums(&p, &rows).await?;
            tx.set_sums_state(&p, &basis).await?;
            tx.commit().await?;
        });
        Ok(rows)
    }

    /// Whether the period's call sums are current (they will be read, not rebuilt).
    pub async fn call_sums_current(&self, period: Period) -> Result<bool, StoreError> {
        let th = self.kpi_thresholds().await?;
        Ok(self.sums_basis_now(period, &th).await?.0)
    }

    /// The basis of the period's sums as the data stands now, and whether the stored sums
    /// were made at it.
    async fn sums_basis_now(
        &self,
        period: Period,
        th: &KpiThresholds,
    ) -> Result<(bool, String), StoreError> {
        let basis = on_pool!(self, pool => {
            let mut c = pool.acquire().await?;
            c.sums_basis(period, th).await?
        });
        let stored: Option<(String,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT basis FROM call_sums_state WHERE period = $1")
            .bind(period.to_string()).fetch_optional(pool).await)?;
        Ok((stored.is_some_and(|(s,)| s == basis), basis))
    }

    /// Runs `sql` with `$1` = `period` and `$2`… = `binds`; its columns are employee, team
    /// (either NULL for none), business type, then measures in [`MEASURES`] order (as many as
    /// it has); adds each row's measures to its row of `out`.
    async fn add_grouped(
        &self,
        sql: &str,
        period: &str,
        binds: &[i64],
        out: &mut BTreeMap<SumKey, Measures>,
    ) -> Result<(), StoreError> {
        type Decoded = (Option<i64>, Option<i64>, String, Vec<i64>);
        let rows: Vec<Decoded> = on_pool!(self, pool => {
            let mut q = sqlx::query(sql).bind(period);
            for b in binds {
                q = q.bind(*b);
            }
            q.fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    let measures = (3..r.len()).map(|i| r.try_get(i)).collect::<Result<_, _>>()?;
                    Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, measures))
                })
                .collect::<Result<_, sqlx::Error>>()?
        });
        for (e, t, code, v) in rows {
            let row = out
                .entry((period.to_string(), e.unwrap_or(0), t.unwrap_or(0), code))
                .or_default();
            for (a, b) in row.iter_mut().zip(v) {
                *a += b;
            }
        }
        Ok(())
    }

    /// The period's call sums computed from the calls: the measures by one grouped pass, the
    /// repeats by the ordered pass of `calls.rs` (each contact's next contact).
    async fn scan_call_sums(
        &self,
        period: Period,
        th: &KpiThresholds,
    ) -> Result<BTreeMap<SumKey, Measures>, StoreError> {
        use super::sums::{count_if, sum};
        let p = period.to_string();
        let handled = "r.outcome IN ('answered', 'transferred')";
        let handled_sum = |col: &str| sum(&format!("CASE WHEN {handled} THEN {col} ELSE 0 END"));
        let sql = format!(
            "SELECT r.employee_id, m.team_id, r.business_type, {}, {}, {}, {}, {}, {}, {}, {}, \
             {}, {} FROM calls r {} \
             WHERE r.period = $1 GROUP BY r.employee_id, m.team_id, r.business_type",
            count_if("r.outcome IN ('answered', 'transferred', 'abandoned')"),
            count_if(handled),
            count_if("r.outcome = 'transferred'"),
            count_if("r.outcome = 'abandoned'"),
            count_if("r.outcome = 'abandoned' AND r.wait_secs < $3"),
            count_if(&format!("{handled} AND r.wait_secs <= $2")),
            handled_sum("r.wait_secs"),
            handled_sum("r.talk_secs"),
            handled_sum("r.hold_secs"),
            handled_sum("r.acw_secs"),
            super::LEFT_COVERING,
        );
        let binds = [
            i64::from(th.service_level_secs),
            i64::from(th.short_abandon_secs),
        ];
        let mut out: BTreeMap<SumKey, Measures> = BTreeMap::new();
        self.add_grouped(&sql, &p, &binds, &mut out).await?;
        for ((e, t), code, judged, repeats) in self.repeats_by_type(period, th).await? {
            let row = out.entry((p.clone(), e, t, code)).or_default();
            row[m::JUDGED] += judged;
            row[m::REPEATS] += repeats;
        }
        Ok(out)
    }
}
