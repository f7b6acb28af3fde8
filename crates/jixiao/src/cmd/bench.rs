//! `jixiao bench`: import rows/s and month-close seconds on SQLite and PostgreSQL, on a
//! generated center of the given size, through the same code paths as `import` and `period close`.

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use jixiao_core::Period;
use jixiao_import::canonical;
use jixiao_import::demo::{DemoCenter, DemoParams};
use jixiao_store::{Backend, NewImport, RecordBatch, Store, service};

/// Arguments of `jixiao bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Agents in the generated center.
    #[arg(long, default_value_t = 2000)]
    agents: u32,
    /// Approximate call records in the benchmark month.
    #[arg(long, default_value_t = 1_000_000)]
    calls: u64,
    /// Backends to measure.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    backends: Vec<String>,
    /// Seed of the generated center.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// One backend's measurements.
struct Measured {
    backend: &'static str,
    rows: usize,
    parse_s: f64,
    write_s: f64,
    reimport_s: f64,
    close_s: f64,
    cards: usize,
}

/// Runs the benchmark and prints a Markdown table.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let period: Period = "2026-10".parse()?;
    let t = Instant::now();
    let params = DemoParams {
        seed: args.seed,
        months: vec![period],
        agents: args.agents,
        target_calls_per_month: Some(args.calls),
    };
    let center = DemoCenter::generate(&params);
    let calls = center.calls_for(period);
    let mut csv = Vec::with_capacity(calls.len() * 110);
    canonical::write_calls(&calls, &mut csv)?;
    drop(calls);
    println!(
        "generated {} agents and a {:.0} MB canonical calls CSV in {:.1} s",
        args.agents,
        csv.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let mut results = Vec::new();
    for b in &args.backends {
        let (name, store) = match b.as_str() {
            "sqlite" => ("SQLite", sqlite_store().await?),
            "postgres" => {
                let store = jixiao_store::testing::fresh_store(Backend::Postgres)
                    .await
                    .context("PostgreSQL unreachable (set JIXIAO_TEST_PG)")?;
                ("PostgreSQL", store)
            }
            other => anyhow::bail!("unknown backend {other} (sqlite, postgres)"),
        };
        super::demo::load_org_only(&store, &center).await?;
        results.push(measure(name, &store, &csv, period).await?);
    }
    println!();
    println!(
        "| backend | rows | parse rows/s | import rows/s (parse + write + recompute) | re-import (unchanged) s | month close s | scorecards |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for m in results {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.2} | {:.2} | {} |",
            m.backend,
            m.rows,
            m.rows as f64 / m.parse_s,
            m.rows as f64 / (m.parse_s + m.write_s),
            m.reimport_s,
            m.close_s,
            m.cards
        );
    }
    Ok(())
}

async fn sqlite_store() -> anyhow::Result<Store> {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("bench.db");
    let _ = std::fs::remove_file(&path);
    let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
    store.migrate().await?;
    Ok(store)
}

async fn measure(
    backend: &'static str,
    store: &Store,
    csv: &[u8],
    period: Period,
) -> anyhow::Result<Measured> {
    let t = Instant::now();
    let parsed = canonical::parse_calls(csv)?;
    let parse_s = t.elapsed().as_secs_f64();
    let rows = parsed.records.len();
    let batch = RecordBatch {
        calls: parsed.records,
        rejects: parsed.rejects,
        ..RecordBatch::default()
    };
    let import = NewImport {
        kind: "calls".into(),
        file_name: "bench-calls.csv".into(),
        file_hash: canonical::file_hash(csv),
        file_size: csv.len() as i64,
        rows_total: parsed.rows_total,
        imported_by: "bench".into(),
        imported_at: Utc::now(),
    };
    let t = Instant::now();
    let out = service::import(store, &import, &batch).await?;
    let write_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        out.inserted as usize == rows,
        "{backend}: {} of {rows} rows inserted",
        out.inserted
    );
    let t = Instant::now();
    let again = service::import(store, &import, &batch).await?;
    let reimport_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        again.inserted == 0 && again.replaced == 0,
        "{backend}: re-import changed rows"
    );
    let t = Instant::now();
    service::close(store, period, "bench", Utc::now()).await?;
    let close_s = t.elapsed().as_secs_f64();
    let cards = store
        .scorecards(period, &jixiao_store::CardFilter::default())
        .await?
        .len();
    eprintln!(
        "{backend}: parse {parse_s:.2} s, write+recompute {write_s:.2} s, re-import {reimport_s:.2} s, close {close_s:.2} s"
    );
    Ok(Measured {
        backend,
        rows,
        parse_s,
        write_s,
        reimport_s,
        close_s,
        cards,
    })
}
