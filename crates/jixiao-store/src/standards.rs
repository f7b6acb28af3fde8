//! Point standards with effective dates (绩效积分标准) and per-department pay rules: bonus base,
//! score-to-coefficient table, rounding and labour budget (docs/KPIS.md, "Points and pay").

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::money::{RoundingRule, from_scaled};
use jixiao_core::org::TypeCode;
use jixiao_core::pay::BonusTable;
use jixiao_core::points::{PointStandard, PointUnit, StandardBook};
use jixiao_core::scorecard::PayRules;

use crate::rules::{COEFFICIENT_SCALE, MONEY_SCALE, scaled};
use crate::{DbResultExt, Store, StoreError, corrupt};

/// A stored version of a point standard, with who added it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStandard {
    /// The standard.
    pub standard: PointStandard,
    /// Who added it.
    pub created_by: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// The stored spelling of a unit (the serde spelling).
pub fn unit_str(unit: PointUnit) -> &'static str {
    match unit {
        PointUnit::PerInteraction => "per_interaction",
        PointUnit::PerMinute => "per_minute",
        PointUnit::PerItem => "per_item",
    }
}

fn parse_unit(s: &str) -> Result<PointUnit, StoreError> {
    match s {
        "per_interaction" => Ok(PointUnit::PerInteraction),
        "per_minute" => Ok(PointUnit::PerMinute),
        "per_item" => Ok(PointUnit::PerItem),
        other => Err(corrupt("point unit", other, "unknown unit")),
    }
}

type StandardRow = (String, String, i64, NaiveDate, String, DateTime<Utc>);

