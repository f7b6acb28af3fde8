//! Property tests: random bytes and truncated files never panic a reader (canonical, for every
//! kind, through a mapping profile, or a preset), nor do random JSON batches the API's parser;
//! records written as canonical CSV read back identical (QA reviews also built as values, with
//! forms and item scores);
//! the GBK and the UTF-8 bytes of one file give identical records.

use std::fmt::Write as _;

use jixiao_core::org::AgentRef;
use jixiao_core::record::{QaItem, QaRecord};
use jixiao_import::canonical::{
    Kind, parse_batch, parse_calls, parse_qa, parse_surveys, write_calls, write_qa, write_surveys,
};
use jixiao_import::mapping::{self, Profile, ReadContext};
use jixiao_import::presets::{self, Preset, PresetOptions};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

/// Few cases (unless `PROPTEST_CASES` asks for more) and no regression files: the suite must
/// stay fast and the tree clean.
fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 48;
    }
    config
}

/// A profile that reads a canonical file of `kind` column by column.
fn identity(kind: Kind) -> Profile {
    let mut text = format!(
        "name = \"identity\"\nkind = \"{}\"\n[fields]\n",
        kind.as_str()
    );
    for c in kind.columns() {
        writeln!(text, "{c} = {{ column = \"{c}\" }}").unwrap();
    }
    Profile::from_toml(&text).unwrap()
}

const XLSX: &str = r#"
name = "sheet"
kind = "surveys"
source = "s"
format = "xlsx"
[fields]
record_id = { column = 1 }
call_record_id = { column = 2 }
employee_no = { column = 3 }
answered_on = { column = 4 }
score = { column = 5 }
"#;

/// Every profile worth throwing bytes at: the shipped ones, an identity per kind, a workbook.
fn profiles() -> Vec<Profile> {
    let mut all = mapping::builtin_profiles();
    all.extend(Kind::all().iter().map(|&k| identity(k)));
    all.push(Profile::from_toml(XLSX).unwrap());
    all
}

/// A cell of a canonical-looking file: often valid-looking, sometimes hostile to CSV.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][0-9]{1,4}",
        "[0-9]{1,3}",
        "2026-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
        "2026-10-0[1-9] [01][0-9]:[0-5][0-9]:[0-5][0-9]",
        Just("answered".to_string()),
        Just("abandoned".to_string()),
        Just("true".to_string()),
        "[a-z,\"\r\n 王先生;\t-]{0,6}",
    ]
}

/// A canonical file of `kind`: its header and a few rows of [`cell`]s, CSV-quoted.
fn canonical_file(kind: Kind) -> impl Strategy<Value = Vec<u8>> {
    let width = kind.columns().len();
    proptest::collection::vec(proptest::collection::vec(cell(), width), 0..6).prop_map(
        move |rows| {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(kind.columns()).unwrap();
            for r in rows {
                w.write_record(&r).unwrap();
            }
            w.into_inner().unwrap()
        },
    )
}

