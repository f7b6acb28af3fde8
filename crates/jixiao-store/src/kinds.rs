//! How each kind of source record maps to its table: key, date, checks and columns. Calls,
//! surveys and QA reviews are here; the newer kinds have a file each under `kinds/`, with the
//! queries that list them.

mod attendance;
mod chats;
mod orders;
mod tickets;
mod work;

use std::collections::HashSet;

use chrono::NaiveDate;
use jixiao_core::money::to_scaled;
use jixiao_core::org::AgentRef;
use jixiao_core::record::{CallRecord, QaItem, QaRecord, SurveyRecord};

use crate::dialect::Col;

/// QA scores are stored ×10².
pub(crate) const QA_SCALE: u32 = 2;

/// One resolved record on its way into its table.
pub(crate) struct Item<'a, T> {
    pub row: i64,
    pub period: String,
    pub employee_id: Option<i64>,
    /// A kind-specific scaled value (the QA score ×100); 0 for other kinds.
    pub scaled: i64,
    pub rec: &'a T,
}

/// A reject found by [`Kind::check`]: column, value, reason.
pub(crate) type Problem = (&'static str, String, String);

/// A kind of source record.
pub(crate) trait Kind {
    const TABLE: &'static str;
    /// The column a closed-period reject names.
    const DATE_COLUMN: &'static str;
    /// Insert columns, in the order [`Kind::columns`] returns them.
    const COLUMNS: &'static [&'static str];
    fn key(&self) -> (&str, &str);
    fn date(&self) -> NaiveDate;
    fn date_value(&self) -> String;
    /// The agent as the source names them; `None` when the record is nobody's.
    fn employee_no(&self) -> Option<&AgentRef>;
    /// Store-side checks; returns the kind-specific scaled value.
    fn check(&self, types: &HashSet<String>) -> Result<i64, Problem>;
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col>
    where
        Self: Sized;
}

fn text<T>(items: &[Item<'_, T>], f: impl Fn(&Item<'_, T>) -> String) -> Col {
    Col::Text(items.iter().map(f).collect())
}

fn int<T>(items: &[Item<'_, T>], f: impl Fn(&Item<'_, T>) -> i64) -> Col {
    Col::Int(items.iter().map(f).collect())
}

fn opt_text<T>(items: &[Item<'_, T>], f: impl Fn(&Item<'_, T>) -> Option<String>) -> Col {
    Col::OptText(items.iter().map(f).collect())
}

fn opt_int<T>(items: &[Item<'_, T>], f: impl Fn(&Item<'_, T>) -> Option<i64>) -> Col {
    Col::OptInt(items.iter().map(f).collect())
}

