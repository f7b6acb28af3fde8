use crate::fixtures::*;
use chrono::Duration;
use jixiao_core::org::Role;
use jixiao_store::{NewSession, NewUser, StoreError, contract_test};

fn user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::Supervisor,
        employee_id: None,
        locale: "zh-CN".into(),
    }
}

contract_test!(
    users_round_trip_and_usernames_are_unique,
    |store| async move {
        let c = center(&store).await;
        let id = store
            .create_user(&NewUser {
                employee_id: Some(c.a1),
                ..user("li.na")
            })
            .await
            .unwrap();
        let u = store.user_by_username("li.na").await.unwrap();
        assert_eq!(
            (u.id, u.role, u.employee_id),
            (id, Role::Supervisor, Some(c.a1))
        );
        assert_eq!(u.locale, "zh-CN");
        let err = store.create_user(&user("li.na")).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert!(matches!(
            store.user_by_username("nobody").await,
            Err(StoreError::NotFound(_))
        ));
    }
);

contract_test!(sessions_expire_and_can_be_deleted, |store| async move {
    let uid = store.create_user(&user("admin")).await.unwrap();
    let expires = at("2026-11-01T10:00:00Z");
    store
        .create_session(&NewSession {
            token_hash: "h1".into(),
            user_id: uid,
            csrf_token: "csrf".into(),
            expires_at: expires,
        })
        .await
        .unwrap();
    let (s, u) = store
        .session("h1", expires - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(
        (s.user_id, s.csrf_token.as_str(), s.expires_at),
        (uid, "csrf", expires)
    );
    assert_eq!(u.username, "admin");
    assert!(matches!(
        store.session("h1", expires).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.delete_expired_sessions(expires).await.unwrap(), 1);
    assert!(matches!(
        store.session("h1", expires - Duration::hours(1)).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .create_session(&NewSession {
            token_hash: "h2".into(),
            user_id: uid,
            csrf_token: "c2".into(),
            expires_at: expires,
        })
        .await
        .unwrap();
    store.delete_session("h2").await.unwrap();
    assert!(
        store
            .session("h2", at("2026-01-01T00:00:00Z"))
            .await
            .is_err()
    );
});

contract_test!(
    login_failures_are_counted_since_a_moment,
    |store| async move {
        for t in [
            "2026-11-01T10:00:00Z",
            "2026-11-01T10:05:00Z",
            "2026-11-01T10:10:00Z",
        ] {
            store.record_login_failure("bob", at(t)).await.unwrap();
        }
        store
            .record_login_failure("alice", at("2026-11-01T10:10:00Z"))
            .await
            .unwrap();
        let n = |since: &str| {
            let store = store.clone();
            let since = at(since);
            async move { store.login_failures_since("bob", since).await.unwrap() }
        };
        assert_eq!(n("2026-11-01T10:05:00Z").await, 2);
        assert_eq!(n("2026-11-01T09:00:00Z").await, 3);
        assert_eq!(n("2026-11-01T11:00:00Z").await, 0);
    }
);
