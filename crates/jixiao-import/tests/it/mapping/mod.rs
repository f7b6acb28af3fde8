//! Mapping profiles: golden tests of files read through a profile (records and the reject
//! report in the source's terms), the same export in UTF-8 and GBK, an .xlsx with serial dates,
//! the preview, the TOML round trip and every kind of profile mistake.
//! Run with `UPDATE_GOLDEN=1` to rewrite the snapshots after an intended change.

use std::fmt::Write;

use jixiao_import::canonical::{Kind, parse_batch};
use jixiao_import::mapping::{
    self, FieldPreview, MapError, MappedFile, Profile, ReadContext, builtin_profile,
};

use super::golden::{check_snapshot_in, fixtures};

mod profiles;
mod xlsx;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("mapping").join(name)).unwrap()
}

pub(super) fn read(profile: &Profile, file: &str, bytes: &[u8]) -> Result<MappedFile, MapError> {
    mapping::read(profile, file, bytes, &ReadContext::default())
}

pub(super) fn render(result: Result<MappedFile, MapError>) -> String {
    let mut out = String::new();
    let m = match result {
        Err(e) => return format!("error [{}]: {e}\n", e.code()),
        Ok(m) => m,
    };
    let b = &m.batch;
    writeln!(out, "profile: {}, kind: {}", m.profile, m.kind.as_str()).unwrap();
    writeln!(out, "rows_total: {}", m.rows_total).unwrap();
    let records = b.calls.len() + b.surveys.len() + b.qa.len();
    writeln!(out, "records: {records}").unwrap();
    for (row, r) in &b.calls {
        writeln!(out, "  row {row}: {r:?}").unwrap();
    }
    for (row, r) in &b.surveys {
        writeln!(out, "  row {row}: {r:?}").unwrap();
    }
    for (row, r) in &b.qa {
        writeln!(out, "  row {row}: {r:?}").unwrap();
    }
    writeln!(out, "rejects: {}", b.rejects.len()).unwrap();
    for r in &b.rejects {
        let (row, col, val) = (r.row, &r.column, &r.value);
        writeln!(out, "  row {row}, {col} = {val:?}: {}", r.reason).unwrap();
    }
    out
}

pub(super) fn profile(text: &str) -> Profile {
    Profile::from_toml(text).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) const BERLIN: &str = r#"
name = "berlin-pbx"
kind = "calls"
source = "berlin"
delimiter = "semicolon"
skip_rows = 2
null_values = ["", "?", "NULL"]
timezone = "Europe/Berlin"

[fields]
record_id = { column = "id" }
started_at = { column = "when", format = "%d.%m.%Y %H:%M" }
employee_no = { column = "agent" }
business_type = { column = "queue", map = { Sales = "SALES", Support = "SUPPORT" } }
customer_id = { column = "caller" }
outcome = { column = "result", map = { ok = "answered", "gave up" = "abandoned" } }
wait_secs = { column = "wait", format = "secs" }
talk_secs = { column = "talk", format = "minutes" }
hold_secs = { column = "hold", format = "minutes", default = "0" }
acw_secs = { column = "wrap", format = "minutes", default = "0" }
"#;

#[test]
fn the_pbx_cdr_profile_reads_its_fixture_to_the_committed_records_and_rejects() {
    let p = builtin_profile("pbx-cdr").unwrap();
    let got = render(read(&p, "pbx_cdr.csv", &fixture("pbx_cdr.csv")));
    check_snapshot_in("mapping", "pbx_cdr.expected.txt", &got);
}

#[test]
fn rejects_name_the_source_row_column_and_value() {
    let p = builtin_profile("pbx-cdr").unwrap();
    let m = read(&p, "pbx_cdr.csv", &fixture("pbx_cdr.csv")).unwrap();
    let find = |row: i64| {
        m.batch
            .rejects
            .iter()
            .find(|r| r.row == row)
            .unwrap_or_else(|| panic!("no reject on row {row}"))
    };
    // A value the map does not list.
    let r = find(6);
    assert_eq!(
        (r.column.as_str(), r.value.as_str()),
        ("disposition", "HANGUP")
    );
    assert!(
        r.reason.starts_with("outcome: is not in the value map"),
        "{}",
        r.reason
    );
    // A date no pattern reads.
    assert_eq!(find(7).column, "start");
    // A derivation whose end is before its start names both columns.
    assert_eq!(find(8).column, "answer, end");
    // The canonical parser's duplicate check, told in source rows.
    let r = find(9);
    assert_eq!(
        (r.column.as_str(), r.value.as_str()),
        ("uniqueid", "1760000000.1")
    );
    assert!(r.reason.contains("duplicate of row 2"), "{}", r.reason);
    // A row cut short.
    assert_eq!(find(11).column, "(row)");
    assert!(m.batch.calls.iter().any(|(row, _)| *row == 12));
}

