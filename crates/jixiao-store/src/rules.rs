//! Configuration: business types with their point coefficients, and per-department schemes.

use chrono::{DateTime, Utc};
use jixiao_core::money::{from_scaled, to_scaled};
use jixiao_core::org::TypeCode;
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
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
}
