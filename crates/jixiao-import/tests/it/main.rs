//! The integration tests of jixiao-import, one module per area.

mod asterisk;
mod bank1999;
mod canonical;
mod demo;
mod encodings;
mod export;
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
