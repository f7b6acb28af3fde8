//! `/imports/templates/{kind}.xlsx`: the hand-entry templates, linked from the imports page,
//! labelled in the UI language.

use axum::http::{StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use jixiao_store::contract_test;

use crate::support::app;

/// The first sheet's header row and the second sheet's name.
fn header_and_notes(bytes: &[u8]) -> (Vec<String>, String) {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    let range = wb.worksheet_range(&names[0]).unwrap();
    let header = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => panic!("header cell {other:?}"),
        })
        .collect();
    (header, names[1].clone())
}

contract_test!(
    a_manager_downloads_each_template_labelled_in_the_ui_language,
    |store| async move {
        let app = app(store).await;
        let zh = app.login_with("manager", "pw-manager", "zh-CN").await;
        let page = app.get("/imports", Some(&zh)).await.text();
        for kind in [
            "calls",
            "surveys",
            "qa",
            "tickets",
            "chats",
            "orders",
            "attendance",
            "work",
        ] {
            let href = format!("/imports/templates/{kind}.xlsx");
            assert!(page.contains(&href), "the imports page links {href}");
        }
        let res = app.get("/imports/templates/orders.xlsx", Some(&zh)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(
            res.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"jixiao-orders-template.xlsx\""
        );
        let (columns, notes) = header_and_notes(&res.bytes);
        assert_eq!(columns[..3], ["source", "record_id", "placed_at"]);
        assert_eq!(notes, "说明");
        let en = app.login("manager").await;
        let res = app.get("/imports/templates/orders.xlsx", Some(&en)).await;
        assert_eq!(header_and_notes(&res.bytes).1, "Notes");
    }
);

contract_test!(an_unknown_template_is_not_found, |store| async move {
    let app = app(store).await;
    let b = app.login("admin").await;
    for path in [
        "/imports/templates/payroll.xlsx",
        "/imports/templates/calls.csv",
        "/imports/templates/calls",
    ] {
        assert_eq!(
            app.get(path, Some(&b)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
});
