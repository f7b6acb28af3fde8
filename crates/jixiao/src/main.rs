//! The `jixiao` binary: one command with subcommands for serving, the demo center, migrations,
//! imports, period closing, exports and benchmarks. Owns settings, logging and process exit
//! codes; `anyhow` lives only here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use jixiao::cmd;
use jixiao::settings::{self, Layer, Settings};

/// Jixiao (绩效): fair, explainable performance scorecards and pay for service centers.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// Settings file (TOML); ./jixiao.toml is read when present.
    #[arg(long, global = true, env = "JIXIAO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application.
    Serve {
        #[command(flatten)]
        settings: Layer,
    },
    /// Create (once) the seeded demo center in an embedded SQLite file and serve it.
    Demo(cmd::demo::DemoArgs),
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        settings: Layer,
    },
    /// Import records from a canonical CSV file (see docs/IMPORT.md).
    Import(cmd::import::ImportArgs),
    /// List, recompute or close assessment periods.
    Period(cmd::period::PeriodArgs),
    /// Create, list or revoke API tokens for integrations.
    Token(cmd::token::TokenArgs),
    /// Map source systems' names for agents to employees, list or remove them.
    Alias(cmd::alias::AliasArgs),
    /// List the names of unknown agents whose records are held, most records first.
    Unmatched(cmd::alias::UnmatchedArgs),
    /// Verify the audit log's hash chain, or list its newest entries.
    Audit(cmd::audit::AuditArgs),
    /// Export the scorecard table of a period to .xlsx.
    Export(cmd::export::ExportArgs),
    /// Measure import and month-close speed on SQLite and PostgreSQL.
    Bench(cmd::bench::BenchArgs),
    /// Measure how fast the main pages of every role answer on a generated 2,000-agent center.
    BenchPages(cmd::bench_pages::BenchPagesArgs),
    /// Propose type coefficients from measured handle time and show their effect on pay.
    Calibrate(cmd::calibrate::CalibrateArgs),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JIXIAO_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let file = cli.config.as_deref();
    rt.block_on(async move {
        match cli.command {
            Command::Serve { settings } => {
                let s = Settings::load(file, &settings, Settings::default())?;
                cmd::serve::run(&s).await
            }
            Command::Demo(args) => cmd::demo::run(file, args).await,
            Command::Migrate { settings } => {
                let s = Settings::load(file, &settings, Settings::default())?;
                cmd::open_store(&s).await?;
                println!("migrations applied to {}", settings::redact(&s.database));
                Ok(())
            }
            Command::Import(args) => cmd::import::run(file, args).await,
            Command::Period(args) => cmd::period::run(file, args).await,
            Command::Alias(args) => cmd::alias::run(file, args).await,
            Command::Unmatched(args) => cmd::alias::unmatched(file, args).await,
            Command::Audit(args) => cmd::audit::run(file, args).await,
            Command::Token(args) => cmd::token::run(file, args).await,
            Command::Export(args) => cmd::export::run(file, args).await,
            Command::Bench(args) => cmd::bench::run(args).await,
            Command::BenchPages(args) => cmd::bench_pages::run(args).await,
            Command::Calibrate(args) => cmd::calibrate::run(args),
        }
    })
}
