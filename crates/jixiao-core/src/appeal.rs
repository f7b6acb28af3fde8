//! Appeals against one item of an agent's scorecard, and feedback notes: the state machine and
//! the input rules, pure. Who may take which step is decided here from the actor's relation to
//! the appeal ([`Party`]); the store works that relation out (the appellant's own employee,
//! the supervisor of one of their teams in the period, a manager) and supplies the clock.
//!
//! ```text
//! submitted ──accept/reject (supervisor or manager)──▶ accepted | rejected
//!     │ └──withdraw (appellant)──▶ withdrawn
//!     └──escalate (supervisor)──▶ escalated ──accept/reject (manager)──▶ accepted | rejected
//! rejected ──escalate (appellant, once, review window open)──▶ escalated
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// Longest reason, evidence or note body accepted, in characters.
pub const MAX_TEXT: usize = 4_000;

/// What an appeal is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A KPI value on the card; the reference is the KPI code.
    Kpi,
    /// A deduction on the card; the reference is the scheme item's code.
    Deduction,
    /// A QA review record; the reference is its record id.
    Qa,
    /// A survey or complaint finding; the reference is the finding's id.
    Finding,
}

impl TargetKind {
    /// Every kind, in display order.
    pub const ALL: [TargetKind; 4] = [
        TargetKind::Kpi,
        TargetKind::Deduction,
        TargetKind::Qa,
        TargetKind::Finding,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Kpi => "kpi",
            TargetKind::Deduction => "deduction",
            TargetKind::Qa => "qa",
            TargetKind::Finding => "finding",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<TargetKind, CoreError> {
        TargetKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid("appeal target", s, "expected kpi, deduction, qa or finding")
            })
    }

    /// Whether accepting an appeal of this kind needs a correction typed by the decider; a
    /// finding is overturned instead, and the recompute removes what it cost.
    pub fn needs_correction(self) -> bool {
        self != TargetKind::Finding
    }
}

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    /// Waiting for the supervisor.
    Submitted,
    /// Waiting for a performance manager.
    Escalated,
    /// Accepted: the card was corrected.
    Accepted,
    /// Rejected (the appellant may escalate once while the window is open).
    Rejected,
    /// Withdrawn by the appellant.
    Withdrawn,
}

impl AppealStatus {
    /// Every status, in display order.
    pub const ALL: [AppealStatus; 5] = [
        AppealStatus::Submitted,
        AppealStatus::Escalated,
        AppealStatus::Accepted,
        AppealStatus::Rejected,
        AppealStatus::Withdrawn,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealStatus::Submitted => "submitted",
            AppealStatus::Escalated => "escalated",
            AppealStatus::Accepted => "accepted",
            AppealStatus::Rejected => "rejected",
            AppealStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<AppealStatus, CoreError> {
        AppealStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::invalid("appeal status", s, "unknown status"))
    }

    /// Whether someone still has to act on it.
    pub fn is_open(self) -> bool {
        matches!(self, AppealStatus::Submitted | AppealStatus::Escalated)
    }
}

/// A step on an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Decide in the appellant's favour.
    Accept,
    /// Decide against.
    Reject,
    /// Hand to a performance manager.
    Escalate,
    /// Take back (the appellant).
    Withdraw,
}

impl Action {
    /// The stored spelling (also the audit kind's suffix, `appeal.<action>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Escalate => "escalate",
            Action::Withdraw => "withdraw",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<Action, CoreError> {
        [
            Action::Accept,
            Action::Reject,
            Action::Escalate,
            Action::Withdraw,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
        .ok_or_else(|| {
            CoreError::invalid(
                "appeal action",
                s,
                "expected accept, reject, escalate or withdraw",
            )
        })
    }
}

/// How the actor stands to the appeal. Being the appellant wins over any role: nobody decides
/// their own appeal, whichever account they use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The appealing employee (any of their accounts).
    Appellant,
    /// The supervisor of a team the appellant belonged to in the period.
    Supervisor,
    /// A performance manager or an administrator.
    Manager,
}

/// An appeal's state as far as the machine is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealState {
    /// The status.
    pub status: AppealStatus,
    /// Whether it has been escalated before (an appellant escalates at most once).
    pub escalated: bool,
}

fn refuse(from: AppealStatus, action: Action, reason: &str) -> CoreError {
    CoreError::InvalidTransition {
        what: "appeal",
        from: from.as_str().to_string(),
        to: action.as_str().to_string(),
        reason: reason.to_string(),
    }
}

