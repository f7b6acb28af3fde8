//! The mapping profiles the pages offer: the ones saved in the store beside the ones shipped
//! with Jixiao (read-only, their names reserved), checked with the engine of
//! `jixiao_import::mapping` before they are saved or used.
//!
//! Profile names appear in URLs and in every import's lineage, so they are kept to letters,
//! digits, `-`, `_` and `.` (Chinese letters included), and `new` is the editor's own path.

use chrono::{DateTime, Utc};
use jixiao_import::mapping::{self, MapError, Preview, Profile, ProfileError, ReadContext};
use jixiao_store::{MappingProfile, SaveProfile, Store, StoreError};

use crate::WebError;

/// Longest profile name, in characters.
pub const NAME_MAX: usize = 64;
/// Rows shown by a preview.
pub const PREVIEW_ROWS: usize = 20;

/// What the editor opens at `/imports/profiles/new`: a small valid profile to adapt.
pub const STARTER: &str = include_str!("profiles/starter.toml");

/// One profile of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name.
    pub name: String,
    /// Its record kind.
    pub kind: String,
    /// Shipped with Jixiao (read-only), or saved.
    pub builtin: bool,
    /// The saved version, for a saved one.
    pub version: Option<i64>,
    /// Who saved it and when, for a saved one.
    pub updated: Option<(String, DateTime<Utc>)>,
}

/// Saved profiles by name, then the shipped ones.
pub async fn list(store: &Store) -> Result<Vec<Entry>, WebError> {
    let saved = store.mapping_profiles().await?.into_iter().map(|p| Entry {
        name: p.name,
        kind: p.kind,
        builtin: false,
        version: Some(p.version),
        updated: Some((p.updated_by, p.updated_at)),
    });
    let shipped = mapping::builtin_profiles().into_iter().map(|p| Entry {
        name: p.name,
        kind: p.kind,
        builtin: true,
        version: None,
        updated: None,
    });
    Ok(saved.chain(shipped).collect())
}

/// A profile as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Its TOML text.
    pub toml: String,
    /// The saved version (none for a shipped profile).
    pub version: Option<i64>,
    /// Shipped with Jixiao: it cannot be saved under its own name.
    pub builtin: bool,
    /// Who saved it and when, for a saved one.
    pub updated: Option<(String, DateTime<Utc>)>,
}

fn builtin_text(name: &str) -> Option<&'static str> {
    mapping::BUILTIN
        .iter()
        .map(|(_, text)| *text)
        .find(|text| Profile::from_toml(text).is_ok_and(|p| p.name == name))
}

/// Whether `name` is a shipped profile's.
pub fn is_builtin(name: &str) -> bool {
    mapping::builtin_profile(name).is_some()
}

/// The profile called `name`, shipped or saved; NotFound otherwise.
pub async fn open(store: &Store, name: &str) -> Result<Opened, WebError> {
    if let Some(text) = builtin_text(name) {
        return Ok(Opened {
            toml: text.to_string(),
            version: None,
            builtin: true,
            updated: None,
        });
    }
    let MappingProfile {
        toml,
        version,
        updated_by,
        updated_at,
        ..
    } = store.mapping_profile(name).await?;
    Ok(Opened {
        toml,
        version: Some(version),
        builtin: false,
        updated: Some((updated_by, updated_at)),
    })
}

/// The text of a copy of profile `name` called `name-copy`, comments kept; NotFound if there is
/// no such profile.
pub async fn copy_of(store: &Store, name: &str) -> Result<String, WebError> {
    let text = open(store, name).await?.toml;
    Ok(renamed(&text, &format!("{name}-copy")))
}

/// `text` with its top-level `name` set to `name`: the `name = …` line is replaced, so the
/// comments stay; a profile written otherwise is rewritten whole.
fn renamed(text: &str, name: &str) -> String {
    let quoted = toml::Value::String(name.to_string()).to_string();
    let mut out = Vec::new();
    let mut done = false;
    for line in text.lines() {
        let bare = line.trim_start();
        if bare.starts_with('[') {
            done = true;
        }
        let is_name = bare
            .strip_prefix("name")
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if !done && is_name {
            out.push(format!("name = {quoted}"));
            done = true;
        } else {
            out.push(line.to_string());
        }
    }
    let text = out.join("\n") + "\n";
    match Profile::from_toml(&text) {
        Ok(p) if p.name == name => text,
        _ => match toml::from_str::<Profile>(&text) {
            Ok(p) => Profile {
                name: name.to_string(),
                ..p
            }
            .to_toml(),
            Err(_) => text,
        },
    }
}

/// What is wrong with a profile as written, shown next to its text: an engine error with its
/// code and message, or one of ours, named by a catalog key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// From `jixiao_import::mapping`, worded by it.
    Engine {
        /// Its stable code.
        code: &'static str,
        /// Its message.
        message: String,
    },
    /// Ours: the code is also the catalog key of the message.
    Page(&'static str),
}

