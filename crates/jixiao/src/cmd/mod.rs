//! One module per subcommand; each parses its arguments and calls services.

pub mod alias;
pub mod audit;
pub mod bench;
pub mod bench_pages;
pub mod calibrate;
pub mod demo;
pub mod export;
pub mod import;
pub mod period;
pub mod serve;
pub mod token;

use anyhow::Context;
use jixiao_store::Store;

use crate::settings::{Settings, redact};

/// Connects to the configured database and applies pending migrations.
pub async fn open_store(s: &Settings) -> anyhow::Result<Store> {
    let sqlite_dir = s
        .database
        .strip_prefix("sqlite://")
        .and_then(|p| std::path::Path::new(p).parent());
    if let Some(dir) = sqlite_dir.filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let store = Store::connect(&s.database)
        .await
        .with_context(|| format!("connecting to {}", redact(&s.database)))?;
    store.migrate().await.context("applying migrations")?;
    Ok(store)
}

/// The name recorded as the actor of CLI actions: `cli:$USER`.
pub fn cli_actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}
