//! `/config/pay-rules`: managers add and retire reward and penalty rules; payslips show them.

use axum::http::StatusCode;
use jixiao_core::pay::PayLineKind;
use jixiao_store::{CardFilter, contract_test};
use rust_decimal::Decimal;

use crate::support::*;

fn rule_form(csrf: &str, amount: &str) -> String {
    format!(
        "csrf={}&department_id=&kind=reward&when=per_unit_above&measure=handled&threshold=0&amount={amount}&cap=&reason={}",
        enc(csrf),
        enc("接听量奖励")
    )
}

contract_test!(
    a_manager_adds_a_reward_rule_that_shows_on_every_payslip_and_retires_it,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let page = app.get("/config/pay-rules", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("pr-none"));
        let res = app
            .post(
                "/config/pay-rules",
                Some(&manager),
                &rule_form(&manager.csrf, "0.015"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let rules = app.store.pay_adjustment_rules().await.unwrap();
        assert_eq!(rules.len(), 1);
        let cards = app
            .store
            .scorecards(period(), &CardFilter::default())
            .await
            .unwrap();
        let with_calls = cards.iter().find(|c| c.handled > 0).unwrap();
        let line = with_calls
            .pay_lines
            .iter()
            .find(|l| l.kind == PayLineKind::Reward)
            .expect("a reward line");
        let exact = Decimal::from(with_calls.handled) * Decimal::new(15, 3);
        assert_eq!(line.amount, jixiao_core::money::round_half_up(exact, 2));
        assert!(line.note.as_deref().unwrap().starts_with("接听量奖励: "));

        let res = app
            .post(
                "/config/pay-rules",
                Some(&manager),
                &rule_form(&manager.csrf, "-1"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("pr-error"));

        let retire = format!("/config/pay-rules/{}/retire", rules[0].id);
        let res = app.post_csrf(&retire, &manager).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(app.store.pay_adjustment_rules().await.unwrap().is_empty());
    }
);

contract_test!(
    only_admins_and_managers_see_or_change_pay_rules,
    |store| async move {
        let app = app(store).await;
        for who in ["sup", "qa", "agent"] {
            let b = app.login(who).await;
            assert_eq!(
                app.get("/config/pay-rules", Some(&b)).await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            let res = app
                .post("/config/pay-rules", Some(&b), &rule_form(&b.csrf, "1"))
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let manager = app.login("manager").await;
        let res = app
            .post("/config/pay-rules", Some(&manager), &rule_form("", "1"))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "no CSRF token");
        assert!(app.store.pay_adjustment_rules().await.unwrap().is_empty());
    }
);