/// The resolved employee ids of `items`.
fn employee_ids<T>(items: &[Item<'_, T>]) -> Col {
    Col::OptInt(items.iter().map(|i| i.employee_id).collect())
}

/// The periods and dates of `items` (the two columns every record table starts with after its
/// key).
fn period_and_date<T: Kind>(items: &[Item<'_, T>]) -> [Col; 2] {
    [
        text(items, |i| i.period.clone()),
        Col::Date(items.iter().map(|i| i.rec.date()).collect()),
    ]
}

/// The (source, record_id) key columns of `items`.
fn key_columns<T: Kind>(items: &[Item<'_, T>]) -> [Col; 2] {
    [
        text(items, |i| i.rec.key().0.to_string()),
        text(items, |i| i.rec.key().1.to_string()),
    ]
}

/// Checks an optional business type is known; `Ok(0)` when absent or known.
fn known_type(
    code: Option<&jixiao_core::org::TypeCode>,
    types: &HashSet<String>,
) -> Result<i64, Problem> {
    match code {
        Some(c) if !types.contains(c.as_str()) => Err((
            "business_type",
            c.to_string(),
            "unknown business type".into(),
        )),
        _ => Ok(0),
    }
}

impl Kind for CallRecord {
    const TABLE: &'static str = "calls";
    const DATE_COLUMN: &'static str = "started_at";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "started_at",
        "employee_id",
        "business_type",
        "customer_id",
        "outcome",
        "wait_secs",
        "talk_secs",
        "hold_secs",
        "acw_secs",
        "channel",
        "queue",
        "transfer_to",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        CallRecord::date(self)
    }
    fn date_value(&self) -> String {
        self.started_at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        self.employee_no.as_ref()
    }
    fn check(&self, types: &HashSet<String>) -> Result<i64, Problem> {
        known_type(Some(&self.business_type), types)
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        vec![
            text(items, |i| i.rec.source.clone()),
            text(items, |i| i.rec.record_id.clone()),
            text(items, |i| i.period.clone()),
            Col::Date(items.iter().map(|i| i.rec.date()).collect()),
            Col::Ts(items.iter().map(|i| i.rec.started_at).collect()),
            Col::OptInt(items.iter().map(|i| i.employee_id).collect()),
            text(items, |i| i.rec.business_type.to_string()),
            Col::OptText(items.iter().map(|i| i.rec.customer_id.clone()).collect()),
            text(items, |i| i.rec.outcome.as_str().to_string()),
            int(items, |i| i.rec.wait_secs.into()),
            int(items, |i| i.rec.talk_secs.into()),
            int(items, |i| i.rec.hold_secs.into()),
            int(items, |i| i.rec.acw_secs.into()),
            text(items, |i| i.rec.channel.as_str().to_string()),
            opt_text(items, |i| i.rec.queue.clone()),
            opt_text(items, |i| i.rec.transfer_to.clone()),
            int(items, |_| import_id),
        ]
    }
}

impl Kind for SurveyRecord {
    const TABLE: &'static str = "surveys";
    const DATE_COLUMN: &'static str = "answered_on";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "call_record_id",
        "employee_id",
        "score",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        self.answered_on
    }
    fn date_value(&self) -> String {
        self.answered_on.to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        Some(&self.employee_no)
    }
    fn check(&self, _: &HashSet<String>) -> Result<i64, Problem> {
        Ok(0)
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        vec![
            text(items, |i| i.rec.source.clone()),
            text(items, |i| i.rec.record_id.clone()),
            text(items, |i| i.period.clone()),
            Col::Date(items.iter().map(|i| i.rec.answered_on).collect()),
            text(items, |i| i.rec.call_record_id.clone()),
            Col::OptInt(items.iter().map(|i| i.employee_id).collect()),
            int(items, |i| i.rec.score.into()),
            int(items, |_| import_id),
        ]
    }
}

impl Kind for QaRecord {
    const TABLE: &'static str = "qa_reviews";
    const DATE_COLUMN: &'static str = "reviewed_on";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "employee_id",
        "reviewer_no",
        "score",
        "critical_failure",
        "interaction_id",
        "form",
        "item_scores",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        self.reviewed_on
    }
    fn date_value(&self) -> String {
        self.reviewed_on.to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        Some(&self.employee_no)
    }
    fn check(&self, _: &HashSet<String>) -> Result<i64, Problem> {
        to_scaled(self.score, QA_SCALE).ok_or_else(|| {
            (
                "score",
                self.score.to_string(),
                format!("a QA score has at most {QA_SCALE} decimal places"),
            )
        })
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        vec![
            text(items, |i| i.rec.source.clone()),
            text(items, |i| i.rec.record_id.clone()),
            text(items, |i| i.period.clone()),
            Col::Date(items.iter().map(|i| i.rec.reviewed_on).collect()),
            Col::OptInt(items.iter().map(|i| i.employee_id).collect()),
            Col::OptText(
                items
                    .iter()
                    .map(|i| i.rec.reviewer_no.as_ref().map(|n| n.to_string()))
                    .collect(),
            ),
            int(items, |i| i.scaled),
            Col::Bool(items.iter().map(|i| i.rec.critical_failure).collect()),
            opt_text(items, |i| i.rec.interaction_id.clone()),
            opt_text(items, |i| i.rec.form.clone()),
            // The canonical file's text, NULL for none: it reads back as the same items.
            opt_text(items, |i| {
                (!i.rec.items.is_empty()).then(|| QaItem::format_list(&i.rec.items))
            }),
            int(items, |_| import_id),
        ]
    }
}
