//! Paginated tables of the records behind a scorecard: calls, surveys, QA reviews.

use askama::Template;
use jixiao_core::record::{CallRecord, QaItem, QaRecord, SurveyRecord};
use jixiao_store::Page;

use super::fmt::plain;
use super::{Chrome, Pager};

/// Which records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// Calls.
    Calls,
    /// Surveys.
    Surveys,
    /// QA reviews.
    Qa,
}

impl RecordKind {
    /// The URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            RecordKind::Calls => "calls",
            RecordKind::Surveys => "surveys",
            RecordKind::Qa => "qa",
        }
    }

    /// The catalog key of the title.
    pub fn title(self) -> &'static str {
        match self {
            RecordKind::Calls => "records_calls",
            RecordKind::Surveys => "records_surveys",
            RecordKind::Qa => "records_qa",
        }
    }
}

/// A table cell: text and whether it is a number (right-aligned).
pub type Cell = (String, bool);

/// Rows of one kind, formatted.
#[derive(Debug, Clone)]
pub struct Table {
    /// Headers: catalog key, numeric.
    pub headers: Vec<(&'static str, bool)>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

fn txt(s: impl ToString) -> Cell {
    (s.to_string(), false)
}

fn num(s: impl ToString) -> Cell {
    (s.to_string(), true)
}

/// The calls table.
pub fn calls_table(items: &[CallRecord]) -> Table {
    Table {
        headers: vec![
            ("col_started_at", false),
            ("col_record_id", false),
            ("col_business_type", false),
            ("col_outcome", false),
            ("col_wait", true),
            ("col_talk", true),
            ("col_hold", true),
            ("col_acw", true),
            ("col_handle", true),
        ],
        rows: items
            .iter()
            .map(|c| {
                vec![
                    txt(c.started_at.format("%Y-%m-%d %H:%M:%S")),
                    txt(&c.record_id),
                    txt(&c.business_type),
                    txt(c.outcome.as_str()),
                    num(c.wait_secs),
                    num(c.talk_secs),
                    num(c.hold_secs),
                    num(c.acw_secs),
                    num(c.handle_secs()),
                ]
            })
            .collect(),
    }
}

/// The surveys table.
pub fn surveys_table(items: &[SurveyRecord]) -> Table {
    Table {
        headers: vec![
            ("col_date", false),
            ("col_record_id", false),
            ("col_call_id", false),
            ("col_score", true),
        ],
        rows: items
            .iter()
            .map(|s| {
                vec![
                    txt(s.answered_on),
                    txt(&s.record_id),
                    txt(&s.call_record_id),
                    num(s.score),
                ]
            })
            .collect(),
    }
}

/// The QA table.
pub fn qa_table(items: &[QaRecord]) -> Table {
    Table {
        headers: vec![
            ("col_date", false),
            ("col_record_id", false),
            ("col_reviewer", false),
            ("col_score", true),
            ("col_critical", false),
            ("col_interaction", false),
            ("col_qa_form", false),
            ("col_qa_items", false),
        ],
        rows: items
            .iter()
            .map(|q| {
                vec![
                    txt(q.reviewed_on),
                    txt(&q.record_id),
                    txt(q.reviewer_no.as_ref().map_or("", |r| r.as_str())),
                    num(plain(q.score)),
                    txt(if q.critical_failure { "✔" } else { "" }),
                    txt(q.interaction_id.as_deref().unwrap_or_default()),
                    txt(q.form.as_deref().unwrap_or_default()),
                    txt(QaItem::format_list(&q.items)),
                ]
            })
            .collect(),
    }
}

/// `/p/{period}/agents/{employee_no}/{calls|surveys|qa}`.
#[derive(Template)]
#[template(path = "records.html")]
pub struct RecordsPage {
    /// Frame.
    pub c: Chrome,
    /// Period.
    pub period: String,
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Catalog key of the title.
    pub title: &'static str,
    /// Back to the scorecard.
    pub back_href: String,
    /// Tabs: (catalog key, href, active).
    pub tabs: Vec<(&'static str, String, bool)>,
    /// The table.
    pub table: Table,
    /// Paging.
    pub pager: Pager,
}

impl RecordsPage {
    /// Builds the page around an already formatted table.
    pub fn build<T>(
        c: Chrome,
        kind: RecordKind,
        base: String,
        team: Option<i64>,
        page: &Page<T>,
        table: Table,
        (employee_no, name, period): (String, String, String),
    ) -> RecordsPage {
        let team_q = team.map_or_else(String::new, |t| format!("team={t}&"));
        let link = |k: RecordKind, n: u32| format!("{base}/{}?{team_q}page={n}", k.slug());
        RecordsPage {
            c,
            period,
            employee_no,
            name,
            title: kind.title(),
            back_href: base.clone(),
            tabs: [RecordKind::Calls, RecordKind::Surveys, RecordKind::Qa]
                .into_iter()
                .map(|k| (k.title(), link(k, 1), k == kind))
                .collect(),
            table,
            pager: Pager::new(page.page, page.per_page, page.total, |n| link(kind, n)),
        }
    }
}
