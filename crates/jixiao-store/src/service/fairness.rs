//! Fairness services: recording a journey survey and deciding a complaint, each followed by
//! recomputing the period its findings count in (so the scorecards show them at once) and by
//! notifying each employee a finding was made against.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::fairness::{Outcome, Survey};

use crate::{Store, StoreError, notifications};

/// Tells each employee with a new finding, linking to the findings on their own scorecard
/// (which they may see, unlike the complaint); a failed notification does not undo it.
async fn notify(store: &Store, made: &[(i64, i64)], period: Period) {
    for (finding_id, employee_id) in made {
        let subject = format!("finding #{finding_id}");
        let link = match store.employee(*employee_id).await {
            Ok(e) => format!("/p/{period}/agents/{}#findings", e.employee_no),
            Err(_) => "/".to_string(),
        };
        let sent =
            notifications::notify_employee(store, *employee_id, "finding.new", &subject, &link);
        if let Err(e) = sent.await {
            tracing::warn!(finding_id, error = %e, "finding notification failed");
        }
    }
}

/// Records a journey's survey, then recomputes the survey day's period and notifies.
/// Returns the findings made and the deficient stages with nobody on them.
pub async fn record_journey_survey(
    store: &Store,
    journey_id: i64,
    survey: &Survey,
    channel: &str,
    surveyed_on: NaiveDate,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(Vec<(i64, i64)>, Vec<(i64, String)>), StoreError> {
    let (made, unstaffed) = store
        .record_journey_survey(journey_id, survey, channel, surveyed_on, by, at)
        .await?;
    if !made.is_empty() {
        super::recompute_unless_closed(store, Period::containing(surveyed_on)).await?;
        notify(store, &made, Period::containing(surveyed_on)).await;
    }
    Ok((made, unstaffed))
}

/// Decides a complaint on `on` (the decision day, whose period its findings count in), then
/// recomputes that period and notifies.
pub async fn decide_complaint(
    store: &Store,
    complaint_id: i64,
    outcome: Outcome,
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let made = store
        .decide_complaint(complaint_id, outcome, reason, by, at, on)
        .await?;
    if !made.is_empty() {
        super::recompute_unless_closed(store, Period::containing(on)).await?;
        notify(store, &made, Period::containing(on)).await;
    }
    Ok(made)
}

/// Decides a complaint as the decision form does: for *partly upheld*, first marks each
/// active attribution upheld exactly when its id is in `upheld` (each mark audited), then
/// decides as [`decide_complaint`]. Other outcomes ignore the marks.
#[allow(clippy::too_many_arguments)]
pub async fn decide_complaint_marked(
    store: &Store,
    complaint_id: i64,
    outcome: Outcome,
    upheld: &[i64],
    reason: &str,
    by: &str,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Vec<(i64, i64)>, StoreError> {
    if outcome == Outcome::PartlyUpheld {
        let d = store.complaint(complaint_id).await?;
        for a in d.attributions.iter().filter(|a| !a.removed) {
            let want = upheld.contains(&a.id);
            if a.upheld != want {
                store
                    .mark_attribution(complaint_id, a.id, want, by, at)
                    .await?;
            }
        }
    }
    decide_complaint(store, complaint_id, outcome, reason, by, at, on).await
}
