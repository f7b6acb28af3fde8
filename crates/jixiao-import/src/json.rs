//! JSON batches (the API's records) → the canonical parser. The records of an API batch are written as canonical CSV
//! (every column of the kind; a field a record leaves out is an empty cell) and read back by
//! `canonical::parse_batch`, so validation and reject reasons are exactly those of a file import,
//! and a record without a required field is rejected on its own rather than refusing the batch.
//! Rows are then renumbered from CSV lines to the 1-based index of the record in `records`.

use std::collections::HashMap;

use crate::canonical::{self, FileError, Kind, renumber};
use jixiao_core::record::{RecordBatch, Reject};
use serde_json::{Map, Value};

/// Canonical CSV made from JSON records, and where each record landed.
#[derive(Debug)]
struct Csv {
    bytes: Vec<u8>,
    /// CSV line of a record's first line → the record's 1-based index.
    rows: HashMap<i64, i64>,
    /// Records that could not be written (not an object, or a nested value).
    rejects: Vec<Reject>,
}

/// A JSON value as CSV text: strings as they are, numbers and booleans as written, null as
/// empty; `None` for arrays and objects, which no canonical field holds.
fn cell(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A record's value of `column`: the key spelled exactly so, else spelled in another case (file
/// headers match case-insensitively too).
fn field<'a>(object: &'a Map<String, Value>, column: &str) -> Option<&'a Value> {
    object.get(column).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(column))
            .map(|(_, v)| v)
    })
}

