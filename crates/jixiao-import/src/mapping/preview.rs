//! The first rows of a file as a profile will read them, for the page that edits profiles: the
//! cells as found and, per canonical field, the value that will be stored or why the row will
//! be rejected. It runs the same code as [`read`](super::read), on fewer rows.

use super::eval::{RowCtx, bind};
use super::plan::compile;
use super::read::{Canon, Lines, ReadContext, width_reject};
use super::source::Table;
use super::value::Zones;
use super::{MapError, Profile};

/// The first rows of a file, read through a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The source's columns: the header's names, or `column 1`, `column 2` … without one.
    pub columns: Vec<String>,
    /// The kind's canonical fields, in order.
    pub fields: Vec<String>,
    /// One entry per data row read.
    pub rows: Vec<PreviewRow>,
}

/// One source row and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// The file's row (line of a text file, row of a sheet).
    pub row: i64,
    /// The cells as found.
    pub cells: Vec<String>,
    /// A problem with the row as a whole (a wrong number of fields), which rejects it.
    pub problem: Option<String>,
    /// Per canonical field, in the order of [`Preview::fields`].
    pub fields: Vec<FieldPreview>,
}

/// One canonical field of a previewed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldPreview {
    /// The value as it will be read, in canonical form.
    Value(String),
    /// No value (allowed for this field).
    Empty,
    /// The row will be rejected for this field.
    Rejected {
        /// The source column(s), or `(profile)` for a constant.
        column: String,
        /// The source value as found.
        value: String,
        /// Why.
        reason: String,
    },
}

/// Reads the first `n` data rows of `bytes` through `profile`.
pub fn preview(
    profile: &Profile,
    bytes: &[u8],
    ctx: &ReadContext,
    n: usize,
) -> Result<Preview, MapError> {
    let plan = compile(profile)?;
    let table = Table::open(profile, bytes)?;
    let bound = bind(&plan, &table)?;
    let zones = Zones {
        source: plan.source_tz,
        center: ctx.center_timezone,
    };
    let mut rows = Vec::new();
    let mut canon = Canon::new(plan.columns);
    let mut widest = 0;
    if n > 0 {
        table.visit(|row, loc, cells| {
            widest = widest.max(cells.len());
            let mut out = PreviewRow {
                row,
                cells: cells.iter().map(|c| c.text().into_owned()).collect(),
                problem: width_reject(&table, row, cells).map(|r| r.reason),
                fields: Vec::with_capacity(plan.columns.len()),
            };
            let ctx = RowCtx {
                cells,
                bound: &bound,
                zones: &zones,
            };
            let mut values = Vec::with_capacity(plan.columns.len());
            let mut blank = Vec::new();
            for (i, (&column, steps)) in plan.columns.iter().zip(&plan.fields).enumerate() {
                let field = match ctx.field(column, steps) {
                    Ok((v, _)) if v.is_empty() => FieldPreview::Empty,
                    Ok((v, _)) => FieldPreview::Value(v),
                    Err(fail) => {
                        blank.push(i);
                        let (column_label, value) = ctx.describe(&fail.slots);
                        FieldPreview::Rejected {
                            column: column_label,
                            value,
                            reason: format!("{column}: {}", fail.reason),
                        }
                    }
                };
                values.push(match &field {
                    FieldPreview::Value(v) => v.clone(),
                    _ => String::new(),
                });
                out.fields.push(field);
            }
            if out.problem.is_none() {
                canon.push(row, loc, &values, blank);
            }
            rows.push(out);
            rows.len() < n
        })?;
    }
    // The canonical parser has the last word on each value, as when the file is read.
    let (batch, lines) = canon.parse(plan.kind)?;
    let tell = Lines {
        plan: &plan,
        table: &table,
        bound: &bound,
        zones: &zones,
    };
    for r in batch.rejects {
        let Some((row, order, r)) = tell.translate(&lines, r, false) else {
            continue;
        };
        let Some(target) = rows.iter_mut().find(|p| p.row == row) else {
            continue;
        };
        match order.checked_sub(1).and_then(|i| target.fields.get_mut(i)) {
            Some(field) => {
                *field = FieldPreview::Rejected {
                    column: r.column,
                    value: r.value,
                    reason: r.reason,
                }
            }
            None => target.problem = Some(r.reason),
        }
    }
    let columns = match &table.header {
        Some(h) => h.clone(),
        None => (1..=widest).map(|i| format!("column {i}")).collect(),
    };
    Ok(Preview {
        columns,
        fields: plan.columns.iter().map(|c| c.to_string()).collect(),
        rows,
    })
}
