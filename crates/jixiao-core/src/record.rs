//! Source records as they enter the engine, after import validation.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::{EmployeeNo, TypeCode};

/// How an interaction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered and completed by the agent.
    Answered,
    /// Answered, then transferred on; still handled by the agent who answered.
    Transferred,
    /// The customer hung up before an agent answered; not handled by anyone.
    Abandoned,
}

impl Outcome {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Transferred => "transferred",
            Outcome::Abandoned => "abandoned",
        }
    }

    /// Parses the canonical spelling (case-insensitive).
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "answered" => Ok(Outcome::Answered),
            "transferred" => Ok(Outcome::Transferred),
            "abandoned" => Ok(Outcome::Abandoned),
            _ => Err(CoreError::invalid(
                "outcome",
                s,
                "expected answered, transferred or abandoned",
            )),
        }
    }

    /// Whether an agent handled the interaction (it counts towards handled, AHT and points).
    pub fn is_handled(self) -> bool {
        !matches!(self, Outcome::Abandoned)
    }
}

/// One call from the phone system, keyed by (source, record id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The source system, for example `pbx` or `demo`.
    pub source: String,
    /// The source system's own id for the call.
    pub record_id: String,
    /// When the call was offered, in the center's local time.
    pub started_at: NaiveDateTime,
    /// The agent who handled it; `None` for abandoned calls.
    pub employee_no: Option<EmployeeNo>,
    /// The business type, which carries the point coefficient.
    pub business_type: TypeCode,
    /// The customer, for repeat-contact analysis.
    pub customer_id: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Seconds waiting in queue.
    pub wait_secs: u32,
    /// Seconds talking.
    pub talk_secs: u32,
    /// Seconds on hold.
    pub hold_secs: u32,
    /// Seconds of after-call work.
    pub acw_secs: u32,
}

impl CallRecord {
    /// The local date the call counts on.
    pub fn date(&self) -> NaiveDate {
        self.started_at.date()
    }

    /// Talk + hold + after-call work, the handle time used by AHT.
    pub fn handle_secs(&self) -> u64 {
        u64::from(self.talk_secs) + u64::from(self.hold_secs) + u64::from(self.acw_secs)
    }
}

/// A satisfaction survey answer about one call, on a 1–5 scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRecord {
    /// The source system.
    pub source: String,
    /// The source system's survey id.
    pub record_id: String,
    /// The call the survey is about, as (source, record id) of that call.
    pub call_record_id: String,
    /// The agent judged.
    pub employee_no: EmployeeNo,
    /// When answered.
    pub answered_on: NaiveDate,
    /// 1–5.
    pub score: u8,
}

/// A QA review of one agent's interaction, scored 0–100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaRecord {
    /// The source system.
    pub source: String,
    /// The source system's review id.
    pub record_id: String,
    /// The agent reviewed.
    pub employee_no: EmployeeNo,
    /// The reviewer's employee number.
    pub reviewer_no: Option<EmployeeNo>,
    /// The review date.
    pub reviewed_on: NaiveDate,
    /// The form score, 0–100.
    pub score: Decimal,
    /// A critical failure makes the review count as 0.
    pub critical_failure: bool,
}

/// Checks a survey score is on the 1–5 scale.
pub fn check_survey_score(score: i64) -> Result<u8, CoreError> {
    if (1..=5).contains(&score) {
        Ok(score as u8)
    } else {
        Err(CoreError::invalid(
            "survey score",
            &score.to_string(),
            "must be 1 to 5",
        ))
    }
}

/// Checks a QA score is within 0–100.
pub fn check_qa_score(score: Decimal) -> Result<Decimal, CoreError> {
    if score >= Decimal::ZERO && score <= Decimal::ONE_HUNDRED {
        Ok(score)
    } else {
        Err(CoreError::invalid(
            "QA score",
            &score.to_string(),
            "must be 0 to 100",
        ))
    }
}

/// One rejected input row: the row, column, value and reason (the file is the import's).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reject {
    /// 1-based line number in the file (the header is line 1).
    pub row: i64,
    /// Column name.
    pub column: String,
    /// The value as found.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

/// Validated records of one import, each with its file row number, plus the rows already
/// rejected by parsing. The unit a parser hands to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordBatch {
    /// Calls with their file row numbers.
    pub calls: Vec<(i64, CallRecord)>,
    /// Surveys with their file row numbers.
    pub surveys: Vec<(i64, SurveyRecord)>,
    /// QA reviews with their file row numbers.
    pub qa: Vec<(i64, QaRecord)>,
    /// Rows rejected before the store saw them.
    pub rejects: Vec<Reject>,
}