#[test]
fn a_headerless_gbk_export_reads_the_same_as_its_utf8_twin() {
    let p = builtin_profile("cn-pbx-gbk-headerless").unwrap();
    let gbk = fixture("cn_pbx_gbk.csv");
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the fixture must stay GBK"
    );
    let utf8 = read(&p, "cn_pbx_utf8.csv", &fixture("cn_pbx_utf8.csv"));
    let got = render(utf8.clone());
    check_snapshot_in("mapping", "cn_pbx.expected.txt", &got);
    let (utf8, gbk) = (utf8.unwrap(), read(&p, "cn_pbx_utf8.csv", &gbk).unwrap());
    assert_eq!(utf8.batch, gbk.batch, "CRLF and GBK change nothing");
    assert_eq!(
        utf8.batch.calls[0].1.customer_id.as_deref(),
        Some("13900000001")
    );
}

#[test]
fn semicolons_skipped_rows_null_values_minutes_and_a_quoted_line_break_are_read() {
    let got = render(read(
        &profile(BERLIN),
        "berlin.csv",
        &fixture("berlin_semicolon.csv"),
    ));
    check_snapshot_in("mapping", "berlin_semicolon.expected.txt", &got);
}

#[test]
fn source_times_move_into_the_center_zone_and_a_skipped_hour_is_rejected() {
    let m = read(&profile(BERLIN), "b.csv", &fixture("berlin_semicolon.csv")).unwrap();
    let started = |id: &str| {
        let (_, c) = m
            .batch
            .calls
            .iter()
            .find(|(_, c)| c.record_id == id)
            .unwrap();
        c.started_at.to_string()
    };
    // Berlin summer time is UTC+2, winter time UTC+1; Shanghai is UTC+8 all year.
    assert_eq!(started("B-1"), "2026-10-08 16:00:00");
    assert_eq!(started("B-5"), "2026-10-26 06:30:00");
    let r = m
        .batch
        .rejects
        .iter()
        .find(|r| r.value.contains("29.03.2026"))
        .unwrap();
    assert_eq!(r.column, "when");
    assert!(
        r.reason.contains("did not exist in Europe/Berlin"),
        "{}",
        r.reason
    );
}

#[test]
fn the_preview_shows_cells_values_and_reasons_for_the_first_rows() {
    let p = builtin_profile("pbx-cdr").unwrap();
    let ctx = ReadContext::default();
    let preview = mapping::preview(&p, &fixture("pbx_cdr.csv"), &ctx, 8).unwrap();
    assert_eq!(preview.rows.len(), 8);
    assert_eq!(preview.columns[12], "uniqueid");
    assert_eq!(preview.fields, Kind::Calls.columns());
    let mut out = String::new();
    for row in &preview.rows {
        writeln!(out, "row {} ({} cells){}", row.row, row.cells.len(), {
            row.problem
                .as_ref()
                .map_or(String::new(), |p| format!(": {p}"))
        })
        .unwrap();
        for (field, v) in preview.fields.iter().zip(&row.fields) {
            let shown = match v {
                FieldPreview::Value(v) => format!("{v:?}"),
                FieldPreview::Empty => "(empty)".into(),
                FieldPreview::Rejected {
                    column,
                    value,
                    reason,
                } => format!("REJECTED {column} = {value:?}: {reason}"),
            };
            writeln!(out, "  {field}: {shown}").unwrap();
        }
    }
    check_snapshot_in("mapping", "pbx_cdr_preview.expected.txt", &out);
}

