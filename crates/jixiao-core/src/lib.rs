//! Jixiao's domain: the organisation, source records, periods, schemes and the assessment
//! engine that turns per-agent partial tallies into scorecards and pay lines: the KPI library
//! and formulas over base measures ([`kpi`]), scoring rules ([`scoring`]), point standards
//! ([`points`]), target decomposition ([`targets`]), pay ([`pay`]), behaviour ratings
//! ([`behaviour`]), forced-distribution quotas ([`distribution`]) and the fairness workflows
//! (journeys, complaints: [`fairness`]).
//!
//! This crate is pure and deterministic: records and rules in, scorecards out. It never reads
//! the clock, the file system or a database, and must not depend on sqlx, axum, tokio or csv.
//! The same inputs always give the same numbers, down to the snapshot hash.

pub mod adjustment;
pub mod appeal;
pub mod behaviour;
pub mod calibrate;
pub mod distribution;
pub mod error;
pub mod fairness;
pub mod kpi;
pub mod money;
pub mod org;
pub mod pay;
pub mod period;
pub mod points;
pub mod record;
pub mod scheme;
pub mod scorecard;
pub mod scoring;
pub mod span;
pub mod targets;

pub use error::CoreError;
pub use period::Period;
