//! A canonical file read from disk as it is parsed (`scan_file` + `parse_file_chunks`) gives
//! exactly what reading its bytes in memory gives: records, rejects with their lines,
//! duplicates across chunks, and the file-level errors; and its scan hashes like `file_hash`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_core::record::RecordBatch;
use jixiao_import::canonical::{
    FileError, Kind, file_hash, parse_batch, parse_file_chunks, scan_file,
};
use proptest::prelude::*;

/// A file under the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(bytes: &[u8]) -> TempFile {
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "jixiao-file-chunks-{}-{}.csv",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Every chunk of the file at `bytes`, read from disk, merged back into one batch.
fn from_disk(
    kind: Kind,
    bytes: &[u8],
    rows: usize,
) -> Result<(RecordBatch, i64, String), FileError> {
    let f = TempFile::new(bytes);
    let scan = scan_file(&f.0)?;
    let mut chunks = parse_file_chunks(kind, &scan, rows)?;
    let mut all = RecordBatch::default();
    while let Some(c) = chunks.next_chunk()? {
        all.calls.extend(c.calls);
        all.surveys.extend(c.surveys);
        all.rejects.extend(c.rejects);
    }
    all.rejects.sort_by_key(|r| r.row);
    Ok((all, chunks.rows_total(), scan.hash))
}

const HEADER: &str = "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs";

/// A calls file of `ids` (repeats are duplicates) with bad values now and then, quoted
/// fields with line ends inside, Chinese text, and the chosen line end.
fn file(ids: &[u16], crlf: bool, bom: bool) -> Vec<u8> {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut f = String::new();
    if bom {
        f.push('\u{feff}');
    }
    f.push_str(HEADER);
    f.push_str(nl);
    for (i, id) in ids.iter().enumerate() {
        let talk = if i % 17 == 16 { "x" } else { "60" };
        let customer = if i % 5 == 3 {
            format!("\"客户{nl}第{i}号\"")
        } else {
            format!("cust{i}")
        };
        write!(
            f,
            "pbx,c{id},2026-10-05 09:00:00,A001,INQ,{customer},answered,5,{talk},0,10{nl}"
        )
        .unwrap();
    }
    f.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn reading_from_disk_gives_what_reading_bytes_gives(
        ids in prop::collection::vec(0u16..200, 0..400),
        rows in 1usize..90,
        crlf: bool,
        bom: bool,
    ) {
        let bytes = file(&ids, crlf, bom);
        let (whole, total) = parse_batch(Kind::Calls, &bytes).unwrap();
        let (disk, disk_total, hash) = from_disk(Kind::Calls, &bytes, rows).unwrap();
        prop_assert_eq!(total, disk_total);
        prop_assert_eq!(whole.calls, disk.calls);
        prop_assert_eq!(whole.rejects, disk.rejects);
        prop_assert_eq!(hash, file_hash(&bytes));
    }
}

#[test]
fn a_gbk_file_on_disk_reads_as_its_utf8_twin() {
    let utf8 = file(&[1, 2, 3, 2, 4, 5, 6, 7], true, false);
    let (gbk, _, bad) = encoding_rs::GB18030.encode(std::str::from_utf8(&utf8).unwrap());
    assert!(!bad);
    let (a, na, _) = from_disk(Kind::Calls, &utf8, 3).unwrap();
    let (b, nb, _) = from_disk(Kind::Calls, &gbk, 3).unwrap();
    assert_eq!((a.calls, a.rejects, na), (b.calls, b.rejects, nb));
}

#[test]
fn a_large_file_crosses_many_read_blocks_with_the_right_lines() {
    // About 3 MB: several 1 MiB read blocks and window shifts.
    let ids: Vec<u16> = (0..30_000u32).map(|i| (i % 20_000) as u16).collect();
    let bytes = file(&ids, false, false);
    assert!(bytes.len() > 2 << 20);
    let (whole, total) = parse_batch(Kind::Calls, &bytes).unwrap();
    let (disk, disk_total, _) = from_disk(Kind::Calls, &bytes, 7_000).unwrap();
    assert_eq!(total, disk_total);
    assert_eq!(whole.rejects, disk.rejects);
    assert_eq!(whole.calls.len(), disk.calls.len());
    assert!(whole.calls == disk.calls);
    assert!(
        disk.rejects
            .iter()
            .any(|r| r.reason.starts_with("duplicate of line"))
    );
}

#[test]
fn file_errors_are_the_in_memory_errors() {
    for bytes in [
        &b""[..],
        b"\xEF\xBB\xBF \r\n",
        b"\xEF\xBB\xBFsource,record_id\nx,\xff\n",
        b"source,record_id\n",
        b"a,b\n\xff\xfe\xfd\xff\n",
    ] {
        let memory = jixiao_import::canonical::parse_chunks(Kind::Calls, bytes, 10).err();
        let disk = from_disk(Kind::Calls, bytes, 10).err();
        assert_eq!(
            memory.as_ref().map(ToString::to_string),
            disk.as_ref().map(ToString::to_string),
            "{bytes:?}"
        );
        assert!(disk.is_some(), "{bytes:?}");
    }
}

#[test]
fn a_missing_file_is_unreadable_naming_it() {
    let e = scan_file(std::path::Path::new("/nonexistent/calls.csv")).unwrap_err();
    assert_eq!(e.code(), "file_unreadable");
    assert!(e.to_string().contains("/nonexistent/calls.csv"), "{e}");
}