fn any_kind() -> impl Strategy<Value = Kind> {
    proptest::sample::select(Kind::all().to_vec())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_never_panic_a_canonical_parser_or_a_profile(
        bytes in proptest::collection::vec(any::<u8>(), 0..400)
    ) {
        for &kind in Kind::all() {
            let _ = parse_batch(kind, &bytes);
        }
        let ctx = ReadContext::default();
        for p in profiles() {
            let _ = mapping::read(&p, "random", &bytes, &ctx);
            let _ = mapping::preview(&p, &bytes, &ctx, 3);
        }
    }

    #[test]
    fn random_bytes_never_panic_a_preset(
        bytes in proptest::collection::vec(any::<u8>(), 0..400)
    ) {
        for preset in Preset::ALL {
            let _ = presets::read(preset, &bytes, &PresetOptions::default());
        }
    }

    /// Each preset's own file, cut anywhere and with a few bytes changed.
    #[test]
    fn damaged_preset_files_never_panic_their_preset(
        cut in 0..20_000usize,
        flips in proptest::collection::vec((0..20_000usize, any::<u8>()), 0..6),
    ) {
        for (preset, file) in preset_files() {
            let mut bytes = file.clone();
            for &(at, b) in &flips {
                let n = bytes.len();
                bytes[at % n] = b;
            }
            bytes.truncate(cut.max(1));
            let _ = presets::read(*preset, &bytes, &PresetOptions::default());
        }
    }

    /// JSON batches of objects named like the kind's columns, with values of any JSON type.
    #[test]
    fn random_json_batches_never_panic_the_api_parser(
        (kind, records) in any_kind().prop_flat_map(|k| (Just(k), json_records(k)))
    ) {
        let _ = jixiao_import::json::parse(kind, &records);
    }

    #[test]
    fn truncated_canonical_files_never_panic_a_parser_or_a_profile(
        (kind, file, cut) in any_kind().prop_flat_map(|k| (Just(k), canonical_file(k), 0..1000usize))
    ) {
        let bytes = &file[..cut.min(file.len())];
        let _ = parse_batch(kind, bytes);
        let ctx = ReadContext::default();
        let _ = mapping::read(&identity(kind), "cut.csv", bytes, &ctx);
        let _ = mapping::preview(&identity(kind), bytes, &ctx, 4);
    }

    #[test]
    fn a_profile_of_canonical_names_accepts_what_the_canonical_parser_accepts(
        (kind, file) in any_kind().prop_flat_map(|k| (Just(k), canonical_file(k)))
    ) {
        let direct = parse_batch(kind, &file);
        let mapped = mapping::read(&identity(kind), "f.csv", &file, &ReadContext::default());
        prop_assert_eq!(direct.is_ok(), mapped.is_ok());
        if let (Ok((want, rows)), Ok(got)) = (direct, mapped) {
            prop_assert_eq!(got.batch.calls, want.calls);
            prop_assert_eq!(got.batch.surveys, want.surveys);
            prop_assert_eq!(got.batch.qa, want.qa);
            let place = |b: &[jixiao_core::record::Reject]| b.iter().map(|r| r.row).collect::<Vec<_>>();
            prop_assert_eq!(place(&got.batch.rejects), place(&want.rejects));
            prop_assert!(got.rows_total <= rows, "blank rows are not counted");
        }
    }

    #[test]
    fn a_damaged_workbook_never_panics_a_profile(
        cut in 0..4000usize,
        flips in proptest::collection::vec((0..4000usize, any::<u8>()), 0..8),
    ) {
        let mut bytes = workbook();
        for (at, b) in flips {
            let n = bytes.len();
            bytes[at % n] = b;
        }
        bytes.truncate(cut.max(1));
        let p = Profile::from_toml(XLSX).unwrap();
        let _ = mapping::read(&p, "damaged.xlsx", &bytes, &ReadContext::default());
    }

    #[test]
    fn calls_surveys_and_qa_written_as_canonical_csv_read_back_identical(
        calls in canonical_file(Kind::Calls),
        surveys in canonical_file(Kind::Surveys),
        qa in canonical_file(Kind::Qa),
    ) {
        fn records<T: Clone>(p: Vec<(i64, T)>) -> Vec<T> {
            p.into_iter().map(|(_, r)| r).collect()
        }
        if let Ok(p) = parse_calls(&calls) {
            let first = records(p.records);
            let mut out = Vec::new();
            write_calls(&first, &mut out).unwrap();
            prop_assert_eq!(records(parse_calls(&out).unwrap().records), first);
        }
        if let Ok(p) = parse_surveys(&surveys) {
            let first = records(p.records);
            let mut out = Vec::new();
            write_surveys(&first, &mut out).unwrap();
            prop_assert_eq!(records(parse_surveys(&out).unwrap().records), first);
        }
        if let Ok(p) = parse_qa(&qa) {
            let first = records(p.records);
            let mut out = Vec::new();
            write_qa(&first, &mut out).unwrap();
            prop_assert_eq!(records(parse_qa(&out).unwrap().records), first);
        }
    }

    /// QA reviews built as values (not parsed from random cells, which rarely make a valid
    /// row): forms and interaction ids with commas, quotes and newlines, any items.
    #[test]
    fn qa_reviews_with_forms_and_items_written_as_canonical_csv_read_back_identical(
        reviews in proptest::collection::vec(qa_review(), 0..6)
    ) {
        let reviews: Vec<QaRecord> = reviews
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.record_id = format!("R{i}");
                r
            })
            .collect();
        let mut out = Vec::new();
        write_qa(&reviews, &mut out).unwrap();
        let back = parse_qa(&out).unwrap();
        prop_assert!(back.rejects.is_empty(), "{:?}", back.rejects);
        let back: Vec<QaRecord> = back.records.into_iter().map(|(_, r)| r).collect();
        prop_assert_eq!(back, reviews);
    }

    #[test]
    fn the_gbk_and_utf8_bytes_of_one_file_give_identical_records(
        rows in proptest::collection::vec(gbk_row(), 1..8)
    ) {
        // A headerless export for the shipped GBK profile, and a canonical calls file.
        let export = format!("导出\n{}\n", rows.join("\n"));
        let gbk = to_gbk(&export);
        prop_assume!(std::str::from_utf8(&gbk).is_err());
        let p = mapping::builtin_profile("cn-pbx-gbk-headerless").unwrap();
        let ctx = ReadContext::default();
        let (a, b) = (mapping::read(&p, "u", export.as_bytes(), &ctx), mapping::read(&p, "g", &gbk, &ctx));
        prop_assert_eq!(a.map(|m| m.batch), b.map(|m| m.batch));

        let canonical = format!(
            "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n{}\n",
            rows.iter().map(|r| format!("呼叫中心,{r}")).collect::<Vec<_>>().join("\n")
        );
        let gbk = to_gbk(&canonical);
        prop_assume!(std::str::from_utf8(&gbk).is_err());
        prop_assert_eq!(parse_calls(canonical.as_bytes()), parse_calls(&gbk));
    }
}

