//! Lifecycle services: opening a review, adding adjustments, and folding a period's
//! adjustments into its computed cards.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::adjustment::{self, AdjustmentLine};
use jixiao_core::kpi::MeasureTotals;
use jixiao_core::scorecard::Scorecard;

use crate::{NewAdjustment, Store, StoreError};

/// Computes a period's cards and adds its adjustments to each employee's card (on the
/// first of their cards when they moved teams, so an adjustment counts once).
/// The center's totals come from the same tallies.
pub(crate) async fn compute_adjusted_with_center(
    store: &Store,
    period: Period,
) -> Result<(Vec<Scorecard>, MeasureTotals), StoreError> {
    let (mut cards, center) = super::compute_with_center(store, period).await?;
    let mut by_employee: std::collections::BTreeMap<i64, Vec<AdjustmentLine>> = Default::default();
    for (employee_id, line) in store.adjustments(period, None).await? {
        by_employee.entry(employee_id).or_default().push(line);
    }
    for card in &mut cards {
        if let Some(lines) = by_employee.remove(&card.employee_id) {
            adjustment::apply(card, lines);
        }
    }
    Ok((cards, center))
}

/// The snapshot hash of the period's saved cards, when they are current: a recompute saved
/// them with the basis they were computed from (cards, center totals and basis in one
/// transaction, so the hash recorded is that of the cards saved), and the basis is the same
/// now (no record of the period or of the periods its repeat window reaches, and nothing else
/// a computation reads, changed since: `tallies/basis.rs`). Any doubt gives None: compute.
/// The cards are not read: the close re-checks the recorded hash under the period's lock.
pub(crate) async fn current_cards(
    store: &Store,
    period: Period,
) -> Result<Option<String>, StoreError> {
    let Some(now) = store.cards_basis(period).await? else {
        return Ok(None);
    };
    let Some((saved, saved_hash)) = store.saved_cards_basis(period).await? else {
        return Ok(None);
    };
    if now != saved || store.saved_center_totals(period).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(saved_hash))
}

/// Whether closing the period now would freeze its saved cards as they are (they are
/// current: [`current_cards`]) rather than compute them first.
pub async fn cards_current(store: &Store, period: Period) -> Result<bool, StoreError> {
    Ok(current_cards(store, period).await?.is_some())
}

/// Opens the review window of a computed period (or moves its end): agents see their results
/// and may appeal until `until`. New records still recompute the cards while it runs.
pub async fn open_review(
    store: &Store,
    period: Period,
    until: NaiveDate,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if until < period.last_day() {
        return Err(crate::lifecycle::invalid(
            "review end",
            &until.to_string(),
            "the review window ends on or after the period's last day",
        ));
    }
    store.open_review(period, until, by, at).await?;
    // Best effort after the commit: a failed notice must not undo an opened review.
    if let Err(e) = store.notify_period_review(period, until, at).await {
        tracing::warn!(%period, error = %e, "review opened, agents not notified");
    }
    Ok(())
}

/// Records an adjustment in an unclosed period and recomputes that period, so the employee's
/// card shows it at once. Refuses a closed period (PeriodClosed).
pub async fn add_adjustment(
    store: &Store,
    adjustment: &NewAdjustment,
) -> Result<AdjustmentLine, StoreError> {
    let line = store.add_adjustment(adjustment).await?;
    match super::recompute(store, adjustment.period).await {
        // Closed in between: the close recomputed with the adjustment (revision check).
        Ok(_) | Err(StoreError::PeriodClosed(_)) => Ok(line),
        Err(e) => Err(e),
    }
}
