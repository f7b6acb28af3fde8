//! Jixiao's file formats: the canonical CSV of every record kind (interactions, surveys, QA
//! reviews, tickets, chat sessions, orders, attendance, work records) in (validated records
//! plus a per-row reject report), the scorecard workbook and the hand-entry templates out, and
//! the seeded demo center that produces realistic records for demos, tests and benchmarks;
//! presets read known foreign formats (the 1999 bank call-center files, Asterisk and
//! FreeSWITCH CDRs, the PwC call-center workbook, the ServiceNow incident log) into the same
//! records; mapping profiles (saved TOML) read any other CSV/TSV or .xlsx export into them.
//!
//! This crate is pure: bytes in, bytes or records out. It must not depend on sqlx, tokio,
//! axum or jixiao-store; the store and the binary call it, never the other way round.

pub mod canonical;
pub mod demo;
pub mod export;
pub mod json;
pub mod mapping;
pub mod presets;
pub mod reader;
pub mod templates;