impl From<ProfileError> for Problem {
    fn from(e: ProfileError) -> Problem {
        Problem::Engine {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<MapError> for Problem {
    fn from(e: MapError) -> Problem {
        Problem::Engine {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// Whether `name` may name a saved profile (see the module's note).
fn valid_name(name: &str) -> bool {
    let ok = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    !name.is_empty()
        && name.chars().count() <= NAME_MAX
        && name.chars().all(ok)
        && !name.starts_with('.')
        && name != "new"
}

/// Reads and checks profile text as a form sent it (browsers send CRLF line ends).
pub fn check(text: &str) -> Result<(String, Profile), Problem> {
    let text = text.replace("\r\n", "\n");
    let profile = Profile::from_toml(&text)?;
    if !valid_name(&profile.name) {
        return Err(Problem::Page("profile_err_name"));
    }
    Ok((text, profile))
}

/// Reads the first [`PREVIEW_ROWS`] rows of a sample file through profile text.
pub async fn preview(text: &str, sample: Vec<u8>) -> Result<Result<Preview, Problem>, WebError> {
    let text = text.to_string();
    // Opening a file decodes it whole (a workbook, a GBK text): off the async workers.
    tokio::task::spawn_blocking(move || {
        let (_, profile) = check(&text)?;
        let ctx = ReadContext::default();
        Ok(mapping::preview(&profile, &sample, &ctx, PREVIEW_ROWS)?)
    })
    .await
    .map_err(WebError::internal)
}

/// Checks and saves profile text from the editor of `original` (none: the new-profile page),
/// which started from `version`. A profile whose name is still `original` is a new version of
/// it; under another name it is a new profile, and `original` stays as it was.
pub async fn save(
    store: &Store,
    text: &str,
    original: Option<&str>,
    version: Option<i64>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Result<MappingProfile, Problem>, WebError> {
    let (text, profile) = match check(text) {
        Ok(checked) => checked,
        Err(p) => return Ok(Err(p)),
    };
    if is_builtin(&profile.name) {
        return Ok(Err(Problem::Page("profile_err_builtin")));
    }
    let expected_version = version.filter(|_| original == Some(profile.name.as_str()));
    let saved = store
        .save_mapping_profile(&SaveProfile {
            name: profile.name,
            kind: profile.kind,
            toml: text,
            expected_version,
            by: by.to_string(),
            at,
        })
        .await;
    match saved {
        Ok(p) => Ok(Ok(p)),
        Err(StoreError::Conflict(_)) if expected_version.is_none() => {
            Ok(Err(Problem::Page("profile_err_exists")))
        }
        Err(StoreError::Conflict(_)) => Ok(Err(Problem::Page("profile_err_conflict"))),
        Err(StoreError::NotFound(_)) => Ok(Err(Problem::Page("profile_err_gone"))),
        Err(e) => Err(e.into()),
    }
}

/// The profile chosen on the upload form: none for `""` (a canonical file), a shipped or saved
/// one by name, checked; Invalid when there is no such profile or it no longer reads.
pub async fn chosen(store: &Store, name: &str) -> Result<Option<Profile>, WebError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if let Some(p) = mapping::builtin_profile(name) {
        return Ok(Some(p));
    }
    let saved = match store.mapping_profile(name).await {
        Ok(p) => p,
        Err(StoreError::NotFound(_)) => {
            return Err(WebError::Invalid(format!("no mapping profile {name:?}")));
        }
        Err(e) => return Err(e.into()),
    };
    Profile::from_toml(&saved.toml)
        .map(Some)
        .map_err(|e| WebError::Invalid(format!("mapping profile {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_profile_is_valid() {
        let (_, p) = check(STARTER).unwrap();
        assert_eq!(p.kind, "calls");
    }

    #[test]
    fn a_copy_keeps_the_comments_and_takes_the_new_name() {
        for (_, text) in mapping::BUILTIN {
            let name = Profile::from_toml(text).unwrap().name;
            let copy = renamed(text, &format!("{name}-copy"));
            let p = Profile::from_toml(&copy).unwrap();
            assert_eq!(p.name, format!("{name}-copy"));
            assert!(copy.starts_with('#'), "comments kept: {copy}");
        }
        // A name inside a table is not the profile's.
        let odd = "kind = \"calls\"\n[fields]\nname = 1\n";
        assert!(renamed(odd, "x").contains("name = 1"));
    }

    #[test]
    fn names_stay_usable_in_paths() {
        for good in ["pbx", "pbx-cdr_2.1", "华为话务"] {
            assert!(valid_name(good), "{good}");
        }
        let long = "x".repeat(NAME_MAX + 1);
        for bad in [
            "",
            "new",
            "a/b",
            "a b",
            "..",
            ".hidden",
            "a?b",
            long.as_str(),
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn form_line_ends_are_read_as_plain_newlines() {
        let crlf = STARTER.replace('\n', "\r\n");
        let (text, _) = check(&crlf).unwrap();
        assert_eq!(text, STARTER);
    }
}
