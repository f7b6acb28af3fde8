//! Call measures: per segment (handled calls by business type, their times and waits, and
//! first-contact resolution) and for the whole center (the queue: offered, abandoned, short
//! abandons, answered within the service level), with the thresholds of [`KpiThresholds`].

use std::collections::BTreeMap;

use jixiao_core::Period;
use jixiao_core::kpi::{MeasureTotals, Partial, TypeTally};
use jixiao_core::org::TypeCode;
use rust_decimal::Decimal;

use super::sums::{Key, Sum, add, count_if, sum};
use super::{COVERING, KpiThresholds, LEFT_COVERING};
use crate::{Backend, Store, StoreError, unsigned};

/// Calls an agent handled: answered, or answered and transferred on.
const HANDLED: &str = "r.outcome IN ('answered', 'transferred')";

/// Handled contacts whose repeat can be judged: those with a customer id.
const JUDGED: &str = "r.outcome IN ('answered', 'transferred') \
                      AND r.customer_id IS NOT NULL AND r.customer_id <> ''";

/// The end of contact `r`'s repeat window, `$2` days after it started. The one date sum the
/// two backends spell differently; both compare whole timestamps, so a contact exactly
/// `$2` days later is within the window.
fn window_end(backend: Backend) -> &'static str {
    match backend {
        // Timestamps are stored as 'YYYY-MM-DD HH:MM:SS' text, which datetime() also writes.
        Backend::Sqlite => "datetime(r.started_at, '+' || $2 || ' days')",
        Backend::Postgres => "r.started_at + CAST($2 AS INTEGER) * INTERVAL '1 day'",
    }
}

/// 1 when contact `r` is followed within the window by a later contact of its customer (any
/// outcome or channel: they came back), else 0. `r.next_at` is the customer's next contact
/// strictly after `r` ([`NEXT_CONTACT`]), so checking it alone is the same as asking whether
/// any later contact starts within the window: every other later contact starts after it.
fn repeated(backend: Backend) -> String {
    format!(
        "CASE WHEN r.next_at IS NOT NULL AND r.next_at <= {} THEN 1 ELSE 0 END",
        window_end(backend)
    )
}

/// Each contact's customer's next contact time strictly after it: the first timestamp of the
/// next group of equal timestamps in the customer's contacts ordered by time. Contacts at the
/// very same moment are one group, so they are not each other's repeat, exactly as a probe for
/// a contact with `started_at > r.started_at` would find (plain `LEAD` would pair them).
/// `GROUPS` frames run on SQLite ≥ 3.28 and PostgreSQL ≥ 11.
const NEXT_CONTACT: &str = "FIRST_VALUE(c.started_at) OVER (PARTITION BY c.customer_id \
                            ORDER BY c.started_at GROUPS BETWEEN 1 FOLLOWING AND 1 FOLLOWING)";

/// Handled calls by segment and business type; `$2` is the service-level threshold.
type TypeRow = (i64, i64, String, i64, i64, i64, i64, i64, i64, i64);

