//! Mapping profiles saved from the web page: the TOML text as written, its kind and a version.
//!
//! The store does not read the TOML (it knows no file formats): the web layer checks a profile
//! with `jixiao_import::mapping::Profile::from_toml` before saving it, and lists the shipped,
//! read-only profiles beside these. A save names the version it edited, so two people editing
//! one profile cannot silently overwrite each other; each save and delete is audited with the
//! text, so every earlier version can be read back from the audit log.

use chrono::{DateTime, SubsecRound, Utc};

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::{DbResultExt, NewAudit, Store, StoreError, found};

/// A saved mapping profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProfile {
    /// The profile's name (unique), as its TOML `name` says.
    pub name: String,
    /// The canonical record kind it reads, as its TOML `kind` says.
    pub kind: String,
    /// The TOML text as saved, comments included.
    pub toml: String,
    /// 1 when created, one more at each save.
    pub version: i64,
    /// Who saved the current version.
    pub updated_by: String,
    /// When the current version was saved.
    pub updated_at: DateTime<Utc>,
}

/// A profile to save: a new one (`expected_version: None`) or a new version of a saved one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveProfile {
    /// The profile's name.
    pub name: String,
    /// Its record kind.
    pub kind: String,
    /// Its TOML text, already checked by the caller.
    pub toml: String,
    /// The version the editor started from; `None` creates the profile.
    pub expected_version: Option<i64>,
    /// Who saves it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

type ProfileRow = (String, String, String, i64, String, DateTime<Utc>);

const PROFILE_COLUMNS: &str = "name, kind, toml, version, updated_by, updated_at";

fn profile(r: ProfileRow) -> MappingProfile {
    MappingProfile {
        name: r.0,
        kind: r.1,
        toml: r.2,
        version: r.3,
        updated_by: r.4,
        updated_at: r.5,
    }
}

impl Store {
    /// Every saved profile, by name.
    pub async fn mapping_profiles(&self) -> Result<Vec<MappingProfile>, StoreError> {
        let sql = format!("SELECT {PROFILE_COLUMNS} FROM mapping_profiles ORDER BY name");
        let rows: Vec<ProfileRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(profile).collect())
    }

    /// The saved profile called `name`, or NotFound.
    pub async fn mapping_profile(&self, name: &str) -> Result<MappingProfile, StoreError> {
        let sql = format!("SELECT {PROFILE_COLUMNS} FROM mapping_profiles WHERE name = $1");
        let row: Option<ProfileRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(name).fetch_optional(p).await)?;
        Ok(profile(found(row, || format!("mapping profile {name}"))?))
    }

    /// Saves a profile and audits it, in one transaction; returns it as stored. Creating a
    /// name that exists, or saving over a version other than the one edited, is a Conflict;
    /// saving a new version of a profile that was deleted is NotFound.
    pub async fn save_mapping_profile(
        &self,
        save: &SaveProfile,
    ) -> Result<MappingProfile, StoreError> {
        // What TIMESTAMPTZ keeps, so both backends give back the same time.
        let at = save.at.trunc_subsecs(6);
        let insert = "INSERT INTO mapping_profiles (name, kind, toml, version, updated_by, \
                      updated_at) VALUES ($1, $2, $3, 1, $4, $5) RETURNING version";
        let update = "UPDATE mapping_profiles SET kind = $2, toml = $3, version = version + 1, \
                      updated_by = $4, updated_at = $5 WHERE name = $1 AND version = $6 \
                      RETURNING version";
        let exists = "SELECT version FROM mapping_profiles WHERE name = $1";
        let name = save.name.as_str();
        let taken = || format!("mapping profile {name}");
        let version = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let version: Option<(i64,)> = match save.expected_version {
                None => Some(
                    sqlx::query_as(insert)
                        .bind(name).bind(&save.kind).bind(&save.toml).bind(&save.by).bind(at)
                        .fetch_one(&mut *tx)
                        .await
                        .conflict(taken)?,
                ),
                Some(v) => sqlx::query_as(update)
                    .bind(name).bind(&save.kind).bind(&save.toml).bind(&save.by).bind(at).bind(v)
                    .fetch_optional(&mut *tx)
                    .await?,
            };
            let Some((version,)) = version else {
                // Nothing updated: someone saved another version meanwhile, or deleted it.
                let now: Option<(i64,)> =
                    sqlx::query_as(exists).bind(name).fetch_optional(&mut *tx).await?;
                return Err(match now {
                    Some((now,)) => StoreError::Conflict(format!(
                        "mapping profile {name} is at version {now}, not {}",
                        save.expected_version.unwrap_or_default()
                    )),
                    None => StoreError::NotFound(taken()),
                });
            };
            tx.append_audit(&NewAudit {
                actor: save.by.clone(),
                kind: "mapping_profile.save".into(),
                subject: name.to_string(),
                detail: serde_json::json!({
                    "version": version,
                    "kind": save.kind,
                    "toml": save.toml,
                }),
                at,
            })
            .await?;
            tx.commit().await?;
            version
        });
        Ok(MappingProfile {
            name: name.to_string(),
            kind: save.kind.clone(),
            toml: save.toml.clone(),
            version,
            updated_by: save.by.clone(),
            updated_at: at,
        })
    }

    /// Deletes a saved profile and audits it (with its last text). NotFound if there is none.
    /// Imports keep the profile's name in their lineage.
    pub async fn delete_mapping_profile(
        &self,
        name: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM mapping_profiles WHERE name = $1 RETURNING version, toml";
        let at = at.trunc_subsecs(6);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let gone: Option<(i64, String)> =
                sqlx::query_as(sql).bind(name).fetch_optional(&mut *tx).await?;
            let (version, toml) = found(gone, || format!("mapping profile {name}"))?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "mapping_profile.delete".into(),
                subject: name.to_string(),
                detail: serde_json::json!({ "version": version, "toml": toml }),
                at,
            })
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
