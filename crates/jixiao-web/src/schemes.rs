//! Assessment schemes for the pages and the API: departments and positions within them with
//! their scheme, the editor's TOML read into a [`Scheme`], and saving one (validated, audited,
//! open periods recomputed).

use chrono::Utc;
use jixiao_core::org::Department;
use jixiao_core::scheme::Scheme;
use jixiao_store::{Store, StoreError, service};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::HasCsrf;

/// The editor's form: the scheme as TOML (and, for a position, its unit price).
#[derive(Debug, Default, Deserialize)]
pub struct SchemeForm {
    #[serde(default)]
    csrf: String,
    /// The scheme as TOML.
    #[serde(default)]
    pub toml: String,
    /// A position's unit price per point; blank keeps the department's.
    #[serde(default)]
    pub unit_price: String,
}

impl HasCsrf for SchemeForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A department with its scheme and unit price, `None` while it has no rules.
pub type DepartmentScheme = (Department, Option<(Scheme, Decimal)>);

/// Every department, by code, with its scheme.
pub async fn all(store: &Store) -> Result<Vec<DepartmentScheme>, WebError> {
    let mut out = Vec::new();
    let mut departments = store.departments().await?;
    departments.sort_by(|a, b| a.code.cmp(&b.code));
    for d in departments {
        let rules = rules_of(store, d.id).await?;
        out.push((d, rules));
    }
    Ok(out)
}

/// The department of `code` with its scheme; NotFound when no department has the code.
pub async fn one(store: &Store, code: &str) -> Result<DepartmentScheme, WebError> {
    let d = store
        .departments()
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(WebError::NotFound)?;
    let rules = rules_of(store, d.id).await?;
    Ok((d, rules))
}

async fn rules_of(store: &Store, id: i64) -> Result<Option<(Scheme, Decimal)>, WebError> {
    match store.department_rules(id).await {
        Ok(r) => Ok(Some(r)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A scheme written as TOML, for the editor.
pub fn to_toml(scheme: &Scheme) -> String {
    toml::to_string_pretty(scheme).unwrap_or_default()
}

/// Reads the editor's TOML and validates the scheme; the error says why, in words.
pub fn parse(text: &str) -> Result<Scheme, WebError> {
    let scheme: Scheme = toml::from_str(text)
        .map_err(|e| WebError::Invalid(format!("the scheme is not valid TOML: {}", e.message())))?;
    scheme
        .validate()
        .map_err(|e| WebError::Invalid(e.to_string()))?;
    Ok(scheme)
}

/// Stores `scheme` as the department's, audited, and recomputes the unclosed periods with
/// stored cards.
pub async fn save(
    store: &Store,
    department_id: i64,
    scheme: &Scheme,
    by: &str,
) -> Result<(), WebError> {
    service::set_scheme(store, department_id, scheme, by, Utc::now()).await?;
    tracing::info!(department_id, by, "assessment scheme saved");
    Ok(())
}

/// The scheme of a position within a department, as the pages and the API show it.
#[derive(Debug, Clone)]
pub struct PositionScheme {
    /// The department.
    pub department: Department,
    /// The position (`Senior agent`).
    pub position: String,
    /// Its own scheme and unit price (`None` price: the department's); `None` while the
    /// position has no scheme and its employees use the department's.
    pub own: Option<(Scheme, Option<Decimal>)>,
    /// The department's scheme and unit price, `None` while it has no rules.
    pub department_rules: Option<(Scheme, Decimal)>,
}

/// Every position scheme with its department, by department code then position.
pub async fn all_positions(store: &Store) -> Result<Vec<PositionScheme>, WebError> {
    let departments = store.departments().await?;
    let mut out = Vec::new();
    for p in store.all_position_rules().await? {
        let Some(d) = departments.iter().find(|d| d.id == p.department_id) else {
            continue;
        };
        out.push(PositionScheme {
            department: d.clone(),
            position: p.position,
            own: Some((p.scheme, p.unit_price)),
            department_rules: None,
        });
    }
    out.sort_by(|a, b| (&a.department.code, &a.position).cmp(&(&b.department.code, &b.position)));
    Ok(out)
}

/// The positions employees hold, sorted, for the page's "add a position scheme" choices.
pub async fn known_positions(store: &Store) -> Result<Vec<String>, WebError> {
    let mut positions: Vec<String> = store
        .employees()
        .await?
        .into_iter()
        .map(|e| e.position.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    positions.sort();
    positions.dedup();
    Ok(positions)
}

/// A position's scheme in the department of `code`; NotFound when no department has the
/// code or the position name is not acceptable (empty, too long).
pub async fn one_position(
    store: &Store,
    code: &str,
    position: &str,
) -> Result<PositionScheme, WebError> {
    let (department, department_rules) = one(store, code).await?;
    let position = jixiao_store::clean_position(position).map_err(|_| WebError::NotFound)?;
    let own = match store.position_rules(department.id, &position).await {
        Ok(p) => Some((p.scheme, p.unit_price)),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(PositionScheme {
        department,
        position,
        own,
        department_rules,
    })
}

/// Reads an optional unit price: blank is `None` (the department's); otherwise a decimal ≥ 0
/// in whole fen.
pub fn parse_price(text: &str) -> Result<Option<Decimal>, WebError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let p: Decimal = t
        .parse()
        .map_err(|_| WebError::Invalid(format!("unit price {t} is not a number")))?;
    if p < Decimal::ZERO || p.normalize().scale() > 2 {
        return Err(WebError::Invalid(format!(
            "unit price {t} must be at least 0, in whole fen"
        )));
    }
    Ok(Some(p))
}

/// Stores `scheme` as the position's within the department, audited, and recomputes the
/// unclosed periods with stored cards.
pub async fn save_position(
    store: &Store,
    department_id: i64,
    position: &str,
    scheme: &Scheme,
    unit_price: Option<Decimal>,
    by: &str,
) -> Result<(), WebError> {
    service::set_position_scheme(
        store,
        department_id,
        position,
        scheme,
        unit_price,
        by,
        Utc::now(),
    )
    .await?;
    tracing::info!(department_id, position, by, "position scheme saved");
    Ok(())
}

/// Deletes a position's scheme; its employees are scored under the department's again.
/// NotFound when the position has none.
pub async fn delete_position(
    store: &Store,
    department_id: i64,
    position: &str,
    by: &str,
) -> Result<(), WebError> {
    service::delete_position_scheme(store, department_id, position, by, Utc::now()).await?;
    tracing::info!(department_id, position, by, "position scheme deleted");
    Ok(())
}

/// A path segment percent-encoded (a position may hold spaces or Chinese), every byte but
/// the unreserved characters of RFC 3986.
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_encoded_for_a_path_and_prices_are_read_in_fen() {
        assert_eq!(path_segment("Senior agent"), "Senior%20agent");
        assert_eq!(path_segment("组长"), "%E7%BB%84%E9%95%BF");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(parse_price(" ").unwrap(), None);
        assert_eq!(parse_price("1.20").unwrap(), Some(Decimal::new(120, 2)));
        assert!(parse_price("-1").is_err());
        assert!(parse_price("0.005").is_err());
        assert!(parse_price("x").is_err());
    }
}
