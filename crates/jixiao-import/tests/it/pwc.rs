//! The PwC "Call Centre Trends" workbook preset, on a hand-made workbook with bad rows and on
//! the published sheet, which must reproduce its published averages exactly.
//! `UPDATE_GOLDEN=1` rewrites the snapshots in `tests/fixtures/pwc/`.

use std::fmt::Write as _;

use jixiao_core::record::Outcome;
use jixiao_import::presets::pwc;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

use super::golden::{check_snapshot_in, render, shared_data};

/// A sheet shaped like the published one: text dates, time-formatted serial times.
fn workbook(rows: &[[&str; 10]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let clock = Format::new().set_num_format("h:mm:ss");
    for (c, name) in pwc::COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            if v.is_empty() {
                continue;
            }
            // `=0.5` writes the number 0.5 as a time, `#109` the number 109, else text.
            if let Some(n) = v.strip_prefix('=') {
                let n: f64 = n.parse().unwrap();
                sheet.write_number_with_format(r, c, n, &clock).unwrap();
            } else if let Some(n) = v.strip_prefix('#') {
                sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_with_bad_rows_keeps_the_good_ones_and_reports_each_bad_cell() {
    let t = |h: u32, m: u32, s: u32| format!("={}", f64::from(h * 3600 + m * 60 + s) / 86_400.0);
    let (t1, t2, talk) = (t(9, 13, 13), t(17, 40, 0), t(0, 2, 23));
    let rows = [
        [
            "ID0001",
            "Diane",
            "2021-01-01",
            &t1,
            "Contract related",
            "Y",
            "Y",
            "#109",
            &talk,
            "#3",
        ],
        [
            "ID0002",
            "Becky",
            "#44198",
            &t2,
            "Streaming",
            "N",
            "N",
            "",
            "",
            "",
        ],
        [
            "ID0003",
            "Jim",
            "2021-02-30",
            &t1,
            "Streaming",
            "Y",
            "Y",
            "#10",
            &talk,
            "#6",
        ],
        [
            "ID0004",
            "Joe",
            "2021-01-02",
            "9h13",
            "Admin Support",
            "Maybe",
            "Y",
            "",
            "",
            "",
        ],
        [
            "ID0005",
            "Greg",
            "2021-01-02",
            &t1,
            "Admin Support",
            "Y",
            "Y",
            "",
            &talk,
            "#4",
        ],
        [
            "ID0006",
            "Dan",
            "2021-01-02",
            &t1,
            "Admin Support",
            "N",
            "N",
            "#12",
            "",
            "",
        ],
        [
            "ID0001",
            "Dan",
            "2021-01-03",
            &t1,
            "Streaming",
            "Y",
            "N",
            "#5",
            &talk,
            "",
        ],
        [
            "ID0007",
            "Martha Y.",
            "2021-01-03",
            &t1,
            "Streaming",
            "Y",
            "N",
            "#5.5",
            &talk,
            "",
        ],
    ];
    let got = render(pwc::parse(&workbook(&rows), "pwc"));
    check_snapshot_in("pwc", "bad_rows.expected.txt", &got);
}

#[test]
fn bytes_that_are_not_a_workbook_are_a_file_error() {
    let e = pwc::parse(b"Call Id,Agent\n", "pwc").unwrap_err();
    assert_eq!(e.code(), "workbook_unreadable");
}

/// The mean of `values`, exact, and rounded half away from zero to 2 places.
fn mean(values: &[u32]) -> (Decimal, Decimal) {
    let sum: u64 = values.iter().map(|&v| u64::from(v)).sum();
    let mean = Decimal::from(sum) / Decimal::from(values.len());
    (mean, mean.round_dp(2))
}

#[test]
fn the_published_sheet_reproduces_its_published_averages() {
    let Some(dir) = shared_data("pwc-call-center") else {
        return;
    };
    let bytes = std::fs::read(dir.join("Call-Center-Dataset.xlsx")).unwrap();
    let p = pwc::parse(&bytes, "pwc").unwrap();
    let answered: Vec<_> = p
        .records
        .iter()
        .map(|(_, r)| &r.call)
        .filter(|c| c.outcome == Outcome::Answered)
        .collect();
    let scores: Vec<u32> = p
        .records
        .iter()
        .filter_map(|(_, r)| r.survey.as_ref().map(|s| u32::from(s.score)))
        .collect();
    let speeds: Vec<u32> = answered.iter().map(|c| c.wait_secs).collect();
    let talks: Vec<u32> = answered.iter().map(|c| c.talk_secs).collect();
    let (satisfaction, speed, talk) = (mean(&scores), mean(&speeds), mean(&talks));
    assert_eq!(satisfaction.1, Decimal::new(340, 2));
    assert_eq!(speed.1, Decimal::new(6752, 2));
    assert_eq!(
        (
            p.rows_total,
            p.records.len(),
            p.rejects.len(),
            answered.len(),
            scores.len()
        ),
        (5000, 5000, 0, 4054, 4054)
    );
    // Every survey is about its own row's call and agent.
    for (_, r) in &p.records {
        if let Some(s) = &r.survey {
            assert_eq!(s.call_record_id, r.call.record_id);
            assert_eq!(Some(&s.employee_no), r.call.employee_no.as_ref());
        }
    }
    let mut report = format!(
        "rows_total: {}\nrecords: {}\nanswered: {}\nsurveys: {}\n\
         mean satisfaction: {} ≈ {}\nmean speed of answer: {} s ≈ {} s\n\
         mean talk (answered): {} s ≈ {} s\nfirst records:\n",
        p.rows_total,
        p.records.len(),
        answered.len(),
        scores.len(),
        satisfaction.0,
        satisfaction.1,
        speed.0,
        speed.1,
        talk.0,
        talk.1,
    );
    for (line, r) in p.records.iter().take(3) {
        let _ = writeln!(
            report,
            "  line {line}: {:?}\n    survey: {:?}",
            r.call, r.survey
        );
    }
    let _ = writeln!(report, "rejects: {}", p.rejects.len());
    for r in &p.rejects {
        let _ = writeln!(
            report,
            "  line {}, {} = {:?}: {}",
            r.row, r.column, r.value, r.reason
        );
    }
    check_snapshot_in("pwc", "call_center_dataset.expected.txt", &report);
}
