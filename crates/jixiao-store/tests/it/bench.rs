//! Import throughput, run by hand: `cargo test -p jixiao-store --release --test it -- --ignored
//! --nocapture bulk`. Rows from JIXIAO_BENCH_ROWS (default 200 000).

use std::time::Instant;

use crate::fixtures::*;
use jixiao_store::{Backend, Store, service, testing};

async fn load(store: &Store, label: &str) {
    center(store).await;
    let n: usize = std::env::var("JIXIAO_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let agents = ["A001", "A002", "A003"];
    let batch = calls(
        (0..n)
            .map(|i| {
                let when = format!("2026-10-{:02} {:02}:{:02}:00", i % 26 + 6, i % 24, i % 60);
                call(
                    &format!("b{i:08}"),
                    agents[i % 3],
                    &when,
                    if i % 4 == 0 { "CMP" } else { "INQ" },
                    60 + (i % 300) as u32,
                )
            })
            .collect(),
    );
    let t = Instant::now();
    let out = store
        .write_import(&new_import("bench.csv"), &batch)
        .await
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(out.inserted as usize, n);
    eprintln!(
        "{label}: {n} calls inserted in {secs:.2}s = {:.0} rows/s",
        n as f64 / secs
    );
    let t = Instant::now();
    let out = store
        .write_import(&new_import("bench.csv"), &batch)
        .await
        .unwrap();
    assert_eq!(out.unchanged as usize, n);
    eprintln!(
        "{label}: re-import unchanged in {:.2}s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let cards = service::recompute(store, oct()).await.unwrap();
    eprintln!(
        "{label}: recompute {} cards in {:.2}s",
        cards.len(),
        t.elapsed().as_secs_f64()
    );
}

#[tokio::test]
#[ignore = "benchmark"]
async fn bulk_import_throughput() {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-{}.db", std::process::id()));
    let lite = Store::connect(&format!("sqlite://{}", dir.display()))
        .await
        .unwrap();
    lite.migrate().await.unwrap();
    load(&lite, "sqlite file").await;
    lite.close().await;
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", dir.display()));
    }
    if let Some(pg) = testing::fresh_store(Backend::Postgres).await {
        load(&pg, "postgres").await;
        testing::dispose(pg).await;
    }
}
