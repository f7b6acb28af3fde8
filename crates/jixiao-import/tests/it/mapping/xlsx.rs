//! An .xlsx export: a chosen sheet, rows skipped, date, time and duration cells read from
//! their Excel serial numbers.

use rust_xlsxwriter::{Format, Workbook};

use super::{profile, read, render};
use crate::golden::check_snapshot_in;

/// A workbook with a title row, a date cell and a time cell per call, a duration cell and a
/// number; the sheet to read is the second.
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Notes").unwrap();
    let sheet = book.add_worksheet().set_name("Calls").unwrap();
    let (date, clock) = (
        Format::new().set_num_format("yyyy-mm-dd"),
        Format::new().set_num_format("h:mm:ss"),
    );
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    sheet.write_string(0, 0, "Exported from the ACD").unwrap();
    let header = ["Call", "Date", "Time", "Agent", "Wait", "Talk", "Ended"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap();
    let rows = [
        ("X-1", "2026-10-08", "09:12:58", "A00012", 14.0, "0:03:25"),
        ("X-2", "2026-10-08", "23:59:59", "A00013", 3.0, "0:00:40"),
        ("X-3", "2026-10-09", "00:00:01", "", 60.0, "0:00:00"),
    ];
    for (i, (id, day, time, agent, wait, talk)) in rows.into_iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, id).unwrap();
        sheet
            .write_datetime_with_format(r, 1, d(day), &date)
            .unwrap();
        sheet
            .write_datetime_with_format(r, 2, t(time), &clock)
            .unwrap();
        sheet.write_string(r, 3, agent).unwrap();
        sheet.write_number(r, 4, wait).unwrap();
        sheet
            .write_datetime_with_format(r, 5, t(talk), &clock)
            .unwrap();
        let ended = d(day).and_time(t(time));
        sheet
            .write_datetime_with_format(r, 6, ended, &stamp)
            .unwrap();
    }
    // A text date where a date cell is expected, and a bad duration.
    sheet.write_string(5, 0, "X-4").unwrap();
    sheet.write_string(5, 1, "yesterday").unwrap();
    sheet
        .write_datetime_with_format(5, 2, t("10:00:00"), &clock)
        .unwrap();
    sheet.write_string(5, 3, "A00012").unwrap();
    sheet.write_string(5, 4, "soon").unwrap();
    book.save_to_buffer().unwrap()
}

pub(super) const XLSX: &str = r#"
name = "acd-workbook"
kind = "calls"
source = "acd"
format = "xlsx"
sheet = "Calls"
skip_rows = 1

[fields]
record_id = { column = "Call" }
started_at = { derive = "date_time", columns = ["Date", "Time"] }
employee_no = { column = "Agent" }
business_type = { constant = "INQUIRY" }
outcome = [{ column = "Agent", map = { A00012 = "answered", A00013 = "answered" } }, { constant = "abandoned" }]
wait_secs = { column = "Wait", format = "secs" }
talk_secs = { column = "Talk" }
hold_secs = { constant = "0" }
acw_secs = { constant = "0" }
"#;

#[test]
fn an_xlsx_sheet_with_serial_dates_and_time_cells_is_read_natively() {
    let got = render(read(&profile(XLSX), "acd.xlsx", &workbook()));
    check_snapshot_in("mapping", "acd_xlsx.expected.txt", &got);
    let by_number = XLSX.replace("sheet = \"Calls\"", "sheet = 2");
    let again = read(&profile(&by_number), "acd.xlsx", &workbook()).unwrap();
    assert_eq!(render(Ok(again)), got, "a sheet by position reads the same");
}
