//! The demo's fairness data: one service-journey line 咨询 → 受理 → 服务 → 回访, a few
//! journeys with their surveys, and a few complaints, all about real calls of one month so
//! that the complaint cross-check finds each attributed agent serving that customer then.
//!
//! Pure and deterministic like the rest of the demo: the same center, month and calls always
//! give the same plan. Every date (surveys, registrations, decisions) falls inside the month,
//! which the demo leaves open, so the findings count on that month's scorecards.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use jixiao_core::Period;
use jixiao_core::fairness::{Outcome, StaffSource};
use jixiao_core::record::{CallRecord, Outcome as CallOutcome};

use super::rng::Rng;
use super::{DemoCenter, tag, yyyymm};

/// The journey line's code.
pub const LINE_CODE: &str = "repair";

/// A stage of the demo line: code, name, where its staff come from.
pub type DemoStage = (&'static str, &'static str, StaffSource);

/// 咨询 consultation → 受理 reception → 服务 delivery (field staff, entered by hand) → 回访
/// follow-up.
pub const STAGES: [DemoStage; 4] = [
    ("consult", "咨询", StaffSource::Calls),
    ("receive", "受理", StaffSource::Calls),
    ("deliver", "服务", StaffSource::None),
    ("follow_up", "回访", StaffSource::Calls),
];

/// Index of the reception stage in [`STAGES`], where the demo's complaints are attributed.
pub const RECEPTION: usize = 1;

/// An employee on a stage of a journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoParticipant {
    /// Index in [`STAGES`].
    pub stage: usize,
    /// The employee.
    pub employee_no: String,
    /// The record they were taken from (`calls:{source}:{id}`), `None` when entered by hand.
    pub record_ref: Option<String>,
}

/// One stage's answer in a survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAnswer {
    /// Index in [`STAGES`].
    pub stage: usize,
    /// 1–5.
    pub rating: u8,
    /// A problem the customer named.
    pub problem: Option<String>,
    /// Their words.
    pub comment: Option<String>,
}

/// A journey survey, run by a proxy agent who served none of its stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSurvey {
    /// The proxy.
    pub proxy_no: String,
    /// `call` or `online`.
    pub channel: &'static str,
    /// The survey day (inside the month).
    pub surveyed_on: NaiveDate,
    /// One answer per stage.
    pub answers: Vec<DemoAnswer>,
}

/// One customer's journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoJourney {
    /// The customer.
    pub customer_id: String,
    /// The service day.
    pub served_on: NaiveDate,
    /// An order number.
    pub reference: String,
    /// Staff per stage.
    pub staff: Vec<DemoParticipant>,
    /// The survey, if run.
    pub survey: Option<DemoSurvey>,
}

/// How a complaint was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDecision {
    /// The outcome.
    pub outcome: Outcome,
    /// The written reason.
    pub reason: String,
    /// The decision day, whose period the findings count in.
    pub decided_on: NaiveDate,
}

/// A complaint about one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoComplaint {
    /// How it came in.
    pub channel: &'static str,
    /// The customer.
    pub customer_id: String,
    /// When the service happened (the call's start).
    pub occurred_at: NaiveDateTime,
    /// What the customer says.
    pub summary: String,
    /// The day it was registered.
    pub registered_on: NaiveDate,
    /// The call: source and record id.
    pub call: (String, String),
    /// The agent the investigation attributes the reception stage to (`None`: not
    /// investigated yet).
    pub attributed_no: Option<String>,
    /// The decision (`None`: still open).
    pub decision: Option<DemoDecision>,
}

/// The month's fairness data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFairness {
    /// The month.
    pub period: Period,
    /// Journeys, the last one not surveyed yet.
    pub journeys: Vec<DemoJourney>,
    /// Complaints: upheld, not upheld, still registered.
    pub complaints: Vec<DemoComplaint>,
}

const JOURNEYS: usize = 4;
const COMPLAINTS: usize = 3;

