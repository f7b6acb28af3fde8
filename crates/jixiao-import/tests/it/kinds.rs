//! The record kinds beyond calls, surveys and QA: every canonical writer's output parses back
//! to the same records, every kind goes through `parse_batch`, and the optional interaction
//! columns may be missing from old files.

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::{
    AttendanceRecord, Channel, ChatRecord, OrderRecord, TicketRecord, WorkRecord,
};
use jixiao_import::canonical::{
    Kind, Parsed, parse_attendance, parse_batch, parse_calls, parse_chats, parse_orders,
    parse_tickets, parse_work, write_attendance, write_chats, write_orders, write_tickets,
    write_work,
};
use rust_decimal::dec;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn agent(s: &str) -> AgentRef {
    AgentRef::parse(s).unwrap()
}

/// Writes `records` with `write`, parses them back with `parse` and expects them unchanged.
fn round_trip<T: PartialEq + std::fmt::Debug + Clone>(
    records: &[T],
    write: impl Fn(&[T], &mut Vec<u8>) -> std::io::Result<()>,
    parse: impl Fn(&[u8]) -> Result<Parsed<T>, jixiao_import::canonical::FileError>,
) {
    let mut buf = Vec::new();
    write(records, &mut buf).unwrap();
    let parsed = parse(&buf).unwrap();
    assert_eq!(parsed.rejects, vec![], "{}", String::from_utf8_lossy(&buf));
    let back: Vec<T> = parsed.records.into_iter().map(|(_, r)| r).collect();
    assert_eq!(back, records);
}

fn ticket() -> TicketRecord {
    TicketRecord {
        source: "itsm".into(),
        record_id: "INC,\"1\"".into(),
        created_at: at("2026-10-31 23:59:00"),
        first_response_at: Some(at("2026-11-01 00:10:00")),
        resolved_at: Some(at("2026-11-02 08:00:00")),
        closed_at: Some(at("2026-11-05 08:00:00")),
        reopen_count: 1,
        reassignment_count: 3,
        priority: "3 - Moderate".into(),
        category: "Category 55, \"hardware\"\nsecond line".into(),
        employee_no: Some(agent("Resolver 149")),
        sla_met: Some(false),
        customer_id: Some("Caller 2403".into()),
        business_type: Some(TypeCode::parse("COMPLAINT").unwrap()),
    }
}

#[test]
fn written_tickets_parse_back_exactly_with_and_without_their_optional_values() {
    let bare = TicketRecord {
        record_id: "INC2".into(),
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        employee_no: None,
        sla_met: None,
        customer_id: None,
        business_type: None,
        ..ticket()
    };
    round_trip(&[ticket(), bare], |r, w| write_tickets(r, w), parse_tickets);
}

#[test]
fn written_chat_sessions_parse_back_exactly() {
    let chat = ChatRecord {
        source: "shop".into(),
        record_id: "S1".into(),
        started_at: at("2026-11-11 00:00:05"),
        employee_no: agent("客服小王"),
        customer_id: "buyer, 9".into(),
        shop: Some("旗舰店".into()),
        customer_messages: 6,
        agent_replies: 4,
        first_response_secs: Some(12),
        total_response_secs: 80,
        is_inquiry: true,
    };
    let silent = ChatRecord {
        record_id: "S2".into(),
        shop: None,
        agent_replies: 0,
        first_response_secs: None,
        total_response_secs: 0,
        is_inquiry: false,
        ..chat.clone()
    };
    round_trip(&[chat, silent], |r, w| write_chats(r, w), parse_chats);
}

#[test]
fn written_orders_parse_back_exactly_keeping_fen() {
    let order = OrderRecord {
        source: "shop".into(),
        record_id: "O1".into(),
        placed_at: at("2026-11-11 00:10:00"),
        paid_at: Some(at("2026-11-11 00:11:00")),
        amount: dec!(199.90),
        refunded_amount: dec!(19.99),
        customer_id: "buyer-9".into(),
        employee_no: Some(agent("kf01")),
        session_record_id: Some("S1".into()),
    };
    let unpaid = OrderRecord {
        record_id: "O2".into(),
        paid_at: None,
        amount: dec!(0),
        refunded_amount: dec!(0),
        employee_no: None,
        session_record_id: None,
        ..order.clone()
    };
    round_trip(&[order, unpaid], |r, w| write_orders(r, w), parse_orders);
}

#[test]
fn written_attendance_and_work_records_parse_back_exactly() {
    let shift = AttendanceRecord {
        source: "wfm".into(),
        record_id: "SH-1".into(),
        date: day("2026-11-02"),
        employee_no: agent("A00012"),
        scheduled_mins: 480,
        worked_mins: 495,
        absent_mins: 0,
        late_mins: 5,
    };
    round_trip(&[shift], |r, w| write_attendance(r, w), parse_attendance);
    let work = WorkRecord {
        source: "bo".into(),
        record_id: "W-1".into(),
        date: day("2026-11-02"),
        employee_no: agent("A00012"),
        work_type: TypeCode::parse("LEAD").unwrap(),
        quantity: dec!(2.50),
        note: Some("a note, \"quoted\"".into()),
    };
    let bare = WorkRecord {
        record_id: "W-2".into(),
        note: None,
        ..work.clone()
    };
    round_trip(&[work, bare], |r, w| write_work(r, w), parse_work);
}

#[test]
fn every_kind_has_columns_and_goes_through_parse_batch() {
    assert_eq!(Kind::all().len(), 8);
    for &kind in Kind::all() {
        assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        let header = kind.columns().join(",");
        let (batch, rows) = parse_batch(kind, format!("{header}\n").as_bytes()).unwrap();
        assert_eq!((rows, batch.rejects.len()), (0, 0), "{kind:?}");
        for optional in kind.optional_columns() {
            assert!(kind.columns().contains(optional));
        }
    }
    let file = "source,record_id,date,employee_no,work_type,quantity,note\n\
                bo,W-1,2026-11-02,A1,LEAD,3,\n";
    let (batch, rows) = parse_batch(Kind::Work, file.as_bytes()).unwrap();
    assert_eq!((rows, batch.work.len()), (1, 1));
}

#[test]
fn a_calls_file_without_the_interaction_columns_reads_as_voice() {
    let old = "source,record_id,started_at,employee_no,business_type,customer_id,outcome,\
               wait_secs,talk_secs,hold_secs,acw_secs\n\
               pbx,1,2026-11-02 09:00:00,A1,INQ,,answered,1,2,3,4\n";
    let p = parse_calls(old.as_bytes()).unwrap();
    assert_eq!(p.rejects, vec![]);
    let call = &p.records[0].1;
    assert_eq!(call.channel, Channel::Voice);
    assert_eq!(
        (call.queue.as_deref(), call.transfer_to.as_deref()),
        (None, None)
    );
    // Only the optional columns may be missing: a file without `acw_secs` is still refused.
    let short = old.replace(",acw_secs", "").replace(",3,4", ",3");
    let e = parse_calls(short.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "missing_column");
}
