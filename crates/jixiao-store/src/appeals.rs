//! Appeals against an item of an agent's card, feedback notes, and who may see and act on them.
//!
//! Every step is one write transaction: the state change, its history row, the audit entry
//! (`appeal.<step>`, subject = the period, detail.employee_id = the appellant, so the audit page
//! files it under both) and the notifications. The state machine itself is
//! [`jixiao_core::appeal::step`]; this module works out the actor's [`Party`] from the database.

mod notes;
mod read;
mod scope;
mod write;

pub use notes::{NewNote, Note};
pub use read::{Appeal, AppealEvent, AppealFilter, CardFigures};
pub use write::{AppealStep, NewAppeal};

/// The stored spelling of the audit kinds written here, for the audit page's kind filter.
pub const AUDIT_KINDS: [&str; 7] = [
    "appeal.submit",
    "appeal.accept",
    "appeal.reject",
    "appeal.escalate",
    "appeal.withdraw",
    "note.add",
    "note.ack",
];
