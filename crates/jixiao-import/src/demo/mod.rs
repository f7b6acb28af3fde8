//! A deterministic, seeded generator of a realistic call center: four departments, about 20
//! teams and 300 agents by default, and months of calls, survey answers and QA reviews.
//!
//! The same seed gives the same center, forever: the random stream is our own
//! ([`rng`]), every month is generated from the seed and the month alone (so months can be
//! generated independently and in any order), and floats only shape durations and counts,
//! never money.

mod calls;
mod catalog;
pub mod fairness;
mod names;
mod org;
mod qa;
pub mod rng;

use chrono::NaiveDate;
use jixiao_core::Period;
use jixiao_core::org::{EmployeeNo, TypeCode};
use jixiao_core::record::{CallRecord, QaRecord, SurveyRecord};
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;

pub use catalog::TYPES;
pub use catalog::{SENIOR_POSITION, loaded_position, position_schemes};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoParams {
    /// The seed: the same seed (and parameters) gives the same center.
    pub seed: u64,
    /// The months to generate; staff move teams in the middle one.
    pub months: Vec<Period>,
    /// Agents, not counting the supervisors (about one per 15 agents).
    pub agents: u32,
    /// Scales the workload so a month has about this many call records (for benchmarks);
    /// `None` keeps realistic volumes (about 75,000 calls per 100 agents per month).
    pub target_calls_per_month: Option<u64>,
}

impl Default for DemoParams {
    fn default() -> Self {
        let month = |m| Period::new(2026, m).expect("valid month");
        DemoParams {
            seed: 2026,
            months: vec![month(8), month(9), month(10)],
            agents: 300,
            target_calls_per_month: None,
        }
    }
}

/// A department of the demo center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDepartment {
    /// Stable code, for example `CALL`.
    pub code: String,
    /// Display name, for example 话务部.
    pub name: String,
}

/// A team of the demo center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTeam {
    /// Stable code, for example `CALL-03`.
    pub code: String,
    /// Display name, for example 话务三组.
    pub name: String,
    /// The department's code.
    pub department_code: String,
    /// The supervisor's employee number.
    pub supervisor_no: Option<String>,
}

/// A person of the demo center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEmployee {
    /// Employee number (agents `A00001…`, supervisors `S0001…`).
    pub employee_no: String,
    /// Chinese name.
    pub name: String,
    /// `agent` or `supervisor`.
    pub position: String,
    /// Hire date.
    pub hire_date: NaiveDate,
    /// The department of their first team.
    pub department_code: String,
}

/// An agent's membership of a team, both dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoMembership {
    /// The agent.
    pub employee_no: String,
    /// The team's code.
    pub team_code: String,
    /// First day in the team.
    pub valid_from: NaiveDate,
    /// Last day in the team; `None` while still there.
    pub valid_to: Option<NaiveDate>,
}

/// A generated center: the organisation and rules, plus generators of each month's records.
#[derive(Debug, Clone)]
pub struct DemoCenter {
    /// Departments.
    pub departments: Vec<DemoDepartment>,
    /// Teams, each with a supervisor.
    pub teams: Vec<DemoTeam>,
    /// Supervisors first, then agents.
    pub employees: Vec<DemoEmployee>,
    /// Agents' team memberships; supervisors lead through `DemoTeam::supervisor_no`.
    pub memberships: Vec<DemoMembership>,
    /// Business types: code, name and point coefficient.
    pub business_types: Vec<(TypeCode, String, Decimal)>,
    /// Per department code: its scheme and unit price in 元 per point.
    pub schemes: Vec<(String, Scheme, Decimal)>,
    seed: u64,
    agents: Vec<org::Agent>,
    reviewers: Vec<EmployeeNo>,
    type_codes: Vec<TypeCode>,
    /// Multiplies every agent's daily volume (1.0 unless a target was set).
    volume_scale: f64,
}

impl DemoCenter {
    /// Generates the organisation and rules; records come from the `*_for` methods.
    pub fn generate(params: &DemoParams) -> Self {
        org::build(params)
    }

    /// The calls of one month, in generation order, ids `D{yyyymm}-{seq}`.
    pub fn calls_for(&self, period: Period) -> Vec<CallRecord> {
        calls::month(self, period, true).0
    }

    /// The calls and the survey answers of one month from one simulation run; the same
    /// records as [`DemoCenter::calls_for`] and [`DemoCenter::surveys_for`], at half the cost.
    pub fn month_records(&self, period: Period) -> (Vec<CallRecord>, Vec<SurveyRecord>) {
        calls::month(self, period, true)
    }

    /// The survey answers of one month (about 9 % of handled calls), ids `S{yyyymm}-{seq}`.
    pub fn surveys_for(&self, period: Period) -> Vec<SurveyRecord> {
        calls::month(self, period, false).1
    }

    /// The fairness data of one month (a journey line, journeys with surveys, complaints)
    /// about its `calls`; see [`fairness::plan`].
    pub fn fairness_for(
        &self,
        period: Period,
        calls: &[CallRecord],
    ) -> Option<fairness::DemoFairness> {
        fairness::plan(self, period, calls)
    }

    /// The QA reviews of one month (6–10 per working agent), ids `Q{yyyymm}-{seq}`.
    pub fn qa_for(&self, period: Period) -> Vec<QaRecord> {
        qa::month(self, period)
    }
}

/// Stream tags, so that each kind of decision draws from its own stream.
mod tag {
    pub const ORG: u64 = 1;
    pub const CALLS: u64 = 2;
    pub const QA: u64 = 3;
    pub const ABSENT: u64 = 4;
    pub const CUSTOMER: u64 = 5;
    pub const MOVES: u64 = 6;
    pub const FAIRNESS: u64 = 7;
}

/// `yyyymm` of a period, as used in ids and stream tags.
fn yyyymm(p: Period) -> u64 {
    p.year() as u64 * 100 + u64::from(p.month())
}
