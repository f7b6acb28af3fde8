//! One source row through a compiled profile: per canonical field, its canonical text or the
//! reason it cannot be read, and where in the source the value came from.

use super::MapError;
use super::plan::{Get, Plan, Step};
use super::profile::Column;
use super::source::{Cell, Table};
use super::value::{self, Input, Target, Val, Zones};

/// A profile column found in the file.
pub(crate) struct Bound {
    /// The cell index, `None` when the column is outside the row.
    index: Option<usize>,
    /// The column as the reject report names it.
    pub label: String,
}

/// Finds every column the profile reads in the file's header (or by number).
pub(crate) fn bind(plan: &Plan, table: &Table<'_>) -> Result<Vec<Bound>, MapError> {
    let header = table.header.as_deref().unwrap_or_default();
    let by_number = |n: u32| {
        let index = (n as usize).checked_sub(1 + table.first_col);
        let label = match index.and_then(|i| header.get(i)) {
            Some(name) if !name.is_empty() => name.clone(),
            _ => format!("column {n}"),
        };
        Bound { index, label }
    };
    plan.slots
        .iter()
        .map(|(column, key)| match column {
            Column::Number(n) => Ok(by_number(*n)),
            Column::Name(name) => {
                let name = name.trim();
                if table.header.is_none() {
                    // Checked on compile: without a header a name is a number.
                    return Ok(by_number(name.parse().unwrap_or(0)));
                }
                let mut hits = header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.to_lowercase() == name.to_lowercase());
                match (hits.next(), hits.next()) {
                    (Some((i, h)), None) => Ok(Bound {
                        index: Some(i),
                        label: h.clone(),
                    }),
                    (Some(_), Some(_)) => Err(MapError::AmbiguousColumn {
                        key: key.clone(),
                        column: name.to_string(),
                    }),
                    (None, _) => Err(MapError::MissingColumn {
                        key: key.clone(),
                        column: name.to_string(),
                        found: header.join(","),
                    }),
                }
            }
        })
        .collect()
}

/// A row under evaluation.
pub(crate) struct RowCtx<'r> {
    pub cells: &'r [Cell<'r>],
    pub bound: &'r [Bound],
    pub zones: &'r Zones,
}

/// A field that cannot be read: the source columns involved and why.
#[derive(Debug)]
pub(crate) struct Fail {
    pub slots: Vec<usize>,
    pub reason: String,
}

/// Which rule gave a field its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// No rule gave one: the field is empty.
    Nothing,
    /// Step `i` read it.
    Step(usize),
    /// Step `i` found its source empty and gave its default.
    Default(usize),
}

