//! The mapping-profile pages: the list (saved and shipped profiles) and the editor, with the
//! preview of a sample file's first rows as the profile reads them.

use askama::Template;
use chrono::{DateTime, Utc};
use jixiao_import::mapping::{FieldPreview, Preview};

use super::Chrome;
use super::imports::kind_key;
use crate::i18n::Tr;
use crate::profiles::{Entry, Problem};

/// The editor's path for profile `name` (the name percent-encoded, as a path segment).
pub fn href(name: &str) -> String {
    format!("/imports/profiles/{}", encode(name))
}

/// The new-profile editor, opened on a copy of profile `name`.
fn copy_href(name: &str) -> String {
    format!("/imports/profiles/new?from={}", encode(name))
}

/// Percent-encodes everything but the unreserved characters of a URL.
pub(crate) fn encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn when(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// One profile of the list.
#[derive(Debug, Clone)]
pub struct ProfileRowVm {
    /// Name.
    pub name: String,
    /// The editor's path.
    pub href: String,
    /// The new-profile editor, opened on a copy of this one.
    pub copy_href: String,
    /// Catalog key of the kind.
    pub kind: &'static str,
    /// Shipped with Jixiao (read-only).
    pub builtin: bool,
    /// Saved version, or "".
    pub version: String,
    /// Who saved it, or "".
    pub updated_by: String,
    /// When (UTC), or "".
    pub updated_at: String,
}

/// `/imports/profiles`.
#[derive(Template)]
#[template(path = "profiles.html")]
pub struct ProfilesPage {
    /// Frame.
    pub c: Chrome,
    /// Saved profiles by name, then the shipped ones.
    pub rows: Vec<ProfileRowVm>,
}

impl ProfilesPage {
    /// Builds the page.
    pub fn build(c: Chrome, entries: Vec<Entry>) -> ProfilesPage {
        let rows = entries
            .into_iter()
            .map(|e| {
                let (updated_by, updated_at) = e
                    .updated
                    .map(|(by, at)| (by, when(&at)))
                    .unwrap_or_default();
                ProfileRowVm {
                    href: href(&e.name),
                    copy_href: copy_href(&e.name),
                    kind: kind_key(&e.kind),
                    builtin: e.builtin,
                    version: e.version.map(|v| v.to_string()).unwrap_or_default(),
                    updated_by,
                    updated_at,
                    name: e.name,
                }
            })
            .collect();
        ProfilesPage { c, rows }
    }
}

/// A profile offered by the upload form.
#[derive(Debug, Clone)]
pub struct ProfileOptionVm {
    /// Name.
    pub name: String,
    /// Catalog key of the kind.
    pub kind: &'static str,
}

/// The upload form's profile choices: saved, then shipped.
pub fn options(entries: Vec<Entry>) -> Vec<ProfileOptionVm> {
    entries
        .into_iter()
        .map(|e| ProfileOptionVm {
            kind: kind_key(&e.kind),
            name: e.name,
        })
        .collect()
}

/// A problem with the profile, as shown beside its text.
#[derive(Debug, Clone)]
pub struct ProblemVm {
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

impl ProblemVm {
    /// Words `p` in the page's language (the engine's own messages are shown as worded).
    pub fn new(t: &Tr, p: Problem) -> ProblemVm {
        match p {
            Problem::Engine { code, message } => ProblemVm {
                code: code.to_string(),
                message,
            },
            Problem::Page(key) => ProblemVm {
                code: key.to_string(),
                message: t.get(key).to_string(),
            },
        }
    }
}

/// One canonical field of a previewed row.
#[derive(Debug, Clone)]
pub struct FieldVm {
    /// The value, or why the row is rejected for it.
    pub text: String,
    /// `value`, `blank` or `rejected` (a CSS class).
    pub class: &'static str,
    /// For a reject: the source column and value found.
    pub title: String,
}

/// One previewed row.
#[derive(Debug, Clone)]
pub struct PreviewRowVm {
    /// The file's row.
    pub row: i64,
    /// Cells as found, one per column of the table.
    pub cells: Vec<String>,
    /// A problem with the whole row, which rejects it.
    pub problem: Option<String>,
    /// Per canonical field.
    pub fields: Vec<FieldVm>,
    /// The row will be rejected.
    pub rejected: bool,
}

/// The preview table.
#[derive(Debug, Clone)]
pub struct PreviewVm {
    /// The sample's file name.
    pub file_name: String,
    /// The source's columns.
    pub columns: Vec<String>,
    /// The kind's canonical fields.
    pub fields: Vec<String>,
    /// The rows read.
    pub rows: Vec<PreviewRowVm>,
    /// Rows that would land.
    pub good: usize,
    /// Rows that would be rejected.
    pub bad: usize,
}

impl PreviewVm {
    /// Formats a preview of the sample `file_name`.
    pub fn build(file_name: String, p: Preview) -> PreviewVm {
        let widest = p.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let mut columns = p.columns;
        // A row wider than the header gets its own columns rather than a shifted table.
        for i in columns.len()..widest {
            columns.push(format!("column {}", i + 1));
        }
        let rows: Vec<PreviewRowVm> = p
            .rows
            .into_iter()
            .map(|r| {
                let mut cells = r.cells;
                cells.resize(columns.len(), String::new());
                let fields: Vec<FieldVm> = r.fields.into_iter().map(field).collect();
                let rejected = r.problem.is_some() || fields.iter().any(|f| f.class == "rejected");
                PreviewRowVm {
                    row: r.row,
                    cells,
                    problem: r.problem,
                    fields,
                    rejected,
                }
            })
            .collect();
        let bad = rows.iter().filter(|r| r.rejected).count();
        PreviewVm {
            file_name,
            columns,
            fields: p.fields,
            good: rows.len() - bad,
            bad,
            rows,
        }
    }
}

fn field(f: FieldPreview) -> FieldVm {
    match f {
        FieldPreview::Value(text) => FieldVm {
            text,
            class: "value",
            title: String::new(),
        },
        FieldPreview::Empty => FieldVm {
            text: String::new(),
            class: "blank",
            title: String::new(),
        },
        FieldPreview::Rejected {
            column,
            value,
            reason,
        } => FieldVm {
            text: reason,
            class: "rejected",
            title: format!("{column} = {value:?}"),
        },
    }
}

/// `/imports/profiles/new` and `/imports/profiles/{name}`: the TOML, a sample upload, the
/// problem if any, and the preview once a sample was sent.
#[derive(Template)]
#[template(path = "profile_edit.html")]
pub struct EditPage {
    /// Frame.
    pub c: Chrome,
    /// The profile opened (none on the new-profile page).
    pub original: Option<String>,
    /// The editor's path: the forms post to `{base}/preview`, `{base}/save`.
    pub base: String,
    /// The new-profile editor on a copy of the profile opened ("" on the new-profile page).
    pub copy_href: String,
    /// The TOML text.
    pub toml: String,
    /// The version the text was opened at ("" for a new or shipped profile).
    pub version: String,
    /// A shipped profile: read-only under its own name.
    pub builtin: bool,
    /// "by, at" of the saved version, or "".
    pub updated: String,
    /// Just saved (the page after the redirect).
    pub saved: bool,
    /// What is wrong with the text or the sample.
    pub error: Option<ProblemVm>,
    /// The sample's first rows.
    pub preview: Option<PreviewVm>,
    /// Preview was asked for without a sample file.
    pub no_sample: bool,
}

impl EditPage {
    /// The editor for `toml`; `original` names the profile opened, if any.
    pub fn build(
        c: Chrome,
        original: Option<String>,
        toml: String,
        version: Option<i64>,
        builtin: bool,
    ) -> EditPage {
        EditPage {
            c,
            base: original
                .as_deref()
                .map_or("/imports/profiles/new".to_string(), href),
            copy_href: original.as_deref().map_or(String::new(), copy_href),
            original,
            toml,
            version: version.map(|v| v.to_string()).unwrap_or_default(),
            builtin,
            updated: String::new(),
            saved: false,
            error: None,
            preview: None,
            no_sample: false,
        }
    }

    /// Shows who saved the version opened, and when.
    pub fn updated(mut self, updated: Option<(String, DateTime<Utc>)>) -> EditPage {
        if let Some((by, at)) = updated {
            self.updated = format!("{by}, {}", when(&at));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_import::mapping::PreviewRow;

    #[test]
    fn profile_paths_encode_what_a_url_path_cannot_hold() {
        assert_eq!(href("pbx-cdr_1.0"), "/imports/profiles/pbx-cdr_1.0");
        assert_eq!(href("话务"), "/imports/profiles/%E8%AF%9D%E5%8A%A1");
    }

    #[test]
    fn a_row_wider_than_the_header_gets_columns_and_counts_as_rejected() {
        let p = Preview {
            columns: vec!["a".into()],
            fields: vec!["record_id".into()],
            rows: vec![
                PreviewRow {
                    row: 2,
                    cells: vec!["1".into()],
                    problem: None,
                    fields: vec![FieldPreview::Value("1".into())],
                },
                PreviewRow {
                    row: 3,
                    cells: vec!["2".into(), "x".into()],
                    problem: Some("the header has 1 fields".into()),
                    fields: vec![FieldPreview::Empty],
                },
            ],
        };
        let vm = PreviewVm::build("s.csv".into(), p);
        assert_eq!(vm.columns, ["a", "column 2"]);
        assert_eq!(vm.rows[0].cells, ["1", ""]);
        assert_eq!((vm.good, vm.bad), (1, 1));
    }
}
