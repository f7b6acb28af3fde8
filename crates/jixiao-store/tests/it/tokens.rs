use chrono::{Duration, Utc};
use jixiao_core::org::Role;
use jixiao_store::{
    API_TOKEN_PREFIX, IdempotencyClaim, NewUser, PageReq, StoreError, api_token_hash, contract_test,
};
use serde_json::json;

async fn user(store: &jixiao_store::Store, name: &str, role: Role) -> i64 {
    store
        .create_user(&NewUser {
            username: name.into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            role,
            employee_id: None,
            locale: "en".into(),
        })
        .await
        .unwrap()
}

contract_test!(
    a_token_authenticates_as_its_user_until_it_is_revoked,
    |store| async move {
        let id = user(&store, "pbx", Role::Manager).await;
        let now = Utc::now();
        let (token, secret) = store
            .create_api_token("pbx", "nightly", "admin", now)
            .await
            .unwrap();
        assert!(secret.starts_with(API_TOKEN_PREFIX) && secret.len() == 3 + 64);
        assert_eq!((token.user_id, token.name.as_str()), (id, "nightly"));
        let (found, u) = store
            .user_by_api_token(&api_token_hash(&secret))
            .await
            .unwrap();
        assert_eq!((found.id, u.id, u.role), (token.id, id, Role::Manager));
        assert!(matches!(
            store.user_by_api_token(&api_token_hash("jx_wrong")).await,
            Err(StoreError::NotFound(_))
        ));

        store
            .revoke_api_token(token.id, "admin", now)
            .await
            .unwrap();
        // Revoking twice changes nothing; an unknown id is NotFound.
        store
            .revoke_api_token(token.id, "admin", now)
            .await
            .unwrap();
        assert!(matches!(
            store.revoke_api_token(9999, "admin", now).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.user_by_api_token(&api_token_hash(&secret)).await,
            Err(StoreError::NotFound(_))
        ));
        let listed = store.api_tokens().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].revoked_at.is_some());
        // Creating and revoking are audited once each.
        let kinds: Vec<String> = store
            .audit_log(PageReq::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["api_token.revoke", "api_token.create"]);
    }
);

contract_test!(
    tokens_for_unknown_users_are_refused_and_secrets_differ,
    |store| async move {
        user(&store, "a", Role::Agent).await;
        let now = Utc::now();
        assert!(matches!(
            store.create_api_token("ghost", "x", "admin", now).await,
            Err(StoreError::NotFound(_))
        ));
        let (_, s1) = store
            .create_api_token("a", "x", "admin", now)
            .await
            .unwrap();
        let (_, s2) = store
            .create_api_token("a", "x", "admin", now)
            .await
            .unwrap();
        assert_ne!(s1, s2);
    }
);

contract_test!(
    last_use_is_recorded_at_most_once_per_throttle_window,
    |store| async move {
        user(&store, "a", Role::Agent).await;
        let t0 = Utc::now();
        let (token, _) = store.create_api_token("a", "x", "admin", t0).await.unwrap();
        assert_eq!(token.last_used_at, None);
        let window = Duration::seconds(60);
        store
            .touch_api_token(token.id, t0, t0 - window)
            .await
            .unwrap();
        let t1 = t0 + Duration::seconds(10);
        store
            .touch_api_token(token.id, t1, t1 - window)
            .await
            .unwrap();
        let used = store
            .api_token(token.id)
            .await
            .unwrap()
            .last_used_at
            .unwrap();
        assert!((used - t0).num_milliseconds().abs() < 1, "{used} vs {t0}");
        let t2 = t0 + Duration::seconds(61);
        store
            .touch_api_token(token.id, t2, t2 - window)
            .await
            .unwrap();
        let used = store
            .api_token(token.id)
            .await
            .unwrap()
            .last_used_at
            .unwrap();
        assert!((used - t2).num_milliseconds().abs() < 1, "{used} vs {t2}");
    }
);

contract_test!(
    an_idempotency_key_answers_the_same_request_again_and_refuses_another,
    |store| async move {
        let id = user(&store, "pbx", Role::Manager).await;
        let other = user(&store, "crm", Role::Manager).await;
        let now = Utc::now();
        let stale = now - Duration::minutes(15);
        let claim = |uid, hash: &'static str| {
            let store = store.clone();
            async move {
                store
                    .claim_idempotency(uid, "k1", hash, now, stale)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(claim(id, "h1").await, IdempotencyClaim::Claimed);
        assert_eq!(claim(id, "h1").await, IdempotencyClaim::InProgress);
        assert_eq!(claim(id, "h2").await, IdempotencyClaim::Mismatch);
        // Keys are per user.
        assert_eq!(claim(other, "h2").await, IdempotencyClaim::Claimed);

        let body = json!({ "import_id": 7, "inserted": 3 });
        store
            .finish_idempotency(id, "k1", 201, &body)
            .await
            .unwrap();
        assert_eq!(
            claim(id, "h1").await,
            IdempotencyClaim::Done { status: 201, body }
        );
        assert_eq!(claim(id, "h2").await, IdempotencyClaim::Mismatch);

        // A released claim (the request failed) frees the key for a retry.
        store.release_idempotency(other, "k1").await.unwrap();
        assert_eq!(claim(other, "h3").await, IdempotencyClaim::Claimed);
    }
);

contract_test!(
    an_abandoned_claim_is_taken_over_once_it_is_stale,
    |store| async move {
        let id = user(&store, "pbx", Role::Manager).await;
        let t0 = Utc::now() - Duration::hours(1);
        let stale = |now| now - Duration::minutes(15);
        let r = store.claim_idempotency(id, "k", "h", t0, stale(t0)).await;
        assert_eq!(r.unwrap(), IdempotencyClaim::Claimed);
        let now = Utc::now();
        let r = store.claim_idempotency(id, "k", "h", now, stale(now)).await;
        assert_eq!(r.unwrap(), IdempotencyClaim::Claimed);
        let r = store.claim_idempotency(id, "k", "h", now, stale(now)).await;
        assert_eq!(r.unwrap(), IdempotencyClaim::InProgress);
    }
);
