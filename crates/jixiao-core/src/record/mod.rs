//! Source records as they enter the engine, after import validation: one type per kind, each
//! keyed by (source system, that system's record id) and carrying the date that picks its period.
//!
//! Interactions (calls, chats and e-mails as [`CallRecord`]), surveys and QA reviews are here;
//! the other kinds have a file each: tickets, chat sessions, orders, attendance, work records.

mod attendance;
mod chat;
mod order;
mod ticket;
mod work;

pub use attendance::AttendanceRecord;
pub use chat::ChatRecord;
pub use order::{AMOUNT_DP, OrderRecord, attribute_order, check_amount};
pub use ticket::TicketRecord;
pub use work::{QUANTITY_DP, WorkRecord, check_quantity};

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::{AgentRef, EmployeeNo, TypeCode};

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
    /// The customer asked, while queued, to be called back. Neither handled (no agent served
    /// this contact; the call-back is a contact of its own) nor abandoned (the customer did not
    /// give up), so it counts in neither AHT nor the abandonment rate.
    Callback,
}

impl Outcome {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Transferred => "transferred",
            Outcome::Abandoned => "abandoned",
            Outcome::Callback => "callback",
        }
    }

    /// Parses the canonical spelling (case-insensitive).
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "answered" => Ok(Outcome::Answered),
            "transferred" => Ok(Outcome::Transferred),
            "abandoned" => Ok(Outcome::Abandoned),
            "callback" => Ok(Outcome::Callback),
            _ => Err(CoreError::invalid(
                "outcome",
                s,
                "expected answered, transferred, abandoned or callback",
            )),
        }
    }

    /// Whether an agent handled the interaction (it counts towards handled, AHT and points).
    pub fn is_handled(self) -> bool {
        matches!(self, Outcome::Answered | Outcome::Transferred)
    }

    /// Whether the customer gave up waiting (a call-back request is not abandoning).
    pub fn is_abandoned(self) -> bool {
        matches!(self, Outcome::Abandoned)
    }
}

/// The channel an interaction came through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call: the default, and what every file without a channel column holds.
    #[default]
    Voice,
    /// An online chat.
    Chat,
    /// An e-mail.
    Email,
}

impl Channel {
    /// Every channel, in canonical order.
    pub const ALL: [Channel; 3] = [Channel::Voice, Channel::Chat, Channel::Email];

    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
        }
    }

    /// Parses the canonical spelling (case-insensitive).
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        let t = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| t.eq_ignore_ascii_case(c.as_str()))
            .ok_or_else(|| CoreError::invalid("channel", s, "expected voice, chat or email"))
    }
}

/// One interaction (a call, a chat or an e-mail), keyed by (source, record id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The source system, for example `pbx` or `demo`.
    pub source: String,
    /// The source system's own id for the call.
    pub record_id: String,
    /// When the call was offered, in the center's local time.
    pub started_at: NaiveDateTime,
    /// The agent who handled it, as the source names them; `None` for abandoned calls.
    pub employee_no: Option<AgentRef>,
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
    /// Voice, chat or e-mail; records stored before channels existed are voice.
    #[serde(default)]
    pub channel: Channel,
    /// The queue (skill group, hunt group) the interaction waited in, if the source says.
    #[serde(default)]
    pub queue: Option<String>,
    /// Where a transferred interaction went (a queue, an agent, a number), if the source says.
    #[serde(default)]
    pub transfer_to: Option<String>,
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
    /// The agent judged, as the source names them.
    pub employee_no: AgentRef,
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
    /// The agent reviewed, as the source names them.
    pub employee_no: AgentRef,
    /// The reviewer's employee number.
    pub reviewer_no: Option<EmployeeNo>,
    /// The review date.
    pub reviewed_on: NaiveDate,
    /// The form score, 0–100.
    pub score: Decimal,
    /// A critical failure makes the review count as 0.
    pub critical_failure: bool,
    /// The interaction reviewed, as the source system names it (a call's or chat's record
    /// id), if the QA tool says.
    #[serde(default)]
    pub interaction_id: Option<String>,
    /// The QA form the review was scored on, if the QA tool says.
    #[serde(default)]
    pub form: Option<String>,
    /// The form's item scores, in the form's order (explanation only: `score` is what counts).
    #[serde(default)]
    pub items: Vec<QaItem>,
}

