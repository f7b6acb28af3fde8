//! The canonical CSV: round trips, whole-file errors and header matching.

use jixiao_core::Period;
use jixiao_core::org::{AgentRef, EmployeeNo, TypeCode};
use jixiao_core::record::{CallRecord, Channel, Outcome, QaRecord, SurveyRecord};
use jixiao_import::canonical::{
    file_hash, parse_calls, parse_qa, parse_surveys, write_calls, write_qa, write_rejects,
    write_surveys,
};
use jixiao_import::demo::{DemoCenter, DemoParams};
use rust_decimal::dec;

fn no(s: &str) -> EmployeeNo {
    EmployeeNo::parse(s).unwrap()
}

fn agent(s: &str) -> AgentRef {
    AgentRef::parse(s).unwrap()
}

fn awkward_calls() -> Vec<CallRecord> {
    let base = CallRecord {
        source: "pbx".into(),
        record_id: "id,with \"quotes\"".into(),
        started_at: "2026-12-31T23:59:59".parse().unwrap(),
        employee_no: Some(agent("A-1_x")),
        business_type: TypeCode::parse("TECH").unwrap(),
        customer_id: Some("Wang, \"VIP\"\nsecond line, 王先生".into()),
        outcome: Outcome::Transferred,
        wait_secs: 0,
        talk_secs: u32::MAX,
        hold_secs: 1,
        acw_secs: 59,
        channel: Channel::Email,
        queue: Some("VIP, \"gold\"".into()),
        transfer_to: Some("2nd line".into()),
    };
    let abandoned = CallRecord {
        record_id: "2".into(),
        employee_no: None,
        customer_id: None,
        outcome: Outcome::Abandoned,
        channel: Channel::Voice,
        queue: None,
        transfer_to: None,
        ..base.clone()
    };
    let callback = CallRecord {
        record_id: "3".into(),
        employee_no: None,
        outcome: Outcome::Callback,
        channel: Channel::Chat,
        ..base.clone()
    };
    vec![base, abandoned, callback]
}

#[test]
fn written_calls_parse_back_exactly_even_with_commas_quotes_and_newlines() {
    let calls = awkward_calls();
    let mut buf = Vec::new();
    write_calls(&calls, &mut buf).unwrap();
    let parsed = parse_calls(&buf).unwrap();
    assert_eq!(parsed.rejects, vec![]);
    let back: Vec<CallRecord> = parsed.records.into_iter().map(|(_, r)| r).collect();
    assert_eq!(back, calls);
}

#[test]
fn a_quoted_newline_counts_towards_the_line_numbers_of_later_rows() {
    let mut buf = Vec::new();
    write_calls(&awkward_calls(), &mut buf).unwrap();
    let lines: Vec<i64> = parse_calls(&buf)
        .unwrap()
        .records
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(lines, [2, 4, 5]);
}

#[test]
fn written_surveys_and_qa_reviews_parse_back_exactly() {
    let surveys = vec![SurveyRecord {
        source: "ivr".into(),
        record_id: "S,1".into(),
        call_record_id: "C \"1\"".into(),
        employee_no: agent("A1"),
        answered_on: "2026-02-28".parse().unwrap(),
        score: 5,
    }];
    let mut buf = Vec::new();
    write_surveys(&surveys, &mut buf).unwrap();
    let back: Vec<_> = parse_surveys(&buf)
        .unwrap()
        .records
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(back, surveys);

    let qa = vec![
        QaRecord {
            source: "qa".into(),
            record_id: "R1".into(),
            employee_no: agent("A1"),
            reviewer_no: Some(no("Q9")),
            reviewed_on: "2026-10-01".parse().unwrap(),
            score: dec!(87.50),
            critical_failure: true,
            interaction_id: Some("C-1001".into()),
            form: Some("voice v2, \"new\"".into()),
            items: jixiao_core::record::QaItem::parse_list("greeting=10;empathy=8.50").unwrap(),
        },
        QaRecord {
            record_id: "R2".into(),
            reviewer_no: None,
            score: dec!(0),
            critical_failure: false,
            ..QaRecord {
                source: "qa".into(),
                record_id: String::new(),
                employee_no: agent("A2"),
                reviewer_no: None,
                reviewed_on: "2026-10-02".parse().unwrap(),
                score: dec!(0),
                critical_failure: false,
                interaction_id: None,
                form: None,
                items: Vec::new(),
            }
        },
    ];
    let mut buf = Vec::new();
    write_qa(&qa, &mut buf).unwrap();
    let parsed = parse_qa(&buf).unwrap();
    let back: Vec<_> = parsed.records.into_iter().map(|r| r.1).collect();
    assert_eq!(back, qa);
    assert_eq!(
        back[0].score.to_string(),
        "87.50",
        "the written scale survives"
    );
}

