//! Assessment schemes per position within a department (`position_rules`, migration 0020):
//! an employee whose position has one is scored under it instead of the department's scheme.

use chrono::{DateTime, Utc};
use jixiao_core::money::from_scaled;
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::rules::{MONEY_SCALE, scaled};
use crate::{NewAudit, Store, StoreError, corrupt, found};

/// The longest position name accepted, in characters.
pub const MAX_POSITION_CHARS: usize = 100;

/// The scheme of one position within a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionRules {
    /// The department.
    pub department_id: i64,
    /// The position, as on the employees (`Senior agent`).
    pub position: String,
    /// The scheme its employees are scored under.
    pub scheme: Scheme,
    /// Pay per point; `None` keeps the department's.
    pub unit_price: Option<Decimal>,
}

type Row = (i64, String, String, Option<i64>);

fn decode((department_id, position, json, price): Row) -> Result<PositionRules, StoreError> {
    let scheme: Scheme = serde_json::from_str(&json)
        .map_err(|e| corrupt("stored position scheme", &json, e.to_string()))?;
    Ok(PositionRules {
        department_id,
        position,
        scheme,
        unit_price: price.map(|p| from_scaled(p, MONEY_SCALE)),
    })
}

/// A position name as stored: trimmed, not empty, at most [`MAX_POSITION_CHARS`].
pub fn clean_position(position: &str) -> Result<String, StoreError> {
    let p = position.trim();
    if p.is_empty() || p.chars().count() > MAX_POSITION_CHARS {
        return Err(corrupt(
            "position",
            p,
            format!("must be 1 to {MAX_POSITION_CHARS} characters"),
        ));
    }
    Ok(p.to_string())
}

const SELECT: &str = "SELECT department_id, position, scheme_json, unit_price FROM position_rules";

impl Store {
    /// Every position scheme, by department and position.
    pub async fn all_position_rules(&self) -> Result<Vec<PositionRules>, StoreError> {
        let sql = format!("{SELECT} ORDER BY department_id, position");
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        rows.into_iter().map(decode).collect()
    }

    /// One position's scheme in a department; NotFound when it has none.
    pub async fn position_rules(
        &self,
        department_id: i64,
        position: &str,
    ) -> Result<PositionRules, StoreError> {
        let sql = format!("{SELECT} WHERE department_id = $1 AND position = $2");
        let row: Option<Row> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(department_id)
            .bind(position)
            .fetch_optional(p)
            .await)?;
        decode(found(row, || {
            format!("scheme of position {position} in department {department_id}")
        })?)
    }

    /// Stores a position's scheme (validated by the caller) and unit price (`None`: the
    /// department's), replacing any, audited as `rules.update` with before and after in one
    /// transaction. Refused (invalid input) for an empty or over-long position, a negative
    /// price or one finer than a fen.
    pub async fn save_position_rules(
        &self,
        department_id: i64,
        position: &str,
        scheme: &Scheme,
        unit_price: Option<Decimal>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let position = clean_position(position)?;
        let price = unit_price
            .map(|p| scaled("unit price", p, MONEY_SCALE))
            .transpose()?;
        if price.is_some_and(|p| p < 0) {
            return Err(corrupt(
                "unit price",
                &unit_price.unwrap_or_default().to_string(),
                "must not be negative",
            ));
        }
        let json = serde_json::to_string(scheme)
            .map_err(|e| corrupt("scheme", "", format!("does not serialise: {e}")))?;
        let before_sql = "SELECT scheme_json, unit_price FROM position_rules \
                          WHERE department_id = $1 AND position = $2";
        let upsert = "INSERT INTO position_rules (department_id, position, scheme_json, unit_price) \
                      VALUES ($1, $2, $3, $4) ON CONFLICT (department_id, position) DO UPDATE SET \
                      scheme_json = excluded.scheme_json, unit_price = excluded.unit_price";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<(String, Option<i64>)> = sqlx::query_as(before_sql)
                .bind(department_id)
                .bind(&position)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(upsert)
                .bind(department_id)
                .bind(&position)
                .bind(&json)
                .bind(price)
                .execute(&mut *tx)
                .await?;
            let before = before.map_or(serde_json::Value::Null, |(b, price)| {
                serde_json::json!({
                    "scheme": serde_json::from_str::<serde_json::Value>(&b)
                        .unwrap_or(serde_json::Value::Null),
                    "unit_price": price.map(|p| from_scaled(p, MONEY_SCALE)),
                })
            });
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "rules.update".into(),
                subject: format!("department:{department_id}/position:{position}"),
                detail: serde_json::json!({
                    "department_id": department_id,
                    "position": position,
                    "before": before,
                    "after": { "scheme": scheme, "unit_price": unit_price },
                }),
                at,
            })
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes a position's scheme, audited as `rules.delete` with what it was, in one
    /// transaction: its employees are scored under the department's scheme again. NotFound when
    /// the position has none.
    pub async fn delete_position_rules(
        &self,
        department_id: i64,
        position: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let position = clean_position(position)?;
        let before_sql = "SELECT scheme_json, unit_price FROM position_rules \
                          WHERE department_id = $1 AND position = $2";
        let delete = "DELETE FROM position_rules WHERE department_id = $1 AND position = $2";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<(String, Option<i64>)> = sqlx::query_as(before_sql)
                .bind(department_id)
                .bind(&position)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((scheme, price)) = before else {
                return Err(StoreError::NotFound(format!(
                    "scheme of position {position} in department {department_id}"
                )));
            };
            sqlx::query(delete)
                .bind(department_id)
                .bind(&position)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "rules.delete".into(),
                subject: format!("department:{department_id}/position:{position}"),
                detail: serde_json::json!({
                    "department_id": department_id,
                    "position": position,
                    "before": {
                        "scheme": serde_json::from_str::<serde_json::Value>(&scheme)
                            .unwrap_or(serde_json::Value::Null),
                        "unit_price": price.map(|p| from_scaled(p, MONEY_SCALE)),
                    },
                }),
                at,
            })
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets a position's scheme without an audit entry, as `set_department_rules` does for a
    /// department (seeding: the demo, tests).
    pub async fn set_position_rules(
        &self,
        department_id: i64,
        position: &str,
        scheme: &Scheme,
        unit_price: Option<Decimal>,
    ) -> Result<(), StoreError> {
        let position = clean_position(position)?;
        let price = unit_price
            .map(|p| scaled("unit price", p, MONEY_SCALE))
            .transpose()?;
        let json = serde_json::to_string(scheme)
            .map_err(|e| corrupt("scheme", "", format!("does not serialise: {e}")))?;
        let sql = "INSERT INTO position_rules (department_id, position, scheme_json, unit_price) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (department_id, position) DO UPDATE SET \
                   scheme_json = excluded.scheme_json, unit_price = excluded.unit_price";
        on_pool!(self, p => sqlx::query(sql)
            .bind(department_id)
            .bind(&position)
            .bind(&json)
            .bind(price)
            .execute(p)
            .await.map(|_| ()))?;
        Ok(())
    }
}
