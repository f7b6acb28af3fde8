//! Base measures from tickets, chat sessions, orders, attendance and work records on both
//! backends, on hand-made records whose every measure is worked out in the comments.

use chrono::{NaiveDateTime, TimeDelta};
use jixiao_core::org::TypeCode;
use jixiao_core::record::{AttendanceRecord, ChatRecord, OrderRecord, TicketRecord, WorkRecord};
use jixiao_core::scorecard::library_values;
use jixiao_store::{RecordBatch, contract_test};
use rust_decimal::{Decimal, dec};

use crate::fixtures::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A ticket of A001 (or nobody's) created at `created`, first answered and resolved after
/// the given seconds.
fn ticket(id: &str, who: Option<&str>, created: &str, times: [Option<i64>; 2]) -> TicketRecord {
    let after = |s: Option<i64>| s.map(|s| t(created) + TimeDelta::seconds(s));
    TicketRecord {
        source: "itsm".into(),
        record_id: id.into(),
        created_at: t(created),
        first_response_at: after(times[0]),
        resolved_at: after(times[1]),
        closed_at: None,
        reopen_count: 0,
        reassignment_count: 0,
        priority: "P3".into(),
        category: "Billing".into(),
        employee_no: who.map(agent),
        sla_met: None,
        customer_id: None,
        business_type: None,
    }
}

fn chat(id: &str, buyer: &str, started: &str, replies: u32, inquiry: bool) -> ChatRecord {
    ChatRecord {
        source: "shop".into(),
        record_id: id.into(),
        started_at: t(started),
        employee_no: agent("A001"),
        customer_id: buyer.into(),
        shop: None,
        customer_messages: replies + 1,
        agent_replies: replies,
        first_response_secs: (replies > 0).then_some(12),
        total_response_secs: replies * 20,
        is_inquiry: inquiry,
    }
}

fn order(id: &str, who: &str, buyer: &str, placed: &str, session: Option<&str>) -> OrderRecord {
    OrderRecord {
        source: "shop".into(),
        record_id: id.into(),
        placed_at: t(placed),
        paid_at: Some(t(placed) + TimeDelta::minutes(1)),
        amount: dec!(199.90),
        refunded_amount: dec!(0),
        customer_id: buyer.into(),
        employee_no: Some(agent(who)),
        session_record_id: session.map(str::to_string),
    }
}

fn shift(id: &str, on: &str, [scheduled, worked, absent, late]: [u32; 4]) -> AttendanceRecord {
    AttendanceRecord {
        source: "wfm".into(),
        record_id: id.into(),
        date: d(on),
        employee_no: agent("A001"),
        scheduled_mins: scheduled,
        worked_mins: worked,
        absent_mins: absent,
        late_mins: late,
    }
}

fn work(id: &str, on: &str, quantity: Decimal) -> WorkRecord {
    WorkRecord {
        source: "bo".into(),
        record_id: id.into(),
        date: d(on),
        employee_no: agent("A001"),
        work_type: TypeCode::parse("LEAD").unwrap(),
        quantity,
        note: None,
    }
}

/// A001's October beyond calls, plus an unassigned ticket and an order of A002's.
pub fn kinds() -> RecordBatch {
    let day = |d: u32, h: u32| format!("2026-10-{d:02} {h:02}:00:00");
    let tickets = vec![
        TicketRecord {
            sla_met: Some(true),
            reopen_count: 1,
            ..ticket("T1", Some("A001"), &day(2, 10), [Some(720), Some(86_400)])
        },
        ticket("T2", Some("A001"), &day(4, 10), [None, None]),
        TicketRecord {
            sla_met: Some(false),
            ..ticket("T3", Some("A001"), &day(5, 10), [Some(60), Some(3_600)])
        },
        ticket("T4", None, &day(6, 10), [Some(1), Some(2)]),
    ];
    let chats = vec![
        chat("S1", "b1", &day(2, 10), 4, true),
        chat("S2", "b1", &day(2, 15), 1, true),
        chat("S3", "b2", &day(3, 10), 0, true),
        chat("S4", "b3", &day(3, 11), 1, false),
    ];
    let orders = vec![
        order("O1", "A001", "b1", &day(2, 16), Some("S2")),
        OrderRecord {
            refunded_amount: dec!(10),
            amount: dec!(50),
            ..order("O2", "A001", "b2", &day(4, 9), None)
        },
        OrderRecord {
            paid_at: None,
            ..order("O3", "A001", "b3", &day(3, 12), None)
        },
        order("O4", "A002", "b1", &day(3, 9), None),
    ];
    let attendance = vec![
        shift("H1", "2026-10-02", [480, 470, 10, 3]),
        shift("H2", "2026-10-03", [480, 480, 0, 0]),
        shift("H3", "2026-10-04", [0, 60, 0, 0]),
    ];
    let work = vec![
        work("W1", "2026-10-02", dec!(2.5)),
        work("W2", "2026-10-03", dec!(1.25)),
    ];
    RecordBatch {
        tickets: (2..).zip(tickets).collect(),
        chats: (10..).zip(chats).collect(),
        orders: (20..).zip(orders).collect(),
        attendance: (30..).zip(attendance).collect(),
        work: (40..).zip(work).collect(),
        ..RecordBatch::default()
    }
}

contract_test!(
    tickets_chats_orders_attendance_and_work_give_their_measures,
    |store| async move {
        let c = center(&store).await;
        let out = store
            .write_import(&new_import("k.csv"), &kinds())
            .await
            .unwrap();
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        let tallies = store.tallies(oct()).await.unwrap();
        let a1 = &tallies
            .iter()
            .find(|s| (s.employee_id, s.team_id) == (c.a1, c.t1))
            .unwrap()
            .totals;
        let expect = |pairs: &[(&str, Decimal)]| {
            for (name, v) in pairs {
                assert_eq!(a1.get(name), *v, "{name}");
            }
        };
        // T1 answered after 720 s and resolved after a day, SLA met, reopened; T2 untouched;
        // T3 answered after 60 s, resolved after an hour, SLA missed; T4 is nobody's.
        expect(&[
            ("tickets", dec!(3)),
            ("tickets_responded", dec!(2)),
            ("first_response_secs", dec!(780)),
            ("tickets_resolved", dec!(2)),
            ("resolution_secs", dec!(90000)),
            ("sla_met", dec!(1)),
            ("sla_total", dec!(2)),
            ("reopened", dec!(1)),
        ]);
        // Four sessions, three answered (12 s first response each, 20 s per reply round).
        // Inquiries: b1 on the 2nd (two sessions, one inquiry) and b2 on the 3rd; S4 is no
        // inquiry. O1 links to S2: b1's inquiry converted. O2 has no link and was placed on the
        // 4th, not the day of b2's inquiry; O3 was never paid; O4 is A002's.
        expect(&[
            ("chat_sessions", dec!(4)),
            ("chat_sessions_responded", dec!(3)),
            ("chat_first_response_secs", dec!(36)),
            ("chat_replies", dec!(6)),
            ("chat_response_secs", dec!(120)),
            ("inquiries", dec!(2)),
            ("inquiries_converted", dec!(1)),
            ("orders_paid", dec!(2)),
            ("buyers_paid", dec!(2)),
            ("order_amount", dec!(249.90)),
            ("orders_refunded", dec!(1)),
            ("refund_amount", dec!(10)),
        ]);
        // H3 is overtime on a day off: worked, not a rostered shift.
        expect(&[
            ("shifts", dec!(2)),
            ("scheduled_mins", dec!(960)),
            ("worked_mins", dec!(1010)),
            ("absent_mins", dec!(10)),
            ("late_count", dec!(1)),
            ("late_mins", dec!(3)),
            ("work_items", dec!(3.75)),
        ]);
        let values = library_values(a1);
        let value = |k: &str| values.iter().find(|v| v.kpi == k).unwrap().value;
        assert_eq!(value("ticket_first_response"), Some(dec!(390)));
        assert_eq!(value("sla_met_rate"), Some(dec!(50)));
        assert_eq!(value("reopen_rate"), Some(dec!(50)));
        assert_eq!(value("inquiry_conversion"), Some(dec!(50)));
        assert_eq!(value("chat_avg_response"), Some(dec!(20)));
        assert_eq!(value("avg_order_value"), Some(dec!(124.95)));
        assert_eq!(value("attendance_rate"), Some(dec!(98.96)));
        assert_eq!(value("lateness_rate"), Some(dec!(50)));
        let a2 = &tallies
            .iter()
            .find(|s| s.employee_id == c.a2)
            .unwrap()
            .totals;
        assert_eq!(a2.get("orders_paid"), dec!(1));
        assert_eq!(a2.get("inquiries"), dec!(0));
    }
);
