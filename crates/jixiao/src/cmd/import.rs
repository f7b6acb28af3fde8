//! `jixiao import KIND FILE`: a canonical CSV file through the same path as the upload page.

use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use jixiao_import::canonical;
use jixiao_store::{NewImport, service};

use crate::settings::{Layer, Settings};

/// Which canonical format the file is in.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Call records.
    Calls,
    /// Satisfaction survey answers.
    Surveys,
    /// QA reviews.
    Qa,
}

impl From<Kind> for canonical::Kind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Calls => canonical::Kind::Calls,
            Kind::Surveys => canonical::Kind::Surveys,
            Kind::Qa => canonical::Kind::Qa,
        }
    }
}

/// Arguments of `jixiao import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The record kind.
    kind: Kind,
    /// The CSV file (canonical format, UTF-8; see docs/IMPORT.md).
    file: PathBuf,
    /// Write the reject report to this CSV file as well as printing a summary.
    #[arg(long)]
    rejects: Option<PathBuf>,
    #[command(flatten)]
    settings: Layer,
}

/// Runs the import and prints what it did.
pub async fn run(file: Option<&std::path::Path>, args: ImportArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    let name = args.file.display().to_string();
    let bar = ProgressBar::new_spinner()
        .with_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}")?);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar.set_message(format!("reading {name}"));
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {name}"))?;
    bar.set_message(format!("parsing {name} ({} bytes)", bytes.len()));
    let kind = canonical::Kind::from(args.kind);
    let (batch, rows_total) =
        canonical::parse_batch(kind, &bytes).with_context(|| format!("{name}: cannot be read"))?;
    bar.set_message(format!(
        "writing {rows_total} rows and recomputing scorecards"
    ));
    let import = NewImport {
        kind: kind.as_str().into(),
        file_name: args
            .file
            .file_name()
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned()),
        file_hash: jixiao_import::canonical::file_hash(&bytes),
        file_size: bytes.len() as i64,
        rows_total,
        imported_by: super::cli_actor(),
        imported_at: Utc::now(),
    };
    let out = service::import(&store, &import, &batch).await?;
    bar.finish_and_clear();
    println!(
        "{name}: {rows_total} rows — {} new, {} replaced, {} unchanged, {} rejected (import #{})",
        out.inserted,
        out.replaced,
        out.unchanged,
        out.rejects.len(),
        out.import_id
    );
    for r in out.rejects.iter().take(20) {
        println!(
            "  {name}: row {}, column {}, value {:?}: {}",
            r.row, r.column, r.value, r.reason
        );
    }
    if out.rejects.len() > 20 {
        println!(
            "  … and {} more (use --rejects FILE for all)",
            out.rejects.len() - 20
        );
    }
    if let Some(path) = args.rejects {
        let mut w =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        jixiao_import::canonical::write_rejects(&name, &out.rejects, &mut w)?;
    }
    for p in &out.periods_touched {
        println!("  scorecards of {p} recomputed");
    }
    Ok(())
}
