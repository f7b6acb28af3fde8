//! Reward and penalty rules (奖惩规则) per department or for every department, applied as
//! payslip lines with their reason (docs/KPIS.md, "Rewards and penalties"). Rules are never
//! edited: a change is a retirement and a new rule, each audited in its own transaction.

use chrono::{DateTime, Utc};
use jixiao_core::pay::PayAdjustmentRule;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::{NewAudit, Store, StoreError, corrupt};

/// A rule in force, with who added it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPayRule {
    /// Row id.
    pub id: i64,
    /// The department it applies to; `None` for every department.
    pub department_id: Option<i64>,
    /// The rule.
    pub rule: PayAdjustmentRule,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

type RuleRow = (i64, Option<i64>, String, String, DateTime<Utc>);

impl Store {
    /// The rules in force, oldest first (the order their lines appear on a payslip).
    pub async fn pay_adjustment_rules(&self) -> Result<Vec<StoredPayRule>, StoreError> {
        let sql = "SELECT id, department_id, rule_json, created_by, created_at \
                   FROM pay_adjustment_rules WHERE retired_at IS NULL ORDER BY id";
        let rows: Vec<RuleRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(id, department_id, json, created_by, created_at)| {
                let rule = serde_json::from_str(&json)
                    .map_err(|e| corrupt("stored pay rule", &json, e.to_string()))?;
                Ok(StoredPayRule {
                    id,
                    department_id,
                    rule,
                    created_by,
                    created_at,
                })
            })
            .collect()
    }

    /// Adds a rule (checked), audited as `pay_rule.add`; returns its id.
    pub async fn add_pay_adjustment_rule(
        &self,
        department_id: Option<i64>,
        rule: &PayAdjustmentRule,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        rule.validate()?;
        let json = serde_json::to_string(rule)
            .map_err(|e| corrupt("pay rule", "", format!("does not serialise: {e}")))?;
        let sql = "INSERT INTO pay_adjustment_rules \
                   (department_id, rule_json, created_by, created_at) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(department_id)
                .bind(&json)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "pay_rule.add".into(),
                subject: id.to_string(),
                detail: serde_json::json!({ "department_id": department_id, "rule": rule }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Retires a rule in force, audited as `pay_rule.retire`; NotFound when there is none.
    pub async fn retire_pay_adjustment_rule(
        &self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE pay_adjustment_rules SET retired_by = $2, retired_at = $3 \
                   WHERE id = $1 AND retired_at IS NULL";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(sql)
                .bind(id)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("pay rule {id}")));
            }
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "pay_rule.retire".into(),
                subject: id.to_string(),
                detail: serde_json::json!({}),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
