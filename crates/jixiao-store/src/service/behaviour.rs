//! Behaviour ratings enter the compute as two segment measures, `behaviour_ratings` and
//! `behaviour_score_sum` (the anchored level's score), so the library KPI `behaviour` — and a
//! scheme item scoring it — reads them like any other measure, and a team roll-up is Σ ÷ Σ.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::behaviour::AnchoredScale;
use jixiao_core::kpi::MeasureTotals;
use rust_decimal::Decimal;

use crate::{NewRating, Store, StoreError};

/// The score of each rated segment of `period`, keyed by (employee, team).
pub(crate) async fn rated_segments(
    store: &Store,
    period: Period,
) -> Result<HashMap<(i64, i64), Decimal>, StoreError> {
    let scale = AnchoredScale::standard();
    let mut out = HashMap::new();
    for r in store.behaviour_ratings(period, None, None).await? {
        out.insert((r.employee_id, r.team_id), scale.score(r.level)?);
    }
    Ok(out)
}

/// `totals` with one rating of `score` added.
pub(crate) fn with_rating(
    totals: &MeasureTotals,
    score: Decimal,
) -> Result<MeasureTotals, StoreError> {
    let mut t = totals.clone();
    let overflow = |_| crate::corrupt("behaviour measures", &score.to_string(), "overflow");
    t.add("behaviour_ratings", Decimal::ONE).map_err(overflow)?;
    t.add("behaviour_score_sum", score).map_err(overflow)?;
    Ok(t)
}

/// Records a rating (audited, see [`Store::rate_behaviour`]) and recomputes the period so the
/// agent's card shows it at once.
pub async fn rate_behaviour(store: &Store, r: &NewRating) -> Result<(), StoreError> {
    store.rate_behaviour(r).await?;
    // Closed since the rating committed: the close computed with it.
    super::recompute_unless_closed(store, r.period).await
}

/// Applies an organisation change (audited, see [`Store::change_org`]); a move recomputes
/// every unclosed period from the move's month on, since records now count for another team.
pub async fn change_org(
    store: &Store,
    change: &crate::OrgChange,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = store.change_org(change, by, at).await?;
    if let crate::OrgChange::Move { from, .. } = change {
        let first = Period::containing(*from);
        for info in store.periods().await? {
            if info.period >= first && info.status != jixiao_core::period::PeriodStatus::Closed {
                super::recompute_unless_closed(store, info.period).await?;
            }
        }
    }
    Ok(id)
}