/// One item of a QA form and its score, e.g. `greeting` 10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaItem {
    /// The item's name on the form.
    pub name: String,
    /// Its score, 0–100.
    pub score: Decimal,
}

impl QaItem {
    /// Reads `name=score;name=score…` (blank parts ignored; names trimmed, 1–64 characters,
    /// without `=` or `;`; scores 0–100 as decimals): the canonical file's `item_scores`.
    pub fn parse_list(text: &str) -> Result<Vec<QaItem>, CoreError> {
        let bad = |reason: &str| CoreError::invalid("QA item scores", text, reason);
        let mut items = Vec::new();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, score) = part
                .split_once('=')
                .ok_or_else(|| bad("expected items like greeting=10;empathy=8.5"))?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 64 {
                return Err(bad("each item needs a name of 1 to 64 characters"));
            }
            let score = score
                .trim()
                .parse::<Decimal>()
                .map_err(|_| bad("each item's score must be a number like 8.5"))?;
            if score < Decimal::ZERO || score > Decimal::ONE_HUNDRED {
                return Err(bad("each item's score must be 0 to 100"));
            }
            items.push(QaItem {
                name: name.to_string(),
                score,
            });
        }
        Ok(items)
    }

    /// Writes items as [`QaItem::parse_list`] reads them; empty for no items.
    pub fn format_list(items: &[QaItem]) -> String {
        items
            .iter()
            .map(|i| format!("{}={}", i.name, i.score))
            .collect::<Vec<_>>()
            .join(";")
    }
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
/// rejected by parsing. The unit a parser hands to the store. Build it with
/// `..RecordBatch::default()` so that a new kind does not break every literal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordBatch {
    /// Calls with their file row numbers.
    pub calls: Vec<(i64, CallRecord)>,
    /// Surveys with their file row numbers.
    pub surveys: Vec<(i64, SurveyRecord)>,
    /// QA reviews with their file row numbers.
    pub qa: Vec<(i64, QaRecord)>,
    /// Tickets (work orders) with their file row numbers.
    pub tickets: Vec<(i64, TicketRecord)>,
    /// Chat sessions with their file row numbers.
    pub chats: Vec<(i64, ChatRecord)>,
    /// Orders with their file row numbers.
    pub orders: Vec<(i64, OrderRecord)>,
    /// Attendance records with their file row numbers.
    pub attendance: Vec<(i64, AttendanceRecord)>,
    /// Work records with their file row numbers.
    pub work: Vec<(i64, WorkRecord)>,
    /// Rows rejected before the store saw them.
    pub rejects: Vec<Reject>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qa_items_read_back_as_written_and_bad_lists_are_refused() {
        let items = QaItem::parse_list(" greeting = 10 ;empathy=8.50;; 问候语=0 ").unwrap();
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["greeting", "empathy", "问候语"]);
        assert_eq!(items[1].score.to_string(), "8.50");
        let text = QaItem::format_list(&items);
        assert_eq!(text, "greeting=10;empathy=8.50;问候语=0");
        assert_eq!(QaItem::parse_list(&text).unwrap(), items);
        assert_eq!(QaItem::parse_list("").unwrap(), []);
        for bad in ["greeting", "=5", "a=x", "a=101", "a=-1"] {
            assert!(QaItem::parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_callback_request_is_neither_handled_nor_abandoned() {
        let o = Outcome::parse("Callback").unwrap();
        assert_eq!(o, Outcome::Callback);
        assert!(!o.is_handled());
        assert!(!o.is_abandoned());
        assert!(Outcome::Abandoned.is_abandoned());
        assert!(Outcome::Transferred.is_handled());
    }

    #[test]
    fn channels_round_trip_and_default_to_voice() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(&c.as_str().to_uppercase()).unwrap(), c);
        }
        assert_eq!(Channel::default(), Channel::Voice);
        assert!(Channel::parse("fax").is_err());
    }

    #[test]
    fn a_call_stored_before_channels_existed_reads_back_as_voice() {
        let json = r#"{"source":"pbx","record_id":"1","started_at":"2026-10-01T09:00:00",
            "employee_no":"A001","business_type":"INQ","customer_id":null,"outcome":"answered",
            "wait_secs":1,"talk_secs":2,"hold_secs":0,"acw_secs":0}"#;
        let call: CallRecord = serde_json::from_str(json).unwrap();
        assert_eq!(call.channel, Channel::Voice);
        assert_eq!((call.queue, call.transfer_to), (None, None));
    }
}