/// The status after `party` takes `action` on an appeal in `state`; `window_open` says whether
/// the period's review window is open today (only the appellant's steps need it). Every other
/// combination is an [`CoreError::InvalidTransition`].
pub fn step(
    state: AppealState,
    action: Action,
    party: Party,
    window_open: bool,
) -> Result<AppealStatus, CoreError> {
    use AppealStatus as S;
    let from = state.status;
    match (from, action, party) {
        (_, Action::Accept | Action::Reject, Party::Appellant) => {
            Err(refuse(from, action, "nobody decides their own appeal"))
        }
        (S::Submitted, Action::Accept, Party::Supervisor | Party::Manager)
        | (S::Escalated, Action::Accept, Party::Manager) => Ok(S::Accepted),
        (S::Submitted, Action::Reject, Party::Supervisor | Party::Manager)
        | (S::Escalated, Action::Reject, Party::Manager) => Ok(S::Rejected),
        (S::Escalated, Action::Accept | Action::Reject, Party::Supervisor) => Err(refuse(
            from,
            action,
            "an escalated appeal is decided by a performance manager",
        )),
        (S::Submitted, Action::Escalate, Party::Supervisor) => Ok(S::Escalated),
        (S::Rejected, Action::Escalate, Party::Appellant) if state.escalated => {
            Err(refuse(from, action, "an appeal can be escalated only once"))
        }
        (S::Rejected, Action::Escalate, Party::Appellant) if !window_open => {
            Err(refuse(from, action, "the review window is closed"))
        }
        (S::Rejected, Action::Escalate, Party::Appellant) => Ok(S::Escalated),
        (S::Submitted, Action::Withdraw, Party::Appellant) => Ok(S::Withdrawn),
        _ => Err(refuse(from, action, "not allowed from this state")),
    }
}

/// A required text (reason, note body): trimmed, not blank, at most [`MAX_TEXT`] characters.
pub fn required(what: &'static str, s: &str) -> Result<String, CoreError> {
    let t = optional(what, s)?;
    if t.is_empty() {
        return Err(CoreError::invalid(what, s, "required"));
    }
    Ok(t)
}

