//! Issue 6's proof in a browser: a complaint from registration to the deduction on the
//! scorecard, an appeal accepted by the supervisor, and the restored score.

use chrono::Utc;
use fantoccini::Locator;
use jixiao_core::Period;
use jixiao_core::record::Outcome;
use jixiao_import::demo::DemoCenter;
use rust_decimal::Decimal;

use crate::harness::{self, Session};

/// Sets a form field by CSS (text, date-time and select alike), as a person typing would.
async fn set(s: &Session, css: &str, value: &str) {
    s.wait_for(css).await;
    s.client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1];",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("{css} = {value}: {e}"));
}

/// Clicks the element at `css` and waits for the page it leads to.
async fn click(s: &Session, css: &str) {
    let before = s.path().await;
    let element = s
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} on {before}: {e}"));
    submit(s, element).await;
}

/// Clicks a submit button and waits until the form's page is gone and the next one is shown.
async fn submit(s: &Session, button: fantoccini::elements::Element) {
    let old = s.client.find(Locator::Css("html")).await.expect("a page");
    button.click().await.expect("clicked");
    let started = std::time::Instant::now();
    // The old document's root goes stale once the browser has followed the redirect.
    while old.tag_name().await.is_ok() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the form did not lead anywhere"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    s.wait_for("main h1").await;
}

/// Scrolls `css` into view, so the screenshot shows it.
async fn show(s: &Session, css: &str) {
    s.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![css.into()],
        )
        .await
        .expect("scrolled");
}