fn to_gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the generated text must be GBK");
    bytes.into_owned()
}

/// Ten comma-separated fields in the shape of the GBK profile's export (and, after a source
/// column, of a canonical calls row): Chinese text where the export has free text.
fn gbk_row() -> impl Strategy<Value = String> {
    let text = "[王李张先生女士贵宾客户]{1,4}";
    (
        "H-[0-9]{1,4}",
        "2026-10-0[1-9] 1[0-9]:[0-5][0-9]:[0-5][0-9]",
        "A[0-9]{3}",
        proptest::sample::select(vec!["咨询", "投诉", "账单", "售后"]),
        text,
        proptest::sample::select(vec!["接通", "转接", "未接", "挂断"]),
        0..500u32,
    )
        .prop_map(|(id, at, agent, business, customer, outcome, secs)| {
            format!("{id},{at},{agent},{business},{customer},{outcome},{secs},{secs},0,{secs}")
        })
}

/// A small valid workbook for the surveys profile above.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for r in 0..5u32 {
        sheet.write_string(r, 0, format!("S-{r}")).unwrap();
        sheet.write_string(r, 1, format!("C-{r}")).unwrap();
        sheet.write_string(r, 2, "A00012").unwrap();
        sheet.write_number(r, 3, 46_000.0 + f64::from(r)).unwrap();
        sheet.write_number(r, 4, f64::from(r + 1)).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// Every preset with a file it reads: a fixture of this crate, or the real file it was proven
/// on (read once).
fn preset_files() -> &'static [(Preset, Vec<u8>)] {
    static FILES: std::sync::OnceLock<Vec<(Preset, Vec<u8>)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut files = vec![
            (
                Preset::Asterisk,
                fixtures.join("asterisk/cdr_csv_order.csv"),
            ),
            (
                Preset::AsteriskCdrCsv,
                fixtures.join("asterisk/cdr_csv_order.csv"),
            ),
            (Preset::Bank1999, fixtures.join("bank1999/sample.txt")),
            (
                Preset::Servicenow,
                fixtures.join("servicenow/incidents.csv"),
            ),
        ];
        // The real files (required in CI, see `shared_data`).
        for (preset, folder, file) in [
            (Preset::Pwc, "pwc-call-center", "Call-Center-Dataset.xlsx"),
            (Preset::Freeswitch, "freeswitch-cdr-csv", "Master.csv"),
            (
                Preset::AsteriskClidFirst,
                "asterisk-cdr-csv",
                "kelysaina-cdr/Master.csv",
            ),
        ] {
            if let Some(dir) = super::golden::shared_data(folder) {
                files.push((preset, dir.join(file)));
            }
        }
        files
            .into_iter()
            .map(|(p, path)| (p, std::fs::read(path).expect("a preset file reads")))
            .collect()
    })
}

/// A JSON value of any type; strings are canonical-looking cells.
fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        cell().prop_map(Value::String),
        Just(serde_json::json!([1, "x"])),
        Just(serde_json::json!({"a": 1})),
    ]
}

/// A few JSON records for `kind`: objects with some of its column names (and a stray one),
/// and now and then a value that is not an object at all.
fn json_records(kind: Kind) -> impl Strategy<Value = Vec<Value>> {
    let mut names: Vec<String> = kind.columns().iter().map(|c| c.to_string()).collect();
    names.push("stray".into());
    let object = proptest::collection::vec(
        (proptest::sample::select(names), json_leaf()),
        0..kind.columns().len() + 2,
    )
    .prop_map(|fields| Value::Object(fields.into_iter().collect()));
    proptest::collection::vec(prop_oneof![4 => object, 1 => json_leaf()], 0..5)
}

/// A valid QA review with any optional detail. Text fields are trimmed non-empty strings, as
/// the parser gives them back; item names avoid `=` and `;`, the list's separators.
fn qa_review() -> impl Strategy<Value = QaRecord> {
    let text = "[a-z王]([a-zA-Z0-9王问候 ,\"\n-]{0,8}[a-z王])?";
    let item = ("[a-z问候]{1,6}", 0u32..=10_000u32).prop_map(|(name, hundredths)| QaItem {
        name,
        score: rust_decimal::Decimal::new(i64::from(hundredths), 2),
    });
    (
        proptest::option::of(text),
        proptest::option::of(text),
        proptest::collection::vec(item, 0..4),
        0u32..=1000u32,
        any::<bool>(),
    )
        .prop_map(
            |(interaction_id, form, items, tenths, critical_failure)| QaRecord {
                source: "qa".into(),
                record_id: String::new(),
                employee_no: AgentRef::parse("A00012").unwrap(),
                reviewer_no: None,
                reviewed_on: "2026-10-10".parse().unwrap(),
                score: rust_decimal::Decimal::new(i64::from(tenths), 1),
                critical_failure,
                interaction_id,
                form,
                items,
            },
        )
}
