//! Targets per period and measure with every unit's allocation, and department heads
//! (docs/KPIS.md, "Targets"). Each write and its audit entry share one transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::money::from_scaled;
use jixiao_core::targets::{Allocation, TargetPlan};

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::rules::{MONEY_SCALE, scaled};
use crate::{NewAudit, Store, StoreError, corrupt};

/// A stored target: the plan it was split by, and every unit's share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTarget {
    /// Row id.
    pub id: i64,
    /// The period.
    pub period: Period,
    /// The plan (measure, whole, split per level, explicit values).
    pub plan: TargetPlan,
    /// Every unit's share, the center first, each unit before its parts.
    pub allocations: Vec<Allocation>,
    /// Who set it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

type TargetRow = (i64, String, String, DateTime<Utc>);
type AllocationRow = (i64, String, Option<String>, i32, i64);

impl Store {
    /// The targets of a period, by measure.
    pub async fn targets(&self, period: Period) -> Result<Vec<StoredTarget>, StoreError> {
        let p_str = period.to_string();
        let sql = "SELECT id, plan_json, created_by, created_at FROM targets \
                   WHERE period = $1 ORDER BY measure";
        let rows: Vec<TargetRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&p_str).fetch_all(p).await)?;
        let sql = "SELECT a.target_id, a.unit, a.parent, a.depth, a.target \
                   FROM target_allocations a JOIN targets t ON t.id = a.target_id \
                   WHERE t.period = $1 ORDER BY a.target_id, a.position";
        let allocs: Vec<AllocationRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&p_str).fetch_all(p).await)?;
        let mut by_target: BTreeMap<i64, Vec<Allocation>> = BTreeMap::new();
        for (id, unit, parent, depth, target) in allocs {
            by_target.entry(id).or_default().push(Allocation {
                unit,
                parent,
                depth: u32::try_from(depth).map_err(|_| corrupt("depth", "", "< 0"))?,
                target: from_scaled(target, MONEY_SCALE),
            });
        }
        rows.into_iter()
            .map(|(id, json, created_by, created_at)| {
                let plan: TargetPlan = serde_json::from_str(&json)
                    .map_err(|e| corrupt("stored target plan", &json, e.to_string()))?;
                Ok(StoredTarget {
                    id,
                    period,
                    plan,
                    allocations: by_target.remove(&id).unwrap_or_default(),
                    created_by,
                    created_at,
                })
            })
            .collect()
    }

    /// Stores a period's target of `plan.measure` with its allocations, replacing the one set
    /// before, audited as `target.set`. PeriodClosed when the period is closed; invalid when
    /// the allocations do not add back up (checked again here, whoever computed them).
    pub async fn set_target(
        &self,
        period: Period,
        plan: &TargetPlan,
        allocations: &[Allocation],
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<StoredTarget, StoreError> {
        plan.validate()?;
        let wrong = jixiao_core::targets::mismatches(allocations);
        if let Some((unit, whole, total)) = wrong.into_iter().next() {
            return Err(jixiao_core::CoreError::TargetsDoNotAddUp {
                unit,
                whole,
                total,
                difference: total - whole,
            }
            .into());
        }
        if allocations.first().map(|a| a.target) != Some(plan.whole) {
            return Err(corrupt(
                "target",
                &plan.whole.to_string(),
                "the first allocation must be the center's whole",
            ));
        }
        let whole = scaled("target", plan.whole, MONEY_SCALE)?;
        let scaled_allocs = allocations
            .iter()
            .map(|a| scaled("target", a.target, MONEY_SCALE))
            .collect::<Result<Vec<_>, _>>()?;
        let json = serde_json::to_string(plan)
            .map_err(|e| corrupt("target plan", "", format!("does not serialise: {e}")))?;
        let p_str = period.to_string();
        let insert = "INSERT INTO targets \
                      (period, measure, whole, dp, plan_json, created_by, created_at) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let alloc = "INSERT INTO target_allocations \
                     (target_id, unit, parent, depth, position, target) \
                     VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            ensure_open!(tx, period);
            let old: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM targets WHERE period = $1 AND measure = $2")
                    .bind(&p_str)
                    .bind(&plan.measure)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((old,)) = old {
                sqlx::query("DELETE FROM target_allocations WHERE target_id = $1")
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM targets WHERE id = $1")
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
            }
            let (id,): (i64,) = sqlx::query_as(insert)
                .bind(&p_str)
                .bind(&plan.measure)
                .bind(whole)
                .bind(plan.dp as i32)
                .bind(&json)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            for (pos, (a, t)) in allocations.iter().zip(&scaled_allocs).enumerate() {
                sqlx::query(alloc)
                    .bind(id)
                    .bind(&a.unit)
                    .bind(&a.parent)
                    .bind(a.depth as i32)
                    .bind(pos as i32)
                    .bind(*t)
                    .execute(&mut *tx)
                    .await?;
            }
            // Leaders' cards read the targets: a close computed before this must not be kept.
            sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                .bind(&p_str)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "target.set".into(),
                subject: format!("{p_str}/{}", plan.measure),
                detail: serde_json::json!({
                    "plan": plan,
                    "replaced": old.map(|(o,)| o),
                    "units": allocations.len(),
                }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        let mut all = self.targets(period).await?;
        all.retain(|t| t.plan.measure == plan.measure);
        all.pop()
            .ok_or_else(|| StoreError::NotFound(format!("target {p_str}/{}", plan.measure)))
    }

    /// Removes a period's target of `measure`, audited as `target.delete`. NotFound when there
    /// is none; PeriodClosed when the period is closed.
    pub async fn delete_target(
        &self,
        period: Period,
        measure: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let p_str = period.to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            ensure_open!(tx, period);
            let old: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM targets WHERE period = $1 AND measure = $2")
                    .bind(&p_str)
                    .bind(measure)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((old,)) = old else {
                return Err(StoreError::NotFound(format!("target {p_str}/{measure}")));
            };
            sqlx::query("DELETE FROM target_allocations WHERE target_id = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM targets WHERE id = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE periods SET revision = revision + 1 WHERE period = $1")
                .bind(&p_str)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "target.delete".into(),
                subject: format!("{p_str}/{measure}"),
                detail: serde_json::json!({ "id": old }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Department heads: department id → the employee who heads it.
    pub async fn department_heads(&self) -> Result<BTreeMap<i64, i64>, StoreError> {
        let sql = "SELECT id, head_employee_id FROM departments \
                   WHERE head_employee_id IS NOT NULL ORDER BY id";
        let rows: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows.into_iter().collect())
    }

    /// Sets (or with `None` clears) the head of a department, audited as `department.head`.
    /// NotFound for an unknown department.
    pub async fn set_department_head(
        &self,
        department_id: i64,
        head: Option<i64>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE departments SET head_employee_id = $2 WHERE id = $1";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(sql)
                .bind(department_id)
                .bind(head)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("department {department_id}")));
            }
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "department.head".into(),
                subject: department_id.to_string(),
                detail: serde_json::json!({ "head_employee_id": head }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