/// The total shown on a scorecard page (the agent has one team this month).
async fn total(s: &Session, card: &str) -> Decimal {
    s.goto(card).await;
    let text = s.wait_for("section.segment .scorebox strong").await;
    text.trim()
        .parse()
        .unwrap_or_else(|e| panic!("total {text:?} on {card}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_goes_from_registration_to_a_deduction_and_an_accepted_appeal_restores_the_score()
 {
    // The decision counts in the month of its day, today: the demo covers this month (open)
    // and the one before (closed).
    let now = Period::containing(Utc::now().date_naive());
    let test = "a_complaint_goes_from_registration_to_a_deduction_and_an_accepted_appeal_restores_the_score";
    let Some(s) = harness::start_with_months(test, vec![now.prev(), now]).await else {
        return;
    };
    let agent = s.logins.agent.clone();
    let supervisor = s.logins.supervisor.clone();
    let no = agent.to_uppercase();
    // One of the agent's answered calls with a customer, as the demo generated it.
    let call = DemoCenter::generate(&s.demo)
        .calls_for(now)
        .into_iter()
        .find(|c| {
            c.outcome == Outcome::Answered
                && c.customer_id.is_some()
                && c.employee_no.as_ref().map(|a| a.as_str()) == Some(no.as_str())
        })
        .expect("the agent answered a customer's call this month");
    let customer = call.customer_id.clone().unwrap_or_default();
    let when = call.started_at.format("%Y-%m-%dT%H:%M").to_string();
    let card = format!("/p/{now}/agents/{no}");

    s.login("manager").await;
    let clean = total(&s, &card).await;

    // QA registers the complaint about the call, links it and attributes the reception stage.
    s.login("qa").await;
    s.goto("/complaints").await;
    let register = "form[action='/complaints'][method=post]";
    set(
        &s,
        &format!("{register} input[name=customer_id]"),
        &customer,
    )
    .await;
    set(&s, &format!("{register} input[name=occurred_at]"), &when).await;
    let summary = "态度生硬 (curt on the phone)";
    set(&s, &format!("{register} input[name=summary]"), summary).await;
    click(&s, &format!("{register} button[type=submit]")).await;
    let page = s.path().await;
    let id: i64 = page
        .strip_prefix("/complaints/")
        .and_then(|i| i.parse().ok())
        .unwrap_or_else(|| panic!("registering leads to the complaint, not {page}"));
    set(
        &s,
        "form[action$='/links'] input[name=source]",
        &call.source,
    )
    .await;
    set(
        &s,
        "form[action$='/links'] input[name=record_id]",
        &call.record_id,
    )
    .await;
    click(&s, "form[action$='/links'] button[type=submit]").await;
    click(&s, "form[action$='/investigate'] button[type=submit]").await;
    let attribute = "form[action$='/attributions']";
    let stage = s
        .client
        .find_all(Locator::Css(&format!(
            "{attribute} select[name=stage_id] option"
        )))
        .await
        .expect("stage options");
    let mut reception = None;
    for o in stage {
        if o.text().await.unwrap_or_default().contains("受理") {
            reception = o.attr("value").await.ok().flatten();
            break;
        }
    }
    let reception = reception.expect("the demo line has a reception stage (受理)");
    set(
        &s,
        &format!("{attribute} select[name=stage_id]"),
        &reception,
    )
    .await;
    set(&s, &format!("{attribute} input[name=employee_no]"), &no).await;
    click(&s, &format!("{attribute} button[type=submit]")).await;
    s.screenshot("1-attributed").await;

    // The manager upholds it: the records confirm the attribution, so the button is enabled.
    s.login("manager").await;
    s.goto(&format!("/complaints/{id}")).await;
    let upheld = "button[name=outcome][value=upheld]";
    set(
        &s,
        "form[action$='/decide'] input[name=reason]",
        "录音核实 (the recording confirms it)",
    )
    .await;
    let button = s
        .client
        .find(Locator::Css(upheld))
        .await
        .expect("upheld button");
    assert!(
        button.is_enabled().await.unwrap(),
        "no cross-check warning: the call shows the agent serving that customer then"
    );
    click(&s, upheld).await;
    let deducted = total(&s, &card).await;
    assert_eq!(
        clean - deducted,
        Decimal::TWO,
        "−2 points per upheld complaint"
    );
    let findings = s.wait_for("#findings").await;
    assert!(
        findings.contains(&format!("#{id}")),
        "the finding is on the card: {findings}"
    );
    let explain = s.wait_for("section.segment table.explain").await;
    assert!(
        explain.contains("−2.00") || explain.contains("−4.00"),
        "the deduction is a line of the breakdown: {explain}"
    );
    show(&s, "section.segment table.explain tbody tr:last-child").await;
    s.screenshot("2-deducted").await;

    // The manager opens the review window, so the agent may appeal.
    s.goto("/periods").await;
    click(
        &s,
        &format!("form[action='/p/{now}/review'] button[type=submit]"),
    )
    .await;

    // The agent appeals the finding on their card.
    s.login(&agent).await;
    s.goto(&card).await;
    let mut finding = None;
    for o in s
        .client
        .find_all(Locator::Css("#appeal-findings option"))
        .await
        .expect("the findings to appeal")
    {
        let label = o.attr("label").await.ok().flatten().unwrap_or_default();
        let text = o.html(true).await.unwrap_or_default();
        if label.contains(&format!("#{id}")) || text.contains(&format!("#{id}")) {
            finding = o.attr("value").await.ok().flatten();
        }
    }
    let finding = finding.expect("the complaint's finding is offered for appeal");
    let form = "section#appeals form[action$='/appeals']";
    set(&s, &format!("{form} select[name=kind]"), "finding").await;
    set(&s, &format!("{form} input[name=target]"), &finding).await;
    let reason = "客户来电时我按流程登记了 (I logged it as the process says)";
    set(&s, &format!("{form} input[name=reason]"), reason).await;
    click(&s, &format!("{form} button[type=submit]")).await;
    s.goto(&card).await;
    let appeal = s
        .client
        .find(Locator::Css("section#appeals table a"))
        .await
        .expect("the appeal is listed on the card")
        .attr("href")
        .await
        .unwrap()
        .expect("a link to the appeal");

    // The agent's supervisor accepts it with a reason.
    s.login(&supervisor).await;
    s.goto(&appeal).await;
    let accept = "//form[input[@name='action' and @value='accept']]";
    let form = s
        .client
        .find(Locator::XPath(accept))
        .await
        .expect("the supervisor may accept");
    form.find(Locator::Css("input[name=reason]"))
        .await
        .expect("reason field")
        .send_keys("录音显示已登记 (the recording shows it was logged)")
        .await
        .expect("typed");
    let button = form
        .find(Locator::Css("button[type=submit]"))
        .await
        .expect("accept button");
    submit(&s, button).await;
    s.screenshot("3-accepted").await;

    // The card shows the restored total, the overturned finding and the before and after.
    s.login(&agent).await;
    assert_eq!(total(&s, &card).await, clean, "the score is restored");
    let struck = s
        .client
        .find_all(Locator::Css("#findings del"))
        .await
        .unwrap();
    assert!(
        !struck.is_empty(),
        "the overturned finding is struck through"
    );
    let row = s.wait_for("section#appeals table tbody tr").await;
    assert!(
        row.contains(&format!("{deducted:.2}")) && row.contains(&format!("{clean:.2}")),
        "before {deducted} and after {clean} on the appeal: {row}"
    );
    show(&s, "#findings").await;
    s.screenshot("").await;
    s.finish().await;
}
