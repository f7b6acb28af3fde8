//! The integration tests of jixiao-import, one module per area.

mod asterisk;
mod bank1999;
mod canonical;
mod chunks;
mod demo;
mod demo_fairness;
mod encodings;
mod export;
mod file_chunks;
mod freeswitch;
mod golden;
mod kinds;
mod mapping;
mod payroll;
mod props;
mod pwc;
mod registry;
mod servicenow;
mod templates;
