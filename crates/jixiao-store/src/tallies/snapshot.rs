//! The center totals of a period, saved beside its scorecards.

use jixiao_core::Period;
use jixiao_core::kpi::MeasureTotals;

use crate::{Store, StoreError, corrupt};

impl Store {
    /// Saves the center totals of `period`, unless the period is closed (a closed period
    /// keeps what it had at closing).
    pub async fn save_center_totals(
        &self,
        period: Period,
        totals: &MeasureTotals,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(totals)
            .map_err(|e| corrupt("center totals", &period.to_string(), e.to_string()))?;
        let sql = "INSERT INTO period_center_totals (period, totals_json) VALUES ($1, $2) \
                   ON CONFLICT (period) DO UPDATE SET totals_json = excluded.totals_json \
                   WHERE period_center_totals.period NOT IN \
                   (SELECT period FROM periods WHERE status = 'closed')";
        let period = period.to_string();
        on_pool!(self, p => sqlx::query(sql).bind(&period).bind(&json).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// The saved center totals of `period`, if its scorecards were ever saved.
    pub async fn saved_center_totals(
        &self,
        period: Period,
    ) -> Result<Option<MeasureTotals>, StoreError> {
        let sql = "SELECT totals_json FROM period_center_totals WHERE period = $1";
        let period = period.to_string();
        let row: Option<(String,)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&period).fetch_optional(p).await)?;
        row.map(|(json,)| {
            serde_json::from_str(&json)
                .map_err(|e| corrupt("stored center totals", &period, e.to_string()))
        })
        .transpose()
    }
}
