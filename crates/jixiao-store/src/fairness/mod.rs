//! Fairness workflows, stored: journey lines and stages, journeys with their staff and
//! survey ([`journeys`]), complaints with their links and cross-checked attributions
//! ([`complaints`]), and the findings both give ([`findings`]), tallied into the scorecard
//! measures `journey_findings` and `complaints_upheld`.
//!
//! Every write and its audit entry share one transaction. Nothing is deleted: attributions
//! are marked removed (with who, when and why), findings overturned (by an appeal).
//! A finding counts in the period of its own date (the survey's or the decision's date), so a
//! closed period never changes: a write whose finding would land in a closed period is refused.

mod complaints;
mod findings;
mod journeys;
mod links;
mod records;
mod scope;
mod stats;

pub use complaints::{
    AttributionRow, ComplaintDetail, ComplaintLink, ComplaintRow, NewAttribution, NewComplaint,
};
pub use findings::Finding;
pub use journeys::{
    JourneyCandidate, JourneyDetail, JourneyRow, NewJourney, NewLine, NewStage, StoredRating,
    StoredSurvey,
};
pub use links::SurveyLink;
pub use scope::HistoryEntry;
pub use stats::{ComplaintStats, StatRow};

/// Who may see what: the whole center, or only what touches these teams' members (on the
/// date that matters: a finding's date, an attribution's service date, a journey's service
/// date), or only one employee's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Admin, manager, QA.
    All,
    /// A supervisor: the teams they lead.
    Teams(Vec<i64>),
    /// An agent: themselves.
    Employee(i64),
}

/// A comma-separated list of ids for an `IN (…)`; `NULL` for none (matches nothing). Ids are
/// integers, so formatting them into SQL cannot inject anything.
pub(crate) fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
