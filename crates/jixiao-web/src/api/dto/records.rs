//! Source records, as the API shows them.

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::record::{CallRecord, QaRecord, SurveyRecord};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

/// One interaction (call, chat or e-mail).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCall {
    /// Source system.
    pub source: String,
    /// The source system's id.
    pub record_id: String,
    /// When offered, center local time.
    pub started_at: NaiveDateTime,
    /// The agent as the source named them; null when abandoned.
    pub employee_no: Option<String>,
    /// Business type code.
    pub business_type: String,
    /// Customer.
    pub customer_id: Option<String>,
    /// `answered`, `transferred`, `abandoned`, `callback`.
    pub outcome: String,
    /// `voice`, `chat` or `email`.
    pub channel: String,
    /// Seconds in queue.
    pub wait_secs: u32,
    /// Seconds talking.
    pub talk_secs: u32,
    /// Seconds on hold.
    pub hold_secs: u32,
    /// Seconds of after-call work.
    pub acw_secs: u32,
}

impl From<CallRecord> for ApiCall {
    fn from(c: CallRecord) -> Self {
        ApiCall {
            source: c.source,
            record_id: c.record_id,
            started_at: c.started_at,
            employee_no: c.employee_no.map(|e| e.to_string()),
            business_type: c.business_type.to_string(),
            customer_id: c.customer_id,
            outcome: c.outcome.as_str().to_string(),
            channel: c.channel.as_str().to_string(),
            wait_secs: c.wait_secs,
            talk_secs: c.talk_secs,
            hold_secs: c.hold_secs,
            acw_secs: c.acw_secs,
        }
    }
}

/// One satisfaction survey answer (1–5).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSurvey {
    /// Source system.
    pub source: String,
    /// The survey id.
    pub record_id: String,
    /// The record id of the call it is about.
    pub call_record_id: String,
    /// The agent judged.
    pub employee_no: String,
    /// When answered.
    pub answered_on: NaiveDate,
    /// 1–5.
    pub score: u8,
}

impl From<SurveyRecord> for ApiSurvey {
    fn from(s: SurveyRecord) -> Self {
        ApiSurvey {
            source: s.source,
            record_id: s.record_id,
            call_record_id: s.call_record_id,
            employee_no: s.employee_no.to_string(),
            answered_on: s.answered_on,
            score: s.score,
        }
    }
}

/// One QA review (0–100).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiQa {
    /// Source system.
    pub source: String,
    /// The review id.
    pub record_id: String,
    /// The agent reviewed.
    pub employee_no: String,
    /// The reviewer.
    pub reviewer_no: Option<String>,
    /// Review date.
    pub reviewed_on: NaiveDate,
    /// Score 0–100.
    pub score: Decimal,
    /// A critical failure counts the review as 0.
    pub critical_failure: bool,
    /// The interaction reviewed, as the QA tool names it.
    pub interaction_id: Option<String>,
    /// The QA form.
    pub form: Option<String>,
    /// The form's item scores, in its order (explanation; `score` is what counts).
    pub items: Vec<ApiQaItem>,
}

/// One item of a QA form and its score.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiQaItem {
    /// The item's name on the form.
    pub name: String,
    /// Its score, 0–100.
    pub score: Decimal,
}

impl From<QaRecord> for ApiQa {
    fn from(q: QaRecord) -> Self {
        ApiQa {
            source: q.source,
            record_id: q.record_id,
            employee_no: q.employee_no.to_string(),
            reviewer_no: q.reviewer_no.map(|r| r.to_string()),
            reviewed_on: q.reviewed_on,
            score: q.score,
            critical_failure: q.critical_failure,
            interaction_id: q.interaction_id,
            form: q.form,
            items: q
                .items
                .into_iter()
                .map(|i| ApiQaItem {
                    name: i.name,
                    score: i.score,
                })
                .collect(),
        }
    }
}
