//! Every preset by name, behind one function, so the CLI, the upload page and the API offer the
//! same list and read a file the same way.

use jixiao_core::org::TypeCode;
use jixiao_core::record::RecordBatch;

use super::{asterisk, bank1999, freeswitch, pwc, servicenow};
use crate::canonical::{FileError, Kind};

/// A built-in reader of a known foreign export (docs/IMPORT.md, "Preset: …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// A monthly file of the 1999 "Anonymous Bank" call center: calls.
    Bank1999,
    /// Asterisk `Master.csv` in either field order, told by the width of its first row
    /// ([`asterisk::Order::detect`]): calls.
    AsteriskCdrCsv,
    /// Asterisk `cdr-csv/Master.csv`, cdr_csv's default field order: calls.
    Asterisk,
    /// Asterisk `Master.csv` with clid first and a sequence field (19 fields): calls.
    AsteriskClidFirst,
    /// FreeSWITCH `mod_cdr_csv` `Master.csv`, default template: calls.
    Freeswitch,
    /// The PwC call-center workbook (.xlsx): calls, and a survey per rated call.
    Pwc,
    /// The ServiceNow incident event log: one ticket per incident.
    Servicenow,
}

impl Preset {
    /// Every preset, in the order lists show them.
    pub const ALL: [Preset; 7] = [
        Preset::Bank1999,
        Preset::AsteriskCdrCsv,
        Preset::Asterisk,
        Preset::AsteriskClidFirst,
        Preset::Freeswitch,
        Preset::Pwc,
        Preset::Servicenow,
    ];

    /// The name used on the command line, in forms and in lineage (`preset:<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Bank1999 => "bank1999",
            Preset::AsteriskCdrCsv => "asterisk-cdr-csv",
            Preset::Asterisk => "asterisk",
            Preset::AsteriskClidFirst => "asterisk-clid-first",
            Preset::Freeswitch => "freeswitch",
            Preset::Pwc => "pwc",
            Preset::Servicenow => "servicenow",
        }
    }

    /// The other name a preset answers to: the name of the export (and of its folder in
    /// `../shared/data`) it was proven on, as the product's issues spell it. [`Preset::name`]
    /// stays what lineage records and what a preset's records get as their source by
    /// default, so renaming it would make a re-import of an old file land as new records.
    pub fn alias(self) -> Option<&'static str> {
        match self {
            Preset::Bank1999 => Some("anonymous-bank-1999"),
            Preset::Freeswitch => Some("freeswitch-cdr-csv"),
            Preset::Pwc => Some("pwc-call-center"),
            Preset::Servicenow => Some("servicenow-incident-log"),
            Preset::AsteriskCdrCsv | Preset::Asterisk | Preset::AsteriskClidFirst => None,
        }
    }

    /// The preset called `name`, by its name or its alias.
    pub fn parse(name: &str) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name() == name || p.alias() == Some(name))
    }

    /// The record kind the preset reads (the PwC sheet also gives surveys).
    pub fn kind(self) -> Kind {
        match self {
            Preset::Servicenow => Kind::Tickets,
            _ => Kind::Calls,
        }
    }
}

/// What a preset needs beyond the bytes.
#[derive(Debug, Clone)]
pub struct PresetOptions {
    /// Every record's source; defaults to the preset's name.
    pub source: Option<String>,
    /// The business type of CDR rows, which carry none (Asterisk, FreeSWITCH).
    pub business_type: TypeCode,
}

impl Default for PresetOptions {
    fn default() -> Self {
        PresetOptions {
            source: None,
            business_type: TypeCode::parse("GENERAL").expect("a valid code"),
        }
    }
}

/// Reads `bytes` with `preset`: the batch and the number of data rows read.
pub fn read(
    preset: Preset,
    bytes: &[u8],
    options: &PresetOptions,
) -> Result<(RecordBatch, i64), FileError> {
    let source = options.source.as_deref().unwrap_or(preset.name());
    let bt = &options.business_type;
    let calls = |p: crate::canonical::Parsed<jixiao_core::record::CallRecord>| {
        let batch = RecordBatch {
            calls: p.records,
            rejects: p.rejects,
            ..RecordBatch::default()
        };
        (batch, p.rows_total)
    };
    Ok(match preset {
        Preset::Bank1999 => calls(bank1999::parse(bytes, source)?),
        Preset::AsteriskCdrCsv => calls(asterisk::parse(
            bytes,
            asterisk::Order::detect(bytes),
            source,
            bt,
        )?),
        Preset::Asterisk => calls(asterisk::parse(bytes, asterisk::Order::CdrCsv, source, bt)?),
        Preset::AsteriskClidFirst => calls(asterisk::parse(
            bytes,
            asterisk::Order::ClidFirst,
            source,
            bt,
        )?),
        Preset::Freeswitch => calls(freeswitch::parse(bytes, source, bt)?),
        Preset::Pwc => {
            let p = pwc::parse(bytes, source)?;
            let mut batch = RecordBatch {
                rejects: p.rejects,
                ..RecordBatch::default()
            };
            for (line, row) in p.records {
                if let Some(s) = row.survey {
                    batch.surveys.push((line, s));
                }
                batch.calls.push((line, row.call));
            }
            (batch, p.rows_total)
        }
        Preset::Servicenow => {
            let p = servicenow::parse(bytes, source)?;
            let batch = RecordBatch {
                tickets: p.records,
                rejects: p.rejects,
                ..RecordBatch::default()
            };
            (batch, p.rows_total)
        }
    })
}
