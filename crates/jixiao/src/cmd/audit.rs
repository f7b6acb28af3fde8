//! `jixiao audit`: verify the audit log's hash chain and list recent entries.

use chrono::SecondsFormat;
use clap::{Args, Subcommand};
use jixiao_store::{AuditVerification, PageReq};

use crate::settings::{Layer, Settings};

/// Arguments of `jixiao audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    action: Action,
    #[command(flatten)]
    settings: Layer,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Recompute the hash chain; exit non-zero naming the first entry that fails.
    Verify,
    /// List the newest entries with the start of their hash.
    List {
        /// How many entries (at most 500).
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

/// Runs the subcommand.
pub async fn run(file: Option<&std::path::Path>, args: AuditArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    match args.action {
        Action::Verify => match store.verify_audit_chain().await? {
            AuditVerification::Intact { entries, head } => {
                println!(
                    "audit chain intact: {entries} entries; head {}",
                    head.as_deref().unwrap_or("-")
                );
            }
            AuditVerification::Broken {
                id,
                problem,
                verified,
            } => anyhow::bail!(
                "audit chain broken at entry {id} [{}]: {}; {verified} entries before it verified",
                problem.code(),
                problem.describe()
            ),
        },
        Action::List { limit } => {
            let page = store
                .audit_log(PageReq {
                    page: 1,
                    per_page: limit,
                })
                .await?;
            let shown = page.items.len();
            for e in page.items {
                println!(
                    "{:>6}  {}  {}  {:<14}  {}  {}",
                    e.id,
                    e.at.to_rfc3339_opts(SecondsFormat::Secs, true),
                    e.entry_hash.get(..12).unwrap_or("-"),
                    e.kind,
                    e.subject,
                    e.actor
                );
            }
            println!("({shown} of {} entries, newest first)", page.total);
        }
    }
    Ok(())
}
