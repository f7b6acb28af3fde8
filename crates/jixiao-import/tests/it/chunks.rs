//! A canonical file read chunk by chunk gives the records and rejects of reading it whole:
//! duplicates across chunks are rejected naming the first row's line, as within one.

use std::fmt::Write as _;

use jixiao_core::record::RecordBatch;
use jixiao_import::canonical::{Kind, parse_batch, parse_chunks};
use proptest::prelude::*;

/// Every chunk of `bytes`, merged back into one batch, and the rows read.
fn chunked(bytes: &[u8], rows: usize) -> (RecordBatch, i64) {
    let mut chunks = parse_chunks(Kind::Calls, bytes, rows).unwrap();
    let mut all = RecordBatch::default();
    while let Some(c) = chunks.next_chunk().unwrap() {
        all.calls.extend(c.calls);
        all.rejects.extend(c.rejects);
    }
    all.rejects.sort_by_key(|r| r.row);
    (all, chunks.rows_total())
}

/// A calls file of `ids` (repeats are duplicates), with a malformed row now and then.
fn file(ids: &[u16]) -> String {
    let mut f = String::from(
        "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n",
    );
    for (i, id) in ids.iter().enumerate() {
        let talk = if i % 17 == 16 { "x" } else { "60" };
        writeln!(
            f,
            "pbx,c{id},2026-10-05 09:00:00,A001,INQ,,answered,5,{talk},0,10"
        )
        .unwrap();
    }
    f
}

#[test]
fn a_key_repeated_in_a_later_chunk_is_rejected_naming_the_first_line() {
    let bytes = file(&[1, 2, 3, 4, 1, 5, 2]);
    let (batch, rows) = chunked(bytes.as_bytes(), 2);
    assert_eq!(rows, 7);
    let ids: Vec<&str> = batch
        .calls
        .iter()
        .map(|(_, c)| c.record_id.as_str())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    let reasons: Vec<(i64, &str)> = batch
        .rejects
        .iter()
        .map(|r| (r.row, r.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                6,
                "duplicate of line 2 (same source and record_id); the first is kept"
            ),
            (
                8,
                "duplicate of line 3 (same source and record_id); the first is kept"
            ),
        ]
    );
}

proptest! {
    #[test]
    fn reading_in_chunks_gives_what_reading_whole_gives(
        ids in prop::collection::vec(0u16..300, 0..700),
        rows in 1usize..120,
    ) {
        let bytes = file(&ids);
        let (whole, total) = parse_batch(Kind::Calls, bytes.as_bytes()).unwrap();
        let (chunks, chunk_total) = chunked(bytes.as_bytes(), rows);
        prop_assert_eq!(total, chunk_total);
        prop_assert_eq!(whole.calls, chunks.calls);
        prop_assert_eq!(whole.rejects, chunks.rejects);
    }
}

#[test]
fn a_file_without_data_rows_gives_one_empty_chunk_then_ends() {
    let bytes = file(&[]);
    let mut chunks = parse_chunks(Kind::Calls, bytes.as_bytes(), 5).unwrap();
    let first = chunks.next_chunk().unwrap().expect("one chunk");
    assert!(first.calls.is_empty() && first.rejects.is_empty());
    assert!(chunks.next_chunk().unwrap().is_none());
    assert!(chunks.next_chunk().unwrap().is_none());
    assert_eq!(chunks.rows_total(), 0);
}
