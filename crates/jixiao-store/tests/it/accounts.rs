//! User and organisation administration: audited, and a deactivated user is locked out.

use crate::fixtures::*;
use chrono::Duration;
use jixiao_core::org::Role;
use jixiao_store::{
    CardFilter, NewSession, NewUser, OrgChange, PageReq, StoreError, UserChange, contract_test,
    service,
};

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::Agent,
        employee_id: None,
        locale: "en".into(),
    }
}

async fn kinds(store: &jixiao_store::Store) -> Vec<String> {
    let log = store.audit_log(PageReq::default()).await.unwrap();
    log.items.iter().rev().map(|e| e.kind.clone()).collect()
}

contract_test!(
    an_admin_creates_changes_and_deactivates_users_and_each_change_is_audited,
    |store| async move {
        let c = center(&store).await;
        let now = at("2026-10-01T08:00:00Z");
        let id = store
            .create_user_audited(&new_user("li"), "root", now)
            .await
            .unwrap();
        assert!(matches!(
            store
                .create_user_audited(&new_user("li"), "root", now)
                .await,
            Err(StoreError::Conflict(_))
        ));
        store
            .change_user(
                id,
                &UserChange::Role {
                    role: Role::Supervisor,
                    employee_id: Some(c.a1),
                },
                "root",
                now,
            )
            .await
            .unwrap();
        let u = store.user_summary(id).await.unwrap();
        assert_eq!(u.role, Role::Supervisor);
        assert_eq!(u.employee_no.as_deref(), Some("A001"));

        store
            .create_session(&NewSession {
                token_hash: "t1".into(),
                user_id: id,
                csrf_token: "x".into(),
                expires_at: now + Duration::hours(8),
            })
            .await
            .unwrap();
        assert!(store.session("t1", now).await.is_ok());
        store
            .change_user(
                id,
                &UserChange::Password("$argon2id$new".into()),
                "root",
                now,
            )
            .await
            .unwrap();
        assert_eq!(
            store.user_by_username("li").await.unwrap().password_hash,
            "$argon2id$new"
        );
        // A reset ends the sessions.
        assert!(store.session("t1", now).await.is_err());

        store
            .create_session(&NewSession {
                token_hash: "t2".into(),
                user_id: id,
                csrf_token: "x".into(),
                expires_at: now + Duration::hours(8),
            })
            .await
            .unwrap();
        store
            .change_user(id, &UserChange::Deactivate, "root", now)
            .await
            .unwrap();
        assert!(store.session("t2", now).await.is_err());
        assert!(matches!(
            store.user_by_username("li").await,
            Err(StoreError::NotFound(_))
        ));
        assert!(
            store
                .user_summary(id)
                .await
                .unwrap()
                .deactivated_at
                .is_some()
        );
        assert!(matches!(
            store
                .change_user(9999, &UserChange::Deactivate, "root", now)
                .await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            kinds(&store).await,
            [
                "user.create",
                "user.role",
                "user.password",
                "user.deactivate"
            ]
        );
    }
);

contract_test!(
    moving_an_agent_from_a_date_splits_the_membership_and_rescoring_follows,
    |store| async move {
        let c = center(&store).await;
        store
            .write_import(&new_import("oct.csv"), &october())
            .await
            .unwrap();
        service::recompute(&store, oct()).await.unwrap();
        let now = at("2026-10-20T08:00:00Z");
        // A001: T1 all along → T2 from 2026-10-16.
        let move_a1 = OrgChange::Move {
            employee_id: c.a1,
            team_id: c.t2,
            from: d("2026-10-16"),
        };
        service::change_org(&store, &move_a1, "root", now)
            .await
            .unwrap();
        let mine: Vec<_> = store
            .memberships()
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.employee_id == c.a1)
            .map(|m| (m.team_id, m.valid_from, m.valid_to))
            .collect();
        assert_eq!(
            mine,
            [
                (c.t1, d("2025-01-01"), Some(d("2026-10-15"))),
                (c.t2, d("2026-10-16"), None)
            ]
        );
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let a1: Vec<i64> = cards
            .iter()
            .filter(|k| k.employee_id == c.a1)
            .map(|k| k.team_id)
            .collect();
        assert_eq!(a1, [c.t1, c.t2], "a card per segment after the move");
        // Moving again to the same team is a conflict; before any membership, not found.
        assert!(matches!(
            store.change_org(&move_a1, "root", now).await,
            Err(StoreError::Conflict(_))
        ));
        let early = OrgChange::Move {
            employee_id: c.a3,
            team_id: c.t1,
            from: d("2026-10-01"),
        };
        assert!(matches!(
            store.change_org(&early, "root", now).await,
            Err(StoreError::NotFound(_))
        ));
        // Nothing may move into a closed period.
        service::close(&store, oct(), "boss", now).await.unwrap();
        let late = OrgChange::Move {
            employee_id: c.a3,
            team_id: c.t1,
            from: d("2026-10-25"),
        };
        assert!(matches!(
            store.change_org(&late, "root", now).await,
            Err(StoreError::PeriodClosed(_))
        ));
        let dept = OrgChange::Department {
            code: "CHAT".into(),
            name: "Chat".into(),
        };
        let chat = store.change_org(&dept, "root", now).await.unwrap();
        let team = OrgChange::Team {
            department_id: chat,
            code: "CHAT-1".into(),
            name: "Chat 1".into(),
            supervisor_id: Some(c.a2),
        };
        let t = store.change_org(&team, "root", now).await.unwrap();
        assert_eq!(store.team(t).await.unwrap().supervisor_id, Some(c.a2));
        let k = kinds(&store).await;
        assert!(k.contains(&"membership.move".to_string()), "{k:?}");
        assert!(k.ends_with(&["org.department".to_string(), "org.team".to_string()]));
    }
);

contract_test!(
    a_team_in_a_missing_department_or_a_move_to_a_missing_team_is_invalid_not_a_failure,
    |store| async move {
        let c = center(&store).await;
        let now = at("2026-10-20T08:00:00Z");
        let invalid = |r: Result<i64, StoreError>| {
            matches!(
                r,
                Err(StoreError::Core(jixiao_core::CoreError::Invalid { .. }))
            )
        };
        let team = OrgChange::Team {
            department_id: 999_999,
            code: "GHOST".into(),
            name: "Ghost".into(),
            supervisor_id: None,
        };
        assert!(invalid(store.change_org(&team, "root", now).await));
        let dept = store
            .change_org(
                &OrgChange::Department {
                    code: "CHAT".into(),
                    name: "Chat".into(),
                },
                "root",
                now,
            )
            .await
            .unwrap();
        let team = OrgChange::Team {
            department_id: dept,
            code: "GHOST".into(),
            name: "Ghost".into(),
            supervisor_id: Some(999_999),
        };
        assert!(invalid(store.change_org(&team, "root", now).await));
        let mv = OrgChange::Move {
            employee_id: c.a1,
            team_id: 999_999,
            from: d("2026-10-16"),
        };
        assert!(invalid(store.change_org(&mv, "root", now).await));
        let k = kinds(&store).await;
        assert!(!k.contains(&"org.team".to_string()), "{k:?}");
        assert!(!k.contains(&"membership.move".to_string()), "{k:?}");
    }
);
