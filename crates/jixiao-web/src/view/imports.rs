//! The import pages: upload form with the list of past imports, and one import's result.

use askama::Template;
use jixiao_store::{ImportOutcome, ImportSummary, Page, Reject};

use super::{Chrome, Pager};

/// One past import, formatted.
#[derive(Debug, Clone)]
pub struct ImportRowVm {
    /// Id.
    pub id: i64,
    /// Catalog key of the kind.
    pub kind: &'static str,
    /// File name.
    pub file_name: String,
    /// First 12 hex digits of the file hash.
    pub hash_short: String,
    /// Rows read.
    pub rows_total: i64,
    /// New.
    pub inserted: i64,
    /// Replaced.
    pub replaced: i64,
    /// Unchanged.
    pub unchanged: i64,
    /// Rejected.
    pub rejected: i64,
    /// Who.
    pub imported_by: String,
    /// When (UTC).
    pub imported_at: String,
}

/// The catalog key of an import kind.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "calls" => "kind_calls",
        "surveys" => "kind_surveys",
        "qa" => "kind_qa",
        _ => "kind_unknown",
    }
}

/// `/imports`: the upload form and past imports.
#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    /// Frame.
    pub c: Chrome,
    /// Past imports, newest first.
    pub rows: Vec<ImportRowVm>,
    /// Paging.
    pub pager: Pager,
}

impl ImportsPage {
    /// Builds the page.
    pub fn build(c: Chrome, page: Page<ImportSummary>) -> ImportsPage {
        let pager = Pager::new(page.page, page.per_page, page.total, |n| {
            format!("/imports?page={n}")
        });
        let rows = page
            .items
            .into_iter()
            .map(|i| ImportRowVm {
                id: i.id,
                kind: kind_key(&i.kind),
                hash_short: i.file_hash.chars().take(12).collect(),
                file_name: i.file_name,
                rows_total: i.rows_total,
                inserted: i.inserted,
                replaced: i.replaced,
                unchanged: i.unchanged,
                rejected: i.rejected,
                imported_by: i.imported_by,
                imported_at: i.imported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            })
            .collect();
        ImportsPage { c, rows, pager }
    }
}

/// The result of one upload.
#[derive(Template)]
#[template(path = "import_result.html")]
pub struct ImportResultPage {
    /// Frame.
    pub c: Chrome,
    /// File name.
    pub file_name: String,
    /// Catalog key of the kind.
    pub kind: &'static str,
    /// Rows read.
    pub rows_total: i64,
    /// The outcome.
    pub outcome: ImportOutcome,
    /// Periods recomputed.
    pub periods: Vec<String>,
    /// Reject CSV link.
    pub rejects_href: String,
}

impl ImportResultPage {
    /// Builds the page.
    pub fn build(
        c: Chrome,
        file_name: String,
        kind: &str,
        rows_total: i64,
        outcome: ImportOutcome,
    ) -> ImportResultPage {
        ImportResultPage {
            c,
            file_name,
            kind: kind_key(kind),
            rows_total,
            periods: outcome
                .periods_touched
                .iter()
                .map(|p| p.to_string())
                .collect(),
            rejects_href: format!("/imports/{}/rejects.csv", outcome.import_id),
            outcome,
        }
    }
}

/// A whole-file error (unreadable file, missing column…), shown on the upload page.
#[derive(Template)]
#[template(path = "import_failed.html")]
pub struct ImportFailedPage {
    /// Frame.
    pub c: Chrome,
    /// File name.
    pub file_name: String,
    /// What is wrong with the file.
    pub message: String,
}

/// The reject report as CSV (row, column, value, reason), for download.
pub fn rejects_csv(rejects: &[Reject]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["row", "column", "value", "reason"])?;
    for r in rejects {
        w.write_record([r.row.to_string().as_str(), &r.column, &r.value, &r.reason])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reject_report_quotes_values_with_commas() {
        let csv = rejects_csv(&[Reject {
            row: 3,
            column: "talk_secs".into(),
            value: "1,5".into(),
            reason: "not a whole number".into(),
        }])
        .unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(
            text,
            "row,column,value,reason\n3,talk_secs,\"1,5\",not a whole number\n"
        );
    }
}
