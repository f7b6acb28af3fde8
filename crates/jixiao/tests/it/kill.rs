//! The kill test: a large `jixiao import` killed (SIGKILL) at seeded random moments leaves the
//! database with all of an import or none of it, on SQLite and on PostgreSQL; a final complete
//! import then gives exactly the expected records.
//!
//! `JIXIAO_KILL_SEED=N` replays a run (the seed and the kill times are printed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jixiao_core::org::{EmployeeNo, TypeCode};
use jixiao_store::{Backend, BusinessType, NewEmployee, Store, testing};

/// Data rows in the file.
const ROWS: usize = 120_000;
/// Every this many rows one has a bad talk time (a reject; the import is lenient).
const BAD_EVERY: usize = 20_000;
/// Records per write chunk (the store's; progress is reported after each).
const CHUNK: usize = 20_000;
/// Kills per backend.
const KILLS: usize = 5;
/// Timed kills are drawn from this range after the start, in milliseconds.
const KILL_MS: (u64, u64) = (50, 2_000);

const HEADER: &str = "source,record_id,started_at,employee_no,business_type,customer_id,outcome,\
                      wait_secs,talk_secs,hold_secs,acw_secs\n";

/// A canonical calls file of [`ROWS`] rows in one month, for agents K001..K010.
fn write_calls(path: &Path) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    w.write_all(HEADER.as_bytes()).unwrap();
    for i in 0..ROWS {
        let day = 1 + i % 28;
        let (h, m, s) = (8 + (i / 3600) % 10, (i / 60) % 60, i % 60);
        let agent = 1 + i % 10;
        let talk = if i % BAD_EVERY == 7 {
            "bad".to_string()
        } else {
            (30 + i % 600).to_string()
        };
        writeln!(
            w,
            "pbx,k-{i},2026-10-{day:02} {h:02}:{m:02}:{s:02},K{agent:03},INQ,cust-{},answered,{},{talk},0,{}",
            i % 5000,
            i % 40,
            i % 30
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn expected_records() -> i64 {
    (ROWS - ROWS.div_ceil(BAD_EVERY)) as i64
}

/// The agents and the business type the file names.
async fn seed_center(store: &Store) {
    let employees: Vec<NewEmployee> = (1..=10)
        .map(|n| NewEmployee {
            employee_no: EmployeeNo::parse(&format!("K{n:03}")).unwrap(),
            name: format!("Agent {n}"),
            position: "agent".into(),
            hire_date: "2025-01-01".parse().unwrap(),
        })
        .collect();
    store.insert_employees(&employees).await.unwrap();
    store
        .upsert_business_type(&BusinessType {
            code: TypeCode::parse("INQ").unwrap(),
            name: "Inquiry".into(),
            coefficient: rust_decimal::Decimal::ONE,
        })
        .await
        .unwrap();
}

/// xorshift64*: enough randomness for kill times, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn seed() -> u64 {
    std::env::var("JIXIAO_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6a69_7869_616f) // "jixiao"
}

fn import_command(db: &str, file: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(["import", "calls"])
        .arg(file)
        .env("JIXIAO_DATABASE", db)
        // The CLI logs its progress when it has no terminal: the test's view of the stages.
        .env("JIXIAO_LOG", "error,jixiao::progress=debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// When to kill.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// This many milliseconds after the start: start-up, parsing, or anywhere.
    After(u64),
    /// As soon as this many records are written: inside the import's transaction.
    Written(u64),
    /// As soon as the indexes a large fresh load dropped are being built again: inside the
    /// transaction, just before its commit (SQLite; PostgreSQL never drops them).
    Indexing,
    /// As soon as recomputing starts: after the commit.
    Recomputing,
}

/// The kills of one run: a mix of the moments, the transaction ones guaranteed; the
/// post-commit one last (after it the records are all there, and later runs change nothing).
/// With `indexing` (SQLite, whose large fresh load drops and builds indexes) the first kill
/// comes while the indexes are built, before anything can have landed.
fn schedule(rng: &mut Rng, indexing: bool) -> Vec<Moment> {
    let chunks = (ROWS / CHUNK) as u64;
    let mut moments: Vec<Moment> = (0..KILLS - 1)
        .map(|i| {
            if i % 2 == 0 {
                Moment::After(rng.between(KILL_MS.0, KILL_MS.1))
            } else {
                Moment::Written(rng.between(1, chunks - 1) * CHUNK as u64)
            }
        })
        .collect();
    if indexing {
        moments.insert(0, Moment::Indexing);
    }
    moments.push(Moment::Recomputing);
    moments
}

/// The last progress line the CLI logged, as (stage, done).
fn progress(line: &str) -> Option<(&str, u64)> {
    ["parsing ", "writing ", "indexing ", "recomputing "]
        .iter()
        .find_map(|stage| {
            let rest = &line[line.find(stage)? + stage.len()..];
            let done = rest.split('/').next()?.trim().parse().ok()?;
            Some((stage.trim(), done))
        })
}

/// Starts the import and SIGKILLs it at `moment` (unless it finished first); returns the last
/// stage it reported, or `None` if it finished.
fn run_and_kill(db: &str, file: &Path, moment: Moment) -> Option<String> {
    let mut child = import_command(db, file).spawn().expect("the binary starts");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut last = String::from("start-up");
    loop {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(2))
            && let Some((stage, done)) = progress(&line)
        {
            last = format!("{stage} {done}");
            let due = match moment {
                Moment::Written(n) => stage == "writing" && done >= n,
                Moment::Indexing => stage == "indexing",
                Moment::Recomputing => stage == "recomputing",
                Moment::After(_) => false,
            };
            if due {
                break;
            }
        }
        if matches!(moment, Moment::After(ms) if started.elapsed() >= Duration::from_millis(ms)) {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
    }
    // `Child::kill` is SIGKILL on Unix: no destructor, no rollback by the process itself.
    child.kill().unwrap();
    child.wait().unwrap();
    Some(last)
}

/// The calls table's indexes (the unique key's included).
async fn call_indexes(store: &Store) -> i64 {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'"
        }
        Backend::Postgres => "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'calls'",
    };
    testing::scalar_raw(store, sql).await
}

/// All or nothing: the records are none or all of the file's good rows, every record belongs
/// to a recorded import, and every import row owns exactly the records and rejects it counts;
/// the calls table has the `migrated` indexes it had before any import (a large fresh load
/// drops the secondary ones inside its transaction).
async fn assert_consistent(store: &Store, after: &str, migrated: i64) {
    let q = |sql: &'static str| async move { testing::scalar_raw(store, sql).await };
    assert_eq!(
        call_indexes(store).await,
        migrated,
        "{after}: the calls table's indexes"
    );
    let records = q("SELECT COUNT(*) FROM calls").await;
    assert!(
        records == 0 || records == expected_records(),
        "{after}: {records} records: a partial import"
    );
    let orphans =
        q("SELECT COUNT(*) FROM calls WHERE import_id NOT IN (SELECT id FROM imports)").await;
    assert_eq!(orphans, 0, "{after}: records without their import row");
    let miscounted = q(
        "SELECT COUNT(*) FROM imports i WHERE i.inserted + i.replaced <> \
         (SELECT COUNT(*) FROM calls c WHERE c.import_id = i.id)",
    )
    .await;
    assert_eq!(
        miscounted, 0,
        "{after}: an import row without all its records"
    );
    let reject_gaps = q("SELECT COUNT(*) FROM imports i WHERE i.rejected <> \
         (SELECT COUNT(*) FROM import_rejects r WHERE r.import_id = i.id)")
    .await;
    assert_eq!(
        reject_gaps, 0,
        "{after}: an import row without its reject report"
    );
    let landed = q("SELECT COUNT(*) FROM imports WHERE inserted > 0").await;
    assert_eq!(
        landed,
        i64::from(records > 0),
        "{after}: imports that landed"
    );
}

/// Kills [`KILLS`] imports of the file into `db`, checking after each through a fresh
/// connection (as the next process would open it), then imports the file fully.
async fn kill_then_finish(db: &str, file: &Path, backend: &str) {
    let seed = seed();
    let moments = schedule(&mut Rng(seed), backend == "SQLite");
    eprintln!("kill test on {backend}: seed {seed}, kills at {moments:?}");
    let store = Store::connect(db).await.unwrap();
    let migrated = call_indexes(&store).await;
    store.close().await;
    let mut killed = 0;
    for moment in moments {
        let db2 = db.to_string();
        let f = file.to_path_buf();
        let last = tokio::task::spawn_blocking(move || run_and_kill(&db2, &f, moment))
            .await
            .unwrap();
        killed += usize::from(last.is_some());
        if matches!(moment, Moment::Indexing) {
            assert!(
                last.as_deref().is_some_and(|l| l.starts_with("indexing")),
                "{backend}: the first, large fresh load builds its indexes: last seen {last:?}"
            );
        }
        let store = Store::connect(db).await.unwrap();
        let after = format!("{backend}, killed at {moment:?} (last seen: {last:?})");
        assert_consistent(&store, &after, migrated).await;
        let records = testing::scalar_raw(&store, "SELECT COUNT(*) FROM calls").await;
        eprintln!("  {after}: {records} records");
        store.close().await;
    }
    assert!(
        killed > 0,
        "{backend}: every import finished before its kill"
    );

    let db2 = db.to_string();
    let f = file.to_path_buf();
    let started = Instant::now();
    let status = tokio::task::spawn_blocking(move || {
        import_command(&db2, &f).stderr(Stdio::null()).status()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(status.success(), "{backend}: the final import fails");
    eprintln!("  {backend}: the final import took {:?}", started.elapsed());
    let store = Store::connect(db).await.unwrap();
    assert_consistent(
        &store,
        &format!("{backend}, after the final import"),
        migrated,
    )
    .await;
    assert_eq!(
        testing::scalar_raw(&store, "SELECT COUNT(*) FROM calls").await,
        expected_records()
    );
    store.close().await;
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-kill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sqlite_import_leaves_all_of_it_or_none() {
    let dir = temp_dir("sqlite");
    let file = dir.join("calls.csv");
    write_calls(&file);
    let db = format!("sqlite://{}", dir.join("j.db").display());
    let store = Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    seed_center(&store).await;
    store.close().await;
    kill_then_finish(&db, &file, "SQLite").await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_postgres_import_leaves_all_of_it_or_none() {
    let Some(store) = testing::fresh_store(Backend::Postgres).await else {
        return;
    };
    seed_center(&store).await;
    let db = testing::database_url(&store).expect("a PostgreSQL test store has a URL");
    let dir = temp_dir("postgres");
    let file = dir.join("calls.csv");
    write_calls(&file);
    kill_then_finish(&db, &file, "PostgreSQL").await;
    testing::dispose(store).await;
    let _ = std::fs::remove_dir_all(&dir);
}
