//! ServiceNow incident event logs (`incident_event_log.csv`, the UCI "Incident management
//! process enriched event log"): one row per state change of an incident, many rows per
//! incident. Each incident becomes one ticket in its final state. The mapping is in
//! `docs/IMPORT.md`; in short:
//!
//! * Events are read in file order, which is the order they happened (the log is sorted by
//!   incident and update time); the **last event of an incident wins** for every field.
//! * `created_at` is `opened_at`; `first_response_at` is the `sys_updated_at` of the first event
//!   that names an assignee (`assigned_to`), but never before `opened_at` (a few incidents were
//!   assigned while being created, and opened a little later); `resolved_at` and `closed_at`
//!   are the columns of the same names.
//! * The assignee `Resolver 149` becomes the agent `R149`; `?` (unassigned) on the last event
//!   means an unassigned ticket. `caller_id` is the customer, `made_sla` (`TRUE`/`FALSE`) the
//!   SLA, `priority` and `category` are kept as written (`3 - Moderate`, `Category 55`).
//! * `?` means empty everywhere; times are `DD-MM-YYYY HH:MM` in the center's local time.
//! * A bad field rejects its event row; an incident with a rejected event is not imported (its
//!   final state would be a guess), and one more reject, on the line of its last good event,
//!   says so.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use jixiao_core::org::AgentRef;
use jixiao_core::record::{Reject, TicketRecord};

use crate::canonical::fields;
use crate::canonical::{
    Delimiter, Encoding, FileError, Parsed, ReadOptions, Row, RowKind, read_rows,
};

/// The columns this preset reads (the log has 23 more, which it ignores).
pub const COLUMNS: [&str; 12] = [
    "number",
    "reassignment_count",
    "reopen_count",
    "made_sla",
    "caller_id",
    "opened_at",
    "sys_updated_at",
    "category",
    "priority",
    "assigned_to",
    "resolved_at",
    "closed_at",
];

// Indices into COLUMNS.
const NUMBER: usize = 0;
const REASSIGNMENT_COUNT: usize = 1;
const REOPEN_COUNT: usize = 2;
const MADE_SLA: usize = 3;
const CALLER_ID: usize = 4;
const OPENED_AT: usize = 5;
const SYS_UPDATED_AT: usize = 6;
const CATEGORY: usize = 7;
const PRIORITY: usize = 8;
const ASSIGNED_TO: usize = 9;
const RESOLVED_AT: usize = 10;
const CLOSED_AT: usize = 11;

/// ServiceNow's "no value".
const MISSING: &str = "?";

/// One event row: the incident's fields as of that update.
#[derive(Debug, Clone)]
struct Event {
    number: String,
    /// The event's position in the file, which makes the (number, seq) key unique.
    seq: String,
    updated_at: NaiveDateTime,
    opened_at: NaiveDateTime,
    reassignment_count: u32,
    reopen_count: u32,
    made_sla: Option<bool>,
    caller: Option<String>,
    category: Option<String>,
    priority: String,
    assigned_to: Option<AgentRef>,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
}

impl RowKind for Event {
    const COLUMNS: &'static [&'static str] = &COLUMNS;
    fn key(&self) -> (&str, &str) {
        (&self.number, &self.seq)
    }
    /// Never called: events are read through `read_rows` with [`event`], which numbers them.
    fn parse(_: &mut Row<'_>) -> Option<Self> {
        None
    }
}

/// Parses an incident event log; `source` becomes every ticket's source (for example
/// `servicenow`). `rows_total` counts event rows; the records are one ticket per incident,
/// each with the line of its last event.
pub fn parse(bytes: &[u8], source: &str) -> Result<Parsed<TicketRecord>, FileError> {
    let options = ReadOptions {
        encoding: Encoding::Auto,
        delimiter: Delimiter::Comma,
    };
    let mut seq = 0u64;
    let mut failed: HashSet<String> = HashSet::new();
    let events = read_rows(bytes, options, &COLUMNS, |row| {
        seq += 1;
        let e = event(row, seq);
        if e.is_none() {
            failed.insert(row.text(NUMBER).to_string());
        }
        e
    })?;
    Ok(tickets(events, &failed, source))
}

fn event(row: &mut Row<'_>, seq: u64) -> Option<Event> {
    let text = |s: &str| Ok(s.to_string());
    let number = row.parse(NUMBER, required(text));
    let updated_at = row.parse(SYS_UPDATED_AT, required(timestamp));
    let opened_at = row.parse(OPENED_AT, required(timestamp));
    let reassignment_count = row.parse(REASSIGNMENT_COUNT, required(fields::count));
    let reopen_count = row.parse(REOPEN_COUNT, required(fields::count));
    let made_sla = optional(row, MADE_SLA, fields::boolean);
    let caller = optional(row, CALLER_ID, text);
    let category = optional(row, CATEGORY, text);
    let priority = row.parse(PRIORITY, required(text));
    let assigned_to = optional(row, ASSIGNED_TO, resolver);
    let resolved_at = optional(row, RESOLVED_AT, timestamp);
    let closed_at = optional(row, CLOSED_AT, timestamp);
    Some(Event {
        number: number?,
        seq: seq.to_string(),
        updated_at: updated_at?,
        opened_at: opened_at?,
        reassignment_count: reassignment_count?,
        reopen_count: reopen_count?,
        made_sla: made_sla?,
        caller: caller?,
        category: category?,
        priority: priority?,
        assigned_to: assigned_to?,
        resolved_at: resolved_at?,
        closed_at: closed_at?,
    })
}

