//! What the overview, team, agent and record pages show.

use axum::http::{StatusCode, header};
use jixiao_store::contract_test;

use crate::support::{PERIOD, app};

contract_test!(
    team_and_center_ratios_are_rolled_up_from_sums_not_averaged,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let overview = app.get(&format!("/p/{PERIOD}"), Some(&b)).await.text();
        // CALL-01: 600 s + 300 s over 4 calls = 225.00; the mean of agents' AHTs would be 350.00.
        assert!(overview.contains("225.00"), "{overview}");
        assert!(!overview.contains("350.00"));
        for name in ["话务部", "营销部", "话务一组", "话务二组", "营销一组"] {
            assert!(overview.contains(name), "{name}");
        }
        let team = app
            .get(&format!("/p/{PERIOD}/teams/{}", app.teams.call1), Some(&b))
            .await
            .text();
        assert!(team.contains("225.00"));
        // CSAT of CALL-01: 2 of 3 answers were 4–5.
        assert!(team.contains("66.67"));
    }
);

contract_test!(
    the_team_table_sorts_on_the_server_by_any_column,
    |store| async move {
        let app = app(store).await;
        let b = app.login("sup").await;
        let base = format!("/p/{PERIOD}/teams/{}", app.teams.call1);
        let pos = |html: &str, no: &str| html.find(&format!(">{no}</a>")).unwrap();
        let by_aht = app.get(&format!("{base}?sort=aht"), Some(&b)).await.text();
        assert!(
            pos(&by_aht, "A002") < pos(&by_aht, "A001"),
            "lower AHT first"
        );
        let by_aht_desc = app
            .get(&format!("{base}?sort=aht&dir=desc"), Some(&b))
            .await
            .text();
        assert!(pos(&by_aht_desc, "A001") < pos(&by_aht_desc, "A002"));
        let by_no = app.get(&format!("{base}?sort=no"), Some(&b)).await.text();
        assert!(pos(&by_no, "A001") < pos(&by_no, "A002"));
        let junk = app
            .get(&format!("{base}?sort=%3Cscript%3E"), Some(&b))
            .await;
        assert_eq!(junk.status, StatusCode::OK);
        assert!(!junk.text().contains("<script>"));
        for link in [
            format!("/p/{PERIOD}/agents/A001"),
            format!("/p/{PERIOD}/agents/A002"),
        ] {
            assert!(by_no.contains(&link), "{link}");
        }
    }
);

