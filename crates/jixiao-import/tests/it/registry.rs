//! The preset registry: one name per preset, and `presets::read` giving exactly what each
//! preset's own parser gives.

use jixiao_core::org::TypeCode;
use jixiao_import::canonical::Kind;
use jixiao_import::presets::{self, Preset, PresetOptions, asterisk, bank1999, servicenow};

use super::golden::{fixtures, shared_data};

#[test]
fn every_preset_name_reads_back_as_that_preset() {
    for p in Preset::ALL {
        assert_eq!(Preset::parse(p.name()), Some(p));
    }
    assert_eq!(Preset::parse("nope"), None);
    // The names the exports go by in ../shared/data (and in the product's issue).
    for (alias, preset) in [
        ("anonymous-bank-1999", Preset::Bank1999),
        ("asterisk-cdr-csv", Preset::AsteriskCdrCsv),
        ("freeswitch-cdr-csv", Preset::Freeswitch),
        ("pwc-call-center", Preset::Pwc),
        ("servicenow-incident-log", Preset::Servicenow),
    ] {
        assert_eq!(Preset::parse(alias), Some(preset), "{alias}");
    }
    assert_eq!(Preset::Servicenow.kind(), Kind::Tickets);
    assert_eq!(Preset::Pwc.kind(), Kind::Calls);
}

#[test]
fn reading_through_the_registry_equals_the_presets_own_parser() {
    let bytes = std::fs::read(fixtures().join("asterisk/cdr_csv_order.csv")).unwrap();
    let options = PresetOptions {
        source: Some("pbx".into()),
        business_type: TypeCode::parse("GENERAL").unwrap(),
    };
    let (batch, rows) = presets::read(Preset::Asterisk, &bytes, &options).unwrap();
    let own = asterisk::parse(
        &bytes,
        asterisk::Order::CdrCsv,
        "pbx",
        &options.business_type,
    )
    .unwrap();
    assert_eq!(batch.calls, own.records);
    assert_eq!(batch.rejects, own.rejects);
    assert_eq!(rows, own.rows_total);

    let bytes = std::fs::read(fixtures().join("bank1999/sample.txt")).unwrap();
    let (batch, _) = presets::read(Preset::Bank1999, &bytes, &PresetOptions::default()).unwrap();
    let own = bank1999::parse(&bytes, "bank1999").unwrap();
    assert_eq!(batch.calls, own.records);
    assert_eq!(batch.rejects, own.rejects);

    let bytes = std::fs::read(fixtures().join("servicenow/incidents.csv")).unwrap();
    let (batch, _) = presets::read(Preset::Servicenow, &bytes, &PresetOptions::default()).unwrap();
    let own = servicenow::parse(&bytes, "servicenow").unwrap();
    assert_eq!(batch.tickets, own.records);
    assert!(batch.calls.is_empty());
}

#[test]
fn the_pwc_sheet_gives_a_survey_for_every_rated_call() {
    let Some(dir) = shared_data("pwc-call-center") else {
        return;
    };
    let bytes = std::fs::read(dir.join("Call-Center-Dataset.xlsx")).unwrap();
    let (batch, rows) = presets::read(Preset::Pwc, &bytes, &PresetOptions::default()).unwrap();
    assert!(rows as usize >= batch.calls.len() && !batch.calls.is_empty());
    assert!(!batch.surveys.is_empty());
    for (line, s) in &batch.surveys {
        let call = batch
            .calls
            .iter()
            .find(|(l, _)| l == line)
            .expect("the survey's call");
        assert_eq!(s.call_record_id, call.1.record_id);
    }
}

/// `asterisk-cdr-csv` reads both of Asterisk's field orders, telling them by the first row's
/// width: the hand-made default-order fixture as `asterisk`, the real clid-first file as
/// `asterisk-clid-first`.
#[test]
fn the_asterisk_cdr_csv_preset_tells_the_field_order_by_the_rows_width() {
    let options = PresetOptions {
        source: Some("pbx".into()),
        business_type: TypeCode::parse("GENERAL").unwrap(),
    };
    let same = |bytes: &[u8], fixed: Preset| {
        let (detected, rows) = presets::read(Preset::AsteriskCdrCsv, bytes, &options).unwrap();
        let (own, own_rows) = presets::read(fixed, bytes, &options).unwrap();
        assert_eq!(detected.calls, own.calls);
        assert_eq!(detected.rejects, own.rejects);
        assert_eq!(rows, own_rows);
        assert!(!detected.calls.is_empty());
    };
    let fixture = std::fs::read(fixtures().join("asterisk/cdr_csv_order.csv")).unwrap();
    assert_eq!(asterisk::Order::detect(&fixture), asterisk::Order::CdrCsv);
    same(&fixture, Preset::Asterisk);
    assert_eq!(asterisk::Order::detect(b""), asterisk::Order::CdrCsv);

    let Some(dir) = shared_data("asterisk-cdr-csv") else {
        return;
    };
    let real = std::fs::read(dir.join("kelysaina-cdr/Master.csv")).unwrap();
    assert_eq!(asterisk::Order::detect(&real), asterisk::Order::ClidFirst);
    same(&real, Preset::AsteriskClidFirst);
}
