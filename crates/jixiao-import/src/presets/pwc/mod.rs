//! PwC Switzerland's "Call Centre Trends" workbook (fictional teaching data for "PhoneNow"):
//! one sheet, one row per call, with the satisfaction rating on the same row. The mapping and
//! what the data lacks are in `docs/IMPORT.md`.

mod cells;

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDateTime;
use jixiao_core::org::AgentRef;
use jixiao_core::record::{CallRecord, Channel, Outcome, Reject, SurveyRecord};

use crate::canonical::fields;
use crate::canonical::{FileError, Parsed};

use self::cells::{
    cell_text, date, duration, is_blank, text, time_of_day, topic_code, whole, yes_no,
};

/// The columns this preset reads, as the sheet's header names them.
pub const COLUMNS: [&str; 10] = [
    "Call Id",
    "Agent",
    "Date",
    "Time",
    "Topic",
    "Answered (Y/N)",
    "Resolved",
    "Speed of answer in seconds",
    "AvgTalkDuration",
    "Satisfaction rating",
];

// Indices into COLUMNS.
const CALL_ID: usize = 0;
const AGENT: usize = 1;
const DATE: usize = 2;
const TIME: usize = 3;
const TOPIC: usize = 4;
const ANSWERED: usize = 5;
const SPEED: usize = 7;
const TALK: usize = 8;
const RATING: usize = 9;

/// One row of the sheet: the call, and its survey when the caller gave a rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PwcRow {
    /// The call.
    pub call: CallRecord,
    /// The satisfaction rating as a survey about the call, keyed like the call.
    pub survey: Option<SurveyRecord>,
}

/// Parses the workbook's first sheet; `source` becomes every record's source. Lines are the
/// sheet's row numbers, the header being row 1.
pub fn parse(bytes: &[u8], source: &str) -> Result<Parsed<PwcRow>, FileError> {
    let workbook = |e: calamine::XlsxError| FileError::Workbook {
        message: e.to_string(),
    };
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(workbook)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| FileError::Workbook {
            message: "it has no worksheet".into(),
        })?
        .map_err(workbook)?;
    let first_row = i64::from(range.start().map_or(0, |(r, _)| r)) + 1;
    let mut rows = range.rows();
    let header = rows.next().ok_or(FileError::Empty)?;
    let index = match_columns(header)?;
    let mut out = Parsed {
        records: Vec::with_capacity(range.height()),
        rejects: Vec::new(),
        rows_total: 0,
    };
    let mut first_line_of: HashMap<String, i64> = HashMap::new();
    for (i, cells) in rows.enumerate() {
        if cells.iter().all(|c| *c == Data::Empty) {
            continue;
        }
        out.rows_total += 1;
        let line = first_row + 1 + i as i64;
        let mut row = SheetRow {
            cells,
            index: &index,
            line,
            rejects: &mut out.rejects,
        };
        let Some(parsed) = pwc_row(&mut row, source) else {
            continue;
        };
        // A repeated call id keeps the first row, as the canonical reader does.
        if let Some(first) = first_line_of.get(&parsed.call.record_id) {
            let reason = format!("duplicate of line {first} (same Call Id); the first is kept");
            row.reject(CALL_ID, reason);
            continue;
        }
        first_line_of.insert(parsed.call.record_id.clone(), line);
        out.records.push((line, parsed));
    }
    Ok(out)
}

/// Finds each column in the header row by trimmed, case-insensitive name.
fn match_columns(header: &[Data]) -> Result<Vec<usize>, FileError> {
    let names: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).trim().to_lowercase())
        .collect();
    COLUMNS
        .iter()
        .map(|&col| {
            let want = col.to_lowercase();
            let mut hits = names.iter().enumerate().filter(|(_, n)| **n == want);
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Ok(i),
                (Some(_), Some(_)) => Err(FileError::DuplicateColumn { column: col }),
                (None, _) => Err(FileError::MissingColumn {
                    column: col,
                    found: names.join(","),
                }),
            }
        })
        .collect()
}

