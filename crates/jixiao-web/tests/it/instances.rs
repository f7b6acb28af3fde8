//! Several app instances on one database: nothing that matters lives in process memory.

use axum::http::StatusCode;
use jixiao_store::contract_test;
use jixiao_store::testing::second_instance;
use jixiao_web::{AppState, WebSettings, router};

use crate::support::{App, PERIOD, app};

contract_test!(
    a_session_made_on_one_instance_works_on_another_and_so_does_a_close,
    |store| async move {
        let a = app(store).await;
        let b = App {
            router: router(AppState {
                store: second_instance(&a.store).await,
                settings: WebSettings::default(),
            }),
            store: a.store.clone(),
            teams: a.teams,
        };
        // Logged in on A, working on B.
        let manager = a.login("manager").await;
        let page = b.get(&format!("/p/{PERIOD}"), Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        // Closed through B, refused a second time through A.
        let closed = b.post_csrf(&format!("/p/{PERIOD}/close"), &manager).await;
        assert!(
            closed.status.is_redirection() || closed.status == StatusCode::OK,
            "{}",
            closed.text()
        );
        let again = a.post_csrf(&format!("/p/{PERIOD}/close"), &manager).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
        // Logged out on B, gone on A.
        let out = b.post_csrf("/logout", &manager).await;
        assert!(out.status.is_redirection(), "{}", out.status);
        let after = a.get(&format!("/p/{PERIOD}"), Some(&manager)).await;
        assert!(
            after.status.is_redirection(),
            "the session ended everywhere: {}",
            after.status
        );
    }
);
