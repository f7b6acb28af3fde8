//! The web crate's one integration-test binary: modules mirror the routes. Every test runs on
//! in-memory SQLite and on a fresh PostgreSQL database (`jixiao_store::contract_test!`).

mod support;

mod api;
mod auth;
mod charts;
mod imports;
mod instances;
mod jobs;
mod library;
mod pages;
mod periods;
mod profiles;
mod scope;
mod templates;
mod unmatched;
