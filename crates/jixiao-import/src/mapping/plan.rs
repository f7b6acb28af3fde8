//! A profile checked and compiled: per canonical column, the steps that give its value, with
//! every format parsed and every column reference collected, so that reading a row is only
//! lookups and conversions.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::ProfileError;
use super::formats::input;
use super::profile::{Column, Derive, FileFormat, Profile, Rule};
use super::value::{self, Input, Target};
use crate::canonical::{Kind, parse_batch};

/// A checked profile.
pub(crate) struct Plan {
    pub kind: Kind,
    /// The kind's canonical columns, in order.
    pub columns: &'static [&'static str],
    /// Per canonical column, the steps tried in order (none: always empty).
    pub fields: Vec<Vec<Step>>,
    /// Every source column a step reads, with the profile key that names it.
    pub slots: Vec<(Column, String)>,
    pub source_tz: Option<Tz>,
}

/// One rule, compiled.
pub(crate) struct Step {
    pub get: Get,
    pub map: HashMap<String, String>,
    pub default: Option<String>,
    pub nulls: Vec<String>,
    /// How source cells are read (for `seconds_between`: the two date-times).
    pub input: Input,
}

/// Where a step's value comes from; columns are indices into [`Plan::slots`].
pub(crate) enum Get {
    Column(usize),
    Constant(String),
    SecondsBetween(usize, usize),
    Sum(Vec<usize>),
    DateTime(Vec<usize>),
}

impl Step {
    /// The slots the step reads.
    pub fn slots(&self) -> Vec<usize> {
        match &self.get {
            Get::Column(s) => vec![*s],
            Get::Constant(_) => Vec::new(),
            Get::SecondsBetween(a, b) => vec![*a, *b],
            Get::Sum(v) | Get::DateTime(v) => v.clone(),
        }
    }
}

/// Checks `profile` and compiles it.
pub(crate) fn compile(profile: &Profile) -> Result<Plan, ProfileError> {
    let invalid = |key: &str, message: &str| ProfileError::Invalid {
        key: key.into(),
        message: message.into(),
    };
    let name = profile.name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "must be 1 to 64 characters, none of them control characters",
        ));
    }
    if profile.sheet.is_some() && profile.format != FileFormat::Xlsx {
        return Err(invalid(
            "sheet",
            "only a workbook (format = \"xlsx\") has sheets",
        ));
    }
    let kind = Kind::parse(&profile.kind).ok_or_else(|| ProfileError::UnknownKind {
        kind: profile.kind.clone(),
        known: Kind::all()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let columns = kind.columns();
    let source_tz = match &profile.timezone {
        None => None,
        Some(zone) => Some(
            zone.parse::<Tz>()
                .map_err(|_| ProfileError::UnknownTimezone { zone: zone.clone() })?,
        ),
    };
    for field in profile.fields.keys() {
        if !columns.contains(&field.as_str()) {
            return Err(ProfileError::UnknownField {
                field: field.clone(),
                kind: kind.as_str().into(),
                known: columns.join(", "),
            });
        }
    }
    let mut c = Compiler {
        profile,
        slots: Vec::new(),
    };
    let mut fields = Vec::with_capacity(columns.len());
    for &column in columns {
        let mut steps = match profile.fields.get(column) {
            None => Vec::new(),
            Some(f) if f.0.is_empty() => {
                let message = "give at least one rule".to_string();
                return Err(ProfileError::BadRule {
                    key: format!("fields.{column}"),
                    message,
                });
            }
            Some(f) => {
                let many = f.0.len() > 1;
                let mut steps = Vec::with_capacity(f.0.len());
                for (i, rule) in f.0.iter().enumerate() {
                    let key = if many {
                        format!("fields.{column}[{i}]")
                    } else {
                        format!("fields.{column}")
                    };
                    steps.push(c.step(column, rule, &key)?);
                }
                steps
            }
        };
        // The profile's `source` stands in for a source column the file lacks.
        if column == "source"
            && let Some(source) = &profile.source
        {
            steps.push(Step {
                get: Get::Constant(source.clone()),
                map: HashMap::new(),
                default: None,
                nulls: Vec::new(),
                input: Input::Text,
            });
        }
        fields.push(steps);
    }
    for field in required(kind) {
        let i = columns.iter().position(|c| *c == field).unwrap_or(0);
        if fields[i].is_empty() {
            return Err(ProfileError::MissingField {
                field: field.into(),
                kind: kind.as_str().into(),
            });
        }
    }
    Ok(Plan {
        kind,
        columns,
        fields,
        slots: c.slots,
        source_tz,
    })
}

/// The columns of `kind` that must not be empty. The canonical parser is the one authority on
/// that, for every kind present and future, so it is asked: a row of empty values is parsed and
/// the columns it rejects are the required ones.
pub(crate) fn required(kind: Kind) -> Vec<&'static str> {
    let columns = kind.columns();
    let csv = format!("{}\n{}\n", columns.join(","), ",".repeat(columns.len() - 1));
    let Ok((batch, _)) = parse_batch(kind, csv.as_bytes()) else {
        return Vec::new();
    };
    columns
        .iter()
        .copied()
        .filter(|c| batch.rejects.iter().any(|r| r.column == *c))
        .collect()
}

