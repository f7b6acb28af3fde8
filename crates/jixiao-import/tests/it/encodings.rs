//! GBK / GB18030 and tab-separated files read the same as UTF-8 CSV.

use jixiao_import::canonical::{
    Delimiter, Encoding, ReadOptions, parse_calls, parse_calls_with, parse_surveys,
};

const CALLS: &str = "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n\
    呼叫中心,话单-1,2026-10-08 09:00:12,A00012,INQUIRY,王先生,answered,8,64,0,12\n\
    pbx,C-2,2026-10-08 09:05:00,,INQUIRY,\"李女士, 贵宾\",abandoned,42,0,0,0\n\
    pbx,C-3,2026-10-08 09:06:10,A00013,COMPLAINT,客户00017,已接通,5,431,60,118\n";

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the test text must be GBK");
    bytes.into_owned()
}

#[test]
fn a_gbk_file_gives_the_same_records_and_rejects_as_its_utf8_twin() {
    let utf8 = parse_calls(CALLS.as_bytes()).unwrap();
    let bytes = gbk(CALLS);
    assert_ne!(bytes, CALLS.as_bytes(), "the GBK bytes differ from UTF-8");
    assert_eq!(parse_calls(&bytes).unwrap(), utf8);
    assert_eq!(utf8.records.len(), 2);
    assert_eq!(utf8.records[0].1.customer_id.as_deref(), Some("王先生"));
    assert_eq!(utf8.records[0].1.source, "呼叫中心");
    assert_eq!(
        utf8.rejects[0].value, "已接通",
        "reject values are decoded too"
    );
}

#[test]
fn the_encoding_can_be_forced() {
    let gb = ReadOptions {
        encoding: Encoding::Gb18030,
        ..ReadOptions::default()
    };
    let utf8 = parse_calls(CALLS.as_bytes()).unwrap();
    assert_eq!(parse_calls_with(&gbk(CALLS), gb).unwrap(), utf8);
    // ASCII is the same in both, so an ASCII file forced to GB18030 still reads.
    let ascii = CALLS.lines().next().unwrap();
    assert!(parse_calls_with(ascii.as_bytes(), gb).is_ok());
    let forced = ReadOptions {
        encoding: Encoding::Utf8,
        ..ReadOptions::default()
    };
    let err = parse_calls_with(&gbk(CALLS), forced).unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().contains("line 2")),
        ("file_not_utf8", true)
    );
}

#[test]
fn a_tab_separated_file_gives_the_same_records_as_the_csv() {
    let csv = parse_calls(CALLS.as_bytes()).unwrap();
    let tsv = CALLS
        .replace("\"李女士, 贵宾\"", "李女士; 贵宾")
        .replace(',', "\t")
        .replace("李女士; 贵宾", "李女士, 贵宾");
    assert_eq!(parse_calls(tsv.as_bytes()).unwrap(), csv);
    let tab = ReadOptions {
        delimiter: Delimiter::Tab,
        ..ReadOptions::default()
    };
    assert_eq!(parse_calls_with(tsv.as_bytes(), tab).unwrap(), csv);
    // A GBK tab-separated file, as Chinese Excel saves "Text (Tab delimited)".
    assert_eq!(parse_calls(&gbk(&tsv)).unwrap(), csv);
}

#[test]
fn a_forced_delimiter_wins_over_detection() {
    let comma = ReadOptions {
        delimiter: Delimiter::Comma,
        ..ReadOptions::default()
    };
    let tsv = CALLS.replace(',', "\t");
    let err = parse_calls_with(tsv.as_bytes(), comma).unwrap_err();
    assert_eq!(err.code(), "missing_column");
}

#[test]
fn bytes_that_are_neither_utf8_nor_gb18030_reject_the_whole_file() {
    let mut bytes = gbk(CALLS);
    // 0xFF starts no character in either encoding.
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.insert(at + 3, 0xFF);
    let err = parse_calls(&bytes).unwrap_err();
    assert_eq!(err.code(), "file_unknown_encoding");
    assert_eq!(
        err.to_string(),
        "the file is neither UTF-8 nor GBK/GB18030 text (first bad byte on line 2); \
         save it as \"CSV UTF-8\""
    );
    let forced = ReadOptions {
        encoding: Encoding::Gb18030,
        ..ReadOptions::default()
    };
    assert_eq!(
        parse_calls_with(&bytes, forced).unwrap_err().code(),
        "file_not_gb18030"
    );
}

#[test]
fn a_utf8_byte_order_mark_is_trusted_even_when_the_rest_is_not_utf8() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(gbk(
        "source,record_id,call_record_id,employee_no,answered_on,score\n王,1,1,A1,2026-10-01,5\n",
    ));
    assert_eq!(parse_surveys(&bytes).unwrap_err().code(), "file_not_utf8");
}
