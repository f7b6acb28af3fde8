//! Which reading a field's cells get: the rule's own format, else the profile's `[formats]`,
//! else the canonical forms; checked against what the field holds.

use super::ProfileError;
use super::profile::Formats;
use super::value::{self, Input, Pattern, Target, Unit};

/// The canonical date-time forms, read when a profile names none.
const DATETIME: [&str; 2] = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"];
/// The canonical date form.
const DATE: [&str; 1] = ["%Y-%m-%d"];

/// How to read cells for a field of `target` whose rule says `format` (at profile key `key`).
pub(crate) fn input(
    defaults: &Formats,
    target: Target,
    format: &[String],
    key: &str,
) -> Result<Input, ProfileError> {
    let bad = |key: &str, format: &str, message: &str| ProfileError::BadFormat {
        key: key.to_string(),
        format: format.to_string(),
        message: message.to_string(),
    };
    let canonical = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // The patterns in force for date-times, and the key they were written under.
    let datetimes = if !format.is_empty() {
        (format.to_vec(), key)
    } else if !defaults.datetime.is_empty() {
        (defaults.datetime.clone(), "formats.datetime")
    } else {
        (canonical(&DATETIME), key)
    };
    match target {
        Target::DateTime => {
            let list = patterns(&datetimes.0, datetimes.1)?;
            if let Some(p) = list.iter().find(|p| !p.has_time) {
                let message = "has no time of day, and this field is a date and time";
                return Err(bad(datetimes.1, &p.text, message));
            }
            Ok(Input::Moment(list))
        }
        Target::Date if !format.is_empty() => Ok(Input::Day(patterns(format, key)?)),
        Target::Date => {
            let mut list = match defaults.date.is_empty() {
                true => patterns(&canonical(&DATE), key)?,
                false => patterns(&defaults.date, "formats.date")?,
            };
            // A profile that declares its date-times reads dates written with a time too.
            if !defaults.datetime.is_empty() {
                list.extend(patterns(&datetimes.0, datetimes.1)?);
            }
            Ok(Input::Day(list))
        }
        Target::Seconds | Target::Minutes => {
            let (name, key) = match format {
                [] => match &defaults.duration {
                    Some(d) => (d.clone(), "formats.duration"),
                    None => ("auto".to_string(), key),
                },
                [one] => (one.clone(), key),
                _ => {
                    let message = "is more than one duration format";
                    return Err(bad(key, &format.join(", "), message));
                }
            };
            let message = "is not a duration format (secs, hms or minutes)";
            let unit = match value::unit(&name).ok_or_else(|| bad(key, &name, message))? {
                // "As the canonical format writes it": whole minutes in a minutes field.
                Unit::Auto if target == Target::Minutes => Unit::Minutes,
                unit => unit,
            };
            Ok(Input::Duration(unit))
        }
        Target::Text => match format {
            [] => Ok(Input::Text),
            [one] if one == "decimal" => Ok(Input::Decimal),
            list if list.iter().all(|f| f.contains('%')) => {
                let list = patterns(list, key)?;
                Ok(match list.iter().all(|p| p.has_time) {
                    true => Input::Moment(list),
                    false => Input::Day(list),
                })
            }
            list => {
                let message = "is neither decimal nor a date pattern";
                Err(bad(key, &list.join(", "), message))
            }
        },
    }
}

/// Checks each strftime pattern of `list`, written under profile key `key`.
fn patterns(list: &[String], key: &str) -> Result<Vec<Pattern>, ProfileError> {
    list.iter()
        .map(|f| {
            value::pattern(f).map_err(|message| ProfileError::BadFormat {
                key: key.to_string(),
                format: f.clone(),
                message,
            })
        })
        .collect()
}