fn to_csv(kind: Kind, records: &[Value]) -> Result<Csv, csv::Error> {
    let header = kind.columns();
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    out.write_record(header)?;
    let (mut rows, mut rejects) = (HashMap::new(), Vec::new());
    let (mut line, mut counted) = (1i64, 0usize);
    for (row, record) in (1i64..).zip(records) {
        let Some(object) = record.as_object() else {
            rejects.push(Reject {
                row,
                column: "(record)".into(),
                value: record.to_string(),
                reason: "must be a JSON object of field names and values".into(),
            });
            continue;
        };
        let mut fields = Vec::with_capacity(header.len());
        let mut nested = None;
        for &column in header {
            match field(object, column).map_or(Some(String::new()), cell) {
                Some(text) => fields.push(text),
                None => nested = nested.or(Some(column)),
            }
        }
        if let Some(column) = nested {
            rejects.push(Reject {
                row,
                column: column.to_string(),
                value: field(object, column)
                    .map(Value::to_string)
                    .unwrap_or_default(),
                reason: "must be a text, a number, true, false or null".into(),
            });
            continue;
        }
        out.flush()?;
        let written = out.get_ref();
        line += written[counted..].iter().filter(|&&b| b == b'\n').count() as i64;
        counted = written.len();
        rows.insert(line, row);
        out.write_record(&fields)?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(Csv {
        bytes,
        rows,
        rejects,
    })
}

/// Parses the JSON records of an API batch of `kind` like a canonical file of that kind:
/// the batch (rows = 1-based record index) and the number of records read.
pub fn parse(kind: Kind, records: &[Value]) -> Result<(RecordBatch, i64), FileError> {
    let rows_total = i64::try_from(records.len()).unwrap_or(i64::MAX);
    let csv = to_csv(kind, records).map_err(|e| FileError::Malformed {
        line: 0,
        message: e.to_string(),
    })?;
    if csv.rows.is_empty() {
        // Nothing writable: every record is rejected already; no header to check.
        let batch = RecordBatch {
            rejects: csv.rejects,
            ..RecordBatch::default()
        };
        return Ok((batch, rows_total));
    }
    let (mut batch, _) = canonical::parse_batch(kind, &csv.bytes)?;
    renumber_records(&mut batch, &csv.rows);
    batch.rejects.extend(csv.rejects);
    batch.rejects.sort_by_key(|r| r.row);
    Ok((batch, rows_total))
}

/// CSV lines → record indexes, everywhere a row number appears (the reason of a duplicate
/// names the line of the first occurrence, too: it is worded as a record here).
fn renumber_records(batch: &mut RecordBatch, rows: &HashMap<i64, i64>) {
    let row = |line: i64| rows.get(&line).copied().unwrap_or(line);
    for r in &mut batch.rejects {
        if let Some(rest) = r.reason.strip_prefix("duplicate of line ") {
            let (n, tail) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
            if let Ok(first) = n.parse::<i64>() {
                r.reason = format!("duplicate of record {}{tail}", row(first));
            }
        }
    }
    renumber(batch, row);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(id: &str, agent: &str, talk: Value) -> Value {
        json!({
            "source": "pbx", "record_id": id, "started_at": "2026-10-02 09:00:00",
            "employee_no": agent, "business_type": "INQ", "outcome": "answered",
            "wait_secs": 5, "talk_secs": talk, "hold_secs": 0, "acw_secs": 10
        })
    }

    #[test]
    fn json_records_parse_like_canonical_csv_rows_numbered_by_record() {
        let records = vec![
            call("c1", "A001", json!(100)),
            call("c2", "A001", json!("1:40")),
            call("c3", "A001", json!(-4)),
        ];
        let (batch, total) = parse(Kind::Calls, &records).unwrap();
        assert_eq!(total, 3);
        let rows: Vec<i64> = batch.calls.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, [1, 2]);
        assert_eq!(batch.calls[1].1.talk_secs, 100);
        assert_eq!(batch.rejects.len(), 1);
        assert_eq!(
            (batch.rejects[0].row, batch.rejects[0].column.as_str()),
            (3, "talk_secs")
        );
    }

    #[test]
    fn line_breaks_inside_values_do_not_shift_the_record_numbers() {
        let mut first = call("c1", "A001", json!(1));
        first["customer_id"] = json!("line one\nline two\r\nthree");
        let records = vec![first, call("c2", "A001", json!("bad"))];
        let (batch, _) = parse(Kind::Calls, &records).unwrap();
        assert_eq!(batch.calls[0].0, 1);
        assert_eq!(batch.rejects[0].row, 2);
    }

    #[test]
    fn non_objects_and_nested_values_are_rejected_with_their_record_number() {
        let mut nested = call("c2", "A001", json!(1));
        nested["wait_secs"] = json!([1, 2]);
        let records = vec![call("c1", "A001", json!(1)), nested, json!("text")];
        let (batch, total) = parse(Kind::Calls, &records).unwrap();
        assert_eq!(total, 3);
        assert_eq!(batch.calls.len(), 1);
        let got: Vec<(i64, &str)> = batch
            .rejects
            .iter()
            .map(|r| (r.row, r.column.as_str()))
            .collect();
        assert_eq!(got, [(2, "wait_secs"), (3, "(record)")]);
    }

    #[test]
    fn a_repeated_record_names_the_first_by_its_record_number() {
        let records = vec![
            call("c1", "A001", json!(1)),
            call("c2", "A001", json!(1)),
            call("c1", "A001", json!(1)),
        ];
        let (batch, _) = parse(Kind::Calls, &records).unwrap();
        assert_eq!(batch.rejects.len(), 1);
        assert_eq!(batch.rejects[0].row, 3);
        assert!(
            batch.rejects[0]
                .reason
                .starts_with("duplicate of record 1 "),
            "{}",
            batch.rejects[0].reason
        );
    }

    #[test]
    fn a_record_without_a_required_field_is_rejected_on_its_own() {
        let mut partial = call("c2", "A001", json!(1));
        partial.as_object_mut().unwrap().remove("outcome");
        let records = vec![call("c1", "A001", json!(1)), partial];
        let (batch, _) = parse(Kind::Calls, &records).unwrap();
        assert_eq!(batch.calls.len(), 1);
        assert_eq!(
            (batch.rejects[0].row, batch.rejects[0].column.as_str()),
            (2, "outcome")
        );
    }

    #[test]
    fn field_names_match_in_any_case_and_optional_ones_may_be_left_out() {
        let mut upper = call("c1", "A001", json!(1));
        let talk = upper.as_object_mut().unwrap().remove("talk_secs").unwrap();
        upper["TALK_SECS"] = talk;
        let (batch, _) = parse(Kind::Calls, &[upper]).unwrap();
        assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
        assert_eq!(batch.calls[0].1.talk_secs, 1);
        assert_eq!(batch.calls[0].1.customer_id, None);
    }
}
