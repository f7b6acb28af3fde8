//! Mapping profiles saved from the web page: versions, conflicts, deletion and their audit.

use crate::fixtures::at;
use jixiao_store::{
    AuditVerification, MappingProfile, PageReq, SaveProfile, Store, StoreError, contract_test,
};

const V1: &str = "# the PBX\nname = \"pbx\"\nkind = \"calls\"\n";
const V2: &str =
    "# the PBX, now in Berlin\nname = \"pbx\"\nkind = \"calls\"\ntimezone = \"Europe/Berlin\"\n";

fn save(toml: &str, expected_version: Option<i64>, by: &str, when: &str) -> SaveProfile {
    SaveProfile {
        name: "pbx".into(),
        kind: "calls".into(),
        toml: toml.into(),
        expected_version,
        by: by.into(),
        at: at(when),
    }
}

/// The audit entries, oldest first, as (kind, subject, detail).
async fn audit(store: &Store) -> Vec<(String, String, serde_json::Value)> {
    let mut all: Vec<_> = store
        .audit_log(PageReq::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.kind, e.subject, e.detail))
        .collect();
    all.reverse();
    all
}

contract_test!(
    a_new_profile_starts_at_version_one_and_each_save_bumps_it,
    |store| async move {
        let first = store
            .save_mapping_profile(&save(V1, None, "mgr", "2026-11-01T08:00:00.1234567Z"))
            .await
            .unwrap();
        assert_eq!(
            first,
            MappingProfile {
                name: "pbx".into(),
                kind: "calls".into(),
                toml: V1.into(),
                version: 1,
                updated_by: "mgr".into(),
                // Microseconds, as PostgreSQL keeps them.
                updated_at: at("2026-11-01T08:00:00.123456Z"),
            }
        );
        assert_eq!(store.mapping_profile("pbx").await.unwrap(), first);

        let second = store
            .save_mapping_profile(&save(V2, Some(1), "boss", "2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        assert_eq!((second.version, second.toml.as_str()), (2, V2));
        let stored = store.mapping_profile("pbx").await.unwrap();
        assert_eq!(stored, second);
        assert_eq!(stored.updated_by, "boss");
        assert_eq!(store.mapping_profiles().await.unwrap(), vec![second]);

        // Each save is audited with its text, so version 1 can still be read back.
        let log = audit(&store).await;
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].0.as_str(), log[0].1.as_str()),
            ("mapping_profile.save", "pbx")
        );
        assert_eq!(log[0].2["version"], 1);
        assert_eq!(log[0].2["toml"], V1);
        assert_eq!(log[1].2["version"], 2);
        assert!(matches!(
            store.verify_audit_chain().await.unwrap(),
            AuditVerification::Intact { entries: 2, .. }
        ));
    }
);

contract_test!(
    saving_over_a_version_someone_else_saved_is_a_conflict,
    |store| async move {
        let when = "2026-11-01T08:00:00Z";
        store
            .save_mapping_profile(&save(V1, None, "mgr", when))
            .await
            .unwrap();
        // Creating a name that exists does not overwrite it.
        let again = store
            .save_mapping_profile(&save(V2, None, "other", when))
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        // Two editors start from version 1: the first save wins, the second is refused.
        store
            .save_mapping_profile(&save(V2, Some(1), "mgr", when))
            .await
            .unwrap();
        let late = store
            .save_mapping_profile(&save(V1, Some(1), "other", when))
            .await;
        assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
        let stored = store.mapping_profile("pbx").await.unwrap();
        assert_eq!((stored.version, stored.toml.as_str()), (2, V2));
        // Refused saves leave no audit entry.
        assert_eq!(audit(&store).await.len(), 2);
    }
);

contract_test!(
    a_deleted_profile_is_gone_and_its_deletion_is_audited_with_its_text,
    |store| async move {
        let when = at("2026-11-03T10:00:00Z");
        assert!(matches!(
            store.mapping_profile("pbx").await,
            Err(StoreError::NotFound(_))
        ));
        store
            .save_mapping_profile(&save(V1, None, "mgr", "2026-11-01T08:00:00Z"))
            .await
            .unwrap();
        store
            .delete_mapping_profile("pbx", "boss", when)
            .await
            .unwrap();
        assert!(matches!(
            store.mapping_profile("pbx").await,
            Err(StoreError::NotFound(_))
        ));
        assert!(store.mapping_profiles().await.unwrap().is_empty());
        assert!(matches!(
            store.delete_mapping_profile("pbx", "boss", when).await,
            Err(StoreError::NotFound(_))
        ));
        // A new version of a deleted profile cannot be saved; creating it anew can.
        assert!(matches!(
            store
                .save_mapping_profile(&save(V2, Some(1), "mgr", "2026-11-04T08:00:00Z"))
                .await,
            Err(StoreError::NotFound(_))
        ));
        let log = audit(&store).await;
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].0, "mapping_profile.delete");
        assert_eq!(log[1].2["toml"], V1);
        let anew = store
            .save_mapping_profile(&save(V2, None, "mgr", "2026-11-04T08:00:00Z"))
            .await
            .unwrap();
        assert_eq!(anew.version, 1);
    }
);

contract_test!(
    profiles_are_listed_by_name_with_their_kind,
    |store| async move {
        for (name, kind) in [("zz-survey", "surveys"), ("aa-pbx", "calls")] {
            let s = SaveProfile {
                name: name.into(),
                kind: kind.into(),
                ..save(V1, None, "mgr", "2026-11-01T08:00:00Z")
            };
            store.save_mapping_profile(&s).await.unwrap();
        }
        let listed: Vec<(String, String)> = store
            .mapping_profiles()
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.kind))
            .collect();
        assert_eq!(
            listed,
            [
                ("aa-pbx".to_string(), "calls".to_string()),
                ("zz-survey".to_string(), "surveys".to_string())
            ]
        );
    }
);
