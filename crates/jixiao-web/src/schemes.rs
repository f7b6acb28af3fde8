//! Assessment schemes for the pages and the API: departments with their scheme, the editor's
//! TOML read into a [`Scheme`], and saving one (validated, audited, open periods recomputed).

use chrono::Utc;
use jixiao_core::org::Department;
use jixiao_core::scheme::Scheme;
use jixiao_store::{Store, StoreError, service};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::HasCsrf;

/// The editor's form: the scheme as TOML.
#[derive(Debug, Default, Deserialize)]
pub struct SchemeForm {
    #[serde(default)]
    csrf: String,
    /// The scheme as TOML.
    #[serde(default)]
    pub toml: String,
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
