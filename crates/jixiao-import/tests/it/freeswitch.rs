//! The FreeSWITCH CDR preset on the real (spreadsheet re-saved) sample file.
//! `UPDATE_GOLDEN=1` rewrites the snapshot in `tests/fixtures/freeswitch/`.

use jixiao_core::org::TypeCode;
use jixiao_core::record::Outcome;
use jixiao_import::presets::freeswitch;

use super::golden::{check_snapshot_in, render, shared_data};

fn general() -> TypeCode {
    TypeCode::parse("GENERAL").unwrap()
}

#[test]
fn the_real_file_keeps_the_legs_that_name_who_answered_and_rejects_the_rest() {
    let Some(dir) = shared_data("freeswitch-cdr-csv") else {
        return;
    };
    let bytes = std::fs::read(dir.join("Master.csv")).unwrap();
    let p = freeswitch::parse(&bytes, "freeswitch", &general()).unwrap();
    assert_eq!((p.rows_total, p.records.len(), p.rejects.len()), (10, 2, 8));
    let by_line = |l: i64| &p.records.iter().find(|(line, _)| *line == l).unwrap().1;
    // 1002 dialled 1004, who answered: 43 s in all, 32 s of talk.
    let dialled = by_line(7);
    assert_eq!(dialled.outcome, Outcome::Answered);
    assert_eq!(dialled.employee_no.as_ref().unwrap().as_str(), "1004");
    assert_eq!((dialled.wait_secs, dialled.talk_secs), (11, 32));
    assert_eq!(dialled.started_at.to_string(), "2020-02-11 11:05:00");
    // Nobody answered 1002: abandoned after 2 s, no agent.
    let missed = by_line(3);
    assert_eq!((missed.outcome, missed.wait_secs), (Outcome::Abandoned, 2));
    assert!(missed.employee_no.is_none());
    // Every other row is an originated call (`&`) that names no answering extension.
    assert!(
        p.rejects
            .iter()
            .all(|r| r.column == "destination_number" && r.value == "&")
    );
    check_snapshot_in("freeswitch", "master.expected.txt", &render(Ok(p)));
}

#[test]
fn a_repeated_uuid_keeps_the_first_leg() {
    let row = |cause: &str| {
        format!(
            ",5550100,1004,default,2020-02-11 11:13:00,2020-02-11 11:13:09,\
             2020-02-11 11:14:00,60,51,{cause},7adced1a-4c7c-11ea-b08c-2bfc2a06d67d,,,PCMU,PCMU\n"
        )
    };
    let bytes = format!("{}{}", row("NORMAL_CLEARING"), row("USER_BUSY"));
    let p = freeswitch::parse(bytes.as_bytes(), "freeswitch", &general()).unwrap();
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].1.wait_secs, 9);
    assert_eq!(
        (p.rejects[0].row, p.rejects[0].column.as_str()),
        (2, "record_id")
    );
    assert!(p.rejects[0].reason.contains("duplicate of line 1"));
}
