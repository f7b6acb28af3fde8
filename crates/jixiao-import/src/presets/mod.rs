//! Readers for known foreign exports (call logs, and the ServiceNow incident log): each maps
//! one source's own columns onto Jixiao's records with the same per-row reject report as the
//! canonical format.

pub mod asterisk;
pub mod bank1999;
pub mod freeswitch;
pub mod pwc;
mod registry;
pub mod servicenow;

pub use registry::{Preset, PresetOptions, read};
