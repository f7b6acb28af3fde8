//! View models of the audit trail page and its CSV export (docs/FAIRNESS.md).

use askama::Template;
use jixiao_store::{AuditEntry, AuditVerification};

use super::{Chrome, Pager};
use crate::i18n::Tr;

/// One audit entry.
#[derive(Debug, Clone)]
pub struct AuditRowVm {
    /// Id.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// Kind.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Detail, compact JSON.
    pub detail: String,
    /// The entry hash's first 12 hex digits.
    pub hash: String,
}

impl From<&AuditEntry> for AuditRowVm {
    fn from(e: &AuditEntry) -> AuditRowVm {
        AuditRowVm {
            id: e.id,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: e.actor.clone(),
            kind: e.kind.clone(),
            subject: e.subject.clone(),
            detail: e.detail.to_string(),
            hash: e.entry_hash.chars().take(12).collect(),
        }
    }
}

/// `/audit`.
#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    /// Frame.
    pub c: Chrome,
    /// Rows.
    pub rows: Vec<AuditRowVm>,
    /// Filters as given: employee number, period, kind.
    pub employee: String,
    /// Period filter.
    pub period: String,
    /// Kind filter.
    pub kind: String,
    /// Kinds in the log.
    pub kinds: Vec<String>,
    /// The CSV link with the same filters.
    pub csv_href: String,
    /// Whether the chain verifies.
    pub intact: bool,
    /// The verification in one line.
    pub verification: String,
    /// Pages.
    pub pager: Pager,
}

/// The verification in one line for people.
pub fn verification_text(t: Tr, v: &AuditVerification) -> (bool, String) {
    match v {
        AuditVerification::Intact { entries, head } => (
            true,
            t.fill(
                "audit.chain_intact",
                &[
                    ("entries", &entries.to_string()),
                    (
                        "head",
                        head.as_deref().map_or("-", |h| &h[..h.len().min(12)]),
                    ),
                ],
            ),
        ),
        AuditVerification::Broken {
            id,
            problem,
            verified,
        } => (
            false,
            t.fill(
                "audit.chain_broken",
                &[
                    ("id", &id.to_string()),
                    ("problem", problem.describe()),
                    ("verified", &verified.to_string()),
                ],
            ),
        ),
    }
}

/// A cell that a spreadsheet would run as a formula is prefixed with `'`.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Audit entries as CSV: `id,at,actor,kind,subject,detail,entry_hash`.
pub fn audit_csv(entries: &[AuditEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "at",
        "actor",
        "kind",
        "subject",
        "detail",
        "entry_hash",
    ])?;
    for e in entries {
        w.write_record([
            e.id.to_string(),
            e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            cell(&e.actor),
            cell(&e.kind),
            cell(&e.subject),
            cell(&e.detail.to_string()),
            e.entry_hash.clone(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralised() {
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("boss"), "boss");
    }
}
