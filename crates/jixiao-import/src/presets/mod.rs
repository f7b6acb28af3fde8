//! Readers for known foreign call logs: each maps one source's own columns onto Jixiao's
//! records with the same per-row reject report as the canonical format.

pub mod asterisk;
pub mod bank1999;
pub mod freeswitch;
pub mod pwc;
