//! The payroll workbook and CSV, read back and compared cell by cell with the cards.

use calamine::{Data, Reader, Xlsx};
use jixiao_core::money::RoundingRule;
use jixiao_core::pay::{Adjustment, AdjustmentKind, BonusBand, BonusTable, PayLineKind};
use jixiao_core::scorecard::{PayRules, Scorecard, apply_pay};
use jixiao_import::export::{
    ExportRow, Lang, PAYROLL_COLUMNS, payroll_csv, payroll_rows, payroll_workbook,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, dec};

fn card(no: &str, name: &str, days: u32, points: Decimal, total: Option<Decimal>) -> Scorecard {
    Scorecard {
        scheme: None,
        employee_id: 1,
        employee_no: no.into(),
        name: name.into(),
        team_id: 1,
        days,
        handled: 0,
        points,
        points_lines: vec![],
        kpis: vec![],
        total,
        grade: None,
        rank_in_team: None,
        unit_price: dec!(0.85),
        variable_pay: Decimal::ZERO,
        rounding: String::new(),
        rounding_dp: None,
        pay_lines: vec![],
        measures: Vec::new(),
        library: Vec::new(),
        adjustments: Vec::new(),
        unit_attainment: None,
        notes: vec![],
    }
}

/// A001 all month; A002 moved from 话务一组 to 话务三组 and has a penalty on the second card.
fn rows() -> Vec<ExportRow> {
    let rules = PayRules {
        bonus_base: dec!(800),
        bonus_table: BonusTable::new(vec![
            BonusBand {
                min_score: dec!(80),
                coefficient: dec!(1.1),
            },
            BonusBand {
                min_score: dec!(0),
                coefficient: dec!(0.6),
            },
        ])
        .unwrap(),
        rounding: RoundingRule { dp: 2 },
        budget: None,
    };
    let penalty = Adjustment {
        kind: AdjustmentKind::Penalty,
        amount: dec!(20),
        reason: "upheld complaint".into(),
    };
    let mut out = Vec::new();
    for (team, mut c, adj) in [
        (
            "话务一组",
            card("A001", "王芳", 31, dec!(1396.5), Some(dec!(91.2))),
            vec![],
        ),
        (
            "话务一组",
            card("A002", "李雷", 14, dec!(402.25), Some(dec!(70))),
            vec![],
        ),
        (
            "话务三组",
            card("A002", "李雷", 17, dec!(500.1234), None),
            vec![penalty],
        ),
    ] {
        apply_pay(&mut c, &rules, 31, &adj).unwrap();
        out.push(ExportRow {
            department: "话务部".into(),
            team: team.into(),
            card: c,
        });
    }
    out
}

fn sum(cards: &[&Scorecard], kinds: &[PayLineKind]) -> Decimal {
    cards
        .iter()
        .flat_map(|c| &c.pay_lines)
        .filter(|l| kinds.contains(&l.kind))
        .map(|l| l.amount)
        .sum()
}

/// The expected cells of an agent's row, straight from their cards.
fn expected(rows: &[ExportRow], no: &str) -> Vec<String> {
    let cards: Vec<&Scorecard> = rows
        .iter()
        .filter(|r| r.card.employee_no == no)
        .map(|r| &r.card)
        .collect();
    let teams: Vec<&str> = rows
        .iter()
        .filter(|r| r.card.employee_no == no)
        .map(|r| r.team.as_str())
        .collect();
    vec![
        no.to_string(),
        cards[0].name.clone(),
        teams.join(" / "),
        cards.iter().map(|c| c.points).sum::<Decimal>().to_string(),
        cards[0].unit_price.to_string(),
        format!("{:.2}", sum(&cards, &[PayLineKind::Points])),
        format!("{:.2}", sum(&cards, &[PayLineKind::KpiBonus])),
        format!(
            "{:.2}",
            sum(&cards, &[PayLineKind::Reward, PayLineKind::Penalty])
        ),
        format!(
            "{:.2}",
            cards.iter().map(|c| c.variable_pay).sum::<Decimal>()
        ),
        cards[0].rounding.clone(),
    ]
}

#[test]
fn the_payroll_workbook_has_one_row_per_agent_equal_to_the_cards() {
    let rows = rows();
    let bytes = payroll_workbook(&rows, Lang::En).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Payroll"]);
    let range = wb.worksheet_range("Payroll").unwrap();
    let table: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, PAYROLL_COLUMNS.map(|(en, _)| en));
    assert_eq!(table.len(), 3, "one row per agent");
    for (row, no) in table[1..].iter().zip(["A001", "A002"]) {
        for (c, (cell, want)) in row.iter().zip(expected(&rows, no)).enumerate() {
            if (3..=8).contains(&c) {
                let want = want.parse::<Decimal>().unwrap().to_f64().unwrap();
                assert_eq!(cell, &Data::Float(want), "{no} column {c}");
            } else {
                assert_eq!(cell, &Data::String(want), "{no} column {c}");
            }
        }
    }
}

#[test]
fn the_payroll_csv_has_the_same_cells_as_exact_decimals_and_totals_add_up() {
    let rows = rows();
    let bytes = payroll_csv(&rows, Lang::Zh).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, PAYROLL_COLUMNS.map(|(_, zh)| zh));
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    for (got, no) in records.iter().zip(["A001", "A002"]) {
        let mut want = expected(&rows, no);
        want[9] = "四舍五入，保留2位小数".into();
        assert_eq!(got, &want);
    }
    for r in payroll_rows(&rows, Lang::Zh) {
        assert_eq!(r.points_pay + r.kpi_bonus + r.adjustments, r.total);
    }
    assert_eq!(records[1][7], "-20.00");
}
