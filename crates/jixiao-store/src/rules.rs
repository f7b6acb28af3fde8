//! Configuration: business types with their point coefficients, and per-department schemes.

use chrono::{DateTime, Utc};
use jixiao_core::money::{from_scaled, to_scaled};
use jixiao_core::org::TypeCode;
use jixiao_core::scheme::Scheme;
use jixiao_core::scorecard::PayRules;
use rust_decimal::Decimal;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::standards::{PayRulesRow, UPSERT_PAY_RULES};
use crate::{BusinessType, NewAudit, Store, StoreError, corrupt, found};

/// Coefficients are stored ×10⁴ (up to 4 decimals).
pub(crate) const COEFFICIENT_SCALE: u32 = 4;
/// Unit prices and pay are stored ×10² (fen).
pub(crate) const MONEY_SCALE: u32 = 2;

/// Scales a decimal for storage, refusing values that would lose digits.
pub(crate) fn scaled(what: &'static str, v: Decimal, scale: u32) -> Result<i64, StoreError> {
    to_scaled(v, scale).ok_or_else(|| {
        corrupt(
            what,
            &v.to_string(),
            format!("at most {scale} decimal places and within range"),
        )
    })
}

impl Store {
    /// Creates or updates a business type and its point coefficient.
    pub async fn upsert_business_type(&self, bt: &BusinessType) -> Result<(), StoreError> {
        let coefficient = scaled("coefficient", bt.coefficient, COEFFICIENT_SCALE)?;
        let sql = "INSERT INTO business_types (code, name, coefficient) VALUES ($1, $2, $3) \
                   ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
                   coefficient = excluded.coefficient";
        on_pool!(self, p => sqlx::query(sql)
            .bind(bt.code.as_str())
            .bind(&bt.name)
            .bind(coefficient)
            .execute(p)
            .await.map(|_| ()))?;
        Ok(())
    }