/// Plans the fairness data of `period` from its `calls` (as [`DemoCenter::calls_for`] gives
/// them). `None` when the month has too few handled calls with a customer by distinct agents.
pub fn plan(center: &DemoCenter, period: Period, calls: &[CallRecord]) -> Option<DemoFairness> {
    let last = period.last_day();
    // Calls early enough that a survey (+2 days) and a decision (+5) stay inside the month.
    let eligible: Vec<&CallRecord> = calls
        .iter()
        .filter(|c| c.outcome == CallOutcome::Answered)
        .filter(|c| c.customer_id.is_some() && c.employee_no.is_some())
        .filter(|c| c.date() + Duration::days(5) <= last)
        .collect();
    let mut rng = Rng::new(center.seed, &[tag::FAIRNESS, yyyymm(period)]);
    // Distinct agents: one call each for journeys and complaints, then staff and proxies.
    let mut picked: Vec<&CallRecord> = Vec::new();
    let wanted = JOURNEYS + COMPLAINTS;
    for _ in 0..eligible.len().min(50 * wanted) {
        if picked.len() == wanted {
            break;
        }
        let c = eligible[rng.below(eligible.len() as u64) as usize];
        if !picked.iter().any(|p| agent(p) == agent(c)) {
            picked.push(c);
        }
    }
    if picked.len() < wanted {
        return None;
    }
    let mut others = center
        .memberships
        .iter()
        .map(|m| m.employee_no.as_str())
        .filter(|no| !picked.iter().any(|p| agent(p) == *no))
        .collect::<Vec<_>>();
    others.sort_unstable();
    others.dedup();
    if others.len() < 3 * JOURNEYS {
        return None;
    }
    let mut other = |rng: &mut Rng| -> String {
        let at = rng.below(others.len() as u64) as usize;
        others.remove(at).to_string()
    };
    let (journey_calls, complaint_calls) = picked.split_at(JOURNEYS);
    let journeys = journey_calls
        .iter()
        .enumerate()
        .map(|(n, c)| journey(n, c, other(&mut rng), other(&mut rng), other(&mut rng)))
        .collect();
    let complaints = complaint_calls
        .iter()
        .enumerate()
        .map(|(n, c)| complaint(n, c))
        .collect();
    Some(DemoFairness {
        period,
        journeys,
        complaints,
    })
}

fn agent(c: &CallRecord) -> &str {
    c.employee_no.as_ref().map_or("", |a| a.as_str())
}

fn call_ref(c: &CallRecord) -> String {
    format!("calls:{}:{}", c.source, c.record_id)
}

/// Journey `n`: the call's agent consulted and received, `field` delivered, `follow` followed
/// up, `proxy` ran the survey. Journey 1 has a deficient reception (a finding on the agent);
/// the last is not surveyed yet.
fn journey(n: usize, c: &CallRecord, field: String, follow: String, proxy: String) -> DemoJourney {
    let served_on = c.date();
    let from_call = |stage| DemoParticipant {
        stage,
        employee_no: agent(c).to_string(),
        record_ref: Some(call_ref(c)),
    };
    let by_hand = |stage, no: String| DemoParticipant {
        stage,
        employee_no: no,
        record_ref: None,
    };
    let ratings: [u8; 4] = match n {
        0 => [5, 5, 4, 5],
        1 => [4, 2, 5, 4],
        _ => [5, 4, 4, 5],
    };
    let answers = ratings
        .into_iter()
        .enumerate()
        .map(|(stage, rating)| DemoAnswer {
            stage,
            rating,
            problem: (rating < 3).then(|| "未告知上门时间 (no visit time given)".to_string()),
            comment: (rating >= 5).then(|| "满意 (satisfied)".to_string()),
        })
        .collect();
    let survey = (n + 1 < JOURNEYS).then(|| DemoSurvey {
        proxy_no: proxy,
        channel: if n.is_multiple_of(2) {
            "call"
        } else {
            "online"
        },
        surveyed_on: served_on + Duration::days(2),
        answers,
    });
    DemoJourney {
        customer_id: c.customer_id.clone().unwrap_or_default(),
        served_on,
        reference: format!("WX{}{:02}{:03}", served_on.year(), served_on.month(), n + 1),
        staff: vec![
            from_call(0),
            from_call(RECEPTION),
            by_hand(2, field),
            by_hand(3, follow),
        ],
        survey,
    }
}

/// Complaint `n` about call `c`: 0 upheld, 1 not upheld, 2 registered and still open.
fn complaint(n: usize, c: &CallRecord) -> DemoComplaint {
    let day = c.date();
    let decided = |outcome, reason: &str| DemoDecision {
        outcome,
        reason: reason.to_string(),
        decided_on: day + Duration::days(5),
    };
    let (summary, decision) = match n {
        0 => (
            "受理时态度生硬，未登记故障 (curt at reception, fault not logged)",
            Some(decided(
                Outcome::Upheld,
                "录音核实：未登记故障 (the recording confirms the fault was not logged)",
            )),
        ),
        1 => (
            "客服未回电 (the agent did not call back)",
            Some(decided(
                Outcome::NotUpheld,
                "录音显示已按流程约定回电时间 (the recording shows a call-back time was agreed)",
            )),
        ),
        _ => ("等待时间过长 (waited too long)", None),
    };
    DemoComplaint {
        channel: if n == 1 { "online" } else { "phone" },
        customer_id: c.customer_id.clone().unwrap_or_default(),
        occurred_at: c.started_at,
        summary: summary.to_string(),
        registered_on: day + Duration::days(1),
        call: (c.source.clone(), c.record_id.clone()),
        attributed_no: decision.is_some().then(|| agent(c).to_string()),
        decision,
    }
}
