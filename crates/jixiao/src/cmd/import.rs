//! `jixiao import KIND FILE`: a canonical CSV file through the same path as the upload page.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::Context;
use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use jixiao_core::record::RecordBatch;
use jixiao_import::canonical;
use jixiao_import::mapping::{self, Profile};
use jixiao_import::presets::Preset;
use jixiao_import::reader::Reader;
use jixiao_store::{
    ImportMode, ImportProgress, ImportStage, ImportStatus, NewImport, RecordChunks, service,
};

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
    /// Tickets (work orders).
    Tickets,
    /// Chat sessions.
    Chats,
    /// Orders.
    Orders,
    /// Attendance per shift.
    Attendance,
    /// Work records.
    Work,
}

impl From<Kind> for canonical::Kind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Calls => canonical::Kind::Calls,
            Kind::Surveys => canonical::Kind::Surveys,
            Kind::Qa => canonical::Kind::Qa,
            Kind::Tickets => canonical::Kind::Tickets,
            Kind::Chats => canonical::Kind::Chats,
            Kind::Orders => canonical::Kind::Orders,
            Kind::Attendance => canonical::Kind::Attendance,
            Kind::Work => canonical::Kind::Work,
        }
    }
}

/// The preset called `name` (clap's parser for `--preset`).
fn preset_named(name: &str) -> Result<Preset, String> {
    Preset::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Preset::ALL
            .iter()
            .flat_map(|p| std::iter::once(p.name()).chain(p.alias()))
            .collect();
        format!("no preset {name:?}; presets: {}", names.join(", "))
    })
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
    /// All or nothing: if any row is rejected, import no record (the import and its reject
    /// report are still recorded) and exit with an error. Default: the good rows land.
    #[arg(long)]
    strict: bool,
    /// Read the file through this mapping profile (a TOML file, or the name of a shipped one
    /// such as `pbx-cdr`) instead of as canonical CSV; see docs/IMPORT.md.
    #[arg(long, value_name = "FILE.toml")]
    profile: Option<PathBuf>,
    /// Read the file with a built-in preset for a known foreign export instead of as
    /// canonical CSV: `bank1999`, `asterisk`, `asterisk-clid-first`, `freeswitch`, `pwc`
    /// (calls, and surveys of rated calls) or `servicenow` (tickets).
    #[arg(long, conflicts_with = "profile", value_parser = preset_named)]
    preset: Option<Preset>,
    #[command(flatten)]
    settings: Layer,
}

/// Runs the import and prints what it did.
pub async fn run(file: Option<&std::path::Path>, args: ImportArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    let name = args.file.display().to_string();
    let bar = Bar::new()?;
    let kind = canonical::Kind::from(args.kind);
    let reader = match (&args.profile, args.preset) {
        (_, Some(preset)) => Reader::Preset(preset),
        (Some(path), None) => Reader::Profile(Box::new(load_profile(path)?)),
        (None, None) => Reader::Canonical(kind),
    };
    let reads = reader.kind();
    anyhow::ensure!(
        reads == Some(kind),
        "{} reads {}, not {}",
        reader.describe(),
        reads.map_or("no known kind", |k| k.as_str()),
        kind.as_str()
    );
    // A canonical file is read from disk as it is parsed (one pass to hash it first), so
    // memory does not grow with the file; other readers take the whole file.
    let (bytes, scan) = if let Reader::Canonical(_) = reader {
        bar.0.set_message(format!("hashing {name}"));
        let scan = canonical::scan_file(&args.file).with_context(|| format!("reading {name}"))?;
        (Vec::new(), Some(scan))
    } else {
        bar.0.set_message(format!("reading {name}"));
        let bytes = std::fs::read(&args.file).with_context(|| format!("reading {name}"))?;
        (bytes, None)
    };
    bar.0.set_message(format!("parsing {name}"));
    let mut import = NewImport {
        kind: kind.as_str().into(),
        file_name: args
            .file
            .file_name()
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned()),
        file_hash: scan
            .as_ref()
            .map_or_else(|| canonical::file_hash(&bytes), |s| s.hash.clone()),
        file_size: scan.as_ref().map_or(bytes.len() as u64, |s| s.size) as i64,
        rows_total: 0,
        imported_by: super::cli_actor(),
        imported_at: Utc::now(),
        mode: if args.strict {
            ImportMode::Strict
        } else {
            ImportMode::Lenient
        },
        profile: reader.lineage(),
    };
    let cannot_read = || format!("{name}: cannot be read by {}", reader.describe());
    let (out, rows_total) = if let Some(scan) = &scan {
        // Canonical files stream: parsed and written chunk by chunk in one transaction.
        let chunks = canonical::parse_file_chunks(kind, scan, STREAM_CHUNK_ROWS)
            .with_context(cannot_read)?;
        let mut chunks = FileChunks::new(chunks)?;
        let out = service::import_chunks(&store, &import, &mut chunks, &|p| bar.show(p)).await?;
        (out, chunks.rows_total().unwrap_or_default())
    } else {
        let (batch, rows_total) = reader.read(&name, &bytes).with_context(cannot_read)?;
        import.rows_total = rows_total;
        let out = service::import(&store, &import, &batch, &|p| bar.show(p)).await?;
        (out, rows_total)
    };
    bar.0.finish_and_clear();
    println!(
        "{name}: {rows_total} rows — {} new, {} replaced, {} unchanged, {} rejected (import #{})",
        out.inserted,
        out.replaced,
        out.unchanged,
        out.rejects.len(),
        out.import_id
    );
    if out.held > 0 {
        println!(
            "  {name}: {} records held for unknown agents; see `jixiao unmatched`",
            out.held
        );
    }
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
    if out.status == ImportStatus::Refused {
        anyhow::bail!(
            "{name}: strict import refused: {} rows rejected, no record imported (import #{})",
            out.rejects.len(),
            out.import_id
        );
    }
    Ok(())
}

