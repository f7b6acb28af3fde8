//! Profiles as data: the shipped ones, the TOML round trip, and a clear error with a stable
//! code for each kind of mistake.

use jixiao_import::mapping::{self, Profile, builtin_profile};

use super::xlsx::XLSX;
use super::{BERLIN, profile};

#[test]
fn every_builtin_profile_is_valid_and_survives_a_toml_round_trip() {
    assert_eq!(mapping::builtin_profiles().len(), mapping::BUILTIN.len());
    for p in mapping::builtin_profiles()
        .into_iter()
        .chain([profile(BERLIN), profile(XLSX)])
    {
        let text = p.to_toml();
        assert_eq!(Profile::from_toml(&text), Ok(p.clone()), "{text}");
    }
}

#[test]
fn every_kind_of_profile_mistake_has_its_code_and_names_the_key() {
    let base = builtin_profile("pbx-cdr").unwrap().to_toml();
    let fields_at = base.find("[fields]").unwrap();
    let with_field = |line: &str| {
        format!(
            "{}[fields]\n{line}\n{}",
            &base[..fields_at],
            &base[fields_at + 9..]
        )
    };
    let cases = [
        (
            base.replace("kind = \"calls\"", "kind = \"faxes\""),
            "profile_unknown_kind",
            "kind: unknown record kind \"faxes\"",
        ),
        (
            with_field("mood = { column = \"x\" }"),
            "profile_unknown_field",
            "fields.mood: calls has no field",
        ),
        (
            base.replace("record_id = { column = \"uniqueid\" }\n", ""),
            "profile_missing_field",
            "fields.record_id: calls requires",
        ),
        (
            base.replace(
                "started_at = { column = \"start\" }",
                "started_at = { column = \"start\", format = \"%Y-%m-%d\" }",
            ),
            "profile_bad_format",
            "fields.started_at.format: the format \"%Y-%m-%d\" has no time of day",
        ),
        (
            base.replace(
                "started_at = { column = \"start\" }",
                "started_at = { column = \"start\", format = \"%Y-%m-%d %H:%\" }",
            ),
            "profile_bad_format",
            "fields.started_at.format: the format \"%Y-%m-%d %H:%\" is not a valid strftime pattern",
        ),
        (
            base.replace(
                "hold_secs = { constant = \"0\" }",
                "hold_secs = { column = \"x\", format = \"fortnights\" }",
            ),
            "profile_bad_format",
            "fields.hold_secs.format: the format \"fortnights\" is not a duration format",
        ),
        (
            base.replace("Asia/Shanghai", "Mars/Olympus"),
            "profile_unknown_timezone",
            "timezone: unknown time zone \"Mars/Olympus\"",
        ),
        (
            base.replace(
                "hold_secs = { constant = \"0\" }",
                "hold_secs = { constant = \"0\", column = \"x\" }",
            ),
            "profile_bad_rule",
            "fields.hold_secs: give exactly one of column, constant or derive",
        ),
        (
            base.replace("from = \"answer\", ", ""),
            "profile_bad_rule",
            "fields.talk_secs: seconds_between needs from and to",
        ),
        (
            base.replace(
                "record_id = { column = \"uniqueid\" }",
                "record_id = { colum = \"uniqueid\" }",
            ),
            "profile_syntax",
            "unknown field `colum`",
        ),
        (
            base.replace("header = true", "header = false"),
            "profile_invalid",
            "fields.record_id.column: without a header",
        ),
        (
            base.replace("format = \"csv\"", "format = \"csv\"\nsheet = 2"),
            "profile_invalid",
            "sheet: only a workbook",
        ),
    ];
    for (text, code, message) in cases {
        let err = Profile::from_toml(&text).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().contains(message), "{code}: {err}");
    }
}
