//! How a file becomes a batch: as canonical CSV of one kind, through a mapping profile, or
//! with a preset. The CLI and the upload job read files only through [`Reader`], so they read,
//! and record lineage, alike.

use jixiao_core::record::RecordBatch;

use crate::canonical::{self, Kind};
use crate::mapping::{self, MapError, Profile, ReadContext};
use crate::presets::{self, Preset, PresetOptions};

/// One way of reading a file.
#[derive(Debug, Clone)]
pub enum Reader {
    /// Jixiao's canonical CSV of the kind (docs/IMPORT.md).
    Canonical(Kind),
    /// Any CSV or workbook, through a mapping profile.
    Profile(Box<Profile>),
    /// A known foreign export, with its preset.
    Preset(Preset),
}

impl Reader {
    /// The kind of records it reads; `None` only for a profile naming no known kind
    /// (profiles are checked when loaded, so in practice never).
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Reader::Canonical(k) => Some(*k),
            Reader::Profile(p) => p.record_kind(),
            Reader::Preset(p) => Some(p.kind()),
        }
    }

    /// What an import's lineage records besides the file: the profile's name, or
    /// `preset:<name>`; nothing for canonical CSV.
    pub fn lineage(&self) -> Option<String> {
        match self {
            Reader::Canonical(_) => None,
            Reader::Profile(p) => Some(p.name.clone()),
            Reader::Preset(p) => Some(format!("preset:{}", p.name())),
        }
    }

    /// What the reader is, for messages: "canonical calls", "profile pbx-cdr",
    /// "the asterisk preset".
    pub fn describe(&self) -> String {
        match self {
            Reader::Canonical(k) => format!("canonical {}", k.as_str()),
            Reader::Profile(p) => format!("profile {}", p.name),
            Reader::Preset(p) => format!("the {} preset", p.name()),
        }
    }

    /// Reads the file `file_name`: the batch and the number of data rows read.
    pub fn read(&self, file_name: &str, bytes: &[u8]) -> Result<(RecordBatch, i64), MapError> {
        match self {
            Reader::Canonical(k) => Ok(canonical::parse_batch(*k, bytes)?),
            Reader::Profile(p) => mapping::read(p, file_name, bytes, &ReadContext::default())
                .map(|m| (m.batch, m.rows_total)),
            Reader::Preset(p) => Ok(presets::read(*p, bytes, &PresetOptions::default())?),
        }
    }
}
