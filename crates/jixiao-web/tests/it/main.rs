//! The web crate's one integration-test binary: modules mirror the routes. Every test runs on
//! in-memory SQLite and on a fresh PostgreSQL database (`jixiao_store::contract_test!`).

mod support;

mod api;
mod auth;
mod charts;
mod imports;
mod instances;
mod jobs;
mod kpis;
mod library;
mod lifecycle;
mod pages;
mod periods;
mod points;
mod profiles;
mod scope;
mod templates;
mod unmatched;
