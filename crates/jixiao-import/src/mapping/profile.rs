//! The saved form of a mapping profile: plain data that serde reads from and writes to TOML.
//! Nothing here is checked; [`Profile::check`](super::Profile::check) and every read do that.

use std::collections::BTreeMap;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ProfileError;

/// How a customer's export becomes canonical records of one kind: the file's layout and, per
/// canonical field, where its value comes from. Saved as TOML; see docs/IMPORT.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name, kept in the import's lineage.
    pub name: String,
    /// The canonical record kind, spelled as `canonical::Kind::as_str` (`calls`, `surveys` …).
    pub kind: String,
    /// The source system put into `source` when no field rule gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// CSV/TSV text or an Excel workbook.
    #[serde(default)]
    pub format: FileFormat,
    /// The worksheet of a workbook: its name or 1-based position (default: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Sheet>,
    /// The field delimiter of a text file.
    #[serde(default)]
    pub delimiter: Delimiter,
    /// The character encoding of a text file.
    #[serde(default)]
    pub encoding: Encoding,
    /// Whether the first row (after `skip_rows`) names the columns; without it, columns are
    /// referred to by 1-based number.
    #[serde(default = "yes")]
    pub header: bool,
    /// Lines (text) or sheet rows (workbook) before the header or data to ignore.
    #[serde(default)]
    pub skip_rows: u32,
    /// Values that mean "empty" in every column (an empty cell always does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub null_values: Vec<String>,
    /// The IANA time zone the source writes its times in; none means the center's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Default formats for fields that name none.
    #[serde(default, skip_serializing_if = "Formats::is_empty")]
    pub formats: Formats,
    /// Canonical field name → where its value comes from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Field>,
}

fn yes() -> bool {
    true
}

/// The kind of file a profile reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Delimited text (CSV, TSV, semicolon-separated).
    #[default]
    Csv,
    /// An Excel .xlsx workbook.
    Xlsx,
}

/// A worksheet, by name or by 1-based position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Sheet {
    /// The n-th sheet, counting from 1.
    Position(u32),
    /// The sheet of this name.
    Name(String),
}

/// The field delimiter of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delimiter {
    /// The most frequent of tab, comma and semicolon on the first line read.
    #[default]
    Auto,
    /// `,`
    Comma,
    /// A tab.
    Tab,
    /// `;` (what Excel saves where the decimal mark is a comma).
    Semicolon,
}

/// The character encoding of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// A byte-order mark or valid UTF-8 means UTF-8; anything else is read as GB18030.
    #[default]
    Auto,
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    #[serde(alias = "gbk")]
    Gb18030,
}

/// Profile-wide default formats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    /// strftime patterns for date-and-time fields, tried in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "one_or_many")]
    pub datetime: Vec<String>,
    /// strftime patterns for date fields, tried in order (then the date-time ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "one_or_many")]
    pub date: Vec<String>,
    /// `secs`, `hms` or `minutes` for duration fields (default: seconds or H:MM:SS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

impl Formats {
    fn is_empty(&self) -> bool {
        *self == Formats::default()
    }
}

/// A column of the source file: its header name, or its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Column {
    /// The n-th column, counting from 1 (column A of a sheet is 1).
    Number(u32),
    /// The column with this header name (trimmed, case-insensitive); digits without a header
    /// are a number.
    Name(String),
}

/// A closed set of computed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Derive {
    /// Whole seconds from the date-time in `from` to the one in `to` (talk = end − answer).
    SecondsBetween,
    /// The sum of `columns`: durations for a duration field, decimals otherwise.
    Sum,
    /// `columns` (a date and a time) joined by a space and read as one date-time.
    DateTime,
}

/// Where one canonical field comes from: rules tried in order, the first that gives a value
/// wins. Written as one inline table, or an array of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field(pub Vec<Rule>);

/// One way to get a field's value: exactly one of `column`, `constant` or `derive`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The source column to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Column>,
    /// A fixed value, already in canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant: Option<String>,
    /// A computed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derive: Option<Derive>,
    /// `seconds_between`: the column of the earlier date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Column>,
    /// `seconds_between`: the column of the later date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Column>,
    /// `sum` and `date_time`: the columns combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Source value → canonical value; a value not listed is rejected.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<String, String>,
    /// The canonical value to use when the source is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// How the source writes the value: strftime patterns, `secs`/`hms`/`minutes`, `decimal`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "one_or_many")]
    pub format: Vec<String>,
    /// Values that mean "empty" here, instead of the profile's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_values: Option<Vec<String>>,
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // By hand rather than `untagged`, so that a misspelt key is named in the error.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table such as { column = \"Start\" }, or an array of them")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field, A::Error> {
                let rule = Rule::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Field(vec![rule]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Field, A::Error> {
                let rules = Vec::<Rule>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Field(rules))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string or an array of strings, written back as a string when there is one.
mod one_or_many {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }

    pub fn serialize<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
        match v {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match OneOrMany::deserialize(d)? {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        })
    }
}

impl Profile {
    /// Reads a profile from TOML and checks it (see [`Profile::check`]).
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let profile: Profile = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            message: e.to_string().trim_end().to_string(),
        })?;
        profile.check()?;
        Ok(profile)
    }

    /// Writes the profile as TOML, one inline table per field; reading it back gives the same
    /// profile.
    pub fn to_toml(&self) -> String {
        let head = Profile {
            fields: BTreeMap::new(),
            ..self.clone()
        };
        // Plain data of strings, numbers and tables: serializing it cannot fail.
        let mut out = toml::to_string(&head).unwrap_or_default();
        if !self.fields.is_empty() {
            out.push_str("\n[fields]\n");
        }
        // In the kind's column order, as the docs list them; unknown names last.
        let order = crate::canonical::Kind::parse(&self.kind).map_or(&[][..], |k| k.columns());
        let mut fields: Vec<_> = self.fields.iter().collect();
        fields.sort_by_key(|(name, _)| order.iter().position(|c| c == name).unwrap_or(usize::MAX));
        for (name, field) in fields {
            let mut value = String::new();
            let _ = field.serialize(toml::ser::ValueSerializer::new(&mut value));
            out.push_str(&key(name));
            out.push_str(" = ");
            out.push_str(&value);
            out.push('\n');
        }
        out
    }
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        return name.to_string();
    }
    let mut quoted = String::new();
    let _ = name.serialize(toml::ser::ValueSerializer::new(&mut quoted));
    quoted
}
