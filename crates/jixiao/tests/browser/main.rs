//! Browser tests: the real pages in headless Chromium (Debian's `chromium` + `chromium-driver`),
//! driven over WebDriver by fantoccini against the app served in-process on a demo center.
//!
//! Each test saves PNGs under `target/browser-screenshots/` so a person can look at the pages.
//! Without the browser they skip with a notice, except under `CI=true`, where they fail.

mod fairness;
mod harness;

use fantoccini::Locator;

use harness::Session;

/// Runs one scenario, or returns when the browser is not installed (outside CI).
macro_rules! session {
    ($test:literal) => {
        match harness::start($test).await {
            Some(s) => s,
            None => return,
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_logs_in_and_lands_on_its_home_page() {
    let s = session!("each_role_logs_in_and_lands_on_its_home_page");
    let supervisor = s.logins.supervisor.clone();
    let agent = s.logins.agent.clone();
    let roles = [
        ("admin", "admin", "/p/"),
        ("manager", "manager", "/p/"),
        ("qa", "qa", "/p/"),
        ("supervisor", supervisor.as_str(), "/teams/"),
        ("agent", agent.as_str(), "/agents/"),
    ];
    for (role, user, lands_on) in roles {
        s.login(user).await;
        let who = s.wait_for("header.topbar .who").await;
        assert!(who.contains(user), "{role}: header shows {who:?}");
        let heading = s.wait_for("main h1").await;
        assert!(
            !heading.trim().is_empty(),
            "{role}: the home page has a heading"
        );
        let path = s.path().await;
        assert!(path.contains(lands_on), "{role} landed on {path}");
        if role == "agent" {
            assert!(
                path.to_lowercase().ends_with(&format!("/agents/{user}")),
                "the agent sees their own scorecard, not {path}"
            );
        }
        s.screenshot(role).await;
    }
    s.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_closes_a_period_with_the_button_on_the_periods_page() {
    let s = session!("a_manager_closes_a_period_with_the_button_on_the_periods_page");
    s.login("manager").await;
    s.goto("/periods").await;
    let form = s.client.find(Locator::Css("form[action$='/close']")).await;
    let form = form.expect("the open month has a close button");
    let action = form.attr("action").await.unwrap().expect("form action");
    let period = action
        .trim_start_matches("/p/")
        .trim_end_matches("/close")
        .to_string();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .expect("close button")
        .click()
        .await
        .expect("clicked");

    // The handler redirects back to /periods; the row of that month now reads "closed".
    let closed_badge =
        format!("//tr[td/a[normalize-space()='{period}']]//span[contains(@class,'closed')]");
    let badge = s
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::XPath(&closed_badge))
        .await
        .unwrap_or_else(|e| panic!("{period} is not shown closed: {e}"));
    assert!(!badge.text().await.unwrap().is_empty());
    assert_eq!(s.path().await, "/periods");
    let buttons = s
        .client
        .find_all(Locator::Css(&format!("form[action='{action}']")))
        .await
        .unwrap();
    assert!(buttons.is_empty(), "a closed month offers no close button");
    s.screenshot("").await;
    s.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_follows_the_explanation_of_a_number_to_the_calls_behind_it() {
    let s = session!("an_agent_follows_the_explanation_of_a_number_to_the_calls_behind_it");
    let agent = s.logins.agent.clone();
    s.login(&agent).await;
    // The scorecard explains each number: formula, numerator ÷ denominator, rule.
    s.wait_for("table.explain tbody tr").await;
    let calls = s
        .client
        .find(Locator::Css("p.records a[href*='/calls']"))
        .await
        .expect("a link to the calls behind the numbers");
    calls.click().await.expect("clicked");

    s.wait_for("nav.tabs a.active").await;
    let path = s.path().await;
    assert!(
        path.to_lowercase()
            .contains(&format!("/agents/{agent}/calls")),
        "on the agent's own calls, not {path}"
    );
    let rows = s
        .client
        .find_all(Locator::Css("table.data tbody tr td:not(.empty)"))
        .await
        .unwrap();
    assert!(!rows.is_empty(), "the records table lists calls");
    s.screenshot("").await;
    s.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_the_language_from_chinese_to_english_changes_the_labels() {
    let s = session!("switching_the_language_from_chinese_to_english_changes_the_labels");
    let agent = s.logins.agent.clone();
    s.login(&agent).await;
    let page = s.path().await;
    let lang = |s: &Session| {
        let client = s.client.clone();
        async move {
            client
                .find(Locator::Css("html"))
                .await
                .unwrap()
                .attr("lang")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(lang(&s).await, "zh-CN");
    assert_eq!(s.wait_for("header .account button.link").await, "退出");
    s.screenshot("zh").await;

    s.client
        .find(Locator::Css("header .langs a[href='/lang/en']"))
        .await
        .expect("the EN link")
        .click()
        .await
        .expect("clicked");
    s.wait_for("html[lang='en']").await;
    assert_eq!(s.wait_for("header .account button.link").await, "Sign out");
    assert_eq!(s.path().await, page, "the switch returns to the same page");
    s.screenshot("").await;
    s.finish().await;
}

/// A CDR export in the shipped `pbx-cdr` layout: two answered calls of demo agents on the 15th
/// of the open demo month, and one leg whose disposition the profile does not map.
fn pbx_sample() -> std::path::PathBuf {
    use chrono::{Datelike, Utc};
    let today = Utc::now().date_naive();
    let last_month = today.with_day(1).unwrap() - chrono::Days::new(1);
    let d = last_month.with_day(15).unwrap();
    let header = "accountcode,src,dst,dcontext,channel,dstchannel,start,answer,end,duration,\
                  billsec,disposition,uniqueid";
    let csv = format!(
        "{header}\n\
         ,13900000001,A00001,from-pstn,SIP/t-1,SIP/A00001-1,{d} 09:00:00,{d} 09:00:07,{d} 09:03:27,207,200,ANSWERED,browser.1\n\
         ,13900000002,A00002,from-pstn,SIP/t-2,SIP/A00002-1,{d} 09:10:00,{d} 09:10:05,{d} 09:12:05,125,120,ANSWERED,browser.2\n\
         ,13900000003,A00001,from-pstn,SIP/t-3,,{d} 09:20:00,,{d} 09:20:10,10,0,HANGUP,browser.3\n"
    );
    let path = std::env::temp_dir().join(format!("jixiao-browser-cdr-{}.csv", std::process::id()));
    std::fs::write(&path, csv).expect("sample written");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_imports_a_file_through_the_mapping_preview() {
    let s = session!("a_manager_imports_a_file_through_the_mapping_preview");
    let sample = pbx_sample();
    let sample_path = sample.to_string_lossy().into_owned();
    s.login("manager").await;

    // From the imports page to the shipped CDR profile, and a copy of it to adapt.
    s.goto("/imports").await;
    let click = |css: &'static str| {
        let client = s.client.clone();
        async move {
            client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("{css}: {e}"))
                .click()
                .await
                .expect("clicked");
        }
    };
    click("#profiles-link").await;
    s.wait_for("table#profiles").await;
    click("table#profiles a[href='/imports/profiles/pbx-cdr']").await;
    s.wait_for("#profile-name").await;
    click("#profile-copy").await;
    s.wait_for("#profile-toml").await;

    // The demo center's calls are of business type INQUIRY, not the profile's GENERAL.
    let shipped = jixiao_import::mapping::BUILTIN
        .iter()
        .find(|(file, _)| *file == "pbx-cdr.toml")
        .expect("the shipped pbx-cdr profile")
        .1;
    let text = shipped
        .replace("name = \"pbx-cdr\"", "name = \"demo-pbx\"")
        .replace("\"GENERAL\"", "\"INQUIRY\"");
    let editor = s.client.find(Locator::Css("#profile-toml")).await.unwrap();
    editor.clear().await.expect("cleared");
    editor.send_keys(&text).await.expect("typed");
    s.client
        .find(Locator::Css("input[name=sample]"))
        .await
        .unwrap()
        .send_keys(&sample_path)
        .await
        .expect("sample chosen");
    click("#profile-preview").await;

    // The first rows as they will be read: two good, one rejected with its reason.
    s.wait_for("table#preview").await;
    let rows = s
        .client
        .find_all(Locator::Css("table#preview tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "one preview row per data row");
    let rejected = s.wait_for("table#preview td.rejected").await;
    assert!(
        rejected.contains("HANGUP"),
        "the reason names the value: {rejected}"
    );
    s.screenshot("preview").await;

    click("#profile-save").await;
    s.wait_for("#profile-saved").await;
    assert_eq!(s.path().await, "/imports/profiles/demo-pbx?saved=1");
    assert_eq!(s.wait_for("#profile-version").await, "1");
    s.screenshot("saved").await;

    // The same file, uploaded with the profile, lands as a background job.
    s.goto("/imports").await;
    s.client
        .find(Locator::Css("select[name=profile]"))
        .await
        .unwrap()
        .select_by_value("demo-pbx")
        .await
        .expect("profile chosen");
    s.client
        .find(Locator::Css("input[name=file]"))
        .await
        .unwrap()
        .send_keys(&sample_path)
        .await
        .expect("file chosen");
    click("form.upload button[type=submit]").await;
    let done = s
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(60))
        .for_element(Locator::Css("#job-status[data-status='done']"))
        .await;
    if let Err(e) = done {
        s.screenshot("failed").await;
        panic!("the import job did not finish: {e}");
    }
    assert_eq!(s.wait_for("#inserted").await, "2");
    assert_eq!(s.wait_for("#rejected").await, "1");
    s.screenshot("").await;
    let _ = std::fs::remove_file(&sample);
    s.finish().await;
}