impl RowCtx<'_> {
    /// The cell of `slot`, `None` when missing or one of `nulls`.
    fn cell(&self, slot: usize, nulls: &[String]) -> Option<&Cell<'_>> {
        let c = self.bound[slot].index.and_then(|i| self.cells.get(i))?;
        let text = c.text();
        let t = text.trim();
        (!t.is_empty() && !nulls.iter().any(|n| n == t)).then_some(c)
    }

    /// The cell of `slot` exactly as found ("" when the row is short).
    pub fn raw(&self, slot: usize) -> String {
        self.bound[slot]
            .index
            .and_then(|i| self.cells.get(i))
            .map_or_else(String::new, |c| c.text().into_owned())
    }

    /// The canonical text of the field `column` read by `steps`, and which step gave it.
    pub fn field(&self, column: &str, steps: &[Step]) -> Result<(String, Origin), Fail> {
        let target = value::target(column);
        for (i, step) in steps.iter().enumerate() {
            if let Some(v) = self.step(step, target)? {
                return Ok((v, Origin::Step(i)));
            }
            if let Some(d) = &step.default {
                return Ok((d.clone(), Origin::Default(i)));
            }
        }
        Ok((String::new(), Origin::Nothing))
    }

    /// The source column(s) and value(s) behind a field, for the reject report.
    pub fn origin(&self, column: &str, steps: &[Step], origin: Origin) -> (String, String) {
        // A field no rule filled is told by its first rule's source, which was empty.
        let i = match origin {
            Origin::Step(i) | Origin::Default(i) => i,
            Origin::Nothing if !steps.is_empty() => 0,
            Origin::Nothing => return (column.to_string(), String::new()),
        };
        let slots = steps[i].slots();
        if let Get::Constant(c) = &steps[i].get {
            return ("(profile)".into(), c.clone());
        }
        self.describe(&slots)
    }

    /// The labels and raw values of `slots`, comma-separated.
    pub fn describe(&self, slots: &[usize]) -> (String, String) {
        let labels: Vec<&str> = slots
            .iter()
            .map(|&s| self.bound[s].label.as_str())
            .collect();
        let values: Vec<String> = slots.iter().map(|&s| self.raw(s)).collect();
        (labels.join(", "), values.join(", "))
    }

    fn step(&self, step: &Step, target: Target) -> Result<Option<String>, Fail> {
        // The slots are copied only when something fails: the good path allocates nothing.
        let fail = |slots: &[usize]| {
            let slots = slots.to_vec();
            move |reason: String| Fail { slots, reason }
        };
        let write = |v: Val, slots: &[usize]| {
            value::write(v, target, self.zones).map_err(|reason| Fail {
                slots: slots.to_vec(),
                reason,
            })
        };
        let nulls = &step.nulls;
        match &step.get {
            Get::Constant(c) => Ok((!c.is_empty()).then(|| c.clone())),
            Get::Column(s) => {
                let Some(cell) = self.cell(*s, nulls) else {
                    return Ok(None);
                };
                if step.map.is_empty() {
                    let v = value::read(cell, &step.input).map_err(|r| fail(&[*s])(r))?;
                    return write(v, &[*s]).map(Some);
                }
                let text = cell.text();
                let t = text.trim();
                let hit = step.map.get(t).or_else(|| {
                    let lower = t.to_lowercase();
                    step.map
                        .iter()
                        .find(|(k, _)| k.to_lowercase() == lower)
                        .map(|(_, v)| v)
                });
                match hit {
                    Some(v) => Ok((!v.is_empty()).then(|| v.clone())),
                    None => {
                        let mut keys: Vec<&str> = step.map.keys().map(String::as_str).collect();
                        keys.sort_unstable();
                        let reason = format!("is not in the value map ({})", keys.join(", "));
                        Err(Fail {
                            slots: vec![*s],
                            reason,
                        })
                    }
                }
            }
            Get::SecondsBetween(a, b) => {
                let (Some(x), Some(y)) = (self.cell(*a, nulls), self.cell(*b, nulls)) else {
                    return Ok(None);
                };
                let from = self.moment(x, &step.input, *a)?;
                let to = self.moment(y, &step.input, *b)?;
                let secs = u64::try_from((to - from).num_seconds()).map_err(|_| Fail {
                    slots: vec![*a, *b],
                    reason: "the end is before the start".into(),
                })?;
                write(Val::Secs(secs), &[*a, *b]).map(Some)
            }
            Get::Sum(slots) => {
                let mut total: Option<Val> = None;
                for &s in slots {
                    let Some(cell) = self.cell(s, nulls) else {
                        continue;
                    };
                    let v = value::read(cell, &step.input).map_err(|r| fail(&[s])(r))?;
                    total = Some(match (total, v) {
                        (None, v) => v,
                        (Some(Val::Secs(a)), Val::Secs(b)) => Val::Secs(a.saturating_add(b)),
                        (Some(Val::Dec(a)), Val::Dec(b)) => Val::Dec(
                            a.checked_add(b)
                                .ok_or_else(|| fail(slots)("the sum is too large".into()))?,
                        ),
                        (Some(a), _) => a,
                    });
                }
                total.map(|v| write(v, slots)).transpose()
            }
            Get::DateTime(slots) => {
                let parts: Vec<Option<&Cell<'_>>> =
                    slots.iter().map(|&s| self.cell(s, nulls)).collect();
                if parts.iter().all(Option::is_none) {
                    return Ok(None);
                }
                if let Some(i) = parts.iter().position(Option::is_none) {
                    let reason = "is empty, and the date and time need every part".into();
                    return Err(Fail {
                        slots: vec![slots[i]],
                        reason,
                    });
                }
                let joined: Vec<String> = parts
                    .iter()
                    .flatten()
                    .map(|c| c.text().trim().to_string())
                    .collect();
                let cell = Cell::Text(joined.join(" ").into());
                let v = value::read(&cell, &step.input).map_err(|r| fail(slots)(r))?;
                write(v, slots).map(Some)
            }
        }
    }

    /// A date-time for `seconds_between`, moved into the center's zone so that a DST change
    /// between the two is counted.
    fn moment(
        &self,
        cell: &Cell<'_>,
        input: &Input,
        slot: usize,
    ) -> Result<chrono::NaiveDateTime, Fail> {
        let fail = |reason: String| Fail {
            slots: vec![slot],
            reason,
        };
        match value::read(cell, input).map_err(fail)? {
            Val::Moment(t) => self.zones.center(t).map_err(fail),
            _ => Err(fail("expected a date and time".into())),
        }
    }
}