/// Data rows per chunk of a streamed canonical file: large enough that per-chunk work (period
/// checks, statement set-up) vanishes, small enough that a chunk's records stay in the tens of
/// megabytes.
pub(crate) const STREAM_CHUNK_ROWS: usize = 50_000;

/// A canonical file's chunks as the store reads them, parsed one chunk ahead on a thread of
/// their own: the second core parses chunk n + 1 while the store writes chunk n. At most one
/// parsed chunk waits, so memory stays about three chunks' records.
pub(crate) struct FileChunks {
    ready: mpsc::Receiver<Result<RecordBatch, String>>,
    parser: Option<std::thread::JoinHandle<i64>>,
    lines: u64,
    rows_total: Option<i64>,
}

impl FileChunks {
    pub(crate) fn new(mut chunks: canonical::BatchChunks<'static>) -> anyhow::Result<Self> {
        let lines = chunks.lines_hint();
        let (send, ready) = mpsc::sync_channel(1);
        let parser = std::thread::Builder::new()
            .name("jixiao-parse".into())
            .spawn(move || {
                loop {
                    let next = match chunks.next_chunk() {
                        Ok(Some(batch)) => Ok(batch),
                        Ok(None) => break,
                        Err(e) => Err(e.to_string()),
                    };
                    let failed = next.is_err();
                    // An error ends the file; a gone receiver means the import stopped.
                    if send.send(next).is_err() || failed {
                        break;
                    }
                }
                chunks.rows_total()
            })
            .context("starting the parser thread")?;
        Ok(FileChunks {
            ready,
            parser: Some(parser),
            lines,
            rows_total: None,
        })
    }
}

impl RecordChunks for FileChunks {
    fn next_chunk(&mut self) -> Result<Option<Cow<'_, RecordBatch>>, String> {
        match self.ready.recv() {
            Ok(chunk) => chunk.map(|batch| Some(Cow::Owned(batch))),
            // The parser is done: the file's row count is its result.
            Err(mpsc::RecvError) => {
                if let Some(parser) = self.parser.take() {
                    let rows = parser
                        .join()
                        .map_err(|_| "the parser thread panicked".to_string())?;
                    self.rows_total = Some(rows);
                }
                Ok(None)
            }
        }
    }

    fn records_hint(&self) -> u64 {
        self.lines
    }

    fn rows_total(&self) -> Option<i64> {
        self.rows_total
    }
}

/// The terminal progress bar: a spinner while reading, then one bar per stage. Hidden when
/// stdout is not a terminal, so logs and pipes get only the summary.
struct Bar(ProgressBar, std::sync::Mutex<Option<ImportStage>>);

impl Bar {
    fn new() -> anyhow::Result<Bar> {
        use std::io::IsTerminal;
        if !std::io::stdout().is_terminal() {
            return Ok(Bar(ProgressBar::hidden(), Default::default()));
        }
        let bar = ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stdout())
            .with_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}")?);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Ok(Bar(bar, Default::default()))
    }

    /// Called once per chunk of records and once per period: cheap enough to redraw each time.
    fn show(&self, p: ImportProgress) {
        let (what, unit) = match p.stage {
            ImportStage::Parsing => ("parsing", "bytes"),
            ImportStage::Writing => ("writing", "records"),
            ImportStage::Indexing => ("indexing", "indexes"),
            ImportStage::Recomputing => ("recomputing", "periods"),
        };
        let mut shown = self
            .1
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *shown != Some(p.stage) {
            *shown = Some(p.stage);
            let template = format!("{{elapsed}} {what} [{{bar:30}}] {{pos}}/{{len}} {unit}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                self.0.set_style(style.progress_chars("=> "));
            }
        }
        self.0.set_length(p.total);
        self.0.set_position(p.done);
        if self.0.is_hidden() {
            // Without a terminal the progress goes to the log instead, one line per chunk,
            // under its own target: `JIXIAO_LOG=info,jixiao::progress=debug` shows it.
            tracing::debug!(target: "jixiao::progress", "{what} {}/{} {unit}", p.done, p.total);
        }
    }
}

/// A mapping profile from a TOML file, or a shipped one by name.
fn load_profile(path: &std::path::Path) -> anyhow::Result<Profile> {
    if !path.exists()
        && let Some(p) = mapping::builtin_profile(&path.to_string_lossy())
    {
        return Ok(p);
    }
    let shown = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("reading profile {shown}"))?;
    Profile::from_toml(&text).with_context(|| format!("profile {shown}"))
}