contract_test!(the_agent_page_explains_every_number, |store| async move {
    let app = app(store).await;
    let b = app.login("agent").await;
    let html = app
        .get(&format!("/p/{PERIOD}/agents/A001"), Some(&b))
        .await
        .text();
    for expected in [
        "(talk + hold + after-call work) ÷ handled", // the formula
        "600 ÷ 1",                                   // numerator ÷ denominator
        "600.00",                                    // the AHT value
        "answers scoring 4–5 ÷ all answers × 100",
        "Pay per point",
        "= 0.50", // 1 point × 0.5
        "rounded half away from zero",
        "Rank in team",
        "/agents/A001/calls?team=",
        "/agents/A001/surveys?team=",
        "/agents/A001/qa?team=",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    // An agent does not get links to the team table.
    assert!(!html.contains(&format!("/teams/{}", app.teams.call1)));
});

contract_test!(
    record_tables_are_paginated_fifty_to_a_page,
    |store| async move {
        let app = app(store).await;
        let b = app.login("admin").await;
        let base = format!("/p/{PERIOD}/agents/A004/calls");
        let first = app.get(&base, Some(&b)).await.text();
        let rows = |html: &str| html.matches("<td>m0").count();
        assert_eq!(rows(&first), 50);
        assert!(first.contains("60"), "the total is shown");
        assert!(first.contains("page=2"), "a link to page 2");
        let second = app.get(&format!("{base}?page=2"), Some(&b)).await.text();
        assert_eq!(rows(&second), 10);
        assert!(second.contains("page=1"));
    }
);

contract_test!(qa_staff_see_scores_but_not_pay, |store| async move {
    let app = app(store).await;
    let qa = app.login("qa").await;
    let team = app
        .get(&format!("/p/{PERIOD}/teams/{}", app.teams.call1), Some(&qa))
        .await
        .text();
    assert!(!team.contains("Variable pay"));
    let agent = app
        .get(&format!("/p/{PERIOD}/agents/A001"), Some(&qa))
        .await
        .text();
    assert!(!agent.contains("Pay per point"));
    let manager = app.login("manager").await;
    let team = app
        .get(
            &format!("/p/{PERIOD}/teams/{}", app.teams.call1),
            Some(&manager),
        )
        .await
        .text();
    assert!(team.contains("Variable pay"));
});

contract_test!(
    the_language_follows_the_cookie_then_the_browser_then_chinese,
    |store| async move {
        let app = app(store).await;
        let mut b = app.login_with("manager", "pw-manager", "zh-CN").await;
        let path = format!("/p/{PERIOD}");
        assert!(app.get(&path, Some(&b)).await.text().contains("中心概览"));
        b.cookie = b.cookie.replace("lang=zh-CN", "lang=en");
        assert!(
            app.get(&path, Some(&b))
                .await
                .text()
                .contains("Center overview")
        );

        let req = axum::http::Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(app.send(req).await.text().contains("Sign in"));

        let switch = axum::http::Request::get("/lang/en")
            .header(header::HOST, "jixiao.test")
            .header(header::REFERER, "http://jixiao.test/periods")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.send(switch).await;
        assert_eq!(res.location(), "/periods");
        let set = res
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(set.starts_with("lang=en"));
        let evil = axum::http::Request::get("/lang/zh-CN")
            .header(header::HOST, "jixiao.test")
            .header(header::REFERER, "http://evil.example/phish")
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(app.send(evil).await.location(), "/");
    }
);

contract_test!(
    the_stylesheet_is_served_from_the_binary,
    |store| async move {
        let app = app(store).await;
        let css = app.get("/static/app.css", None).await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.headers
                .get(header::CONTENT_TYPE)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
        assert!(css.text().contains(".grade-a"));
    }
);

contract_test!(
    the_agent_page_words_rules_in_the_users_language,
    |store| async move {
        let app = app(store).await;
        let path = format!("/p/{PERIOD}/agents/A001");
        let zh = app.login_with("agent", "pw-agent", "zh-CN").await;
        let html = app.get(&path, Some(&zh)).await.text();
        for expected in [
            "线性：0积分 得 0 分，20积分 得 100 分；按在组天数折算",
            "线性：600秒 得 0 分，240秒 得 100 分",
            "线性：60% 得 0 分，90% 得 100 分",
            "按四舍五入保留 2 位小数",
        ] {
            assert!(html.contains(expected), "missing {expected:?}");
        }
        for english in ["linear:", "rounded half away", "prorated by days"] {
            assert!(
                !html.contains(english),
                "English {english:?} on a Chinese page"
            );
        }
        let en = app.login("agent").await;
        let html = app.get(&path, Some(&en)).await.text();
        for expected in [
            "linear: 0 points scores 0, 20 points scores 100; prorated by days in team",
            "linear: 600 s scores 0, 240 s scores 100",
            "rounded half away from zero to 2 decimal places",
        ] {
            assert!(html.contains(expected), "missing {expected:?}");
        }
    }
);

contract_test!(
    the_agent_page_shows_the_rank_out_of_the_ranked_members_of_the_team,
    |store| async move {
        let app = app(store).await;
        let b = app.login("agent").await;
        let html = app
            .get(&format!("/p/{PERIOD}/agents/A001"), Some(&b))
            .await
            .text();
        // CALL-01 has two ranked agents, A001 and A002.
        assert!(
            html.contains("Rank in team: 1 / 2") || html.contains("Rank in team: 2 / 2"),
            "{html}"
        );
    }
);
