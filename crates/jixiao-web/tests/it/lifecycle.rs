//! The period lifecycle on the periods page, adjustments on the agent page, and their scope.

use axum::http::StatusCode;
use jixiao_core::period::PeriodStatus;
use jixiao_store::{PageReq, contract_test};

use crate::support::{PERIOD, app, enc, period};

const LATE_CALL: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,late1,2026-10-15 09:00:00,A001,INQ,,answered,5,100,0,0
";

fn adjust_body(csrf: &str, pay: &str, reason: &str) -> String {
    format!(
        "csrf={}&points=&pay={}&corrects=&reason={}",
        enc(csrf),
        enc(pay),
        enc(reason)
    )
}

contract_test!(
    a_manager_opens_the_review_then_closes_with_a_warning_while_it_runs,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let page = app.get("/periods", Some(&b)).await.text();
        assert!(
            page.contains(">Computed<"),
            "the computed state is shown: {page}"
        );
        assert!(
            page.contains(&format!("/p/{PERIOD}/review")),
            "a review button"
        );
        let res = app
            .post(
                &format!("/p/{PERIOD}/review"),
                Some(&b),
                &format!("csrf={}&until=2999-12-31", enc(&b.csrf)),
            )
            .await;
        assert_eq!(
            (res.status, res.location()),
            (StatusCode::SEE_OTHER, "/periods")
        );
        let info = app.store.period_info(period()).await.unwrap();
        assert_eq!(info.status, PeriodStatus::InReview);
        let page = app.get("/periods", Some(&b)).await.text();
        assert!(page.contains(">In review<") && page.contains("2999-12-31"));
        assert!(
            page.contains("Review window still running"),
            "closing early is warned about"
        );
        let closed = app.post_csrf(&format!("/p/{PERIOD}/close"), &b).await;
        assert_eq!(
            closed.status,
            StatusCode::SEE_OTHER,
            "closing is still allowed"
        );
        // Nothing moves after closing: the same refusal code as closing twice.
        let again = app
            .post(
                &format!("/p/{PERIOD}/review"),
                Some(&b),
                &format!("csrf={}&until=2999-12-31", enc(&b.csrf)),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.text().contains("period_closed"));
    }
);

contract_test!(
    a_review_of_a_period_that_was_never_computed_is_an_invalid_transition,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let res = app
            .post(
                "/p/2026-12/review",
                Some(&b),
                &format!("csrf={}&until=2027-01-10", enc(&b.csrf)),
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.text().contains("invalid_transition"));
    }
);

contract_test!(
    a_manager_adds_an_adjustment_and_everyone_who_sees_the_card_sees_it,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let agent_page = format!("/p/{PERIOD}/agents/A001");
        assert!(
            app.get(&agent_page, Some(&b))
                .await
                .text()
                .contains("/adjustments\""),
            "managers get the form"
        );
        let res = app
            .post(
                &format!("{agent_page}/adjustments"),
                Some(&b),
                &adjust_body(&b.csrf, "12.50", "漏计一通投诉回访"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let agent = app.login("agent").await;
        let own = app.get(&agent_page, Some(&agent)).await.text();
        assert!(
            own.contains("漏计一通投诉回访") && own.contains("12.50"),
            "{own}"
        );
        assert!(!own.contains("/adjustments\""), "no form for agents");
        let log = app.store.audit_log(PageReq::default()).await.unwrap();
        assert!(
            log.items
                .iter()
                .any(|e| e.kind == "adjustment.add" && e.actor == "manager")
        );
        // A blank reason is refused.
        let blank = app
            .post(
                &format!("{agent_page}/adjustments"),
                Some(&b),
                &adjust_body(&b.csrf, "1", " "),
            )
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Closed: refused, and the form is gone.
        app.post_csrf(&format!("/p/{PERIOD}/close"), &b).await;
        let late = app
            .post(
                &format!("{agent_page}/adjustments"),
                Some(&b),
                &adjust_body(&b.csrf, "1", "x"),
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert!(
            !app.get(&agent_page, Some(&b))
                .await
                .text()
                .contains("/adjustments\"")
        );
    }
);

contract_test!(
    only_managers_may_post_adjustments_or_transitions,
    |store| async move {
        let app = app(store).await;
        for who in ["agent", "sup", "qa"] {
            let u = app.login(who).await;
            let adj = app
                .post(
                    &format!("/p/{PERIOD}/agents/A001/adjustments"),
                    Some(&u),
                    &adjust_body(&u.csrf, "100", "self-service"),
                )
                .await;
            assert_eq!(adj.status, StatusCode::FORBIDDEN, "adjustment as {who}");
            let review = app
                .post(
                    &format!("/p/{PERIOD}/review"),
                    Some(&u),
                    &format!("csrf={}&until=2026-11-10", enc(&u.csrf)),
                )
                .await;
            assert_eq!(review.status, StatusCode::FORBIDDEN, "review as {who}");
        }
        assert_eq!(app.store.adjustments(period(), None).await.unwrap(), vec![]);
        assert_eq!(
            app.store.period_info(period()).await.unwrap().status,
            PeriodStatus::Computed
        );
    }
);

contract_test!(
    late_records_for_a_closed_period_are_reported_as_such_on_the_import_page_and_reject_report,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        app.post_csrf(&format!("/p/{PERIOD}/close"), &b).await;
        let html = app
            .upload(Some(&b), "calls", "late.csv", LATE_CALL)
            .await
            .text();
        let reason = format!("period {PERIOD} is closed; send a correction as an adjustment");
        assert!(html.contains(&reason), "{html}");
        let list = app.get("/imports", Some(&b)).await.text();
        let end = list.find("/rejects.csv").expect("a reject report link");
        let start = list[..end].rfind("/imports/").unwrap();
        let link = &list[start..end + "/rejects.csv".len()];
        let csv = app.get(link, Some(&b)).await.text();
        assert!(csv.contains(&reason), "{csv}");
    }
);