impl Store {
    /// Handled calls into the segments' partials (by type) and measures (FCR: [`Store::fcr`]).
    pub(super) async fn tally_calls(
        &self,
        period: &str,
        th: &KpiThresholds,
        partials: &mut BTreeMap<Key, Partial>,
        totals: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT r.employee_id, m.team_id, r.business_type, CAST(COUNT(*) AS BIGINT), {}, \
             {}, {}, {}, {}, {} FROM calls r {COVERING} WHERE r.period = $1 AND {HANDLED} \
             GROUP BY r.employee_id, m.team_id, r.business_type",
            sum("r.talk_secs"),
            sum("r.hold_secs"),
            sum("r.acw_secs"),
            count_if("r.outcome = 'transferred'"),
            sum("r.wait_secs"),
            count_if("r.wait_secs <= $2"),
        );
        let sl = i64::from(th.service_level_secs);
        let rows: Vec<TypeRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(period)
            .bind(sl)
            .fetch_all(p)
            .await)?;
        for (employee, team, code, handled, talk, hold, acw, transferred, wait, within) in rows {
            let tally = TypeTally {
                handled: unsigned(handled),
                talk_secs: unsigned(talk),
                hold_secs: unsigned(hold),
                acw_secs: unsigned(acw),
            };
            let t = totals.entry((employee, team)).or_default();
            for (name, v) in [
                ("handled", handled),
                ("answered", handled),
                ("talk_secs", talk),
                ("hold_secs", hold),
                ("acw_secs", acw),
                ("handle_secs", talk + hold + acw),
                ("transferred", transferred),
                ("wait_secs_answered", wait),
                ("answered_within_threshold", within),
            ] {
                add(t, name, Decimal::from(v))?;
            }
            let partial = partials.entry((employee, team)).or_default();
            partial.by_type.insert(TypeCode::parse(&code)?, tally);
        }
        Ok(())
    }

    /// First-contact resolution of the period's judged contacts, by (employee, team): the
    /// rows of [`Store::repeats_by_type`] added over their business types.
    pub(super) async fn fcr(
        &self,
        period: Period,
        th: &KpiThresholds,
    ) -> Result<BTreeMap<Key, MeasureTotals>, StoreError> {
        let mut by_segment: BTreeMap<Key, MeasureTotals> = BTreeMap::new();
        for (key, _, judged, repeats) in self.repeats_by_type(period, th).await? {
            let t = by_segment.entry(key).or_default();
            add(t, "first_contact_resolved", Decimal::from(judged - repeats))?;
            add(t, "repeat_contacts", Decimal::from(repeats))?;
        }
        Ok(by_segment)
    }

    /// The period's judged contacts and their repeats by (employee, team) and business type:
    /// one ordered pass over the customers' contacts (each contact's next one,
    /// [`NEXT_CONTACT`]). A contact on a day its agent was in no team (or with no agent) is
    /// keyed with team 0, so it counts for the center only; memberships never overlap, so each
    /// contact is in exactly one row.
    ///
    /// A later contact within the window starts in this period or in one of the periods the
    /// window reaches (a record's period is the month of its start date), so only those
    /// periods' contacts are ordered.
    pub(super) async fn repeats_by_type(
        &self,
        period: Period,
        th: &KpiThresholds,
    ) -> Result<Vec<(Key, String, i64, i64)>, StoreError> {
        let reach = period.last_day() + chrono::Duration::days(i64::from(th.repeat_window_days));
        // A `Period` prints as `YYYY-MM`: safe to write into the statement.
        let last = Period::containing(reach);
        let sql = format!(
            "SELECT x.employee_id, x.team_id, x.business_type, CAST(COUNT(*) AS BIGINT), {} \
             FROM (SELECT r.employee_id, m.team_id, r.business_type, {} AS rep FROM \
             (SELECT c.period, c.date, c.employee_id, c.business_type, c.outcome, c.customer_id, \
             c.started_at, {NEXT_CONTACT} AS next_at FROM calls c WHERE c.period >= $1 \
             AND c.period <= '{last}' AND c.customer_id IS NOT NULL AND c.customer_id <> '') r \
             {LEFT_COVERING} WHERE r.period = $1 AND {JUDGED}) x \
             GROUP BY x.employee_id, x.team_id, x.business_type",
            sum("x.rep"),
            repeated(self.backend()),
        );
        let window = i64::from(th.repeat_window_days);
        // Employee and team (NULL for none), type, judged, repeats.
        type Row = (Option<i64>, Option<i64>, String, i64, i64);
        let rows: Vec<Row> = on_pool!(self, p =>
            sqlx::query_as(&sql)
                .bind(period.to_string())
                .bind(window)
                .fetch_all(p)
                .await)?;
        Ok(rows
            .into_iter()
            .map(|(e, t, code, judged, repeats)| {
                ((e.unwrap_or(0), t.unwrap_or(0)), code, judged, repeats)
            })
            .collect())
    }

    /// The center's call measures: every call of the period, with or without an agent or a
    /// team, so that the queue (offered, abandoned) is complete.
    pub(super) async fn center_calls(
        &self,
        period: &str,
        th: &KpiThresholds,
        into: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let handled_sum = |col: &str| sum(&format!("CASE WHEN {HANDLED} THEN {col} ELSE 0 END"));
        let sql = format!(
            "SELECT CAST(0 AS BIGINT), CAST(0 AS BIGINT), {}, {}, {}, {}, {}, {}, {}, {}, {}, \
             {}, {}, {} FROM calls r WHERE r.period = $1",
            count_if("r.outcome IN ('answered', 'transferred', 'abandoned')"),
            count_if(HANDLED),
            count_if(HANDLED),
            count_if("r.outcome = 'abandoned'"),
            count_if("r.outcome = 'abandoned' AND r.wait_secs < $3"),
            count_if(&format!("{HANDLED} AND r.wait_secs <= $2")),
            handled_sum("r.wait_secs"),
            handled_sum("r.talk_secs"),
            handled_sum("r.hold_secs"),
            handled_sum("r.acw_secs"),
            handled_sum("r.talk_secs + r.hold_secs + r.acw_secs"),
            count_if("r.outcome = 'transferred'"),
        );
        const CENTER: &[Sum] = &[
            ("offered", 0),
            ("answered", 0),
            ("handled", 0),
            ("abandoned", 0),
            ("short_abandoned", 0),
            ("answered_within_threshold", 0),
            ("wait_secs_answered", 0),
            ("talk_secs", 0),
            ("hold_secs", 0),
            ("acw_secs", 0),
            ("handle_secs", 0),
            ("transferred", 0),
        ];
        let binds = [
            i64::from(th.service_level_secs),
            i64::from(th.short_abandon_secs),
        ];
        self.add_sums(&sql, period, &binds, CENTER, into).await
    }
}