/// An optional text (evidence): trimmed, at most [`MAX_TEXT`] characters.
pub fn optional(what: &'static str, s: &str) -> Result<String, CoreError> {
    let t = s.trim();
    if t.chars().count() > MAX_TEXT {
        return Err(CoreError::invalid(
            what,
            &t.chars().take(40).collect::<String>(),
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    Ok(t.to_string())
}

/// The reference of a target: non-blank, at most 100 characters; a finding's must be its id.
pub fn target_ref(kind: TargetKind, s: &str) -> Result<String, CoreError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 100 {
        return Err(CoreError::invalid(
            "appeal target reference",
            s,
            "give the item appealed (1 to 100 characters)",
        ));
    }
    if kind == TargetKind::Finding && t.parse::<i64>().is_err() {
        return Err(CoreError::invalid(
            "appeal target reference",
            s,
            "a finding is referred to by its number",
        ));
    }
    Ok(t.to_string())
}

/// The correction a decider enters when accepting a KPI, deduction or QA appeal: points and/or
/// pay, recorded as an adjustment. Refused when the kind needs one and both are zero.
pub fn check_correction(
    kind: TargetKind,
    points: Decimal,
    pay: Decimal,
) -> Result<Option<(Decimal, Decimal)>, CoreError> {
    if points.is_zero() && pay.is_zero() {
        if kind.needs_correction() {
            return Err(CoreError::invalid(
                "appeal correction",
                "0",
                "accepting this appeal needs a correction of points or pay",
            ));
        }
        return Ok(None);
    }
    if !kind.needs_correction() {
        return Err(CoreError::invalid(
            "appeal correction",
            &format!("{points}/{pay}"),
            "an accepted finding is overturned; the recompute removes what it cost",
        ));
    }
    crate::adjustment::validate(points, pay, "appeal")?;
    Ok(Some((points, pay)))
}

/// The kind of a feedback note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Feedback on the period's results.
    Feedback,
    /// A coaching note: what to practise.
    Coaching,
}

impl NoteKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Feedback => "feedback",
            NoteKind::Coaching => "coaching",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<NoteKind, CoreError> {
        match s {
            "feedback" => Ok(NoteKind::Feedback),
            "coaching" => Ok(NoteKind::Coaching),
            _ => Err(CoreError::invalid(
                "note kind",
                s,
                "expected feedback or coaching",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppealStatus as S;

    fn at(status: AppealStatus) -> AppealState {
        AppealState {
            status,
            escalated: false,
        }
    }

    #[test]
    fn the_supervisor_decides_a_submitted_appeal() {
        for (action, to) in [(Action::Accept, S::Accepted), (Action::Reject, S::Rejected)] {
            assert_eq!(
                step(at(S::Submitted), action, Party::Supervisor, true),
                Ok(to)
            );
            assert_eq!(
                step(at(S::Submitted), action, Party::Supervisor, false),
                Ok(to)
            );
        }
    }

    #[test]
    fn nobody_decides_their_own_appeal_in_any_state() {
        for s in AppealStatus::ALL {
            for a in [Action::Accept, Action::Reject] {
                let e = step(at(s), a, Party::Appellant, true).unwrap_err();
                assert_eq!(e.code(), "invalid_transition");
            }
        }
    }

    #[test]
    fn only_a_manager_decides_an_escalated_appeal() {
        let e = AppealState {
            status: S::Escalated,
            escalated: true,
        };
        assert!(step(e, Action::Accept, Party::Supervisor, true).is_err());
        assert_eq!(
            step(e, Action::Accept, Party::Manager, true),
            Ok(S::Accepted)
        );
        assert_eq!(
            step(e, Action::Reject, Party::Manager, true),
            Ok(S::Rejected)
        );
    }

    #[test]
    fn the_appellant_escalates_a_rejection_once_and_only_while_the_window_is_open() {
        assert_eq!(
            step(at(S::Rejected), Action::Escalate, Party::Appellant, true),
            Ok(S::Escalated)
        );
        assert!(step(at(S::Rejected), Action::Escalate, Party::Appellant, false).is_err());
        let again = AppealState {
            status: S::Rejected,
            escalated: true,
        };
        assert!(step(again, Action::Escalate, Party::Appellant, true).is_err());
        assert!(step(at(S::Submitted), Action::Escalate, Party::Appellant, true).is_err());
    }

    #[test]
    fn the_supervisor_may_escalate_instead_of_deciding() {
        assert_eq!(
            step(at(S::Submitted), Action::Escalate, Party::Supervisor, true),
            Ok(S::Escalated)
        );
        assert!(step(at(S::Rejected), Action::Escalate, Party::Supervisor, true).is_err());
    }

    #[test]
    fn only_the_appellant_withdraws_and_only_a_submitted_appeal() {
        assert_eq!(
            step(at(S::Submitted), Action::Withdraw, Party::Appellant, false),
            Ok(S::Withdrawn)
        );
        assert!(step(at(S::Submitted), Action::Withdraw, Party::Supervisor, true).is_err());
        for s in [S::Escalated, S::Accepted, S::Rejected, S::Withdrawn] {
            assert!(step(at(s), Action::Withdraw, Party::Appellant, true).is_err());
        }
    }

    #[test]
    fn a_decided_appeal_is_final_for_deciders() {
        for s in [S::Accepted, S::Withdrawn] {
            for a in [Action::Accept, Action::Reject, Action::Escalate] {
                for p in [Party::Supervisor, Party::Manager] {
                    assert!(step(at(s), a, p, true).is_err(), "{s:?} {a:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn stored_spellings_round_trip() {
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::parse(k.as_str()), Ok(k));
        }
        for s in AppealStatus::ALL {
            assert_eq!(AppealStatus::parse(s.as_str()), Ok(s));
        }
        assert!(TargetKind::parse("mood").is_err());
        assert_eq!(NoteKind::parse("coaching"), Ok(NoteKind::Coaching));
        assert!(NoteKind::parse("praise").is_err());
    }

    #[test]
    fn a_correction_is_needed_except_for_a_finding() {
        let z = Decimal::ZERO;
        assert!(check_correction(TargetKind::Kpi, z, z).is_err());
        assert_eq!(check_correction(TargetKind::Finding, z, z), Ok(None));
        assert!(check_correction(TargetKind::Finding, Decimal::ONE, z).is_err());
        assert_eq!(
            check_correction(TargetKind::Qa, Decimal::new(5, 1), z),
            Ok(Some((Decimal::new(5, 1), z)))
        );
        assert!(check_correction(TargetKind::Qa, Decimal::new(5, 3), z).is_err());
    }

    #[test]
    fn texts_are_trimmed_required_and_bounded() {
        assert!(required("reason", "   ").is_err());
        assert_eq!(required("reason", " late call ").unwrap(), "late call");
        assert!(optional("evidence", &"x".repeat(MAX_TEXT + 1)).is_err());
        assert!(target_ref(TargetKind::Finding, "abc").is_err());
        assert_eq!(target_ref(TargetKind::Finding, " 12 ").unwrap(), "12");
        assert!(target_ref(TargetKind::Kpi, "").is_err());
    }
}
