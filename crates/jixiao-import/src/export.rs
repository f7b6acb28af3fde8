//! The scorecard workbook (.xlsx): one row per scorecard, that is per agent per team segment,
//! with a frozen header row, an autofilter and number formats, and a chart sheet (score
//! distribution, points by team) with native Excel charts.
//!
//! Excel stores every number as an IEEE double, so each `Decimal` is converted to `f64` here,
//! at the cell, and nowhere earlier: the values shown (two decimals) are the engine's exact
//! values, and sums done in Excel may differ from Jixiao's in the last binary digit. A KPI with
//! no data leaves its cell empty, never 0.

use jixiao_core::Period;
use jixiao_core::kpi::KpiCode;
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

mod charts;
mod payroll;

pub use payroll::{PAYROLL_COLUMNS, PayrollRow, payroll_csv, payroll_rows, payroll_workbook};

/// The language of the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 中文
    Zh,
    /// English
    En,
}

/// One row of the workbook: a scorecard with the names of its department and team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// Department name.
    pub department: String,
    /// Team name.
    pub team: String,
    /// The scorecard.
    pub card: Scorecard,
}

/// The workbook could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The xlsx writer refused something (for example an invalid sheet name).
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] XlsxError),
    /// The CSV writer failed.
    #[error("the CSV could not be written: {0}")]
    Csv(#[from] csv::Error),
}

impl ExportError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Xlsx(_) | ExportError::Csv(_) => "export_failed",
        }
    }
}

/// How a column's cells are formatted.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Count,
    Decimal,
    Money,
}

/// (English, Chinese, width, kind) of each column, in order.
const COLUMNS: [(&str, &str, f64, Kind); 14] = [
    ("Department", "部门", 14.0, Kind::Text),
    ("Team", "班组", 12.0, Kind::Text),
    ("Employee no.", "工号", 12.0, Kind::Text),
    ("Name", "姓名", 10.0, Kind::Text),
    ("Days", "天数", 7.0, Kind::Count),
    ("Handled", "接听量", 9.0, Kind::Count),
    ("Points", "绩效积分", 11.0, Kind::Decimal),
    ("AHT (s)", "平均处理时长(秒)", 16.0, Kind::Decimal),
    ("CSAT (%)", "满意度(%)", 11.0, Kind::Decimal),
    ("QA", "质检得分", 10.0, Kind::Decimal),
    ("Total score", "总分", 11.0, Kind::Decimal),
    ("Grade", "等级", 7.0, Kind::Text),
    ("Rank in team", "组内排名", 11.0, Kind::Count),
    ("Variable pay (元)", "绩效工资(元)", 15.0, Kind::Money),
];

/// Builds the workbook with one sheet named 绩效考核 / Scorecards.
pub fn scorecard_workbook(rows: &[ExportRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let name = match lang {
        Lang::Zh => "绩效考核",
        Lang::En => "Scorecards",
    };
    workbook(name, rows, lang)
}

/// Builds the workbook with its sheet named by the period, for example `2026-10`.
pub fn period_workbook(
    period: Period,
    rows: &[ExportRow],
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    workbook(&period.to_string(), rows, lang)
}

fn workbook(sheet: &str, rows: &[ExportRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let formats = [
        Format::new(),
        Format::new().set_num_format("0"),
        Format::new().set_num_format("0.00"),
        Format::new().set_num_format("¥#,##0.00"),
    ];
    for (c, (en, zh, width, _)) in COLUMNS.iter().enumerate() {
        let title = if lang == Lang::Zh { zh } else { en };
        ws.write_string_with_format(0, c as u16, *title, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (i, row) in rows.iter().enumerate() {
        write_row(ws, i as u32 + 1, row, &formats)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    if !rows.is_empty() {
        charts::add_chart_sheet(&mut wb, rows, lang)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// A cell's value before formatting; `Empty` is "no data".
enum Cell<'a> {
    Text(&'a str),
    Number(Decimal),
    Empty,
}

fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &ExportRow,
    formats: &[Format; 4],
) -> Result<(), XlsxError> {
    let card = &row.card;
    let kpi = |k: KpiCode| {
        card.kpis
            .iter()
            .find(|x| x.kpi == k)
            .and_then(|x| x.value.value)
            .map_or(Cell::Empty, Cell::Number)
    };
    let opt = |v: Option<Decimal>| v.map_or(Cell::Empty, Cell::Number);
    let cells = [
        Cell::Text(&row.department),
        Cell::Text(&row.team),
        Cell::Text(&card.employee_no),
        Cell::Text(&card.name),
        Cell::Number(card.days.into()),
        Cell::Number(card.handled.into()),
        Cell::Number(card.points),
        kpi(KpiCode::Aht),
        kpi(KpiCode::Csat),
        kpi(KpiCode::Qa),
        opt(card.total),
        card.grade.as_deref().map_or(Cell::Empty, Cell::Text),
        opt(card.rank_in_team.map(Decimal::from)),
        Cell::Number(card.variable_pay),
    ];
    for (c, cell) in cells.into_iter().enumerate() {
        let format = &formats[COLUMNS[c].3 as usize];
        match cell {
            Cell::Text(s) => ws.write_string_with_format(r, c as u16, s, format)?,
            // The one place a Decimal becomes a double: Excel stores nothing else.
            Cell::Number(d) => {
                ws.write_number_with_format(r, c as u16, d.to_f64().unwrap_or(0.0), format)?
            }
            Cell::Empty => ws,
        };
    }
    Ok(())
}