#[test]
fn a_demo_month_round_trips_through_the_canonical_files() {
    let c = DemoCenter::generate(&DemoParams {
        agents: 20,
        ..DemoParams::default()
    });
    let p: Period = "2026-09".parse().unwrap();
    let calls = c.calls_for(p);
    let mut buf = Vec::new();
    write_calls(&calls, &mut buf).unwrap();
    let parsed = parse_calls(&buf).unwrap();
    assert!(parsed.rejects.is_empty(), "{:?}", &parsed.rejects[..1]);
    assert_eq!(parsed.rows_total as usize, calls.len());
    assert!(parsed.records.into_iter().map(|r| r.1).eq(calls));
    let (surveys, qa) = (c.surveys_for(p), c.qa_for(p));
    let mut buf = Vec::new();
    write_surveys(&surveys, &mut buf).unwrap();
    assert!(
        parse_surveys(&buf)
            .unwrap()
            .records
            .into_iter()
            .map(|r| r.1)
            .eq(surveys)
    );
    let mut buf = Vec::new();
    write_qa(&qa, &mut buf).unwrap();
    assert!(
        parse_qa(&buf)
            .unwrap()
            .records
            .into_iter()
            .map(|r| r.1)
            .eq(qa)
    );
}

#[test]
fn columns_are_matched_by_name_in_any_order_and_any_case() {
    let csv = "Score , EMPLOYEE_NO,answered_on,extra,record_id,call_record_id,source\n\
               4,A7,2026-10-01,ignored,S1,C1,ivr\n";
    let p = parse_surveys(csv.as_bytes()).unwrap();
    assert_eq!(p.rejects, vec![]);
    assert_eq!(p.records[0].1.score, 4);
    assert_eq!(p.records[0].1.employee_no, agent("A7"));
}

#[test]
fn whole_file_problems_have_stable_codes() {
    let code = |b: &[u8]| parse_qa(b).unwrap_err().code();
    assert_eq!(code(b""), "file_empty");
    assert_eq!(code(b"\xEF\xBB\xBF \r\n"), "file_empty");
    assert_eq!(code(b"source,record_id\n"), "missing_column");
    assert_eq!(code("source,\u{6e90}\n".as_bytes()), "missing_column");
    assert_eq!(code(b"s\xC3\x28,record_id\n"), "file_unknown_encoding");
    let dup = "source,record_id,employee_no,reviewer_no,reviewed_on,score,critical_failure,score\n";
    assert_eq!(code(dup.as_bytes()), "duplicate_column");
    let err = parse_qa(b"source,record_id\n").unwrap_err();
    assert!(err.to_string().contains("\"employee_no\""), "{err}");
}

#[test]
fn a_header_without_rows_is_an_empty_import_not_an_error() {
    let p = parse_calls(b"source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\r\n").unwrap();
    assert_eq!((p.rows_total, p.records.len(), p.rejects.len()), (0, 0, 0));
}

#[test]
fn the_reject_report_is_a_csv_naming_the_file() {
    let bad = b"source,record_id,call_record_id,employee_no,answered_on,score\nivr,S1,C1,A1,2026-10-01,9\n";
    let p = parse_surveys(bad).unwrap();
    let mut out = Vec::new();
    write_rejects("october.csv", &p.rejects, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "file,row,column,value,reason\noctober.csv,2,score,9,must be 1 to 5\n"
    );
}

#[test]
fn the_reject_report_quotes_values_with_commas_quotes_and_newlines() {
    let reject = |value: &str| jixiao_core::record::Reject {
        row: 3,
        column: "talk_secs".into(),
        value: value.into(),
        reason: "not a whole number".into(),
    };
    let mut out = Vec::new();
    write_rejects(
        "a,b.csv",
        &[reject("1,5"), reject("say \"x\"\nnext")],
        &mut out,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "file,row,column,value,reason\n\"a,b.csv\",3,talk_secs,\"1,5\",not a whole number\n\
         \"a,b.csv\",3,talk_secs,\"say \"\"x\"\"\nnext\",not a whole number\n"
    );
}

#[test]
fn the_file_hash_is_the_sha256_of_the_bytes() {
    assert_eq!(
        file_hash(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
