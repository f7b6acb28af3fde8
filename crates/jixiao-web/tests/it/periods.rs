//! `/periods`, closing a period and the workbook export.

use std::io::Cursor;

use axum::http::{StatusCode, header};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use jixiao_core::period::PeriodStatus;
use jixiao_store::contract_test;

use crate::support::{PERIOD, app, period};

const LATE_CALL: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,late1,2026-10-15 09:00:00,A001,INQ,,answered,5,100,0,0
";

contract_test!(
    a_closed_period_rejects_rows_dated_in_it,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let res = app.post_csrf(&format!("/p/{PERIOD}/close"), &b).await;
        assert_eq!(
            (res.status, res.location()),
            (StatusCode::SEE_OTHER, "/periods")
        );
        let info = app.store.period_info(period()).await.unwrap();
        assert_eq!(info.status, PeriodStatus::Closed);
        let hash = info.snapshot_hash.unwrap();
        let list = app.get("/periods", Some(&b)).await.text();
        assert!(list.contains(&hash), "the snapshot hash is listed");
        // The month's quarter and year are a click away, and those pages answer.
        let (year, month) = PERIOD.split_once('-').unwrap();
        let quarter = format!("/q/{year}-Q{}", (month.parse::<u32>().unwrap() - 1) / 3 + 1);
        for span in [quarter, format!("/y/{year}")] {
            assert!(
                list.contains(&format!("href=\"{span}\"")),
                "{span} is linked"
            );
            assert_eq!(
                app.get(&span, Some(&b)).await.status,
                StatusCode::OK,
                "{span}"
            );
        }

        let html = app
            .upload(Some(&b), "calls", "late.csv", LATE_CALL)
            .await
            .text();
        assert!(html.contains("id=\"rejected\">1<"), "{html}");
        assert!(html.contains("id=\"inserted\">0<"));
        assert!(
            html.contains("late1") || html.contains(PERIOD),
            "the reject names the row or period"
        );

        // Closing twice is a conflict.
        let again = app.post_csrf(&format!("/p/{PERIOD}/close"), &b).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
    }
);

contract_test!(a_supervisor_cannot_close_a_period, |store| async move {
    let app = app(store).await;
    let sup = app.login("sup").await;
    let periods = app.get("/periods", Some(&sup)).await;
    assert_eq!(periods.status, StatusCode::OK);
    assert!(
        !periods.text().contains("/close"),
        "no close button for supervisors"
    );
    let res = app.post_csrf(&format!("/p/{PERIOD}/close"), &sup).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let info = app.store.period_info(period()).await.unwrap();
    assert_eq!(info.status, PeriodStatus::Computed);
});

fn sheet_text(bytes: Vec<u8>) -> String {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a real xlsx");
    let mut text = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    text
}

contract_test!(
    the_export_is_a_real_workbook_scoped_to_the_user,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = app
            .get(&format!("/p/{PERIOD}/export.xlsx"), Some(&manager))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let ct = res
            .headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(ct.contains("spreadsheetml"));
        let all = sheet_text(res.bytes);
        for no in ["A001", "A002", "A003", "A004"] {
            assert!(all.contains(no), "{no} in the center export");
        }

        let sup = app.login("sup").await;
        let res = app
            .get(&format!("/p/{PERIOD}/export.xlsx"), Some(&sup))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let own = sheet_text(res.bytes);
        assert!(own.contains("A001") && own.contains("A002"));
        assert!(
            !own.contains("A003") && !own.contains("A004"),
            "only the supervisor's team"
        );
    }
);
