//! Tallies: per (employee, team) partials and base measures aggregated in SQL, each record
//! counted in the team the employee belonged to on the record's date; and the center's
//! measures of a period, queue included (abandoned calls have no agent).
//!
//! Every measure is a SUM or COUNT of integers in SQL that runs on both backends; the two
//! date computations they spell differently (a repeat window's end, seconds between two
//! timestamps) are named per-backend fragments. Thresholds come from [`KpiThresholds`].

mod basis;
mod call_sums;
mod calls;
mod findings;
mod kinds;
mod snapshot;
mod sums;
mod thresholds;

pub(crate) use call_sums::{SumsConn, Tracker};
pub use thresholds::KpiThresholds;

use std::collections::{BTreeMap, BTreeSet};

use jixiao_core::Period;
use jixiao_core::kpi::{MeasureTotals, Partial};

use crate::{SegmentTally, Store, StoreError, corrupt};

/// The membership `m` covers the date of record `r` (a macro so it can be `concat!`ed).
macro_rules! covers {
    () => {
        "m.employee_id = r.employee_id AND m.valid_from <= r.date \
         AND (m.valid_to IS NULL OR r.date <= m.valid_to)"
    };
}

/// Joins record alias `r` to the membership covering its date.
const COVERING: &str = concat!("JOIN memberships m ON ", covers!());

/// [`COVERING`], keeping records with no covering membership (their `m` columns are NULL).
const LEFT_COVERING: &str = concat!("LEFT JOIN memberships m ON ", covers!());

/// The record tables whose rows count for an employee in a team.
const AGENT_TABLES: [&str; 8] = [
    "calls",
    "surveys",
    "qa_reviews",
    "tickets",
    "chat_sessions",
    "orders",
    "attendance",
    "work_records",
];

/// Records with no covering membership, by table; `$1` is the period.
fn unassigned_sql(table: &str) -> String {
    format!(
        "SELECT COUNT(*) FROM {table} r WHERE r.period = $1 AND r.employee_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE {})",
        covers!()
    )
}

impl Store {
    /// Per (employee, team) tallies for the period, aggregated in SQL with each record counted
    /// in the team the employee belonged to on the record's date: the partial the five scored
    /// KPIs and the points come from, and every base measure the records give (docs/KPIS.md,
    /// "Where each measure comes from"), under the stored [`KpiThresholds`]. The call
    /// measures come from the period's call sums (`call_sums.rs`), rebuilt first if stale.
    ///
    /// Records of an employee on a date with no membership are not in any tally; see
    /// [`Store::unassigned_record_count`].
    pub async fn tallies(&self, period: Period) -> Result<Vec<SegmentTally>, StoreError> {
        Ok(self.tallied(period, false).await?.0)
    }

    /// The center's measures of the period over every call, survey and QA review, whether or
    /// not an agent or a team is on it: the queue measures (offered, abandoned, short
    /// abandons, answered within the service level) exist only here, because an abandoned
    /// call has no agent.
    pub async fn center_totals(&self, period: Period) -> Result<MeasureTotals, StoreError> {
        Ok(self.tallied(period, false).await?.1)
    }

    /// [`Store::tallies`] and [`Store::center_totals`] together, as a recompute needs them,
    /// from one read of the period's call sums; stale sums are rebuilt and stored (the two
    /// others, which pages and previews call, rebuild without storing: they never write).
    pub async fn tallies_and_center(
        &self,
        period: Period,
    ) -> Result<(Vec<SegmentTally>, MeasureTotals), StoreError> {
        self.tallied(period, true).await
    }

    async fn tallied(
        &self,
        period: Period,
        keep: bool,
    ) -> Result<(Vec<SegmentTally>, MeasureTotals), StoreError> {
        let th = self.kpi_thresholds().await?;
        let sums = self.call_sums(period, &th, keep).await?;
        let period = period.to_string();
        let mut partials: BTreeMap<(i64, i64), Partial> = BTreeMap::new();
        let mut totals: BTreeMap<(i64, i64), MeasureTotals> = BTreeMap::new();
        call_sums::segments(&sums, &mut partials, &mut totals)?;
        let segments = self.segments_with(&period, partials, totals).await?;
        let mut one = BTreeMap::new();
        one.insert((0, 0), call_sums::center(&sums)?);
        self.center_feedback(&period, &mut one).await?;
        let mut center = one.into_values().next().unwrap_or_default();
        call_sums::center_repeats(&sums, &mut center)?;
        Ok((segments, center))
    }

