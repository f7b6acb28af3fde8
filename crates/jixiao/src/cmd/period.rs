//! `jixiao period`: list, recompute and close assessment periods.

use chrono::Utc;
use clap::{Args, Subcommand};
use jixiao_core::Period;
use jixiao_store::service;

use crate::settings::{Layer, Settings};

/// Arguments of `jixiao period`.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    #[command(subcommand)]
    action: Action,
    #[command(flatten)]
    settings: Layer,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// List periods with their status and snapshot hash.
    List,
    /// Recompute an open period's scorecards from its records.
    Recompute {
        /// The month, YYYY-MM.
        period: Period,
    },
    /// Close a period: compute final scorecards, store them with a content hash, lock it.
    Close {
        /// The month, YYYY-MM.
        period: Period,
    },
}

/// Runs the subcommand.
pub async fn run(file: Option<&std::path::Path>, args: PeriodArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    match args.action {
        Action::List => {
            for p in store.periods().await? {
                println!(
                    "{}  {:<6}  {}",
                    p.period,
                    p.status.as_str(),
                    p.snapshot_hash.as_deref().unwrap_or("-")
                );
            }
        }
        Action::Recompute { period } => {
            let cards = service::recompute(&store, period).await?;
            println!("{period}: {} scorecards recomputed", cards.len());
        }
        Action::Close { period } => {
            let hash = service::close(&store, period, &super::cli_actor(), Utc::now()).await?;
            println!("{period} closed; snapshot hash {hash}");
        }
    }
    Ok(())
}
