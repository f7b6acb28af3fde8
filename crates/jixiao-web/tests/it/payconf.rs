//! `/config/pay` and `/api/v1/pay-config`: managers set each department's unit price and pay
//! rules; the computed period's pay follows; an invalid value is refused with its reason and
//! nothing is stored; other roles are refused.

use axum::http::{Method, StatusCode};
use jixiao_store::{CardFilter, contract_test};
use rust_decimal::Decimal;

use crate::api::{call, code, get as api_get, json, tokens};
use crate::support::*;

/// A001's stored card: (points, variable pay).
async fn a001(app: &App) -> (Decimal, Decimal) {
    let cards = app
        .store
        .scorecards(period(), &CardFilter::default())
        .await
        .unwrap();
    let card = cards.iter().find(|c| c.employee_no == "A001").unwrap();
    (card.points, card.variable_pay)
}

async fn call_id(app: &App) -> i64 {
    let d = app.store.departments().await.unwrap();
    d.into_iter().find(|d| d.code == "CALL").unwrap().id
}

fn form(csrf: &str, price: &str, table: &str) -> String {
    format!(
        "csrf={}&unit_price={}&bonus_base=0&bonus_table={}&rounding_dp=2&budget=",
        enc(csrf),
        enc(price),
        enc(table)
    )
}

contract_test!(
    a_manager_changes_the_unit_price_and_the_computed_periods_pay_changes,
    |store| async move {
        let app = app(store).await;
        let (points, before) = a001(&app).await;
        assert!(points > Decimal::ZERO);
        assert_eq!(before, (points * Decimal::new(5, 1)).round_dp(2));
        let manager = app.login("manager").await;
        let page = app.get("/config/pay", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("pay-CALL"), "{}", page.text());
        let periods = app.get("/periods", Some(&manager)).await;
        assert!(periods.text().contains("payconf-link"));

        let saved = app
            .post(
                "/config/pay/CALL",
                Some(&manager),
                &form(&manager.csrf, "1.2", "0=0"),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let (_, after) = a001(&app).await;
        assert_eq!(after, (points * Decimal::new(12, 1)).round_dp(2));
        let (_, price) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(price, Decimal::new(12, 1));
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(audit.iter().any(|k| k == "pay.update"), "{audit:?}");
        let again = app.get(saved.location(), Some(&manager)).await;
        assert!(again.text().contains("pay-saved"));

        // The API sees and changes the same configuration.
        let token = tokens(&app).await[1].1.clone();
        let all = api_get(&app, "/api/v1/pay-config", Some(&token)).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.text());
        let call_cfg = json(&all)
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["department_code"] == "CALL")
            .cloned()
            .unwrap();
        assert_eq!(call_cfg["unit_price"], "1.20");
        let body = r#"{"unit_price":"2","bonus_base":"0","bonus_table":[{"min_score":"0","coefficient":"0"}],"rounding_dp":2,"budget":"50000"}"#;
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/pay-config/CALL",
            Some(&token),
            Some(body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.text());
        assert_eq!(json(&put)["budget"], "50000.00");
        assert_eq!(a001(&app).await.1, (points * Decimal::TWO).round_dp(2));
    }
);

contract_test!(
    an_invalid_value_is_refused_with_its_reason_and_nothing_is_stored,
    |store| async move {
        let app = app(store).await;
        let (_, before) = a001(&app).await;
        let manager = app.login("manager").await;
        for (price, table) in [
            ("0.505", "0=0"),
            ("-1", "0=0"),
            ("abc", "0=0"),
            ("1", "80=1\n90=2\n0=0"),
        ] {
            let res = app
                .post(
                    "/config/pay/CALL",
                    Some(&manager),
                    &form(&manager.csrf, price, table),
                )
                .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{price} {table}"
            );
            let html = res.text();
            assert!(html.contains("pay-error"), "{html}");
            // The refused values are shown again to be corrected.
            assert!(html.contains(&format!("value=\"{price}\"")), "{html}");
        }
        let token = tokens(&app).await[1].1.clone();
        let body = r#"{"unit_price":"1.001","bonus_base":"0","bonus_table":[{"min_score":"0","coefficient":"0"}],"rounding_dp":2}"#;
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/pay-config/CALL",
            Some(&token),
            Some(body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&put), "invalid_input");
        let (_, price) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(price, Decimal::new(5, 1));
        assert_eq!(a001(&app).await.1, before);
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(!audit.iter().any(|k| k == "pay.update"), "{audit:?}");
    }
);

contract_test!(
    supervisors_agents_and_qa_are_refused_and_the_form_needs_the_csrf_token,
    |store| async move {
        let app = app(store).await;
        for who in ["sup", "agent", "qa"] {
            let b = app.login(who).await;
            let res = app.get("/config/pay", Some(&b)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let res = app
                .post("/config/pay/CALL", Some(&b), &form(&b.csrf, "9", "0=0"))
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let tokens = tokens(&app).await;
        let body = r#"{"unit_price":"9","bonus_base":"0","bonus_table":[{"min_score":"0","coefficient":"0"}],"rounding_dp":2}"#;
        for (who, token) in &tokens[2..] {
            let res = api_get(&app, "/api/v1/pay-config", Some(token)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let put = call(
                &app,
                Method::PUT,
                "/api/v1/pay-config/CALL",
                Some(token),
                Some(body),
                None,
            )
            .await;
            assert_eq!(put.status, StatusCode::FORBIDDEN, "{who}");
        }
        let manager = app.login("manager").await;
        let res = app
            .post(
                "/config/pay/CALL",
                Some(&manager),
                &form("wrong", "9", "0=0"),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let missing = app
            .post(
                "/config/pay/NOPE",
                Some(&manager),
                &form(&manager.csrf, "9", "0=0"),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let (_, price) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(price, Decimal::new(5, 1));
    }
);
