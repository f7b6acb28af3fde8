//! The integration tests of jixiao-import, one module per area.

mod canonical;
mod demo;
mod export;
mod golden;
