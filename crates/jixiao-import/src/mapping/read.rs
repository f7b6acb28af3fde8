//! A whole file through a profile. Each source row becomes a row of canonical CSV of the
//! profile's kind, which the canonical parser reads, so a mapped file obeys exactly the rules
//! of a canonical one (whatever the kind); its rejects are then told back in the source's
//! terms: the file's row, the source column, the value as found.
//!
//! Rows that already failed in the mapping (a value not in the map, a bad date) go into a
//! second canonical file, with the failed fields blank, only to collect the other rejects of
//! the row: none of its records land, and they take no part in the duplicate check.

use chrono_tz::Tz;
use jixiao_core::record::{RecordBatch, Reject};

use super::eval::{Bound, RowCtx, bind};
use super::plan::{Plan, compile};
use super::source::{Cell, Table};
use super::value::Zones;
use super::{MapError, Profile};
use crate::canonical::{Kind, parse_batch, renumber};

/// What a read needs beyond the profile and the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadContext {
    /// The center's time zone, into which the source's times are moved.
    pub center_timezone: Tz,
}

impl Default for ReadContext {
    fn default() -> Self {
        ReadContext {
            center_timezone: chrono_tz::Asia::Shanghai,
        }
    }
}

/// A file read through a profile: the batch for the store, as the canonical path gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedFile {
    /// The profile's name, for the import's lineage.
    pub profile: String,
    /// The file's name as given.
    pub file_name: String,
    /// The kind of the records.
    pub kind: Kind,
    /// Records with the source file's row numbers, and the rejects in the source's terms.
    pub batch: RecordBatch,
    /// Data rows read, good and bad (wholly blank rows are not counted).
    pub rows_total: i64,
}

/// Reads `bytes` (the file `file_name`) through `profile`.
pub fn read(
    profile: &Profile,
    file_name: &str,
    bytes: &[u8],
    ctx: &ReadContext,
) -> Result<MappedFile, MapError> {
    let plan = compile(profile)?;
    let table = Table::open(profile, bytes)?;
    let bound = bind(&plan, &table)?;
    let zones = Zones {
        source: plan.source_tz,
        center: ctx.center_timezone,
    };
    let mut good = Canon::new(plan.columns);
    let mut failed = Canon::new(plan.columns);
    let mut rejects = Vec::new();
    let mut rows_total = 0;
    table.visit(|row, loc, cells| {
        rows_total += 1;
        if let Some(r) = width_reject(&table, row, cells) {
            rejects.push((row, 0, r));
            return true;
        }
        let ctx = RowCtx {
            cells,
            bound: &bound,
            zones: &zones,
        };
        let mut values = Vec::with_capacity(plan.columns.len());
        let mut blank = Vec::new();
        for (i, (&column, steps)) in plan.columns.iter().zip(&plan.fields).enumerate() {
            match ctx.field(column, steps) {
                Ok((v, _)) => values.push(v),
                Err(fail) => {
                    let (label, value) = ctx.describe(&fail.slots);
                    let reason = format!("{column}: {}", fail.reason);
                    rejects.push((row, i + 1, reject(row, label, value, reason)));
                    values.push(String::new());
                    blank.push(i);
                }
            }
        }
        match blank.is_empty() {
            true => good.push(row, loc, &values, blank),
            false => failed.push(row, loc, &values, blank),
        }
        true
    })?;
    let lines = Lines {
        plan: &plan,
        table: &table,
        bound: &bound,
        zones: &zones,
    };
    let (mut batch, good) = good.parse(plan.kind)?;
    let (other, failed) = failed.parse(plan.kind)?;
    for r in std::mem::take(&mut batch.rejects) {
        rejects.extend(lines.translate(&good, r, false));
    }
    for r in other.rejects {
        rejects.extend(lines.translate(&failed, r, true));
    }
    renumber(&mut batch, |l| find(&good, l).map_or(l, |x| x.row));
    // Stable: within a row the rejects keep the order of the kind's columns.
    rejects.sort_by_key(|(row, order, _)| (*row, *order));
    batch.rejects = rejects.into_iter().map(|(_, _, r)| r).collect();
    Ok(MappedFile {
        profile: profile.name.clone(),
        file_name: file_name.to_string(),
        kind: plan.kind,
        batch,
        rows_total,
    })
}

