//! `jixiao bench`: import rows/s, peak memory and month-close seconds on SQLite and PostgreSQL,
//! on a generated center of the given size, through the same code paths as `import` and
//! `period close`, optionally side by side with DuckDB loading the same file.
//!
//! After the import, a *late* phase re-imports 1 % of the month (half of those rows changed,
//! half new: the late-arrival path) and times its write and the recompute after it apart; then
//! the close, which finds the cards current and freezes them.
//!
//! Each measured phase runs in a child process (`jixiao bench --phase …`, hidden), so its peak
//! resident memory (`VmHWM`) is its own and not the generator's or another backend's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use jixiao_core::Period;
use jixiao_import::canonical;
use jixiao_import::demo::{DemoCenter, DemoParams};
use jixiao_store::{ImportStage, NewImport, Store, service};

/// Calls generated per slice: the month is written in slices of this size, so the generator
/// never holds more than one slice in memory.
const SLICE_CALLS: u64 = 1_000_000;
/// The month the benchmark records fall in.
const PERIOD: &str = "2026-10";

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
    /// Also load the same file into DuckDB (`python3 scripts/bench_duckdb.py`, needs `pip
    /// install duckdb`).
    #[arg(long)]
    duckdb: bool,
    /// The DuckDB script.
    #[arg(long, default_value = "scripts/bench_duckdb.py")]
    duckdb_script: PathBuf,
    /// Skip importing the file a second time (every row unchanged).
    #[arg(long)]
    no_reimport: bool,
    /// Directory for the generated files and the SQLite database (default: a temp directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Internal: run one phase (`import` or `close`) against `--phase-db` and print its numbers.
    #[arg(long, hide = true, requires = "phase_db")]
    phase: Option<String>,
    /// Internal: the database URL of a phase.
    #[arg(long, hide = true)]
    phase_db: Option<String>,
}

/// Runs the benchmark and prints a Markdown table; or, with `--phase`, one measured phase.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if let (Some(phase), Some(db)) = (&args.phase, &args.phase_db) {
        return run_phase(phase, db, &args).await;
    }
    // Checked before the long runs, not after them: the default path is relative to the
    // repository.
    anyhow::ensure!(
        !args.duckdb || args.duckdb_script.is_file(),
        "--duckdb: no script at {} (run from the repository, or pass --duckdb-script)",
        args.duckdb_script.display()
    );
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir)?;
    let period: Period = PERIOD.parse()?;
    let t = Instant::now();
    let slices = args.calls.div_ceil(SLICE_CALLS).max(1);
    let center = DemoCenter::generate(&DemoParams {
        seed: args.seed,
        months: vec![period],
        agents: args.agents,
        target_calls_per_month: Some(args.calls / slices),
    });
    let calls_csv = dir.join("calls.csv");
    let members_csv = dir.join("members.csv");
    let mut late = Vec::new();
    let rows = write_calls_csv(&center, period, slices, &calls_csv, &mut late)?;
    let late_rows = write_late_csv(&late, &dir.join("late.csv"))?;
    write_members_csv(&center, &members_csv)?;
    let size = std::fs::metadata(&calls_csv)?.len();
    println!(
        "generated {} agents and {rows} calls ({slices} slice(s)) in a {:.0} MB canonical CSV, \
         and {late_rows} late calls, in {:.1} s",
        args.agents,
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let mut lines = Vec::new();
    let mut late_lines = Vec::new();
    for b in &args.backends {
        let (name, url) = match b.as_str() {
            "sqlite" => {
                let path = dir.join("bench.db");
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                ("SQLite", format!("sqlite://{}", path.display()))
            }
            "postgres" => ("PostgreSQL", fresh_pg_database()?),
            other => anyhow::bail!("unknown backend {other} (sqlite, postgres)"),
        };
        {
            let store = Store::connect(&url).await?;
            store.migrate().await?;
            super::demo::load_org_only(&store, &center).await?;
        }
        let import = phase_child("import", &url, &dir, args.no_reimport)?;
        eprintln!("{name}: import {import:?}");
        let late = phase_child("late", &url, &dir, args.no_reimport)?;
        eprintln!("{name}: late {late:?}");
        let close = phase_child("close", &url, &dir, args.no_reimport)?;
        if b == "postgres" {
            drop_pg_database(&url);
        }
        eprintln!("{name}: close {close:?}");
        lines.push(row(name, &import, &close));
        late_lines.push(late_row(name, &late, &close));
    }
    let duck = if args.duckdb {
        Some(run_duckdb(&args.duckdb_script, &calls_csv, &members_csv)?)
    } else {
        None
    };
    println!();
    println!(
        "| engine | rows | parse alone rows/s | import rows/s | recompute s | import peak MB | with recompute peak MB | re-import (unchanged) s | month close s | close peak MB | scorecards |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for l in lines {
        println!("{l}");
    }
    if let Some(d) = duck {
        let f = |k: &str| json_num(&d, k).unwrap_or(f64::NAN);
        println!(
            "| DuckDB {} (load into memory; KPI query) | {:.0} | | | {:.0} | | {:.0} | | {:.2} | {:.0} | {:.0} segments |",
            json_str(&d, "duckdb").unwrap_or_default(),
            f("rows"),
            f("rows_per_s"),
            f("peak_rss_mb"),
            f("kpi_s"),
            f("peak_rss_mb"),
            f("segments"),
        );
    }
    println!();
    println!(
        "| engine | late rows (changed + new) | late write s | recompute after late s | late peak MB | close (cards current) s | close peak MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for l in late_lines {
        println!("{l}");
    }
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// Writes the month's calls as one canonical CSV, `slices` generator runs of the month one
/// after another. Ids of slice `j > 0` get the prefix `Zj-`, so every key is distinct and each
/// slice's keys sort after the previous slice's, as a source's growing ids do (a suffix would
/// scatter every later slice's inserts across the whole unique index). Each slice's late calls
/// ([`late_calls`]) go into `late`.
fn write_calls_csv(
    center: &DemoCenter,
    period: Period,
    slices: u64,
    path: &Path,
    late: &mut Vec<jixiao_core::record::CallRecord>,
) -> anyhow::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut rows = 0;
    let mut buf = Vec::new();
    for j in 0..slices {
        let mut calls = center.calls_for(period);
        if j > 0 {
            for c in &mut calls {
                c.record_id = format!("Z{j}-{}", c.record_id);
            }
        }
        rows += calls.len() as u64;
        late.extend(late_calls(&calls));
        buf.clear();
        canonical::write_calls(&calls, &mut buf)?;
        // One header for the whole file.
        let body = if j == 0 {
            &buf[..]
        } else {
            let nl = buf.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
            &buf[nl..]
        };
        out.write_all(body)?;
    }
    out.flush()?;
    Ok(rows)
}

