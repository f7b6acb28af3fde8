//! Bearer-token authentication.

use axum::http::{StatusCode, header};
use jixiao_store::contract_test;

use super::{code, get, json};
use crate::support::{PERIOD, app};

contract_test!(
    a_valid_token_acts_as_its_user_and_is_marked_used,
    |store| async move {
        let app = app(store).await;
        let (token, secret) = app
            .store
            .create_api_token("manager", "pbx", "admin", chrono::Utc::now())
            .await
            .unwrap();
        let me = get(&app, "/api/v1/me", Some(&secret)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text());
        let me = json(&me);
        assert_eq!(me["username"], "manager");
        assert_eq!(me["role"], "manager");
        assert_eq!(me["auth"], "token");
        assert_eq!(me["token_id"], token.id);
        let used = app.store.api_token(token.id).await.unwrap();
        assert!(used.last_used_at.is_some());
        // The same extractors serve the pages: the token opens them too, with the same scope.
        let page = get(&app, &format!("/p/{PERIOD}"), Some(&secret)).await;
        assert_eq!(page.status, StatusCode::OK);
    }
);

contract_test!(
    a_missing_unknown_or_revoked_token_gets_a_401_json_error_with_a_stable_code,
    |store| async move {
        let app = app(store).await;
        let missing = get(&app, "/api/v1/me", None).await;
        assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
        assert_eq!(code(&missing), "unauthenticated");
        assert!(missing.headers.contains_key(header::WWW_AUTHENTICATE));

        let unknown = get(&app, "/api/v1/me", Some("jx_0000")).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert_eq!(code(&unknown), "invalid_token");

        let (token, secret) = app
            .store
            .create_api_token("agent", "x", "admin", chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(
            get(&app, "/api/v1/me", Some(&secret)).await.status,
            StatusCode::OK
        );
        app.store
            .revoke_api_token(token.id, "admin", chrono::Utc::now())
            .await
            .unwrap();
        let revoked = get(&app, "/api/v1/me", Some(&secret)).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert_eq!(code(&revoked), "invalid_token");
        // A revoked token is refused on pages too, never treated as an anonymous visitor.
        let page = get(&app, "/periods", Some(&secret)).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
);

contract_test!(a_browser_session_also_reaches_the_api, |store| async move {
    let app = app(store).await;
    let b = app.login("sup").await;
    let me = app.get("/api/v1/me", Some(&b)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(json(&me)["auth"], "session");
});

contract_test!(
    admins_create_and_revoke_tokens_on_the_tokens_page,
    |store| async move {
        let app = app(store).await;
        let admin = app.login("admin").await;
        let manager = app.login("manager").await;
        assert_eq!(
            app.get("/admin/tokens", Some(&manager)).await.status,
            StatusCode::FORBIDDEN
        );
        let body = format!(
            "csrf={}&username=agent&name=crm-sync",
            crate::support::enc(&admin.csrf)
        );
        let no_csrf = app
            .post("/admin/tokens", Some(&admin), "username=agent&name=x")
            .await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
        let made = app.post("/admin/tokens", Some(&admin), &body).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.text());
        let html = made.text();
        let at = html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
        let secret = html[at..].split('<').next().unwrap().to_string();
        assert!(secret.starts_with("jx_"), "{secret}");
        assert_eq!(
            json(&get(&app, "/api/v1/me", Some(&secret)).await)["username"],
            "agent"
        );
        // The list never shows the secret again.
        let list = app.get("/admin/tokens", Some(&admin)).await.text();
        assert!(list.contains("crm-sync") && !list.contains(&secret));

        let unknown = format!(
            "csrf={}&username=ghost&name=x",
            crate::support::enc(&admin.csrf)
        );
        let refused = app.post("/admin/tokens", Some(&admin), &unknown).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

        let id = app.store.api_tokens().await.unwrap()[0].id;
        let revoke = app
            .post_csrf(&format!("/admin/tokens/{id}/revoke"), &admin)
            .await;
        assert_eq!(revoke.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&app, "/api/v1/me", Some(&secret)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);