fn reject(row: i64, column: String, value: String, reason: String) -> Reject {
    Reject {
        row,
        column,
        value,
        reason,
    }
}

/// A row of a text file with another number of fields than the header (or the first row).
pub(super) fn width_reject(table: &Table<'_>, row: i64, cells: &[Cell<'_>]) -> Option<Reject> {
    let width = table.width?;
    if cells.len() == width {
        return None;
    }
    let shape = match table.header {
        Some(_) => "the header has",
        None => "the first row has",
    };
    Some(reject(
        row,
        "(row)".into(),
        format!("{} fields", cells.len()),
        format!("{shape} {width} fields; check for an unquoted delimiter or a cut line"),
    ))
}

/// One line of the canonical CSV and the source row behind it.
pub(super) struct Line {
    canon: i64,
    pub row: i64,
    loc: usize,
    /// Fields left blank because the mapping already rejected them.
    blank: Vec<usize>,
}

/// Canonical CSV being written.
pub(super) struct Canon {
    out: csv::Writer<Vec<u8>>,
    next: i64,
    lines: Vec<Line>,
}

impl Canon {
    pub fn new(columns: &[&str]) -> Canon {
        let mut out = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = out.write_record(columns);
        Canon {
            out,
            next: 2,
            lines: Vec::new(),
        }
    }

    pub fn push(&mut self, row: i64, loc: usize, values: &[String], blank: Vec<usize>) {
        let _ = self.out.write_record(values);
        self.lines.push(Line {
            canon: self.next,
            row,
            loc,
            blank,
        });
        // A quoted line break makes the record longer than one line.
        let breaks: usize = values.iter().map(|v| v.matches('\n').count()).sum();
        self.next += 1 + breaks as i64;
    }

    pub fn parse(self, kind: Kind) -> Result<(RecordBatch, Vec<Line>), MapError> {
        // Flushing into memory cannot fail.
        let bytes = self.out.into_inner().unwrap_or_default();
        let (batch, _) = parse_batch(kind, &bytes)?;
        Ok((batch, self.lines))
    }
}

fn find(lines: &[Line], canon: i64) -> Option<&Line> {
    lines
        .binary_search_by_key(&canon, |l| l.canon)
        .ok()
        .map(|i| &lines[i])
}

/// What is needed to tell a canonical reject in the source's terms.
pub(super) struct Lines<'a> {
    pub plan: &'a Plan,
    pub table: &'a Table<'a>,
    pub bound: &'a [Bound],
    pub zones: &'a Zones,
}

impl Lines<'_> {
    /// `r` (a reject of the canonical file written as `lines`) with the source's row, column
    /// and value, and the field index + 1 for ordering; `None` when it is not to be reported.
    pub fn translate(
        &self,
        lines: &[Line],
        r: Reject,
        failed: bool,
    ) -> Option<(i64, usize, Reject)> {
        let line = find(lines, r.row)?;
        let index = self.plan.columns.iter().position(|c| *c == r.column);
        let duplicate = r.reason.starts_with("duplicate of line ");
        if index.is_some_and(|i| line.blank.contains(&i)) || (failed && duplicate) {
            return None;
        }
        let Some(i) = index else {
            return Some((line.row, 0, Reject { row: line.row, ..r }));
        };
        let cells = self.table.fetch(line.loc);
        let ctx = RowCtx {
            cells: &cells,
            bound: self.bound,
            zones: self.zones,
        };
        let (column, steps) = (self.plan.columns[i], &self.plan.fields[i]);
        let origin = ctx
            .field(column, steps)
            .map_or(super::eval::Origin::Nothing, |(_, o)| o);
        let (label, value) = ctx.origin(column, steps, origin);
        let reason = if duplicate {
            self.duplicate(lines, &r.reason)
        } else {
            r.reason
        };
        let reason = if r.value.trim() == value.trim() {
            format!("{column}: {reason}")
        } else {
            format!("{column} = \"{}\": {reason}", r.value)
        };
        Some((line.row, i + 1, reject(line.row, label, value, reason)))
    }

    /// "duplicate of line N …" with N the source row of canonical line N.
    fn duplicate(&self, lines: &[Line], reason: &str) -> String {
        let rest = &reason["duplicate of line ".len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse().ok().and_then(|n| find(lines, n)) {
            Some(first) => format!("duplicate of row {}{}", first.row, &rest[digits..]),
            None => reason.to_string(),
        }
    }
}
