//! `/config/points`, the payroll downloads and the labour budget on the periods page.

use std::io::Cursor;

use axum::http::{StatusCode, header};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use jixiao_core::scorecard::PayRules;
use jixiao_store::{CardFilter, contract_test, service};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::support::*;

contract_test!(
    a_manager_adds_a_standard_and_a_date_in_a_closed_period_is_refused,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let page = app.get("/config/points", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("INQ"));
        let form = |day: &str| {
            format!(
                "csrf={}&type_code=INQ&coefficient=1.5&effective_from={day}",
                enc(&manager.csrf)
            )
        };
        let res = app
            .post("/config/points", Some(&manager), &form("2026-11-01"))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let page = app.get("/config/points?added=1", Some(&manager)).await;
        assert!(page.text().contains("2026-11-01") && page.text().contains("pts-added"));

        service::close(&app.store, period(), "manager", chrono::Utc::now())
            .await
            .unwrap();
        let res = app
            .post("/config/points", Some(&manager), &form("2026-10-15"))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("pts-error"));
        assert_eq!(app.store.point_standards().await.unwrap().len(), 1);

        let sup = app.login("sup").await;
        let res = app.get("/config/points", Some(&sup)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let without_token = "type_code=INQ&coefficient=2&effective_from=2027-01-01";
        let res = app
            .post("/config/points", Some(&manager), without_token)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
);

contract_test!(
    the_payroll_workbook_equals_the_stored_cards_and_is_for_managers_only,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = app
            .get(&format!("/p/{PERIOD}/payroll.xlsx"), Some(&manager))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(res.bytes)).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let table: Vec<Vec<Data>> = wb
            .worksheet_range(&sheet)
            .unwrap()
            .rows()
            .map(|r| r.to_vec())
            .collect();
        let cards = app
            .store
            .scorecards(period(), &CardFilter::default())
            .await
            .unwrap();
        // The fixture has no movers: one card, one row per agent.
        assert_eq!(table.len(), cards.len() + 1);
        let f = |d: Decimal| Data::Float(d.to_f64().unwrap());
        for row in &table[1..] {
            let no = row[0].to_string();
            let card = cards.iter().find(|c| c.employee_no == no).unwrap();
            let amount = |i: usize| card.pay_lines[i].amount;
            assert_eq!(row[1], Data::String(card.name.clone()));
            assert_eq!(row[3], f(card.points), "{no} points");
            assert_eq!(row[4], f(card.unit_price), "{no} unit price");
            assert_eq!(row[5], f(amount(0)), "{no} points pay");
            assert_eq!(row[6], f(amount(1)), "{no} KPI bonus");
            assert_eq!(row[7], f(Decimal::ZERO), "{no} adjustments");
            assert_eq!(row[8], f(card.variable_pay), "{no} total");
            assert_eq!(row[9], Data::String(card.rounding.clone()));
        }

        let csv = app
            .get(&format!("/p/{PERIOD}/payroll.csv"), Some(&manager))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let ct = csv.headers.get(header::CONTENT_TYPE).unwrap();
        assert!(ct.to_str().unwrap().starts_with("text/csv"));
        assert_eq!(csv.text().lines().count(), cards.len() + 1);

        let sup = app.login("sup").await;
        let res = app
            .get(&format!("/p/{PERIOD}/payroll.csv"), Some(&sup))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
);

contract_test!(
    the_periods_page_shows_managers_the_labour_budget_over_or_under,
    |store| async move {
        let app = app(store).await;
        let call = app
            .store
            .departments()
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.code == "CALL")
            .unwrap();
        let rules = PayRules {
            budget: Some(Decimal::ONE),
            ..PayRules::default()
        };
        app.store.set_pay_rules(call.id, &rules).await.unwrap();
        service::recompute(&app.store, period()).await.unwrap();
        let manager = app.login("manager").await;
        let page = app.get("/periods", Some(&manager)).await.text();
        assert!(page.contains("id=\"budgets\""), "{page}");
        assert!(page.contains("over budget") && page.contains("话务部"));
        assert!(page.contains("payroll.xlsx"));

        let sup = app.login("sup").await;
        let page = app.get("/periods", Some(&sup)).await.text();
        assert!(!page.contains("id=\"budgets\"") && !page.contains("payroll.xlsx"));
    }
);
