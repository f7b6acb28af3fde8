//! The storage contract suite: every test runs on a fresh SQLite and a fresh PostgreSQL store.

mod audit;
mod bench;
mod fixtures;
mod imports;
mod org;
mod periods;
mod sessions;
mod tallies;
