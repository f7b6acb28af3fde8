//! Complaints: registered → investigating → decided (upheld, partly upheld, not upheld). The
//! investigator attributes failed stages to employees; each attribution is cross-checked
//! against the service records (was this person on this stage, at this time, for this
//! customer?), and a mismatch must be resolved in writing before the attribution can be
//! upheld. Every illegal step is a [`CoreError::InvalidTransition`].

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{StaffSource, required_text};
use crate::CoreError;

/// A complaint's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every (active) attribution becomes a finding.
    Upheld,
    /// Only the attributions marked upheld become findings.
    PartlyUpheld,
    /// No finding.
    NotUpheld,
}

/// Where a complaint is in its investigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Recorded, not yet looked at.
    Registered,
    /// An investigator is attributing stages and employees.
    Investigating,
    /// Decided; final.
    Decided(Outcome),
}

impl ComplaintStatus {
    /// Every status, in workflow order.
    pub const ALL: [ComplaintStatus; 5] = [
        ComplaintStatus::Registered,
        ComplaintStatus::Investigating,
        ComplaintStatus::Decided(Outcome::Upheld),
        ComplaintStatus::Decided(Outcome::PartlyUpheld),
        ComplaintStatus::Decided(Outcome::NotUpheld),
    ];

    /// The stored spelling (a decided complaint is stored as its outcome).
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::Registered => "registered",
            ComplaintStatus::Investigating => "investigating",
            ComplaintStatus::Decided(Outcome::Upheld) => "upheld",
            ComplaintStatus::Decided(Outcome::PartlyUpheld) => "partly_upheld",
            ComplaintStatus::Decided(Outcome::NotUpheld) => "not_upheld",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<ComplaintStatus, CoreError> {
        ComplaintStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "complaint status",
                    s,
                    "expected registered, investigating, upheld, partly_upheld or not_upheld",
                )
            })
    }

    /// Whether attributions may still change.
    pub fn is_open(self) -> bool {
        !matches!(self, ComplaintStatus::Decided(_))
    }

    /// registered → investigating; anything else is refused.
    pub fn start_investigation(self) -> Result<ComplaintStatus, CoreError> {
        match self {
            ComplaintStatus::Registered => Ok(ComplaintStatus::Investigating),
            s => Err(refused(s, ComplaintStatus::Investigating, "not registered")),
        }
    }

    /// Attributions are added, removed, marked and resolved only while investigating.
    pub fn ensure_investigating(self) -> Result<(), CoreError> {
        match self {
            ComplaintStatus::Investigating => Ok(()),
            s => Err(CoreError::InvalidTransition {
                what: "complaint",
                from: s.as_str().into(),
                to: "investigating".into(),
                reason: "attributions change only while the complaint is investigated".into(),
            }),
        }
    }
}

fn refused(from: ComplaintStatus, to: ComplaintStatus, reason: &str) -> CoreError {
    CoreError::InvalidTransition {
        what: "complaint",
        from: from.as_str().into(),
        to: to.as_str().into(),
        reason: reason.into(),
    }
}

/// One attribution as the decision sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Stored id.
    pub id: i64,
    /// The employee held responsible.
    pub employee_id: i64,
    /// Removed attributions are kept (with their reason) but count for nothing.
    pub removed: bool,
    /// Marked upheld by the investigator (used by a partly upheld decision).
    pub upheld: bool,
    /// The cross-check when it was recorded.
    pub check: CrossCheck,
    /// The written resolution of a mismatch, if any.
    pub resolution: Option<String>,
}

impl Attribution {
    fn blocks(&self) -> bool {
        !self.check.is_ok()
            && self
                .resolution
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
    }
}

/// Decides an investigated complaint: the ids of the attributions that become findings.
/// Upheld needs at least one active attribution, partly upheld at least one marked upheld;
/// an attribution becoming a finding must have no unresolved cross-check mismatch.
pub fn decide(
    status: ComplaintStatus,
    outcome: Outcome,
    attributions: &[Attribution],
) -> Result<Vec<i64>, CoreError> {
    let to = ComplaintStatus::Decided(outcome);
    if status != ComplaintStatus::Investigating {
        return Err(refused(
            status,
            to,
            "only an investigated complaint is decided",
        ));
    }
    let active = attributions.iter().filter(|a| !a.removed);
    let chosen: Vec<&Attribution> = match outcome {
        Outcome::NotUpheld => return Ok(Vec::new()),
        Outcome::Upheld => active.collect(),
        Outcome::PartlyUpheld => active.filter(|a| a.upheld).collect(),
    };
    if chosen.is_empty() {
        let reason = match outcome {
            Outcome::Upheld => "upholding needs at least one attribution",
            _ => "partly upholding needs at least one attribution marked upheld",
        };
        return Err(refused(status, to, reason));
    }
    if let Some(a) = chosen.iter().find(|a| a.blocks()) {
        return Err(refused(
            status,
            to,
            &format!(
                "attribution {} has an unresolved cross-check mismatch; resolve it in writing first",
                a.id
            ),
        ));
    }
    Ok(chosen.iter().map(|a| a.id).collect())
}