/// The late calls of a slice: every 200th call again with a longer talk time (a changed
/// record), and every 200th, offset by 100, under a new id an hour later with the same customer
/// (a new record, a repeat contact): 1 % of the slice.
fn late_calls(calls: &[jixiao_core::record::CallRecord]) -> Vec<jixiao_core::record::CallRecord> {
    let mut late = Vec::with_capacity(calls.len() / 100 + 1);
    for (i, c) in calls.iter().enumerate() {
        if i % 200 == 0 {
            late.push(jixiao_core::record::CallRecord {
                talk_secs: c.talk_secs + 30,
                ..c.clone()
            });
        } else if i % 200 == 100 {
            late.push(jixiao_core::record::CallRecord {
                record_id: format!("L-{}", c.record_id),
                started_at: c.started_at + chrono::Duration::hours(1),
                ..c.clone()
            });
        }
    }
    late
}

/// Writes the late calls as one canonical CSV.
fn write_late_csv(late: &[jixiao_core::record::CallRecord], path: &Path) -> anyhow::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    canonical::write_calls(late, &mut out)?;
    out.flush()?;
    Ok(late.len() as u64)
}

/// `employee_no,team_id,valid_from,valid_to` for DuckDB, so it counts each call in the team
/// the agent belonged to on the call's date, as Jixiao does.
fn write_members_csv(center: &DemoCenter, path: &Path) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "employee_no,team_id,valid_from,valid_to")?;
    for m in &center.memberships {
        let to = m.valid_to.map(|d| d.to_string()).unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{to}",
            m.employee_no, m.team_code, m.valid_from
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Creates an empty database `jixiao_bench_<pid>` on the test server (`JIXIAO_TEST_PG`) with
/// `psql` and returns its URL.
fn fresh_pg_database() -> anyhow::Result<String> {
    let admin = std::env::var("JIXIAO_TEST_PG")
        .unwrap_or_else(|_| jixiao_store::testing::DEFAULT_TEST_PG.to_string());
    let name = format!("jixiao_bench_{}", std::process::id());
    let status = Command::new("psql")
        .args([&admin, "-q", "-c"])
        .arg(format!("DROP DATABASE IF EXISTS {name}"))
        .arg("-c")
        .arg(format!("CREATE DATABASE {name}"))
        .status()
        .context("running psql (PostgreSQL client) to create the bench database")?;
    anyhow::ensure!(status.success(), "psql could not create {name} on {admin}");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Drops a database made by [`fresh_pg_database`]; a failure only leaves it behind.
fn drop_pg_database(url: &str) {
    if let Some((base, name)) = url.rsplit_once('/') {
        let admin = format!("{base}/postgres");
        let _ = Command::new("psql")
            .args([&admin, "-q", "-c"])
            .arg(format!("DROP DATABASE IF EXISTS {name}"))
            .status();
    }
}

/// Runs `jixiao bench --phase <phase>` and returns its `key=value` numbers.
fn phase_child(
    phase: &str,
    url: &str,
    dir: &Path,
    no_reimport: bool,
) -> anyhow::Result<Vec<(String, f64)>> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.args(["bench", "--phase", phase, "--phase-db", url])
        .arg("--dir")
        .arg(dir);
    if no_reimport {
        cmd.arg("--no-reimport");
    }
    let out = cmd.stderr(std::process::Stdio::inherit()).output()?;
    anyhow::ensure!(out.status.success(), "bench phase {phase} failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("PHASE "))
        .context("bench phase printed no numbers")?;
    Ok(line
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
        .collect())
}

/// One table row from the two phases' numbers.
fn row(name: &str, import: &[(String, f64)], close: &[(String, f64)]) -> String {
    let get =
        |v: &[(String, f64)], k: &str| v.iter().find(|(n, _)| n == k).map_or(f64::NAN, |(_, x)| *x);
    let rows = get(import, "rows");
    format!(
        "| {name} | {rows:.0} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.2} | {:.0} | {:.0} |",
        rows / get(import, "parse_s"),
        rows / get(import, "import_s"),
        get(import, "recompute_s"),
        get(import, "write_peak_mb"),
        get(import, "peak_mb"),
        get(import, "reimport_s"),
        get(close, "close_s"),
        get(close, "peak_mb"),
        get(close, "cards"),
    )
}

/// One row of the late table: the late phase's and the close's numbers.
fn late_row(name: &str, late: &[(String, f64)], close: &[(String, f64)]) -> String {
    let get =
        |v: &[(String, f64)], k: &str| v.iter().find(|(n, _)| n == k).map_or(f64::NAN, |(_, x)| *x);
    format!(
        "| {name} | {:.0} ({:.0} + {:.0}) | {:.2} | {:.2} | {:.0} | {:.2} | {:.0} |",
        get(late, "rows"),
        get(late, "replaced"),
        get(late, "inserted"),
        get(late, "write_s"),
        get(late, "recompute_s"),
        get(late, "peak_mb"),
        get(close, "close_s"),
        get(close, "peak_mb"),
    )
}

/// Runs the DuckDB script on the same files and returns its JSON line.
fn run_duckdb(script: &Path, calls: &Path, members: &Path) -> anyhow::Result<String> {
    let out = Command::new("python3")
        .arg(script)
        .arg("--calls")
        .arg(calls)
        .arg("--members")
        .arg(members)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running python3 scripts/bench_duckdb.py")?;
    anyhow::ensure!(out.status.success(), "bench_duckdb.py failed");
    let json = String::from_utf8_lossy(&out.stdout).trim().to_string();
    eprintln!("DuckDB: {json}");
    Ok(json)
}

/// The number after `"key":` in a flat JSON object.
fn json_num(json: &str, key: &str) -> Option<f64> {
    let rest = &json[json.find(&format!("\"{key}\":"))? + key.len() + 3..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// The string after `"key":` in a flat JSON object.
fn json_str(json: &str, key: &str) -> Option<String> {
    let rest = &json[json.find(&format!("\"{key}\":"))? + key.len() + 3..];
    let rest = rest.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// The process's peak resident memory in MB (`VmHWM` in /proc/self/status).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// One measured phase in this (child) process; prints `PHASE key=value …`.
async fn run_phase(phase: &str, db: &str, args: &BenchArgs) -> anyhow::Result<()> {
    let store = Store::connect(db).await?;
    let period: Period = PERIOD.parse()?;
    match phase {
        "import" => {
            let dir = args.dir.as_deref().context("--dir")?;
            let path = dir.join("calls.csv");
            // As `jixiao import` reads it: one hashing pass, then from disk as it parses.
            let scan = canonical::scan_file(&path)?;
            let open = || {
                canonical::parse_file_chunks(
                    canonical::Kind::Calls,
                    &scan,
                    super::import::STREAM_CHUNK_ROWS,
                )
            };
            let import = NewImport {
                kind: "calls".into(),
                file_name: "bench-calls.csv".into(),
                file_hash: scan.hash.clone(),
                file_size: scan.size as i64,
                rows_total: 0,
                imported_by: "bench".into(),
                imported_at: Utc::now(),
                mode: jixiao_store::ImportMode::Lenient,
                profile: None,
            };
            let t = Instant::now();
            // The import (parse and write, streamed) ends when the store reports the
            // recomputing stage.
            let written = OnceLock::new();
            // The import's own peak, before the recompute's (which reads the whole month).
            let write_peak = OnceLock::new();
            let mut chunks = super::import::FileChunks::new(open()?)?;
            let out = service::import_chunks(&store, &import, &mut chunks, &|p| {
                if p.stage == ImportStage::Recomputing {
                    written.get_or_init(|| t.elapsed().as_secs_f64());
                    write_peak.get_or_init(peak_rss_mb);
                }
            })
            .await?;
            let total_s = t.elapsed().as_secs_f64();
            let import_s = written.get().copied().unwrap_or(total_s);
            let peak_mb = peak_rss_mb();
            // Parsing alone, chunk by chunk on this thread, for the parse column: after the
            // import, so that the import's peak memory is its own.
            let t = Instant::now();
            let mut rows = 0;
            let mut parsing = open()?;
            while let Some(chunk) = parsing.next_chunk()? {
                rows += chunk.calls.len();
            }
            let parse_s = t.elapsed().as_secs_f64();
            anyhow::ensure!(
                out.inserted as usize == rows,
                "{} of {rows} rows inserted",
                out.inserted
            );
            let mut reimport_s = f64::NAN;
            if !args.no_reimport {
                let t = Instant::now();
                let mut chunks = super::import::FileChunks::new(open()?)?;
                let again = service::import_chunks(&store, &import, &mut chunks, &|_| {}).await?;
                reimport_s = t.elapsed().as_secs_f64();
                anyhow::ensure!(
                    again.inserted == 0 && again.replaced == 0,
                    "re-import changed rows"
                );
            }
            println!(
                "PHASE rows={rows} parse_s={parse_s:.3} import_s={import_s:.3} recompute_s={:.3} \
                 write_peak_mb={:.1} peak_mb={peak_mb:.1} reimport_s={reimport_s:.3}",
                total_s - import_s,
                write_peak.get().copied().unwrap_or(peak_mb),
            );
        }
        "late" => {
            let dir = args.dir.as_deref().context("--dir")?;
            let scan = canonical::scan_file(&dir.join("late.csv"))?;
            let chunks = canonical::parse_file_chunks(
                canonical::Kind::Calls,
                &scan,
                super::import::STREAM_CHUNK_ROWS,
            )?;
            let import = NewImport {
                kind: "calls".into(),
                file_name: "bench-late.csv".into(),
                file_hash: scan.hash.clone(),
                file_size: scan.size as i64,
                rows_total: 0,
                imported_by: "bench".into(),
                imported_at: Utc::now(),
                mode: jixiao_store::ImportMode::Lenient,
                profile: None,
            };
            let t = Instant::now();
            let written = OnceLock::new();
            let out = service::import_chunks(
                &store,
                &import,
                &mut super::import::FileChunks::new(chunks)?,
                &|p| {
                    if p.stage == ImportStage::Recomputing {
                        written.get_or_init(|| t.elapsed().as_secs_f64());
                    }
                },
            )
            .await?;
            let total_s = t.elapsed().as_secs_f64();
            let write_s = written.get().copied().unwrap_or(total_s);
            anyhow::ensure!(
                service::cards_current(&store, period).await?,
                "the recompute after the late import left the cards stale"
            );
            println!(
                "PHASE rows={} replaced={} inserted={} write_s={write_s:.3} recompute_s={:.3} \
                 peak_mb={:.1}",
                out.inserted + out.replaced + out.unchanged,
                out.replaced,
                out.inserted,
                total_s - write_s,
                peak_rss_mb()
            );
        }
        "close" => {
            anyhow::ensure!(
                service::cards_current(&store, period).await?,
                "the cards are not current before the close"
            );
            let t = Instant::now();
            service::close(&store, period, "bench", Utc::now()).await?;
            let close_s = t.elapsed().as_secs_f64();
            let cards = store
                .scorecards(period, &jixiao_store::CardFilter::default())
                .await?
                .len();
            println!(
                "PHASE close_s={close_s:.3} peak_mb={:.1} cards={cards}",
                peak_rss_mb()
            );
        }
        other => anyhow::bail!("unknown bench phase {other}"),
    }
    Ok(())
}
