//! Fresh, migrated stores for tests, and [`contract_test!`](crate::contract_test) to run one
//! test body on both backends. Always compiled (it is small) so other crates' tests can use it.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::{Backend, Store};

/// The server used when `JIXIAO_TEST_PG` is not set.
pub const DEFAULT_TEST_PG: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Every test database's name starts with this, so leftovers can be found and dropped.
pub const TEST_DB_PREFIX: &str = "jixiao_t_";
/// Leftover test databases older than this many seconds are dropped by the next test run.
const STALE_AFTER_SECS: u64 = 3600;

static SWEPT: AtomicBool = AtomicBool::new(false);

fn admin_url() -> String {
    std::env::var("JIXIAO_TEST_PG").unwrap_or_else(|_| DEFAULT_TEST_PG.to_string())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A migrated, empty store: in-memory SQLite, or a new database on the test PostgreSQL server.
///
/// When PostgreSQL is unreachable this panics if `CI=true` (a CI run must fail, not skip) and
/// otherwise prints a one-line notice and returns `None`.
pub async fn fresh_store(backend: Backend) -> Option<Store> {
    let store = match backend {
        Backend::Sqlite => Store::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite opens"),
        Backend::Postgres => fresh_pg().await?,
    };
    store.migrate().await.expect("migrations apply");
    Some(store)
}

async fn fresh_pg() -> Option<Store> {
    let url = admin_url();
    let opts = PgConnectOptions::from_str(&url).expect("JIXIAO_TEST_PG is a postgres:// URL");
    let mut admin = match PgConnection::connect_with(&opts).await {
        Ok(c) => c,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("PostgreSQL test server {url} is unreachable in CI: {e}")
        }
        Err(e) => {
            eprintln!("skipping PostgreSQL test: {url} unreachable ({e}); set JIXIAO_TEST_PG");
            return None;
        }
    };
    if !SWEPT.swap(true, Ordering::SeqCst) {
        sweep_stale(&mut admin).await;
    }
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).expect("OS randomness");
    let name = format!("{TEST_DB_PREFIX}{}_{}", unix_now(), hex::encode(random));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("CREATE DATABASE on the test server");
    let _ = admin.close().await;
    Some(
        Store::connect_pg(opts.database(&name))
            .await
            .expect("connect to the new test database"),
    )
}

/// Best effort: drops test databases left by crashed runs, judged by the time in their name.
async fn sweep_stale(admin: &mut PgConnection) {
    let pattern = format!("{TEST_DB_PREFIX}%");
    let Ok(names) =
        sqlx::query_as::<_, (String,)>("SELECT datname FROM pg_database WHERE datname LIKE $1")
            .bind(pattern)
            .fetch_all(&mut *admin)
            .await
    else {
        return;
    };
    let cutoff = unix_now().saturating_sub(STALE_AFTER_SECS);
    for (name,) in names {
        let created = name
            .trim_start_matches(TEST_DB_PREFIX)
            .split('_')
            .next()
            .and_then(|s| s.parse::<u64>().ok());
        if created.is_some_and(|t| t < cutoff) {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut *admin)
                .await;
        }
    }
}

/// Closes the store and, on PostgreSQL, drops its test database (best effort).
pub async fn dispose(store: Store) {
    let name = match &store.pool {
        crate::Pool::Postgres(p) => p.connect_options().get_database().map(str::to_string),
        crate::Pool::Sqlite(_) => None,
    };
    store.close().await;
    let Some(name) = name.filter(|n| n.starts_with(TEST_DB_PREFIX)) else {
        return;
    };
    if let Ok(opts) = PgConnectOptions::from_str(&admin_url())
        && let Ok(mut admin) = PgConnection::connect_with(&opts).await
    {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
        let _ = admin.close().await;
    }
}

/// Runs `body` on a fresh store of `backend`, then disposes of it; skips when [`fresh_store`]
/// does.
pub async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(store) = fresh_store(backend).await else {
        return;
    };
    body(store.clone()).await;
    dispose(store).await;
}

/// Defines one async test body run on both backends, as `name::sqlite` and `name::postgres`
/// (the caller needs `tokio` with `macros`):
///
/// ```ignore
/// jixiao_store::contract_test!(departments_round_trip, |store| async move {
///     store.upsert_department("CALL", "Calls").await.unwrap();
/// });
/// ```
#[macro_export]
macro_rules! contract_test {
    ($name:ident, |$store:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::testing::run($crate::Backend::Sqlite, |$store: $crate::Store| $body).await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::testing::run($crate::Backend::Postgres, |$store: $crate::Store| $body).await
            }
        }
    };
}

/// Another handle on the same database, as a second app instance would open it: on PostgreSQL
/// a separate connection pool; on in-memory SQLite (which one process cannot share between
/// pools) the same pool.
pub async fn second_instance(store: &Store) -> Store {
    match &store.pool {
        crate::Pool::Postgres(p) => Store::connect_pg((*p.connect_options()).clone())
            .await
            .expect("a second pool on the test database"),
        crate::Pool::Sqlite(_) => store.clone(),
    }
}

/// Runs raw SQL on the store, bypassing the contract: for tests that tamper with the database
/// as an attacker with direct access would. Returns the rows affected; panics on error.
pub async fn execute_raw(store: &Store, sql: &str) -> u64 {
    on_pool!(store, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()))
        .unwrap_or_else(|e| panic!("raw SQL failed: {sql}: {e}"))
}

/// Runs a raw `SELECT` of one integer (typically a `COUNT(*)`), bypassing the contract: for
/// tests that check the database as a whole, such as the kill test's "all or nothing" checks.
/// Panics on error.
pub async fn scalar_raw(store: &Store, sql: &str) -> i64 {
    on_pool!(store, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await)
        .unwrap_or_else(|e| panic!("raw SQL failed: {sql}: {e}"))
}

/// The URL another process (the real binary) can open this test store's database with: the
/// `JIXIAO_TEST_PG` server with the test database's name. `None` for SQLite stores, which
/// are in memory.
pub fn database_url(store: &Store) -> Option<String> {
    let crate::Pool::Postgres(p) = &store.pool else {
        return None;
    };
    let name = p.connect_options().get_database()?.to_string();
    let admin = admin_url();
    let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
    // postgres://user@host:port/db → replace the path after the authority.
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    Some(url)
}

/// `store` with large-load index deferral (see `Dialect::defer_indexes`) from `rows` expected
/// records instead of the production threshold, so tests can reach it with small files.
pub fn defer_indexes_from(mut store: Store, rows: u64) -> Store {
    store.defer_indexes_rows = rows;
    store
}

/// Runs a raw `SELECT` of two text columns, bypassing the contract (as [`scalar_raw`]).
pub async fn pairs_raw(store: &Store, sql: &str) -> Vec<(String, String)> {
    on_pool!(store, p => sqlx::query_as::<_, (String, String)>(sql).fetch_all(p).await)
        .unwrap_or_else(|e| panic!("raw SQL failed: {sql}: {e}"))
}
