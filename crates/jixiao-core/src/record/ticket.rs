//! Tickets (work orders): one row per ticket in its latest known state.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::{AgentRef, TypeCode};

/// A ticket or work order, keyed by (source, record id), in its latest known state.
///
/// It counts in the period of its **creation date**, not of its resolution: the creation date
/// is known on the first import and never changes, so a ticket sent again as it progresses
/// (first response, resolution, reopening) replaces itself in the same period instead of
/// moving between periods, and an unresolved ticket still has a period. Resolution KPIs read
/// `resolved_at` from the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRecord {
    /// The source system, for example `servicenow`.
    pub source: String,
    /// The source system's ticket number.
    pub record_id: String,
    /// When the ticket was opened, in the center's local time; picks the period.
    pub created_at: NaiveDateTime,
    /// When an agent first responded, if yet.
    pub first_response_at: Option<NaiveDateTime>,
    /// When it was resolved, if yet.
    pub resolved_at: Option<NaiveDateTime>,
    /// When it was closed, if yet.
    pub closed_at: Option<NaiveDateTime>,
    /// Times it was reopened after being resolved.
    pub reopen_count: u32,
    /// Times it was passed to another agent or group.
    pub reassignment_count: u32,
    /// The priority as the source writes it (`P1`, `3 - Moderate` …).
    pub priority: String,
    /// The category as the source writes it.
    pub category: String,
    /// The assignee; `None` while unassigned (it counts for nobody).
    pub employee_no: Option<AgentRef>,
    /// Whether the SLA was met, if the source says.
    pub sla_met: Option<bool>,
    /// The customer, for repeat-contact analysis.
    pub customer_id: Option<String>,
    /// The business type, if tickets carry one (then it must be a known type).
    pub business_type: Option<TypeCode>,
}

impl TicketRecord {
    /// The local date the ticket counts on: its creation date.
    pub fn date(&self) -> NaiveDate {
        self.created_at.date()
    }

    /// Seconds from creation to first response, if responded.
    pub fn first_response_secs(&self) -> Option<u64> {
        secs_between(self.created_at, self.first_response_at?)
    }

    /// Seconds from creation to resolution, if resolved.
    pub fn resolution_secs(&self) -> Option<u64> {
        secs_between(self.created_at, self.resolved_at?)
    }

    /// Checks that no milestone lies before the creation time; the error names the field.
    pub fn check(&self) -> Result<(), CoreError> {
        let milestones = [
            ("first_response_at", self.first_response_at),
            ("resolved_at", self.resolved_at),
            ("closed_at", self.closed_at),
        ];
        for (what, at) in milestones {
            if let Some(at) = at
                && at < self.created_at
            {
                return Err(CoreError::invalid(
                    what,
                    &at.to_string(),
                    "is before created_at",
                ));
            }
        }
        Ok(())
    }
}

/// Whole seconds from `from` to `to`; `None` when `to` is earlier.
pub(crate) fn secs_between(from: NaiveDateTime, to: NaiveDateTime) -> Option<u64> {
    u64::try_from((to - from).num_seconds()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn ticket() -> TicketRecord {
        TicketRecord {
            source: "itsm".into(),
            record_id: "INC1".into(),
            created_at: at("2026-10-31 23:00:00"),
            first_response_at: Some(at("2026-10-31 23:10:00")),
            resolved_at: Some(at("2026-11-01 01:00:00")),
            closed_at: None,
            reopen_count: 0,
            reassignment_count: 1,
            priority: "P2".into(),
            category: "Network".into(),
            employee_no: Some(AgentRef::parse("A001").unwrap()),
            sla_met: Some(true),
            customer_id: None,
            business_type: None,
        }
    }

    #[test]
    fn a_ticket_counts_on_its_creation_date_even_when_resolved_next_month() {
        let t = ticket();
        assert_eq!(t.date(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
        assert_eq!(t.first_response_secs(), Some(600));
        assert_eq!(t.resolution_secs(), Some(7200));
        assert!(t.check().is_ok());
    }

    #[test]
    fn a_milestone_before_creation_is_rejected_naming_the_field() {
        let t = TicketRecord {
            resolved_at: Some(at("2026-10-30 00:00:00")),
            ..ticket()
        };
        let Err(CoreError::Invalid { what, .. }) = t.check() else {
            panic!("expected an error");
        };
        assert_eq!(what, "resolved_at");
        assert_eq!(t.resolution_secs(), None);
    }
}