    /// [`Store::tallies_and_center`] computed by scanning the calls, without the call sums:
    /// the reference the sums are tested against.
    #[doc(hidden)]
    pub async fn tallies_and_center_scanned(
        &self,
        period: Period,
    ) -> Result<(Vec<SegmentTally>, MeasureTotals), StoreError> {
        let th = self.kpi_thresholds().await?;
        let fcr = self.fcr(period, &th).await?;
        let period = period.to_string();
        Ok((
            self.segments(&period, &th, &fcr).await?,
            self.center(&period, &th, &fcr).await?,
        ))
    }

    /// The other record kinds' tallies added to the call measures already in `partials` and
    /// `totals`, as segments.
    async fn segments_with(
        &self,
        period: &str,
        mut partials: BTreeMap<(i64, i64), Partial>,
        mut totals: BTreeMap<(i64, i64), MeasureTotals>,
    ) -> Result<Vec<SegmentTally>, StoreError> {
        self.tally_feedback(period, &mut partials, &mut totals)
            .await?;
        self.tally_kinds(period, &mut totals).await?;
        self.tally_findings(period, &mut totals).await?;
        let keys: BTreeSet<(i64, i64)> = partials.keys().chain(totals.keys()).copied().collect();
        Ok(keys
            .into_iter()
            .map(|key| SegmentTally {
                employee_id: key.0,
                team_id: key.1,
                partial: partials.remove(&key).unwrap_or_default(),
                totals: totals.remove(&key).unwrap_or_default(),
            })
            .collect())
    }

    async fn segments(
        &self,
        period: &str,
        th: &KpiThresholds,
        fcr: &BTreeMap<(i64, i64), MeasureTotals>,
    ) -> Result<Vec<SegmentTally>, StoreError> {
        let mut partials: BTreeMap<(i64, i64), Partial> = BTreeMap::new();
        let mut totals: BTreeMap<(i64, i64), MeasureTotals> = BTreeMap::new();
        self.tally_calls(period, th, &mut partials, &mut totals)
            .await?;
        // Team 0: contacts outside any team, for the center only (see `fcr`).
        for (key, t) in fcr.iter().filter(|(key, _)| key.1 != 0) {
            merge(totals.entry(*key).or_default(), t)?;
        }
        self.segments_with(period, partials, totals).await
    }

    async fn center(
        &self,
        period: &str,
        th: &KpiThresholds,
        fcr: &BTreeMap<(i64, i64), MeasureTotals>,
    ) -> Result<MeasureTotals, StoreError> {
        let mut one = BTreeMap::new();
        self.center_calls(period, th, &mut one).await?;
        self.center_feedback(period, &mut one).await?;
        let mut center = one.into_values().next().unwrap_or_default();
        for t in fcr.values() {
            merge(&mut center, t)?;
        }
        Ok(center)
    }

    /// Records of the period with an employee (calls, surveys, QA reviews, tickets, chats,
    /// orders, attendance, work records) dated on a day when their employee belonged to no
    /// team: they are in no tally, so pages can warn about them.
    pub async fn unassigned_record_count(&self, period: Period) -> Result<i64, StoreError> {
        let period = period.to_string();
        let mut total = 0;
        for table in AGENT_TABLES {
            let sql = unassigned_sql(table);
            let (n,): (i64,) =
                on_pool!(self, p => sqlx::query_as(&sql).bind(&period).fetch_one(p).await)?;
            total += n;
        }
        Ok(total)
    }
}

/// Adds one set of totals to another; only a sum beyond a Decimal's range can fail.
fn merge(into: &mut MeasureTotals, t: &MeasureTotals) -> Result<(), StoreError> {
    into.merge(t)
        .map_err(|e| corrupt("measure total", "merge", e.to_string()))
}
