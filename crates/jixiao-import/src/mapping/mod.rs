//! Mapping profiles: a saved, reusable description of how a customer's export (CSV, TSV or an
//! .xlsx sheet) becomes Jixiao records of one canonical kind, without code per customer. The
//! TOML reference is in docs/IMPORT.md ("Mapping profiles"); in short:
//!
//! ```toml
//! name = "pbx-cdr"
//! kind = "calls"              # a canonical kind
//! source = "pbx"              # the `source` of every record, unless a field rule gives one
//! format = "csv"              # or "xlsx" (with `sheet = "Calls"` or `sheet = 2`)
//! header = true               # false: columns are referred to by number, from 1
//! null_values = ["", "NULL"]  # values meaning "empty" (a field may have its own list)
//! timezone = "UTC"            # the source's zone; times move into the center's
//!
//! [fields]
//! record_id = { column = "uniqueid" }
//! outcome = { column = "disposition", map = { ANSWERED = "answered", BUSY = "abandoned" } }
//! talk_secs = { derive = "seconds_between", from = "answer", to = "end" }
//! hold_secs = { constant = "0" }
//! ```
//!
//! A file is read by turning each source row into a row of canonical CSV of the kind and
//! handing that to the canonical parser, so a mapped file obeys exactly the rules of a canonical
//! one, for every kind; the rejects are then told back in the source's terms (its row, column
//! and value). What a canonical column holds is judged by Jixiao's column naming rule: `*_at` a
//! date and time, `*_on` and `date` a date, `*_secs` / `*_mins` a duration, anything else text.

mod error;
mod eval;
mod formats;
mod plan;
mod preview;
mod profile;
mod read;
mod source;
mod value;

pub use error::{MapError, ProfileError};
pub use preview::{FieldPreview, Preview, PreviewRow, preview};
pub use profile::{
    Column, Delimiter, Derive, Encoding, Field, FileFormat, Formats, Profile, Rule, Sheet,
};
pub use read::{MappedFile, ReadContext, read};

use crate::canonical::Kind;

/// The profiles shipped with Jixiao: (file name, TOML text).
pub const BUILTIN: [(&str, &str); 2] = [
    ("pbx-cdr.toml", include_str!("../../profiles/pbx-cdr.toml")),
    (
        "cn-pbx-gbk-headerless.toml",
        include_str!("../../profiles/cn-pbx-gbk-headerless.toml"),
    ),
];

/// The shipped profiles, read and checked.
pub fn builtin_profiles() -> Vec<Profile> {
    BUILTIN
        .iter()
        .filter_map(|(_, text)| Profile::from_toml(text).ok())
        .collect()
}

/// The shipped profile called `name`.
pub fn builtin_profile(name: &str) -> Option<Profile> {
    builtin_profiles().into_iter().find(|p| p.name == name)
}

impl Profile {
    /// Checks the profile: a known kind and time zone, known fields, every required field
    /// mapped, rules complete and formats usable. Reading and previewing check it too.
    pub fn check(&self) -> Result<(), ProfileError> {
        plan::compile(self).map(drop)
    }

    /// The profile's kind, once checked.
    pub fn record_kind(&self) -> Option<Kind> {
        Kind::parse(&self.kind)
    }
}

/// The canonical fields of `kind` that a profile must map (`source` may come from the
/// profile's `source` key).
pub fn required_fields(kind: Kind) -> Vec<&'static str> {
    plan::required(kind)
}

#[cfg(test)]
mod tests {
    use super::value::{Target, target};
    use crate::canonical::{Kind, parse_batch};

    /// Whether the canonical parser takes `value` in column `i` of `kind` (the rest empty).
    fn takes(kind: Kind, i: usize, value: &str) -> bool {
        let columns = kind.columns();
        let mut row = vec![""; columns.len()];
        row[i] = value;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(columns).unwrap();
        w.write_record(&row).unwrap();
        let (batch, _) = parse_batch(kind, &w.into_inner().unwrap()).unwrap();
        !batch.rejects.iter().any(|r| r.column == columns[i])
    }

    #[test]
    fn the_column_naming_rule_agrees_with_the_canonical_parser_for_every_kind() {
        let (at, on) = ("2026-01-02 03:04:05", "2026-01-02");
        for &kind in Kind::all() {
            for (i, &c) in kind.columns().iter().enumerate() {
                let ok = |v: &str| takes(kind, i, v);
                let what = format!("{}.{c}", kind.as_str());
                match target(c) {
                    Target::DateTime => assert!(ok(at) && !ok(on), "{what}"),
                    Target::Date => assert!(ok(on) && !ok(at), "{what}"),
                    Target::Seconds => assert!(ok("95") && ok("0:01:35"), "{what}"),
                    Target::Minutes => assert!(ok("95"), "{what}"),
                    Target::Text if !ok("zzz") => {
                        assert!(
                            !ok(at) && !ok(on),
                            "{what} holds dates: name it *_at / *_on"
                        );
                    }
                    Target::Text => {}
                }
            }
        }
    }
}
