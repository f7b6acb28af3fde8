//! The web crate's one integration-test binary: modules mirror the routes. Every test runs on
//! in-memory SQLite and on a fresh PostgreSQL database (`jixiao_store::contract_test!`).

mod support;

mod api;
mod appeals;
mod auth;
mod behaviour;
mod calibration;
mod charts;
mod fairness;
mod fairness_extra;
mod imports;
mod instances;
mod jobs;
mod kpis;
mod library;
mod lifecycle;
mod overview;
mod pages;
mod payconf;
mod people;
mod periods;
mod points;
mod profiles;
mod rewards;
mod schemes;
mod scope;
mod spans;
mod targets;
mod templates;
mod unmatched;
