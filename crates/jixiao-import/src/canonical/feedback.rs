//! The surveys and QA review formats.

use std::io::Write;

use jixiao_core::record::{QaItem, QaRecord, SurveyRecord};

use super::fields;
use super::table::{self, Kind, Row};
use super::{FileError, Parsed, ReadOptions};

/// The columns of a surveys file, in the order Jixiao writes them.
pub const SURVEY_COLUMNS: [&str; 6] = [
    "source",
    "record_id",
    "call_record_id",
    "employee_no",
    "answered_on",
    "score",
];

/// The columns of a QA reviews file, in the order Jixiao writes them.
pub const QA_COLUMNS: [&str; 10] = [
    "source",
    "record_id",
    "employee_no",
    "reviewer_no",
    "reviewed_on",
    "score",
    "critical_failure",
    "interaction_id",
    "form",
    "item_scores",
];

/// The columns a QA file may lack: files written before they existed still import.
pub const QA_OPTIONAL_COLUMNS: [&str; 3] = ["interaction_id", "form", "item_scores"];

impl Kind for SurveyRecord {
    const COLUMNS: &'static [&'static str] = &SURVEY_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let call_record_id = row.string(2);
        let employee_no = row.parse(3, fields::agent);
        let answered_on = row.parse(4, fields::date);
        let score = row.parse(5, fields::survey_score);
        Some(SurveyRecord {
            source: source?,
            record_id: record_id?,
            call_record_id: call_record_id?,
            employee_no: employee_no?,
            answered_on: answered_on?,
            score: score?,
        })
    }
}

impl Kind for QaRecord {
    const COLUMNS: &'static [&'static str] = &QA_COLUMNS;
    const OPTIONAL: &'static [&'static str] = &QA_OPTIONAL_COLUMNS;

    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }

    fn parse(row: &mut Row<'_>) -> Option<Self> {
        let source = row.string(0);
        let record_id = row.string(1);
        let employee_no = row.parse(2, fields::agent);
        let reviewer_no = row.optional(3, fields::employee_no);
        let reviewed_on = row.parse(4, fields::date);
        let score = row.parse(5, fields::qa_score);
        let critical_failure = row.parse(6, fields::boolean);
        let interaction_id = row.opt_string(7);
        let form = row.opt_string(8);
        let items = row.optional(9, fields::qa_items);
        Some(QaRecord {
            source: source?,
            record_id: record_id?,
            employee_no: employee_no?,
            reviewer_no: reviewer_no?,
            reviewed_on: reviewed_on?,
            score: score?,
            critical_failure: critical_failure?,
            interaction_id,
            form,
            items: items?.unwrap_or_default(),
        })
    }
}

/// Parses a surveys file, detecting its encoding and delimiter.
pub fn parse_surveys(bytes: &[u8]) -> Result<Parsed<SurveyRecord>, FileError> {
    parse_surveys_with(bytes, ReadOptions::default())
}

/// Parses a surveys file read as `options` say.
pub fn parse_surveys_with(
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<SurveyRecord>, FileError> {
    table::read(bytes, options)
}

/// Parses a QA reviews file, detecting its encoding and delimiter.
pub fn parse_qa(bytes: &[u8]) -> Result<Parsed<QaRecord>, FileError> {
    parse_qa_with(bytes, ReadOptions::default())
}

/// Parses a QA reviews file read as `options` say.
pub fn parse_qa_with(bytes: &[u8], options: ReadOptions) -> Result<Parsed<QaRecord>, FileError> {
    table::read(bytes, options)
}

/// Writes surveys in the canonical format, header first; parsing the output gives them back.
pub fn write_surveys(records: &[SurveyRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(SURVEY_COLUMNS)?;
    let mut date = String::with_capacity(10);
    for r in records {
        date.clear();
        fields::write_date(&mut date, r.answered_on);
        let score = r.score.to_string();
        out.write_record([
            r.source.as_str(),
            &r.record_id,
            &r.call_record_id,
            r.employee_no.as_str(),
            &date,
            &score,
        ])?;
    }
    out.flush()
}

/// Writes QA reviews in the canonical format, header first; parsing the output gives them back.
pub fn write_qa(records: &[QaRecord], w: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(QA_COLUMNS)?;
    let mut date = String::with_capacity(10);
    for r in records {
        date.clear();
        fields::write_date(&mut date, r.reviewed_on);
        let score = r.score.to_string();
        let items = QaItem::format_list(&r.items);
        out.write_record([
            r.source.as_str(),
            &r.record_id,
            r.employee_no.as_str(),
            r.reviewer_no.as_ref().map_or("", |e| e.as_str()),
            &date,
            &score,
            if r.critical_failure { "true" } else { "false" },
            r.interaction_id.as_deref().unwrap_or_default(),
            r.form.as_deref().unwrap_or_default(),
            &items,
        ])?;
    }
    out.flush()
}
