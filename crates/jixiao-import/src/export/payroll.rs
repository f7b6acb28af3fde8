//! The payroll export (.xlsx and CSV): one row per agent with the payslip's parts. An agent
//! who moved team mid-period has one scorecard per team; their row sums the cards, so the
//! payroll pays each person once.

use std::collections::BTreeMap;

use jixiao_core::pay::PayLineKind;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use super::{ExportError, ExportRow, Lang};

/// (English, Chinese) headers of the payroll columns, in order.
pub const PAYROLL_COLUMNS: [(&str, &str); 10] = [
    ("Employee no.", "工号"),
    ("Name", "姓名"),
    ("Team", "班组"),
    ("Points", "绩效积分"),
    ("Unit price (元/point)", "积分单价(元)"),
    ("Points pay (元)", "积分工资(元)"),
    ("KPI bonus (元)", "KPI奖金(元)"),
    ("Rewards and penalties (元)", "奖惩(元)"),
    ("Total variable pay (元)", "绩效工资合计(元)"),
    ("Rounding rule", "舍入规则"),
];

/// One payroll row: an agent's cards of the period, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayrollRow {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// The teams of the period, in card order, joined by " / ".
    pub team: String,
    /// Σ points.
    pub points: Decimal,
    /// The unit price; `None` when the agent's cards had different prices.
    pub unit_price: Option<Decimal>,
    /// Σ points pay lines.
    pub points_pay: Decimal,
    /// Σ KPI bonus lines.
    pub kpi_bonus: Decimal,
    /// Σ rewards, penalties and corrections.
    pub adjustments: Decimal,
    /// Σ variable pay: the amount to pay.
    pub total: Decimal,
    /// The rounding rule, in the export's language.
    pub rounding: String,
}

/// Sums the cards per employee number, in employee-number order.
pub fn payroll_rows(rows: &[ExportRow], lang: Lang) -> Vec<PayrollRow> {
    let mut by_agent: BTreeMap<&str, PayrollRow> = BTreeMap::new();
    let mut dp_of: BTreeMap<&str, u32> = BTreeMap::new();
    for row in rows {
        let c = &row.card;
        let line_sum = |kinds: &[PayLineKind]| -> Decimal {
            c.pay_lines
                .iter()
                .filter(|l| kinds.contains(&l.kind))
                .map(|l| l.amount)
                .sum()
        };
        // Cards stored before payslips have no lines: their variable pay was points pay.
        let points_pay = if c.pay_lines.is_empty() {
            c.variable_pay - c.adjustments.iter().map(|a| a.pay).sum::<Decimal>()
        } else {
            line_sum(&[PayLineKind::Points])
        };
        let kpi_bonus = line_sum(&[PayLineKind::KpiBonus]);
        let adjustments = c.variable_pay - points_pay - kpi_bonus;
        let rounding = match (lang, c.rounding_rule()) {
            (Lang::Zh, Some(r)) => format!("四舍五入，保留{}位小数", r.dp),
            _ => c.rounding.clone(),
        };
        let dp = c.rounding_rule().unwrap_or_default().dp;
        dp_of.entry(c.employee_no.as_str()).or_insert(dp);
        let e = by_agent
            .entry(c.employee_no.as_str())
            .or_insert_with(|| PayrollRow {
                employee_no: c.employee_no.clone(),
                name: c.name.clone(),
                team: String::new(),
                points: Decimal::ZERO,
                unit_price: Some(c.unit_price),
                points_pay: Decimal::ZERO,
                kpi_bonus: Decimal::ZERO,
                adjustments: Decimal::ZERO,
                total: Decimal::ZERO,
                rounding,
            });
        if !e.team.is_empty() {
            e.team.push_str(" / ");
        }
        e.team.push_str(&row.team);
        e.points += c.points;
        if e.unit_price != Some(c.unit_price) {
            e.unit_price = None;
        }
        e.points_pay += points_pay;
        e.kpi_bonus += kpi_bonus;
        e.adjustments += adjustments;
        e.total += c.variable_pay;
    }
    let dps: Vec<u32> = dp_of.into_values().collect();
    by_agent
        .into_values()
        .zip(dps)
        .map(|(mut r, dp)| {
            // Amounts print at the rule's places (880.00, not 880.0), as on the payslip.
            for v in [
                &mut r.points_pay,
                &mut r.kpi_bonus,
                &mut r.adjustments,
                &mut r.total,
            ] {
                v.rescale(dp);
            }
            r
        })
        .collect()
}

/// A row's cells as text (exact decimals), the CSV's and the workbook's source.
fn cells(r: &PayrollRow) -> [Option<String>; 10] {
    let n = |d: Decimal| Some(d.to_string());
    [
        Some(r.employee_no.clone()),
        Some(r.name.clone()),
        Some(r.team.clone()),
        n(r.points),
        r.unit_price.map(|p| p.to_string()),
        n(r.points_pay),
        n(r.kpi_bonus),
        n(r.adjustments),
        n(r.total),
        Some(r.rounding.clone()),
    ]
}

fn headers(lang: Lang) -> impl Iterator<Item = &'static str> {
    PAYROLL_COLUMNS
        .iter()
        .map(move |(en, zh)| if lang == Lang::Zh { *zh } else { *en })
}

/// The payroll workbook: one sheet (工资 / Payroll), frozen header, one row per agent.
pub fn payroll_workbook(rows: &[ExportRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(if lang == Lang::Zh {
        "工资"
    } else {
        "Payroll"
    })?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let money = Format::new().set_num_format("#,##0.00");
    let plain = Format::new();
    for (c, title) in headers(lang).enumerate() {
        ws.write_string_with_format(0, c as u16, title, &header)?;
        ws.set_column_width(c as u16, if c == 9 { 28.0 } else { 14.0 })?;
    }
    let payroll = payroll_rows(rows, lang);
    for (i, r) in payroll.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, cell) in cells(r).into_iter().enumerate() {
            let Some(text) = cell else { continue };
            if (3..=8).contains(&c) {
                // The one place a Decimal becomes a double: Excel stores nothing else.
                let v = text.parse::<Decimal>().ok().and_then(|d| d.to_f64());
                ws.write_number_with_format(row, c as u16, v.unwrap_or(0.0), &money)?;
            } else {
                ws.write_string_with_format(row, c as u16, &text, &plain)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, payroll.len() as u32, PAYROLL_COLUMNS.len() as u16 - 1)?;
    Ok(wb.save_to_buffer()?)
}

/// The same rows as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese), amounts as
/// exact decimals.
pub fn payroll_csv(rows: &[ExportRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(headers(lang))?;
        for r in payroll_rows(rows, lang) {
            w.write_record(cells(&r).map(Option::unwrap_or_default))?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}