/// Wraps the parser of a field that must have a value, so that `?` is rejected as missing.
fn required<T>(
    f: impl FnOnce(&str) -> Result<T, String>,
) -> impl FnOnce(&str) -> Result<T, String> {
    move |s| {
        if s == MISSING {
            Err("must have a value (`?` means none)".into())
        } else {
            f(s)
        }
    }
}

/// A field that may be empty or `?`: `Some(None)` then, `None` when present but unparsable.
fn optional<T>(
    row: &mut Row<'_>,
    k: usize,
    f: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Option<T>> {
    let value = row.optional(k, |s| {
        if s == MISSING {
            Ok(None)
        } else {
            f(s).map(Some)
        }
    });
    value.map(Option::flatten)
}

/// Turns each incident's events into its ticket, in order of first appearance.
fn tickets(events: Parsed<Event>, failed: &HashSet<String>, source: &str) -> Parsed<TicketRecord> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_number: HashMap<&str, Vec<&(i64, Event)>> = HashMap::new();
    for e in &events.records {
        let list = by_number.entry(e.1.number.as_str()).or_default();
        if list.is_empty() {
            order.push(&e.1.number);
        }
        list.push(e);
    }
    let mut out = Parsed {
        records: Vec::with_capacity(order.len()),
        rejects: events.rejects.clone(),
        rows_total: events.rows_total,
    };
    for number in order {
        let list = &by_number[number];
        let Some(&(line, ref last)) = list.last().copied() else {
            continue;
        };
        let reject = |column: &str, value: &str, reason: String| Reject {
            row: line,
            column: column.to_string(),
            value: value.to_string(),
            reason,
        };
        if failed.contains(number) {
            out.rejects.push(reject(
                "number",
                number,
                "another event of this incident was rejected, so its final state is unknown; \
                 the incident is not imported"
                    .into(),
            ));
            continue;
        }
        let Some(category) = last.category.clone() else {
            out.rejects.push(reject(
                "category",
                MISSING,
                "the incident's last event has no category; a ticket needs one".into(),
            ));
            continue;
        };
        let first_assigned = list.iter().find(|(_, e)| e.assigned_to.is_some());
        let ticket = TicketRecord {
            source: source.to_string(),
            record_id: number.to_string(),
            created_at: last.opened_at,
            first_response_at: first_assigned.map(|(_, e)| e.updated_at.max(last.opened_at)),
            resolved_at: last.resolved_at,
            closed_at: last.closed_at,
            reopen_count: last.reopen_count,
            reassignment_count: last.reassignment_count,
            priority: last.priority.clone(),
            category,
            employee_no: last.assigned_to.clone(),
            sla_met: last.made_sla,
            customer_id: last.caller.clone(),
            business_type: None,
        };
        if let Err(e) = ticket.check() {
            let (what, value, reason) = match e {
                jixiao_core::CoreError::Invalid {
                    what,
                    value,
                    reason,
                } => (what, value, reason),
                other => ("number", number.to_string(), other.to_string()),
            };
            out.rejects.push(reject(what, &value, reason));
            continue;
        }
        out.records.push((line, ticket));
    }
    out.rejects.sort_by_key(|r| r.row);
    out
}

/// `DD-MM-YYYY HH:MM`.
fn timestamp(s: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(s, "%d-%m-%Y %H:%M")
        .map_err(|_| "expected a time like 29-02-2016 01:16 (DD-MM-YYYY HH:MM)".into())
}

/// `Resolver 149` → the agent `R149`.
fn resolver(s: &str) -> Result<AgentRef, String> {
    let n = s
        .strip_prefix("Resolver ")
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("expected an assignee like Resolver 149, not {s:?}"))?;
    fields::agent(&format!("R{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolver_becomes_an_r_number() {
        assert_eq!(resolver("Resolver 149").unwrap().as_str(), "R149");
        for bad in ["Resolver", "Resolver x", "149", "resolver 1"] {
            assert!(resolver(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_are_day_month_year() {
        let t = timestamp("29-02-2016 01:16").unwrap();
        assert_eq!(t.to_string(), "2016-02-29 01:16:00");
        assert!(timestamp("2016-02-29 01:16").is_err());
        assert!(timestamp("30-02-2016 01:16").is_err());
    }
}
