//! `/login`, `/logout`, sessions, rate limiting and CSRF.

use axum::http::{StatusCode, header};
use jixiao_store::contract_test;

use crate::support::{PERIOD, app, enc};

contract_test!(
    each_role_signs_in_and_reaches_its_home_page,
    |store| async move {
        let app = app(store).await;
        let call1 = app.teams.call1;
        let expected = [
            ("admin", format!("/p/{PERIOD}")),
            ("manager", format!("/p/{PERIOD}")),
            ("qa", format!("/p/{PERIOD}")),
            ("sup", format!("/p/{PERIOD}/teams/{call1}")),
            ("agent", format!("/p/{PERIOD}/agents/A001")),
        ];
        for (user, home) in expected {
            let b = app.login(user).await;
            let res = app.get("/", Some(&b)).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{user}");
            assert_eq!(res.location(), home, "{user}");
            let page = app.get(&home, Some(&b)).await;
            assert_eq!(page.status, StatusCode::OK, "{user}: {}", page.text());
            assert!(page.text().contains(user), "{user} is named in the header");
        }
    }
);

contract_test!(
    the_session_cookie_is_http_only_and_same_site,
    |store| async move {
        let app = app(store).await;
        let res = app
            .post("/login", None, "username=admin&password=pw-admin")
            .await;
        let cookie = res
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(cookie.starts_with("jixiao_session="));
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/")
        );
        // 32 random bytes, hex.
        assert_eq!(
            cookie.split(';').next().unwrap().len(),
            "jixiao_session=".len() + 64
        );
    }
);

contract_test!(
    a_wrong_password_or_unknown_user_is_refused_alike,
    |store| async move {
        let app = app(store).await;
        let wrong = app
            .post("/login", None, "username=admin&password=nope")
            .await;
        let unknown = app
            .post("/login", None, "username=ghost&password=nope")
            .await;
        for res in [&wrong, &unknown] {
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
            assert!(res.headers.get(header::SET_COOKIE).is_none());
        }
        assert_eq!(
            wrong.text(),
            unknown.text().replace("value=\"ghost\"", "value=\"admin\"")
        );
    }
);

contract_test!(
    the_sixth_attempt_within_fifteen_minutes_is_rate_limited,
    |store| async move {
        let app = app(store).await;
        for _ in 0..5 {
            let res = app
                .post("/login", None, "username=manager&password=bad")
                .await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        }
        // Even the right password is refused now, with a clear message.
        let res = app
            .post("/login", None, "username=manager&password=pw-manager")
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(res.text().contains("15"), "{}", res.text());
        // Other usernames are unaffected.
        let res = app
            .post("/login", None, "username=admin&password=pw-admin")
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
);

contract_test!(
    posts_without_the_csrf_token_or_from_another_origin_are_refused,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let no_token = app.post("/logout", Some(&b), "").await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let wrong_token = app.post("/logout", Some(&b), "csrf=0000").await;
        assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
        let close = app.post(&format!("/p/{PERIOD}/close"), Some(&b), "").await;
        assert_eq!(close.status, StatusCode::FORBIDDEN);

        let cross = axum::http::Request::post("/logout")
            .header(header::HOST, "jixiao.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("csrf={}", enc(&b.csrf))))
            .unwrap();
        assert_eq!(app.send(cross).await.status, StatusCode::FORBIDDEN);
        let cross_login = axum::http::Request::post("/login")
            .header(header::HOST, "jixiao.test")
            .header("sec-fetch-site", "cross-site")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("username=admin&password=pw-admin"))
            .unwrap();
        assert_eq!(app.send(cross_login).await.status, StatusCode::FORBIDDEN);
        // The session survived all of that.
        assert_eq!(app.get("/periods", Some(&b)).await.status, StatusCode::OK);
    }
);

contract_test!(
    signing_out_ends_the_session_in_the_database,
    |store| async move {
        let app = app(store).await;
        let b = app.login("qa").await;
        let res = app.post_csrf("/logout", &b).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/login");
        let again = app.get(&format!("/p/{PERIOD}"), Some(&b)).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(again.location(), "/login");
    }
);

contract_test!(
    anonymous_visitors_are_sent_to_the_login_page,
    |store| async move {
        let app = app(store).await;
        for path in ["/", "/periods", "/imports"] {
            let res = app.get(path, None).await;
            assert_eq!(
                (res.status, res.location()),
                (StatusCode::SEE_OTHER, "/login"),
                "{path}"
            );
        }
        let login = app.get("/login", None).await;
        assert_eq!(login.status, StatusCode::OK);
        // Chinese by default.
        assert!(login.text().contains("登录"));
    }
);
