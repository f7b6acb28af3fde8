//! `jixiao export scorecards PERIOD --out FILE`: the scorecard table as .xlsx; with
//! `--payroll`, the payroll (one row per agent), as CSV when FILE ends in `.csv`.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use jixiao_core::Period;
use jixiao_import::export::{
    ExportRow, Lang, payroll_csv, payroll_rows, payroll_workbook, scorecard_workbook,
};
use jixiao_store::{CardFilter, Store};

use crate::settings::{Layer, Settings};

/// Header language.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

/// Arguments of `jixiao export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export (only `scorecards` for now).
    #[arg(value_parser = ["scorecards"])]
    what: String,
    /// The month, YYYY-MM.
    period: Period,
    /// Output file (.xlsx).
    #[arg(long, short)]
    out: PathBuf,
    /// Header language.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Export the payroll (one row per agent) instead of the scorecard table.
    #[arg(long)]
    payroll: bool,
    #[command(flatten)]
    settings: Layer,
}

/// Builds the workbook rows of a period: every stored scorecard with its department and team.
pub async fn rows(store: &Store, period: Period) -> anyhow::Result<Vec<ExportRow>> {
    let departments: HashMap<i64, String> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let teams: HashMap<i64, (String, i64)> = store
        .teams()
        .await?
        .into_iter()
        .map(|t| (t.id, (t.name, t.department_id)))
        .collect();
    let cards = store.scorecards(period, &CardFilter::default()).await?;
    Ok(cards
        .into_iter()
        .map(|card| {
            let (team, dept) = teams.get(&card.team_id).cloned().unwrap_or_default();
            ExportRow {
                department: departments.get(&dept).cloned().unwrap_or_default(),
                team,
                card,
            }
        })
        .collect())
}

/// Writes the file.
pub async fn run(file: Option<&std::path::Path>, args: ExportArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    let rows = rows(&store, args.period).await?;
    anyhow::ensure!(
        !rows.is_empty(),
        "{} has no scorecards (import records or recompute first)",
        args.period
    );
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let csv = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (bytes, count, what) = match (args.payroll, csv) {
        (false, _) => (scorecard_workbook(&rows, lang)?, rows.len(), "scorecard"),
        (true, csv) => {
            let agents = payroll_rows(&rows, lang).len();
            let bytes = if csv {
                payroll_csv(&rows, lang)?
            } else {
                payroll_workbook(&rows, lang)?
            };
            (bytes, agents, "payroll")
        }
    };
    std::fs::write(&args.out, bytes).with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "{}: {count} {what} rows written to {}",
        args.period,
        args.out.display()
    );
    Ok(())
}
