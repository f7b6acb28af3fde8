//! Appeal services: a decision that changes the card recomputes the period and stores the
//! card's figures after it next to those before.

use jixiao_core::appeal::AppealStatus;

use crate::{Appeal, AppealStep, Store, StoreError, User};

/// Takes a step on an appeal (see [`Store::step_appeal`]); when it was accepted, recomputes
/// the period so the overturned finding or the correction shows on the card, then records the
/// card's figures after the decision on the appeal.
pub async fn step_appeal(
    store: &Store,
    user: &User,
    id: i64,
    step: &AppealStep,
) -> Result<Appeal, StoreError> {
    let appeal = store.step_appeal(user, id, step).await?;
    if appeal.status != AppealStatus::Accepted {
        return Ok(appeal);
    }
    // Closed in between: the close recomputed with the change (revision check).
    super::recompute_unless_closed(store, appeal.period).await?;
    store.record_appeal_after(id).await?;
    store.appeal(user, id).await
}