impl Store {
    /// Every version of every point standard, by type then date.
    pub async fn point_standards(&self) -> Result<Vec<StoredStandard>, StoreError> {
        let sql = "SELECT type_code, unit, coefficient, effective_from, created_by, created_at \
                   FROM point_standards ORDER BY type_code, effective_from";
        let rows: Vec<StandardRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(code, unit, c, from, by, at)| {
                Ok(StoredStandard {
                    standard: PointStandard {
                        type_code: TypeCode::parse(&code)?,
                        unit: parse_unit(&unit)?,
                        coefficient: from_scaled(c, COEFFICIENT_SCALE),
                        effective_from: from,
                    },
                    created_by: by,
                    created_at: at,
                })
            })
            .collect()
    }

    /// The standards as a book answering "the standard of type T on day D".
    pub async fn standard_book(&self) -> Result<StandardBook, StoreError> {
        let all = self.point_standards().await?;
        Ok(StandardBook::new(
            all.into_iter().map(|s| s.standard).collect(),
        )?)
    }

    /// Adds a version of a type's standard, applying from its date on.
    ///
    /// Refused with `PeriodClosed` when the date is on or before the last day of a closed
    /// period: that period's cards are final, so the standard could not apply from its date.
    /// Only per-interaction standards are accepted for now, because the engine's points are
    /// handled × coefficient; a second version on the same date is a `Conflict`.
    pub async fn add_point_standard(
        &self,
        standard: &PointStandard,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        StandardBook::new(vec![standard.clone()])?;
        if standard.unit != PointUnit::PerInteraction {
            return Err(corrupt(
                "point unit",
                unit_str(standard.unit),
                "only per_interaction standards are scored so far",
            ));
        }
        let coefficient = scaled("coefficient", standard.coefficient, COEFFICIENT_SCALE)?;
        let month = Period::containing(standard.effective_from).to_string();
        // One statement, so a period closed between a check and the insert cannot slip by.
        let sql = "INSERT INTO point_standards \
                   (type_code, unit, coefficient, effective_from, created_by, created_at) \
                   SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS \
                   (SELECT 1 FROM periods WHERE status = 'closed' AND period >= $7)";
        let code = standard.type_code.as_str();
        let what = || format!("a standard of {code} from {}", standard.effective_from);
        let inserted = on_pool!(self, p => sqlx::query(sql)
            .bind(code)
            .bind(unit_str(standard.unit))
            .bind(coefficient)
            .bind(standard.effective_from)
            .bind(by)
            .bind(at)
            .bind(&month)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
            .conflict(what))?;
        if inserted == 0 {
            let latest = "SELECT MAX(period) FROM periods WHERE status = 'closed'";
            let closed: Option<String> =
                on_pool!(self, p => sqlx::query_scalar(latest).fetch_one(p).await)?;
            let closed = closed.unwrap_or(month);
            return Err(StoreError::PeriodClosed(
                closed
                    .parse()
                    .map_err(|_| corrupt("period", &closed, "not YYYY-MM"))?,
            ));
        }
        Ok(())
    }

    /// A department's pay rules; the defaults (no bonus, fen, no budget) when none are set.
    pub async fn pay_rules(&self, department_id: i64) -> Result<PayRules, StoreError> {
        let sql = "SELECT bonus_base, bonus_table_json, rounding_dp, budget FROM pay_rules \
                   WHERE department_id = $1";
        let row: Option<(i64, String, i32, Option<i64>)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(department_id).fetch_optional(p).await)?;
        let Some((base, json, dp, budget)) = row else {
            return Ok(PayRules::default());
        };
        let bonus_table: BonusTable = serde_json::from_str(&json)
            .map_err(|e| corrupt("stored bonus table", &json, e.to_string()))?;
        Ok(PayRules {
            bonus_base: from_scaled(base, MONEY_SCALE),
            bonus_table,
            rounding: RoundingRule {
                dp: u32::try_from(dp).map_err(|_| corrupt("rounding", &dp.to_string(), "< 0"))?,
            },
            budget: budget.map(|b| from_scaled(b, MONEY_SCALE)),
        })
    }

    /// Every department's pay rules that were set, by department id.
    pub async fn all_pay_rules(
        &self,
    ) -> Result<std::collections::HashMap<i64, PayRules>, StoreError> {
        let sql = "SELECT department_id FROM pay_rules";
        let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(sql).fetch_all(p).await)?;
        let mut all = std::collections::HashMap::with_capacity(ids.len());
        for id in ids {
            all.insert(id, self.pay_rules(id).await?);
        }
        Ok(all)
    }

    /// Sets a department's pay rules; amounts in fen, rounding 0–4 places.
    pub async fn set_pay_rules(
        &self,
        department_id: i64,
        rules: &PayRules,
    ) -> Result<(), StoreError> {
        let row = PayRulesRow::encode(rules)?;
        on_pool!(self, p => sqlx::query(UPSERT_PAY_RULES)
            .bind(department_id)
            .bind(row.bonus_base)
            .bind(&row.bonus_table_json)
            .bind(row.rounding_dp)
            .bind(row.budget)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

/// Inserts or replaces a department's pay rules: $1 department, $2 base, $3 table JSON,
/// $4 rounding places, $5 budget.
pub(crate) const UPSERT_PAY_RULES: &str = "INSERT INTO pay_rules \
    (department_id, bonus_base, bonus_table_json, rounding_dp, budget) \
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (department_id) DO UPDATE SET \
    bonus_base = excluded.bonus_base, bonus_table_json = excluded.bonus_table_json, \
    rounding_dp = excluded.rounding_dp, budget = excluded.budget";

/// Pay rules as stored: amounts in fen, the table as JSON.
pub(crate) struct PayRulesRow {
    pub(crate) bonus_base: i64,
    pub(crate) bonus_table_json: String,
    pub(crate) rounding_dp: i32,
    pub(crate) budget: Option<i64>,
}

impl PayRulesRow {
    /// Checks and scales rules for storage: amounts ≥ 0 in whole fen, rounding 0–4 places.
    pub(crate) fn encode(rules: &PayRules) -> Result<PayRulesRow, StoreError> {
        if rules.rounding.dp > 4 {
            let dp = rules.rounding.dp.to_string();
            return Err(corrupt("rounding", &dp, "0 to 4 decimal places"));
        }
        let base = scaled("bonus base", rules.bonus_base, MONEY_SCALE)?;
        let budget = match rules.budget {
            Some(b) => Some(scaled("budget", b, MONEY_SCALE)?),
            None => None,
        };
        if base < 0 || budget.is_some_and(|b| b < 0) {
            return Err(corrupt(
                "pay rules",
                &base.to_string(),
                "must not be negative",
            ));
        }
        let json = serde_json::to_string(&rules.bonus_table)
            .map_err(|e| corrupt("bonus table", "", format!("does not serialise: {e}")))?;
        Ok(PayRulesRow {
            bonus_base: base,
            bonus_table_json: json,
            rounding_dp: rules.rounding.dp as i32,
            budget,
        })
    }
}