struct Compiler<'p> {
    profile: &'p Profile,
    slots: Vec<(Column, String)>,
}

impl Compiler<'_> {
    fn slot(&mut self, column: &Column, key: String) -> Result<usize, ProfileError> {
        let bad = |message: &str| ProfileError::Invalid {
            key: key.clone(),
            message: message.into(),
        };
        match column {
            Column::Number(0) => return Err(bad("columns are numbered from 1")),
            Column::Name(n) if n.trim().is_empty() => return Err(bad("names no column")),
            Column::Name(n) if !self.profile.header && n.trim().parse::<u32>().is_err() => {
                return Err(bad(
                    "without a header (header = false) columns are referred to by number",
                ));
            }
            _ => {}
        }
        self.slots.push((column.clone(), key));
        Ok(self.slots.len() - 1)
    }

    fn step(&mut self, column: &str, rule: &Rule, key: &str) -> Result<Step, ProfileError> {
        let bad = |message: String| ProfileError::BadRule {
            key: key.to_string(),
            message,
        };
        let target = value::target(column);
        let sources = [
            rule.column.is_some(),
            rule.constant.is_some(),
            rule.derive.is_some(),
        ];
        if sources.iter().filter(|s| **s).count() != 1 {
            return Err(bad("give exactly one of column, constant or derive".into()));
        }
        let extra = |name: &str, present: bool| match present {
            true => Err(bad(format!("{name} does not go with this rule"))),
            false => Ok(()),
        };
        let derive = rule.derive;
        extra(
            "from/to",
            (rule.from.is_some() || rule.to.is_some()) && derive != Some(Derive::SecondsBetween),
        )?;
        extra(
            "columns",
            !rule.columns.is_empty() && !matches!(derive, Some(Derive::Sum | Derive::DateTime)),
        )?;
        extra("map", !rule.map.is_empty() && rule.column.is_none())?;
        if let Some(constant) = &rule.constant {
            extra("format", !rule.format.is_empty())?;
            extra("default", rule.default.is_some())?;
            extra("null_values", rule.null_values.is_some())?;
            return Ok(Step {
                get: Get::Constant(constant.trim().to_string()),
                map: HashMap::new(),
                default: None,
                nulls: Vec::new(),
                input: Input::Text,
            });
        }
        let nulls = rule
            .null_values
            .clone()
            .unwrap_or_else(|| self.profile.null_values.clone());
        let nulls = nulls.iter().map(|n| n.trim().to_string()).collect();
        let map = rule
            .map
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let fkey = format!("{key}.format");
        let formats = &self.profile.formats;
        let (get, how) = match (&rule.column, derive) {
            (Some(col), _) => {
                let slot = self.slot(col, format!("{key}.column"))?;
                (
                    Get::Column(slot),
                    input(formats, target, &rule.format, &fkey)?,
                )
            }
            (None, Some(Derive::SecondsBetween)) => {
                if !matches!(target, Target::Seconds | Target::Minutes) {
                    return Err(bad(format!(
                        "seconds_between gives a duration; {column} is not one"
                    )));
                }
                let (Some(from), Some(to)) = (&rule.from, &rule.to) else {
                    return Err(bad("seconds_between needs from and to".into()));
                };
                let from = self.slot(from, format!("{key}.from"))?;
                let to = self.slot(to, format!("{key}.to"))?;
                let how = input(formats, Target::DateTime, &rule.format, &fkey)?;
                (Get::SecondsBetween(from, to), how)
            }
            (None, Some(Derive::Sum)) => {
                if rule.columns.is_empty() {
                    return Err(bad("sum needs columns".into()));
                }
                let how = match target {
                    Target::Seconds | Target::Minutes => {
                        input(formats, target, &rule.format, &fkey)?
                    }
                    Target::Text => input(formats, target, &["decimal".into()], &fkey)?,
                    _ => return Err(bad(format!("sum gives a number; {column} is a date"))),
                };
                let slots = self.slots_of(&rule.columns, key)?;
                (Get::Sum(slots), how)
            }
            (None, Some(Derive::DateTime)) => {
                if rule.columns.len() < 2 {
                    return Err(bad("date_time needs columns, a date and a time".into()));
                }
                let how = input(formats, Target::DateTime, &rule.format, &fkey)?;
                let slots = self.slots_of(&rule.columns, key)?;
                (Get::DateTime(slots), how)
            }
            (None, None) => {
                return Err(bad("give exactly one of column, constant or derive".into()));
            }
        };
        Ok(Step {
            get,
            map,
            default: rule.default.as_ref().map(|d| d.trim().to_string()),
            nulls,
            input: how,
        })
    }

    fn slots_of(&mut self, columns: &[Column], key: &str) -> Result<Vec<usize>, ProfileError> {
        (0..columns.len())
            .map(|i| self.slot(&columns[i], format!("{key}.columns[{i}]")))
            .collect()
    }
}
