//! Unit prices and pay rules per department for the pages and the API: reading them, the
//! form's text read into exact decimals and a validated bonus table, and saving both together
//! (one audited transaction, unclosed periods with cards recomputed).

use chrono::Utc;
use jixiao_core::money::RoundingRule;
use jixiao_core::org::Department;
use jixiao_core::pay::{BonusBand, BonusTable};
use jixiao_core::scorecard::PayRules;
use jixiao_store::{Store, StoreError, service};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::HasCsrf;

/// A department's unit price (`None` while it has no scheme) and pay rules.
pub type DepartmentPay = (Department, Option<Decimal>, PayRules);

/// The form of one department: every field as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    csrf: String,
    /// Pay per point, yuan.
    #[serde(default)]
    pub unit_price: String,
    /// KPI bonus base, yuan.
    #[serde(default)]
    pub bonus_base: String,
    /// `score_from=coefficient` lines, best first, the last from 0.
    #[serde(default)]
    pub bonus_table: String,
    /// Decimal places payslip lines are rounded to (0–4).
    #[serde(default)]
    pub rounding_dp: String,
    /// Labour budget per period, yuan; blank for none.
    #[serde(default)]
    pub budget: String,
}

impl HasCsrf for PayForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Every department, by code, with its pay configuration.
pub async fn all(store: &Store) -> Result<Vec<DepartmentPay>, WebError> {
    let mut departments = store.departments().await?;
    departments.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = Vec::with_capacity(departments.len());
    for d in departments {
        let (price, rules) = of(store, d.id).await?;
        out.push((d, price, rules));
    }
    Ok(out)
}

/// The department of `code` with its pay configuration; NotFound for an unknown code.
pub async fn one(store: &Store, code: &str) -> Result<DepartmentPay, WebError> {
    let d = store
        .departments()
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(WebError::NotFound)?;
    let (price, rules) = of(store, d.id).await?;
    Ok((d, price, rules))
}

async fn of(store: &Store, id: i64) -> Result<(Option<Decimal>, PayRules), WebError> {
    let price = match store.department_rules(id).await {
        Ok((_, p)) => Some(p),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok((price, store.pay_rules(id).await?))
}

/// A bonus table as the form's lines, `score_from=coefficient`, best first.
pub fn table_text(table: &BonusTable) -> String {
    table
        .bands()
        .iter()
        .map(|b| format!("{}={}", b.min_score.normalize(), b.coefficient.normalize()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn invalid(what: &str, value: &str, why: &str) -> WebError {
    WebError::Invalid(format!("{what} {value:?}: {why}"))
}

/// An exact decimal, never rounded on the way in.
fn exact(what: &str, text: &str) -> Result<Decimal, WebError> {
    let t = text.trim();
    Decimal::from_str_exact(t).map_err(|_| invalid(what, t, "is not a decimal number"))
}

/// An amount of money: ≥ 0 and in whole fen.
fn check_money(what: &str, v: Decimal) -> Result<Decimal, WebError> {
    if v < Decimal::ZERO {
        return Err(invalid(what, &v.to_string(), "must not be negative"));
    }
    if v.normalize().scale() > 2 {
        return Err(invalid(
            what,
            &v.to_string(),
            "at most 2 decimal places (fen)",
        ));
    }
    Ok(v)
}

/// Checks values already read as decimals (the API's body): amounts ≥ 0 in whole fen, a
/// valid bonus table, rounding 0–4 places.
pub fn validated(
    unit_price: Decimal,
    bonus_base: Decimal,
    bands: Vec<BonusBand>,
    rounding_dp: u32,
    budget: Option<Decimal>,
) -> Result<(Decimal, PayRules), WebError> {
    let unit_price = check_money("unit price", unit_price)?;
    let bonus_base = check_money("bonus base", bonus_base)?;
    let budget = budget.map(|b| check_money("budget", b)).transpose()?;
    if rounding_dp > 4 {
        let dp = rounding_dp.to_string();
        return Err(invalid("rounding", &dp, "0 to 4 decimal places"));
    }
    let bonus_table = BonusTable::new(bands).map_err(|e| WebError::Invalid(e.to_string()))?;
    let rules = PayRules {
        bonus_base,
        bonus_table,
        rounding: RoundingRule { dp: rounding_dp },
        budget,
    };
    Ok((unit_price, rules))
}

/// Reads `score_from=coefficient` lines (blank lines skipped) as bands, best first.
fn parse_bands(text: &str) -> Result<Vec<BonusBand>, WebError> {
    let mut bands = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (score, coefficient) = line
            .split_once('=')
            .ok_or_else(|| invalid("bonus table line", line, "is not score_from=coefficient"))?;
        bands.push(BonusBand {
            min_score: exact("bonus table score", score)?,
            coefficient: exact("bonus table coefficient", coefficient)?,
        });
    }
    Ok(bands)
}

/// Reads the form into a unit price and pay rules; the error says which field and why.
pub fn parse(form: &PayForm) -> Result<(Decimal, PayRules), WebError> {
    let unit_price = exact("unit price", &form.unit_price)?;
    let bonus_base = exact("bonus base", &form.bonus_base)?;
    let bands = parse_bands(&form.bonus_table)?;
    let dp_text = form.rounding_dp.trim();
    let dp = dp_text
        .parse::<u32>()
        .map_err(|_| invalid("rounding", dp_text, "0 to 4 decimal places"))?;
    let budget = match form.budget.trim() {
        "" => None,
        b => Some(exact("budget", b)?),
    };
    validated(unit_price, bonus_base, bands, dp, budget)
}

/// The form filled with a department's stored values.
pub fn form_of(price: Option<Decimal>, rules: &PayRules) -> PayForm {
    PayForm {
        csrf: String::new(),
        unit_price: price.map_or(String::new(), |p| p.normalize().to_string()),
        bonus_base: rules.bonus_base.normalize().to_string(),
        bonus_table: table_text(&rules.bonus_table),
        rounding_dp: rules.rounding.dp.to_string(),
        budget: rules
            .budget
            .map_or(String::new(), |b| b.normalize().to_string()),
    }
}

/// Stores the unit price and pay rules of a department together, audited, and recomputes
/// the computed and in-review periods.
pub async fn save(
    store: &Store,
    department_id: i64,
    unit_price: Decimal,
    rules: &PayRules,
    by: &str,
) -> Result<(), WebError> {
    service::set_pay(store, department_id, unit_price, rules, by, Utc::now()).await?;
    tracing::info!(department_id, by, "unit price and pay rules saved");
    Ok(())
}