    /// All business types ordered by code.
    pub async fn business_types(&self) -> Result<Vec<BusinessType>, StoreError> {
        let sql = "SELECT code, name, coefficient FROM business_types ORDER BY code";
        let rows: Vec<(String, String, i64)> =
            on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(code, name, c)| {
                Ok(BusinessType {
                    code: TypeCode::parse(&code)?,
                    name,
                    coefficient: from_scaled(c, COEFFICIENT_SCALE),
                })
            })
            .collect()
    }

    /// Sets a department's scheme (validated by the caller) and unit price per point.
    pub async fn set_department_rules(
        &self,
        department_id: i64,
        scheme: &Scheme,
        unit_price: Decimal,
    ) -> Result<(), StoreError> {
        let price = scaled("unit price", unit_price, MONEY_SCALE)?;
        let json = serde_json::to_string(scheme)
            .map_err(|e| corrupt("scheme", "", format!("does not serialise: {e}")))?;
        let sql = "INSERT INTO department_rules (department_id, scheme_json, unit_price) \
                   VALUES ($1, $2, $3) ON CONFLICT (department_id) DO UPDATE SET \
                   scheme_json = excluded.scheme_json, unit_price = excluded.unit_price";
        on_pool!(self, p => sqlx::query(sql)
            .bind(department_id)
            .bind(&json)
            .bind(price)
            .execute(p)
            .await.map(|_| ()))?;
        Ok(())
    }

    /// Replaces a department's scheme (validated by the caller), keeping its unit price (0 for a
    /// department without rules yet), and audits it as `rules.update` with the scheme before
    /// and after, in one transaction.
    pub async fn save_department_scheme(
        &self,
        department_id: i64,
        scheme: &Scheme,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(scheme)
            .map_err(|e| corrupt("scheme", "", format!("does not serialise: {e}")))?;
        let before_sql = "SELECT scheme_json FROM department_rules WHERE department_id = $1";
        let upsert = "INSERT INTO department_rules (department_id, scheme_json, unit_price) \
                      VALUES ($1, $2, 0) ON CONFLICT (department_id) DO UPDATE SET \
                      scheme_json = excluded.scheme_json";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<(String,)> = sqlx::query_as(before_sql)
                .bind(department_id)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(upsert)
                .bind(department_id)
                .bind(&json)
                .execute(&mut *tx)
                .await?;
            let before = before
                .and_then(|(b,)| serde_json::from_str::<serde_json::Value>(&b).ok())
                .unwrap_or(serde_json::Value::Null);
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "rules.update".into(),
                subject: format!("department:{department_id}"),
                detail: serde_json::json!({
                    "department_id": department_id,
                    "before": before,
                    "after": scheme,
                }),
                at,
            })
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A department's scheme and unit price, NotFound if none set.
    pub async fn department_rules(
        &self,
        department_id: i64,
    ) -> Result<(Scheme, Decimal), StoreError> {
        let sql = "SELECT scheme_json, unit_price FROM department_rules WHERE department_id = $1";
        let row: Option<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(department_id).fetch_optional(p).await)?;
        let (json, price) = found(row, || format!("rules of department {department_id}"))?;
        let scheme: Scheme = serde_json::from_str(&json)
            .map_err(|e| corrupt("stored scheme", &json, e.to_string()))?;
        Ok((scheme, from_scaled(price, MONEY_SCALE)))
    }

    /// Sets a department's unit price per point and its pay rules together, audited as
    /// `pay.update` with both before and after, in one transaction. Refused (invalid input,
    /// nothing stored) for a department without a scheme yet, a negative price or amounts
    /// finer than a fen.
    pub async fn save_department_pay(
        &self,
        department_id: i64,
        unit_price: Decimal,
        rules: &PayRules,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let price = scaled("unit price", unit_price, MONEY_SCALE)?;
        if price < 0 {
            return Err(corrupt(
                "unit price",
                &unit_price.to_string(),
                "must not be negative",
            ));
        }
        let row = PayRulesRow::encode(rules)?;
        let price_sql = "SELECT unit_price FROM department_rules WHERE department_id = $1";
        let rules_sql = "SELECT bonus_base, bonus_table_json, rounding_dp, budget FROM pay_rules \
                         WHERE department_id = $1";
        let update = "UPDATE department_rules SET unit_price = $2 WHERE department_id = $1";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before_price: Option<(i64,)> = sqlx::query_as(price_sql)
                .bind(department_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((before_price,)) = before_price else {
                return Err(corrupt(
                    "department",
                    &department_id.to_string(),
                    "has no assessment scheme yet: set its scheme first",
                ));
            };
            let before_rules: Option<(i64, String, i32, Option<i64>)> = sqlx::query_as(rules_sql)
                .bind(department_id)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(update)
                .bind(department_id)
                .bind(price)
                .execute(&mut *tx)
                .await?;
            sqlx::query(UPSERT_PAY_RULES)
                .bind(department_id)
                .bind(row.bonus_base)
                .bind(&row.bonus_table_json)
                .bind(row.rounding_dp)
                .bind(row.budget)
                .execute(&mut *tx)
                .await?;
            let before_rules = before_rules.map(|(base, json, dp, budget)| {
                serde_json::json!({
                    "bonus_base": from_scaled(base, MONEY_SCALE),
                    "bonus_table": serde_json::from_str::<serde_json::Value>(&json)
                        .unwrap_or(serde_json::Value::Null),
                    "rounding": { "dp": dp },
                    "budget": budget.map(|b| from_scaled(b, MONEY_SCALE)),
                })
            });
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "pay.update".into(),
                subject: format!("department:{department_id}"),
                detail: serde_json::json!({
                    "department_id": department_id,
                    "before": {
                        "unit_price": from_scaled(before_price, MONEY_SCALE),
                        "pay_rules": before_rules,
                    },
                    "after": { "unit_price": unit_price, "pay_rules": rules },
                }),
                at,
            })
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
