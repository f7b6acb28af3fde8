//! Fairness workflows, the pure part: service journeys whose per-stage survey turns deficient
//! stages into findings against the staff who served them ([`journey`]), and complaints with
//! their investigation state machine and the cross-check of each attribution against the
//! service records ([`complaint`]). Storage, the clock and notifications live elsewhere.

pub mod complaint;
pub mod journey;

use serde::{Deserialize, Serialize};

use crate::CoreError;

pub use complaint::{
    Attribution, Claim, ComplaintStatus, CrossCheck, Mismatch, Outcome, ServiceRecord, Tolerance,
    cross_check, decide,
};
pub use journey::{
    Deficient, JourneyLine, Participant, Rating, Stage, StageAnswer, StageFinding, Survey,
    deficient_stages,
};

/// The record kind a stage's staff come from. Staff outside the service center (clinicians,
/// technicians, delivery staff) are employees too but appear in no record: `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffSource {
    /// Interactions (voice, chat, e-mail) in the calls table.
    Calls,
    /// Tickets.
    Tickets,
    /// Chat sessions.
    Chats,
    /// Work records (no customer on them).
    Work,
    /// No record: the staff are entered by hand.
    None,
}

impl StaffSource {
    /// Every source, in display order.
    pub const ALL: [StaffSource; 5] = [
        StaffSource::Calls,
        StaffSource::Tickets,
        StaffSource::Chats,
        StaffSource::Work,
        StaffSource::None,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffSource::Calls => "calls",
            StaffSource::Tickets => "tickets",
            StaffSource::Chats => "chats",
            StaffSource::Work => "work",
            StaffSource::None => "none",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<StaffSource, CoreError> {
        StaffSource::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "stage record kind",
                    s,
                    "expected calls, tickets, chats, work or none",
                )
            })
    }
}

/// A required free text (a reason, a name): trimmed, not blank, at most `max` characters.
pub(crate) fn required_text(what: &'static str, s: &str, max: usize) -> Result<String, CoreError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(what, s, "required"));
    }
    if t.chars().count() > max {
        return Err(CoreError::invalid(
            what,
            s,
            format!("at most {max} characters"),
        ));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_source_round_trips_through_its_stored_spelling() {
        for k in StaffSource::ALL {
            assert_eq!(StaffSource::parse(k.as_str()), Ok(k));
        }
        assert_eq!(
            StaffSource::parse("orders").unwrap_err().code(),
            "invalid_value"
        );
    }

    #[test]
    fn a_blank_or_overlong_text_is_refused() {
        assert!(required_text("reason", "  ", 10).is_err());
        assert!(required_text("reason", "abcdefghijk", 10).is_err());
        assert_eq!(required_text("reason", " ok ", 10).unwrap(), "ok");
    }
}
