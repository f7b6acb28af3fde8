//! The Asterisk CDR preset, on a hand-made file in cdr_csv's default order and on the real
//! lab file. `UPDATE_GOLDEN=1` rewrites the snapshots in `tests/fixtures/asterisk/`.

use jixiao_core::org::TypeCode;
use jixiao_core::record::Outcome;
use jixiao_import::presets::asterisk::{self, Order};

use super::golden::{check_snapshot_in, fixtures, render, shared_data};

fn general() -> TypeCode {
    TypeCode::parse("GENERAL").unwrap()
}

#[test]
fn a_default_order_file_maps_each_disposition_and_rejects_what_it_cannot_read() {
    let bytes = std::fs::read(fixtures().join("asterisk/cdr_csv_order.csv")).unwrap();
    let got = render(asterisk::parse(&bytes, Order::CdrCsv, "pbx", &general()));
    check_snapshot_in("asterisk", "cdr_csv_order.expected.txt", &got);
}

#[test]
fn the_real_lab_file_gives_every_leg_with_its_answering_endpoint_and_wait() {
    let Some(dir) = shared_data("asterisk-cdr-csv") else {
        return;
    };
    let bytes = std::fs::read(dir.join("kelysaina-cdr/Master.csv")).unwrap();
    let p = asterisk::parse(&bytes, Order::ClidFirst, "asterisk", &general()).unwrap();
    // Checked against the raw text, independently of the parser: for an answered leg the
    // wait is answer − start, and the agent is dstchannel's endpoint.
    let text = std::str::from_utf8(&bytes).unwrap();
    let raw: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        (p.rows_total, p.records.len(), p.rejects.len()),
        (14, 14, 0)
    );
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let mut off_by_a_second = 0;
    for ((line, r), f) in p.records.iter().zip(&raw) {
        let n = |i: usize| f[i].parse::<u32>().unwrap();
        assert_eq!(r.record_id, f[16], "line {line}");
        assert_eq!(r.talk_secs, n(12), "line {line}");
        if f[13] == "ANSWERED" {
            assert_eq!(r.outcome, Outcome::Answered);
            let wait = (at(&f[9]) - at(&f[8])).num_seconds();
            assert_eq!(i64::from(r.wait_secs), wait, "line {line}");
            // Asterisk prints whole seconds but computes duration and billsec from
            // microseconds, so duration − billsec can miss answer − start by one second.
            if i64::from(n(11) - n(12)) != wait {
                off_by_a_second += 1;
            }
            let endpoint = f[5].trim_start_matches("PJSIP/").split('-').next().unwrap();
            assert_eq!(r.employee_no.as_ref().unwrap().as_str(), endpoint);
        } else {
            assert_eq!(r.outcome, Outcome::Abandoned);
            assert_eq!((r.employee_no.as_ref(), r.wait_secs), (None, n(11)));
        }
    }
    let answered = p
        .records
        .iter()
        .filter(|(_, r)| r.outcome == Outcome::Answered);
    assert_eq!(answered.count(), 11);
    assert_eq!(off_by_a_second, 3);
    check_snapshot_in("asterisk", "kelysaina.expected.txt", &render(Ok(p)));
}

#[test]
fn the_real_file_read_in_the_default_order_is_rejected_row_by_row_not_guessed() {
    let Some(dir) = shared_data("asterisk-cdr-csv") else {
        return;
    };
    let bytes = std::fs::read(dir.join("kelysaina-cdr/Master.csv")).unwrap();
    let p = asterisk::parse(&bytes, Order::CdrCsv, "asterisk", &general()).unwrap();
    assert_eq!(
        (p.rows_total, p.records.len(), p.rejects.len()),
        (14, 0, 14)
    );
    assert!(p.rejects.iter().all(|r| r.column == "(row)"));
}
