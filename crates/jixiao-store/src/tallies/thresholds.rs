//! The thresholds that decide some measures when records are tallied, kept in the one-row
//! `kpi_thresholds` table (migration 0007) so that a center can change them later.

use jixiao_core::CoreError;
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError, corrupt};

/// Thresholds applied when calls are tallied; the defaults are those of docs/KPIS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiThresholds {
    /// A call answered after at most this many seconds in queue counts as answered within
    /// the service level (20 s: exactly 20 s is within).
    pub service_level_secs: u32,
    /// An abandoned call that waited less than this many seconds is a short abandon, left out
    /// of the service level and the abandonment rate (5 s).
    pub short_abandon_secs: u32,
    /// A handled contact followed by another contact from the same customer within this many
    /// days is a repeat contact, otherwise resolved at first contact (7 days).
    pub repeat_window_days: u32,
}

impl Default for KpiThresholds {
    fn default() -> Self {
        KpiThresholds {
            service_level_secs: 20,
            short_abandon_secs: 5,
            repeat_window_days: 7,
        }
    }
}

/// Longest repeat window accepted: a year.
const MAX_WINDOW_DAYS: u32 = 366;
/// Longest queue threshold accepted: an hour.
const MAX_QUEUE_SECS: u32 = 3600;

impl KpiThresholds {
    /// Checks each threshold is within a sensible range.
    pub fn validate(&self) -> Result<(), CoreError> {
        let too_big = |what: &'static str, v: u32, max: u32| {
            (v > max).then(|| CoreError::Invalid {
                what,
                value: v.to_string(),
                reason: format!("must be at most {max}"),
            })
        };
        let problems = [
            too_big(
                "service-level threshold",
                self.service_level_secs,
                MAX_QUEUE_SECS,
            ),
            too_big(
                "short-abandon threshold",
                self.short_abandon_secs,
                MAX_QUEUE_SECS,
            ),
            too_big("repeat window", self.repeat_window_days, MAX_WINDOW_DAYS),
        ];
        problems.into_iter().flatten().next().map_or(Ok(()), Err)
    }
}

fn stored(what: &'static str, v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt(what, &v.to_string(), "out of range"))
}

impl Store {
    /// The thresholds in force; the defaults if none were ever stored.
    pub async fn kpi_thresholds(&self) -> Result<KpiThresholds, StoreError> {
        let sql = "SELECT service_level_secs, short_abandon_secs, repeat_window_days \
                   FROM kpi_thresholds WHERE id = 1";
        let row: Option<(i64, i64, i64)> =
            on_pool!(self, p => sqlx::query_as(sql).fetch_optional(p).await)?;
        let Some((sl, short, window)) = row else {
            return Ok(KpiThresholds::default());
        };
        Ok(KpiThresholds {
            service_level_secs: stored("service-level threshold", sl)?,
            short_abandon_secs: stored("short-abandon threshold", short)?,
            repeat_window_days: stored("repeat window", window)?,
        })
    }

    /// Replaces the thresholds. Scorecards of open periods change at their next recompute;
    /// closed periods keep the cards they were closed with.
    pub async fn set_kpi_thresholds(&self, t: &KpiThresholds) -> Result<(), StoreError> {
        t.validate()?;
        let sql = "INSERT INTO kpi_thresholds \
                   (id, service_level_secs, short_abandon_secs, repeat_window_days) \
                   VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET \
                   service_level_secs = excluded.service_level_secs, \
                   short_abandon_secs = excluded.short_abandon_secs, \
                   repeat_window_days = excluded.repeat_window_days";
        on_pool!(self, p => sqlx::query(sql)
            .bind(i64::from(t.service_level_secs))
            .bind(i64::from(t.short_abandon_secs))
            .bind(i64::from(t.repeat_window_days))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