#[test]
fn a_profile_of_canonical_names_reads_a_canonical_file_as_the_canonical_parser_does() {
    let mut text = String::from("name = \"identity\"\nkind = \"calls\"\n[fields]\n");
    // The files predate the optional columns, which a rule would require.
    let optional = Kind::Calls.optional_columns();
    for c in Kind::Calls
        .columns()
        .iter()
        .filter(|c| !optional.contains(c))
    {
        writeln!(text, "{c} = {{ column = \"{c}\" }}").unwrap();
    }
    let p = profile(&text);
    for file in ["calls_good.csv", "calls_bad_rows.csv", "calls_bom_crlf.csv"] {
        let bytes = std::fs::read(fixtures().join(file)).unwrap();
        let (want, rows) = parse_batch(Kind::Calls, &bytes).unwrap();
        let got = read(&p, file, &bytes).unwrap();
        assert_eq!(
            (&got.batch.calls, got.rows_total),
            (&want.calls, rows),
            "{file}"
        );
        let place = |b: &jixiao_core::record::RecordBatch| {
            let v: Vec<_> = b
                .rejects
                .iter()
                .map(|r| (r.row, r.column.clone()))
                .collect();
            v
        };
        assert_eq!(place(&got.batch), place(&want), "{file}");
    }
}

#[test]
fn a_column_the_file_lacks_refuses_the_file_naming_the_profile_key() {
    let p = builtin_profile("pbx-cdr").unwrap();
    let bytes = b"uniqueid,src,start\n1,2,2026-10-08 09:00:00\n";
    let err = read(&p, "short.csv", bytes).unwrap_err();
    assert_eq!(err.code(), "profile_column_missing");
    assert!(
        err.to_string()
            .starts_with("fields.employee_no.column: the file has no column \"dst\""),
        "{err}"
    );
    let err = read(&p, "empty.csv", b"").unwrap_err();
    assert_eq!(err.code(), "file_empty");
}

const SHOP: &str = r#"
name = "shop-orders"
kind = "orders"
source = "tmall"
delimiter = "tab"

[fields]
record_id = { column = "订单号" }
placed_at = { derive = "date_time", columns = ["日期", "时间"], format = "%y%m%d %H:%M:%S" }
paid_at = { column = "付款时间", format = "%Y/%m/%d %H:%M" }
amount = { column = "金额", format = "decimal" }
refunded_amount = { derive = "sum", columns = ["退款1", "退款2"] }
customer_id = { column = "买家" }
employee_no = { column = "客服" }
"#;

#[test]
fn decimals_sums_and_a_date_joined_to_its_time_are_read_without_floating_point() {
    let file = "订单号\t日期\t时间\t付款时间\t金额\t退款1\t退款2\t买家\t客服\n\
        T-1\t261008\t9:05:00\t2026/10/08 09:06\t¥1,234.50\t10.00\t2.5\tbuyer1\tA00012\n\
        T-2\t261008\t23:59:59\t\t88\t\t\tbuyer2\t\n\
        T-3\t261009\t10:00:00\t2026/10/09 10:01\t12,34x\t0\t0\tbuyer3\tA00013\n";
    let m = read(&profile(SHOP), "orders.tsv", file.as_bytes()).unwrap();
    let orders: Vec<String> = m
        .batch
        .orders
        .iter()
        .map(|(row, o)| {
            let paid = o.paid_at.map(|t| t.to_string()).unwrap_or_default();
            format!(
                "{row} {} {} [{paid}] {} {}",
                o.record_id, o.placed_at, o.amount, o.refunded_amount
            )
        })
        .collect();
    assert_eq!(
        orders,
        [
            "2 T-1 2026-10-08 09:05:00 [2026-10-08 09:06:00] 1234.50 12.50",
            "3 T-2 2026-10-08 23:59:59 [] 88 0",
        ]
    );
    let r = &m.batch.rejects[0];
    assert_eq!(
        (r.row, r.column.as_str(), r.value.as_str()),
        (4, "金额", "12,34x")
    );
    // Durations add up in the field's unit: minutes of hold and wrap-up, in seconds.
    let summed = BERLIN.replace(
        "hold_secs = { column = \"hold\", format = \"minutes\", default = \"0\" }",
        "hold_secs = { derive = \"sum\", columns = [\"hold\", \"wrap\"], format = \"minutes\" }",
    );
    let m = read(&profile(&summed), "b.csv", &fixture("berlin_semicolon.csv")).unwrap();
    let b3 = m
        .batch
        .calls
        .iter()
        .find(|(_, c)| c.record_id == "B-3")
        .unwrap();
    assert_eq!(b3.1.hold_secs, 90);
}
