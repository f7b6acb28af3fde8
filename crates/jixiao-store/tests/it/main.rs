//! The storage contract suite: every test runs on a fresh SQLite and a fresh PostgreSQL store.

mod aliases;
mod audit;
mod bench;
mod fixtures;
mod imports;
mod jobs;
mod kinds;
mod kpi_defs;
mod lifecycle;
mod measures;
mod measures_kinds;
mod modes;
mod org;
mod periods;
mod profiles;
mod sessions;
mod standards;
mod tallies;
mod tokens;
