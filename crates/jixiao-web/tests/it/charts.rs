//! The server-side SVG charts of the agent page and the center overview.

use jixiao_store::contract_test;

use crate::support::{PERIOD, app};

/// The inline SVG charts of a page, in order.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(at, _)| {
            let end = html[at..].find("</svg>").expect("a closed <svg>");
            &html[at..at + end]
        })
        .collect()
}

contract_test!(
    the_agent_page_charts_total_and_points_by_period,
    |store| async move {
        let app = app(store).await;
        let b = app.login("agent").await;
        let html = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&b))
            .await
            .text();
        let charts = svgs(&html);
        assert_eq!(charts.len(), 2, "{html}");
        assert!(charts[0].contains("Total score by period"));
        assert!(charts[1].contains("Points by period"));
        for svg in charts {
            assert!(svg.contains(PERIOD), "the period labels the x axis");
            assert!(svg.contains("<polyline") || svg.contains("<circle"));
            assert!(!svg.contains("<style") && !svg.contains("<script"));
        }
    }
);

contract_test!(
    the_overview_charts_grades_and_departments_in_the_page_language,
    |store| async move {
        let app = app(store).await;
        let b = app.login_with("manager", "pw-manager", "zh-CN").await;
        let html = app.get(&format!("/p/{PERIOD}"), Some(&b)).await.text();
        let charts = svgs(&html);
        assert!(!charts.is_empty(), "{html}");
        let all = charts.concat();
        for label in [
            "等级分布",
            "考核表数",
            "各部门平均总分",
            "话务部",
            "sans-serif",
        ] {
            assert!(all.contains(label), "{label} missing in {all}");
        }
        assert!(!all.contains("<style") && !all.contains("<script"));
    }
);

const SEPTEMBER_CALLS: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,s1,2026-09-15 09:00:00,A001,INQ,,answered,5,200,0,10
pbx,s2,2026-09-15 09:05:00,A002,INQ,,answered,5,250,0,10
";

contract_test!(
    trends_span_every_period_with_scorecards,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let up = app
            .upload(Some(&b), "calls", "sep.csv", SEPTEMBER_CALLS)
            .await;
        assert_eq!(up.status, axum::http::StatusCode::OK, "{}", up.text());
        let agent = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&b))
            .await
            .text();
        for svg in svgs(&agent) {
            assert!(svg.contains("2026-09") && svg.contains(PERIOD), "{svg}");
        }
        let team = app
            .get(&format!("/p/{PERIOD}/teams/{}", app.teams.call1), Some(&b))
            .await
            .text();
        assert!(team.contains("Recent totals"));
        let sparks = team.matches("<td class=\"spark\"><svg").count();
        assert_eq!(
            sparks, 2,
            "A001 and A002 have totals in both months: {team}"
        );
    }
);
