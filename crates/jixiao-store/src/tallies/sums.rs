//! Running a tally query whose columns are a segment key and one summed integer per measure,
//! and adding the sums to the segments' [`MeasureTotals`].

use std::collections::BTreeMap;

use jixiao_core::kpi::MeasureTotals;
use jixiao_core::money::from_scaled;
use rust_decimal::Decimal;
use sqlx::Row;

use crate::{Store, StoreError, corrupt};

/// Segment key: (employee id, team id).
pub(super) type Key = (i64, i64);

/// A measure a tally query sums, and the scale its integers are stored at (0 for counts and
/// seconds, 2 for fen).
pub(super) type Sum = (&'static str, u32);

/// `SUM(expr)` as a BIGINT on both backends, 0 over no rows (PostgreSQL sums BIGINTs to
/// NUMERIC, and both give NULL for an empty sum).
pub(super) fn sum(expr: &str) -> String {
    format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)")
}

/// A count of the rows where `cond` holds, as a BIGINT.
pub(super) fn count_if(cond: &str) -> String {
    sum(&format!("CASE WHEN {cond} THEN 1 ELSE 0 END"))
}

impl Store {
    /// Runs `sql` with `$1` = `period` and `$2`, `$3`… = `binds`. Its columns must be
    /// employee_id, team_id, then one BIGINT per entry of `sums`, in order; each row's sums are
    /// added to the totals of its segment in `into`.
    pub(super) async fn add_sums(
        &self,
        sql: &str,
        period: &str,
        binds: &[i64],
        sums: &[Sum],
        into: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let width = 2 + sums.len();
        let rows: Vec<Vec<Option<i64>>> = on_pool!(self, p => {
            let mut q = sqlx::query(sql).bind(period);
            for b in binds {
                q = q.bind(*b);
            }
            q.fetch_all(p).await?
                .iter()
                .map(|r| (0..width).map(|i| r.try_get(i)).collect())
                .collect::<Result<_, sqlx::Error>>()?
        });
        for row in rows {
            let key = (row[0].unwrap_or_default(), row[1].unwrap_or_default());
            let totals = into.entry(key).or_default();
            for ((name, scale), v) in sums.iter().zip(&row[2..]) {
                add(totals, name, from_scaled(v.unwrap_or_default(), *scale))?;
            }
        }
        Ok(())
    }
}

/// Adds to a measure; only a sum beyond a Decimal's range can fail.
pub(super) fn add(totals: &mut MeasureTotals, name: &str, v: Decimal) -> Result<(), StoreError> {
    totals
        .add(name, v)
        .map_err(|e| corrupt("measure total", name, e.to_string()))
}
