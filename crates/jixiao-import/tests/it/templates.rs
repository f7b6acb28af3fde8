//! The hand-entry templates, read back with calamine: the header is the canonical columns and
//! the example row, saved as CSV, imports cleanly through the canonical parser.

use calamine::{Data, Reader, Xlsx};
use jixiao_import::canonical::{Kind, parse_batch};
use jixiao_import::export::Lang;
use jixiao_import::templates;

/// The sheets of a workbook as text cells, by name, in order.
fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(s) => s.clone(),
                            other => panic!("{name}: a non-text cell {other:?}"),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

/// What "Save as CSV UTF-8" makes of a sheet.
fn as_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn every_template_saved_as_csv_imports_its_example_row_cleanly() {
    for &kind in Kind::all() {
        for lang in [Lang::Zh, Lang::En] {
            let book = sheets(templates::workbook(kind, lang).unwrap());
            let (name, rows) = &book[0];
            assert_eq!(name, kind.as_str());
            assert_eq!(rows[0], kind.columns(), "{kind:?}: the header");
            assert_eq!(rows.len(), 2, "{kind:?}: header and one example row");
            let (batch, rows_total) = parse_batch(kind, &as_csv(rows)).unwrap();
            assert_eq!(batch.rejects, vec![], "{kind:?}");
            let records = batch.calls.len()
                + batch.surveys.len()
                + batch.qa.len()
                + batch.tickets.len()
                + batch.chats.len()
                + batch.orders.len()
                + batch.attendance.len()
                + batch.work.len();
            assert_eq!((rows_total, records), (1, 1), "{kind:?}");
        }
    }
}

#[test]
fn the_notes_sheet_describes_every_column_in_the_chosen_language() {
    let zh = sheets(templates::workbook(Kind::Tickets, Lang::Zh).unwrap());
    let en = sheets(templates::workbook(Kind::Tickets, Lang::En).unwrap());
    assert_eq!((zh[1].0.as_str(), en[1].0.as_str()), ("说明", "Notes"));
    for (_, rows) in [&zh[1], &en[1]] {
        let described: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.first().map(String::as_str))
            .filter(|c| Kind::Tickets.columns().contains(c))
            .collect();
        assert_eq!(described, Kind::Tickets.columns());
    }
    let row = |rows: &[Vec<String>], col: &str| -> Vec<String> {
        rows.iter().find(|r| r[0] == col).unwrap().clone()
    };
    assert_eq!(row(&zh[1].1, "created_at")[2], "必填");
    assert_eq!(row(&en[1].1, "closed_at")[2], "optional");
    assert_eq!(row(&zh[1].1, "priority")[1], "优先级");
}

#[test]
fn template_file_names_name_the_kind() {
    assert_eq!(
        templates::file_name(Kind::Orders),
        "jixiao-orders-template.xlsx"
    );
}
