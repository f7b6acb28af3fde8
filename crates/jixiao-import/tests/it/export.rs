//! The scorecard workbook, read back with calamine.

use calamine::{Data, Reader, Xlsx};
use jixiao_core::kpi::{KpiCode, KpiValue};
use jixiao_core::scorecard::{KpiResult, Scorecard};
use jixiao_import::export::{ExportRow, Lang, period_workbook, scorecard_workbook};
use rust_decimal::{Decimal, dec};

fn kpi(k: KpiCode, value: Option<Decimal>) -> KpiResult {
    KpiResult {
        kpi: k,
        value: KpiValue {
            value,
            numerator: Decimal::ZERO,
            denominator: Decimal::ONE,
        },
        floor: Decimal::ZERO,
        target: Decimal::ONE_HUNDRED,
        rule: String::new(),
        linear: None,
        score: value,
        weight: dec!(25),
        effective_weight: None,
        library_kpi: None,
        scoring: None,
        deducted: None,
    }
}

fn card(no: &str, days: u32, csat: Option<Decimal>, total: Option<Decimal>) -> Scorecard {
    Scorecard {
        scheme: None,
        employee_id: 1,
        employee_no: no.into(),
        name: "王芳".into(),
        team_id: 1,
        days,
        handled: 812,
        points: dec!(1396.5),
        points_lines: vec![],
        kpis: vec![
            kpi(KpiCode::Points, Some(dec!(1396.5))),
            kpi(KpiCode::Aht, Some(dec!(171.37))),
            kpi(KpiCode::Csat, csat),
            kpi(KpiCode::Qa, Some(dec!(88.25))),
        ],
        total,
        grade: total.map(|_| "B".to_string()),
        rank_in_team: total.map(|_| 2),
        unit_price: dec!(0.80),
        variable_pay: dec!(1117.20),
        rounding: String::new(),
        rounding_dp: None,
        pay_lines: Vec::new(),
        measures: Vec::new(),
        library: Vec::new(),
        adjustments: Vec::new(),
        unit_attainment: None,
        notes: vec![],
    }
}

fn rows() -> Vec<ExportRow> {
    vec![
        ExportRow {
            department: "话务部".into(),
            team: "话务一组".into(),
            card: card("A00012", 15, Some(dec!(84.62)), Some(dec!(81.07))),
        },
        ExportRow {
            department: "话务部".into(),
            team: "话务三组".into(),
            card: card("A00012", 16, None, None),
        },
    ]
}

fn read(bytes: Vec<u8>) -> (String, Vec<Vec<Data>>) {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    (sheet, range.rows().map(|r| r.to_vec()).collect())
}

#[test]
fn the_workbook_has_english_headers_and_the_cards_values() {
    let (sheet, table) = read(scorecard_workbook(&rows(), Lang::En).unwrap());
    assert_eq!(sheet, "Scorecards");
    let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "Department",
            "Team",
            "Employee no.",
            "Name",
            "Days",
            "Handled",
            "Points",
            "AHT (s)",
            "CSAT (%)",
            "QA",
            "Total score",
            "Grade",
            "Rank in team",
            "Variable pay (元)"
        ]
    );
    let first = &table[1];
    assert_eq!(first[0], Data::String("话务部".into()));
    assert_eq!(first[2], Data::String("A00012".into()));
    assert_eq!(first[4], Data::Float(15.0));
    assert_eq!(first[5], Data::Float(812.0));
    assert_eq!(first[6], Data::Float(1396.5));
    assert_eq!(first[7], Data::Float(171.37));
    assert_eq!(first[8], Data::Float(84.62));
    assert_eq!(first[9], Data::Float(88.25));
    assert_eq!(first[10], Data::Float(81.07));
    assert_eq!(first[11], Data::String("B".into()));
    assert_eq!(first[12], Data::Float(2.0));
    assert_eq!(first[13], Data::Float(1117.2));
}

#[test]
fn a_mover_has_one_row_per_team_and_no_data_cells_stay_empty() {
    let (_, table) = read(scorecard_workbook(&rows(), Lang::En).unwrap());
    assert_eq!(table.len(), 3);
    let second = &table[2];
    assert_eq!(second[1], Data::String("话务三组".into()));
    assert_eq!(second[4], Data::Float(16.0));
    for col in [8, 10, 11, 12] {
        assert_eq!(second[col], Data::Empty, "column {col}");
    }
}

#[test]
fn chinese_headers_and_a_sheet_named_by_period() {
    let period = "2026-10".parse().unwrap();
    let (sheet, table) = read(period_workbook(period, &rows(), Lang::Zh).unwrap());
    assert_eq!(sheet, "2026-10");
    let header: Vec<String> = table[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header[..4], ["部门", "班组", "工号", "姓名"]);
    assert_eq!(header[13], "绩效工资(元)");
}