/// One data row of the sheet under parsing.
struct SheetRow<'a> {
    cells: &'a [Data],
    index: &'a [usize],
    line: i64,
    rejects: &'a mut Vec<Reject>,
}

impl SheetRow<'_> {
    fn cell(&self, k: usize) -> &Data {
        self.cells.get(self.index[k]).unwrap_or(&Data::Empty)
    }

    fn reject(&mut self, k: usize, reason: impl Into<String>) {
        let value = cell_text(self.cell(k));
        self.rejects.push(Reject {
            row: self.line,
            column: COLUMNS[k].to_string(),
            value,
            reason: reason.into(),
        });
    }

    /// `Some(None)` for an empty cell, `None` (rejected) when `f` fails.
    fn optional<T>(
        &mut self,
        k: usize,
        f: impl FnOnce(&Data) -> Result<T, String>,
    ) -> Option<Option<T>> {
        let cell = self.cell(k);
        if is_blank(cell) {
            return Some(None);
        }
        match f(cell) {
            Ok(v) => Some(Some(v)),
            Err(reason) => {
                self.reject(k, reason);
                None
            }
        }
    }

    fn required<T>(&mut self, k: usize, f: impl FnOnce(&Data) -> Result<T, String>) -> Option<T> {
        match self.optional(k, f)? {
            Some(v) => Some(v),
            None => {
                self.reject(k, "must not be empty");
                None
            }
        }
    }
}

fn pwc_row(row: &mut SheetRow<'_>, source: &str) -> Option<PwcRow> {
    let call_id = row.required(CALL_ID, |c| text(c, |s| Ok(s.to_string())));
    let agent = row.required(AGENT, |c| {
        text(c, |s| fields::employee_no(s).map(AgentRef::from))
    });
    let date = row.required(DATE, date);
    let time = row.required(TIME, time_of_day);
    let topic = row.required(TOPIC, |c| text(c, topic_code));
    let answered = row.required(ANSWERED, |c| text(c, yes_no));
    let speed = row.optional(SPEED, whole);
    let talk = row.optional(TALK, duration);
    let rating = row.optional(RATING, |c| {
        whole(c).and_then(|n| fields::survey_score(&n.to_string()))
    });
    let (answered, speed, talk, rating) = (answered?, speed?, talk?, rating?);
    let outcome = if answered {
        Outcome::Answered
    } else {
        Outcome::Abandoned
    };
    let (wait_secs, talk_secs) = if answered {
        let mut missing = false;
        for (k, v) in [(SPEED, speed), (TALK, talk)] {
            if v.is_none() {
                row.reject(k, "an answered call (Y) must have it");
                missing = true;
            }
        }
        if missing {
            return None;
        }
        (speed?, talk?)
    } else {
        let mut present = false;
        for (k, v) in [
            (SPEED, speed),
            (TALK, talk),
            (RATING, rating.map(u32::from)),
        ] {
            if v.is_some() {
                row.reject(k, "an unanswered call (N) must leave it empty");
                present = true;
            }
        }
        if present {
            return None;
        }
        // The sheet does not say how long unanswered callers waited.
        (0, 0)
    };
    let (call_id, agent, date) = (call_id?, agent?, date?);
    let survey = rating.map(|score| SurveyRecord {
        source: source.to_string(),
        record_id: call_id.clone(),
        call_record_id: call_id.clone(),
        employee_no: agent.clone(),
        answered_on: date,
        score,
    });
    let call = CallRecord {
        source: source.to_string(),
        record_id: call_id,
        started_at: NaiveDateTime::new(date, time?),
        // An unanswered call was handled by nobody, whoever it was routed to.
        employee_no: answered.then_some(agent),
        business_type: topic?,
        customer_id: None,
        outcome,
        wait_secs,
        talk_secs,
        hold_secs: 0,
        acw_secs: 0,
        channel: Channel::Voice,
        queue: None,
        transfer_to: None,
    };
    Some(PwcRow { call, survey })
}
