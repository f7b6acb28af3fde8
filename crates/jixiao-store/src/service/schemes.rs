//! Editing a department's assessment scheme: validate, store with its audit entry, and
//! recompute the periods whose stored cards would otherwise show the old scheme.

use chrono::{DateTime, Utc};
use jixiao_core::scheme::Scheme;
use jixiao_core::scorecard::PayRules;
use rust_decimal::Decimal;

use crate::{Store, StoreError};

/// Validates `scheme`, stores it as the department's (audited `rules.update`, unit price
/// kept) and recomputes every computed or in-review period. Closed periods keep their
/// snapshot; open periods have no stored cards yet and use the new scheme when computed.
pub async fn set_scheme(
    store: &Store,
    department_id: i64,
    scheme: &Scheme,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    scheme.validate()?;
    store
        .save_department_scheme(department_id, scheme, by, at)
        .await?;
    super::recompute_scored(store).await
}

/// Stores a department's unit price and pay rules (audited `pay.update`, one transaction) and
/// recomputes every computed or in-review period, so their cards' pay shows the new values.
/// Closed periods keep their snapshot.
pub async fn set_pay(
    store: &Store,
    department_id: i64,
    unit_price: Decimal,
    rules: &PayRules,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store
        .save_department_pay(department_id, unit_price, rules, by, at)
        .await?;
    super::recompute_scored(store).await
}
