//! Editing a department's or a position's assessment scheme: validate, store with its audit
//! entry, and recompute the periods whose stored cards would otherwise show the old scheme;
//! and the [`SchemeBook`] a compute picks each card's scheme from.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::scheme::Scheme;
use jixiao_core::scorecard::{PayRules, SchemeSource, Scorecard};
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

/// Validates `scheme`, stores it as the scheme of `position` within the department with its
/// unit price (`None`: the department's), audited `rules.update` (before and after), and
/// recomputes every computed or in-review period. Closed periods keep their snapshot.
pub async fn set_position_scheme(
    store: &Store,
    department_id: i64,
    position: &str,
    scheme: &Scheme,
    unit_price: Option<Decimal>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    scheme.validate()?;
    store
        .save_position_rules(department_id, position, scheme, unit_price, by, at)
        .await?;
    super::recompute_scored(store).await
}

/// Deletes a position's scheme (audited `rules.delete`): its employees are scored under the
/// department's scheme again; computed and in-review periods are rescored, closed periods keep
/// their snapshot.
pub async fn delete_position_scheme(
    store: &Store,
    department_id: i64,
    position: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store
        .delete_position_rules(department_id, position, by, at)
        .await?;
    super::recompute_scored(store).await
}

/// The schemes and unit prices in force for a compute: each department's, and the positions'
/// within departments. An employee's card uses the scheme of their position in the department
/// if there is one, else the department's (docs/KPIS.md, "Schemes").
#[derive(Debug, Default)]
pub(crate) struct SchemeBook {
    departments: HashMap<i64, Option<(Scheme, Decimal)>>,
    positions: HashMap<(i64, String), (Scheme, Option<Decimal>)>,
}

impl SchemeBook {
    /// Reads the rules of `departments` (a department without any is kept as `None`, with a
    /// warning: its teams are not scored) and every position scheme.
    pub(crate) async fn load(
        store: &Store,
        departments: impl IntoIterator<Item = i64>,
        period: Period,
    ) -> Result<SchemeBook, StoreError> {
        let mut book = SchemeBook::default();
        for department in departments {
            if book.departments.contains_key(&department) {
                continue;
            }
            let r = match store.department_rules(department).await {
                Ok(r) => Some(r),
                Err(StoreError::NotFound(_)) => {
                    tracing::warn!(department, %period, "department has no rules; its teams are not scored");
                    None
                }
                Err(e) => return Err(e),
            };
            book.departments.insert(department, r);
        }
        for p in store.all_position_rules().await? {
            book.positions
                .insert((p.department_id, p.position), (p.scheme, p.unit_price));
        }
        Ok(book)
    }

    /// The scheme, unit price and source for an employee of `position` in `department`;
    /// `None` when the department has no rules (a position scheme needs them too: the
    /// department's unit price is its default).
    pub(crate) fn for_employee(
        &self,
        department: i64,
        position: &str,
    ) -> Option<(&Scheme, Decimal, SchemeSource)> {
        let (scheme, price) = self.departments.get(&department)?.as_ref()?;
        match self
            .positions
            .get(&(department, position.trim().to_string()))
        {
            Some((s, p)) => Some((
                s,
                p.unwrap_or(*price),
                SchemeSource::Position {
                    position: position.trim().to_string(),
                },
            )),
            None => Some((scheme, *price, SchemeSource::Department)),
        }
    }

    /// The scheme a computed card was scored under (its department's or its position's).
    pub(crate) fn for_card(&self, department: i64, card: &Scorecard) -> Option<&Scheme> {
        match card.scheme.as_ref().map(|u| &u.source) {
            Some(SchemeSource::Position { position }) => self
                .positions
                .get(&(department, position.clone()))
                .map(|(s, _)| s),
            _ => self.departments.get(&department)?.as_ref().map(|(s, _)| s),
        }
    }
}
