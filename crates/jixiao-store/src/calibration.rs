//! Applying a calibration: the proposed coefficients become point standards effective from a
//! chosen date, all in one transaction with one audit entry (docs/KPIS.md, "Calibration").

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::points::{PointStandard, PointUnit, StandardBook};

use crate::audit::AppendAudit;
use crate::dialect::{BeginWrite, Dialect};
use crate::periods::ENSURE_PERIOD;
use crate::rules::{COEFFICIENT_SCALE, scaled};
use crate::{DbResultExt, NewAudit, Store, StoreError, corrupt, unit_str};

impl Store {
    /// Adds every standard (all per interaction, all from the same date) and the audit entry
    /// `calibration.apply` with `detail`, in one transaction: all or nothing. PeriodClosed when
    /// the date is on or before the last day of a closed period; Conflict when a type already
    /// has a standard from that date.
    pub async fn apply_point_standards(
        &self,
        standards: &[PointStandard],
        detail: serde_json::Value,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        StandardBook::new(standards.to_vec())?;
        let Some(first) = standards.first() else {
            return Err(corrupt(
                "calibration",
                "",
                "no coefficient changes to apply",
            ));
        };
        let from = first.effective_from;
        if standards
            .iter()
            .any(|s| s.effective_from != from || s.unit != PointUnit::PerInteraction)
        {
            return Err(corrupt(
                "calibration",
                &from.to_string(),
                "one date, per-interaction standards",
            ));
        }
        let rows = standards
            .iter()
            .map(|s| Ok((s, scaled("coefficient", s.coefficient, COEFFICIENT_SCALE)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let month = Period::containing(from).to_string();
        let insert = "INSERT INTO point_standards \
                      (type_code, unit, coefficient, effective_from, created_by, created_at) \
                      VALUES ($1, $2, $3, $4, $5, $6)";
        let closed_after =
            "SELECT MAX(period) FROM periods WHERE status = 'closed' AND period >= $1";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(ENSURE_PERIOD).bind(&month).execute(&mut *tx).await?;
            // Locks the period row, so a close cannot slip in between the check and the insert.
            tx.lock_periods(std::slice::from_ref(&month)).await?;
            let closed: Option<String> =
                sqlx::query_scalar(closed_after).bind(&month).fetch_one(&mut *tx).await?;
            if let Some(c) = closed {
                return Err(StoreError::PeriodClosed(
                    c.parse().map_err(|_| corrupt("period", &c, "not YYYY-MM"))?,
                ));
            }
            for (s, coefficient) in &rows {
                let code = s.type_code.as_str();
                sqlx::query(insert)
                    .bind(code)
                    .bind(unit_str(s.unit))
                    .bind(*coefficient)
                    .bind(s.effective_from)
                    .bind(by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map(|_| ())
                    .conflict(|| format!("a standard of {code} from {from}"))?;
            }
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "calibration.apply".into(),
                subject: from.to_string(),
                detail,
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
