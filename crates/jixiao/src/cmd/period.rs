//! `jixiao period`: list, recompute, review, adjust and close assessment periods.

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use jixiao_core::Period;
use jixiao_store::{NewAdjustment, service};
use rust_decimal::Decimal;

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
    /// Allowed from open, computed and in review, also before the review window ends.
    Close {
        /// The month, YYYY-MM.
        period: Period,
    },
    /// Open (or move the end of) a computed period's review window: agents see their results
    /// and may appeal until that day.
    Review {
        /// The month, YYYY-MM.
        period: Period,
        /// The last day of the review window, YYYY-MM-DD.
        #[arg(long)]
        until: NaiveDate,
    },
    /// Record an adjustment (a correction, usually to a closed period) in an open period;
    /// it is added to the employee's points and pay there and audited.
    Adjust {
        /// The open month it is entered in, YYYY-MM.
        #[arg(long)]
        period: Period,
        /// The employee number.
        #[arg(long)]
        employee: String,
        /// Pay to add (negative to deduct), e.g. 12.50.
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        pay: Decimal,
        /// Points to add (negative to remove).
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        points: Decimal,
        /// Why (required).
        #[arg(long)]
        reason: String,
        /// The closed month it corrects, YYYY-MM.
        #[arg(long)]
        corrects: Option<Period>,
    },
}

/// Runs the subcommand.
pub async fn run(file: Option<&std::path::Path>, args: PeriodArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    match args.action {
        Action::List => {
            for p in store.periods().await? {
                let review = p.review_until.map(|d| format!("  review until {d}"));
                println!(
                    "{}  {:<9}  {}{}",
                    p.period,
                    p.status.as_str(),
                    p.snapshot_hash.as_deref().unwrap_or("-"),
                    review.unwrap_or_default()
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
        Action::Review { period, until } => {
            service::open_review(&store, period, until, &super::cli_actor(), Utc::now()).await?;
            println!("{period} in review until {until}");
        }
        Action::Adjust {
            period,
            employee,
            pay,
            points,
            reason,
            corrects,
        } => {
            let employee = store.employee_by_no(&employee).await?;
            let line = service::add_adjustment(
                &store,
                &NewAdjustment {
                    period,
                    employee_id: employee.id,
                    points,
                    pay,
                    reason,
                    corrects,
                    author: super::cli_actor(),
                    at: Utc::now(),
                },
            )
            .await?;
            println!(
                "adjustment {} recorded in {period} for {}: {} points, {} pay",
                line.id, employee.employee_no, line.points, line.pay
            );
        }
    }
    Ok(())
}