/// Checks a written reason (for a removal or a mismatch resolution).
pub fn reason(what: &'static str, s: &str) -> Result<String, CoreError> {
    required_text(what, s, 1000)
}

/// A service record of the kinds a stage's staff come from, as the cross-check reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// Its kind.
    pub kind: StaffSource,
    /// Who served (none for an unassigned record).
    pub employee_id: Option<i64>,
    /// The customer, if the record names one (work records never do).
    pub customer_id: Option<String>,
    /// When it started.
    pub at: NaiveDateTime,
}

/// How far apart in calendar days a record and the claimed service may be; 0 = the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tolerance {
    /// Days either side.
    pub days: u32,
}

impl Tolerance {
    fn within(self, a: NaiveDate, b: NaiveDate) -> bool {
        (a - b).num_days().unsigned_abs() <= u64::from(self.days)
    }
}

/// Why an attribution does not match the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// The complaint names no customer, so nothing can be checked.
    NoCustomer,
    /// The stage's staff are outside the records (clinicians, technicians…).
    StageHasNoRecords,
    /// No record of this employee around that time for anyone.
    NoRecord,
    /// The employee served this customer, but on another stage (record kind).
    NotThisStage,
    /// The employee served this customer on this stage, but not around that time.
    NotThisTime,
    /// The employee worked this stage around that time, but for other customers.
    NotThisCustomer,
}

impl Mismatch {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Mismatch::NoCustomer => "no_customer",
            Mismatch::StageHasNoRecords => "stage_has_no_records",
            Mismatch::NoRecord => "no_record",
            Mismatch::NotThisStage => "not_this_stage",
            Mismatch::NotThisTime => "not_this_time",
            Mismatch::NotThisCustomer => "not_this_customer",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<Mismatch, CoreError> {
        use Mismatch::*;
        [
            NoCustomer,
            StageHasNoRecords,
            NoRecord,
            NotThisStage,
            NotThisTime,
            NotThisCustomer,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
        .ok_or_else(|| CoreError::invalid("cross-check result", s, "unknown mismatch"))
    }
}

/// The cross-check of one attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", content = "mismatch", rename_all = "snake_case")]
pub enum CrossCheck {
    /// A record shows this employee on this stage, around that time, for this customer.
    Ok,
    /// It does not; the reason says which part fails.
    Mismatch(Mismatch),
}

impl CrossCheck {
    /// Whether the records confirm the attribution.
    pub fn is_ok(self) -> bool {
        self == CrossCheck::Ok
    }

    /// The stored spelling: `ok` or the mismatch's.
    pub fn as_str(self) -> &'static str {
        match self {
            CrossCheck::Ok => "ok",
            CrossCheck::Mismatch(m) => m.as_str(),
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<CrossCheck, CoreError> {
        if s == "ok" {
            Ok(CrossCheck::Ok)
        } else {
            Mismatch::parse(s).map(CrossCheck::Mismatch)
        }
    }
}

/// What an attribution claims: `employee_id` served `customer_id` on a stage whose staff come
/// from `source`, at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim<'a> {
    /// The employee.
    pub employee_id: i64,
    /// The stage's record kind.
    pub source: StaffSource,
    /// When the service happened, as the complaint says.
    pub at: NaiveDateTime,
    /// The customer, if the complaint names one.
    pub customer_id: Option<&'a str>,
}

/// Checks a claim against the records of the employee and of the customer around that time
/// (the caller may pass more; the rest are ignored). A record without a customer cannot
/// contradict the customer. The most specific failure is reported: other stage, other time,
/// other customer, then no record at all.
pub fn cross_check(claim: &Claim<'_>, records: &[ServiceRecord], tol: Tolerance) -> CrossCheck {
    use CrossCheck::Mismatch as M;
    if claim.source == StaffSource::None {
        return M(Mismatch::StageHasNoRecords);
    }
    let Some(customer) = claim.customer_id else {
        return M(Mismatch::NoCustomer);
    };
    let day = claim.at.date();
    let mine: Vec<&ServiceRecord> = records
        .iter()
        .filter(|r| r.employee_id == Some(claim.employee_id))
        .collect();
    let for_customer = |r: &&&ServiceRecord| r.customer_id.as_deref().is_none_or(|c| c == customer);
    let on_stage = |r: &&&ServiceRecord| r.kind == claim.source;
    let in_time = |r: &&&ServiceRecord| tol.within(r.at.date(), day);
    let any = |f: &dyn Fn(&&&ServiceRecord) -> bool| mine.iter().any(|r| f(&r));
    if any(&|r| for_customer(r) && on_stage(r) && in_time(r)) {
        CrossCheck::Ok
    } else if any(&|r| r.customer_id.is_some() && for_customer(r) && !on_stage(r) && in_time(r)) {
        M(Mismatch::NotThisStage)
    } else if any(&|r| for_customer(r) && on_stage(r)) {
        M(Mismatch::NotThisTime)
    } else if any(&|r| on_stage(r) && in_time(r)) {
        M(Mismatch::NotThisCustomer)
    } else {
        M(Mismatch::NoRecord)
    }
}

#[cfg(test)]
mod tests;
