//! The record kinds beyond calls, surveys and QA on both backends: each imports, reads back
//! as written, changes nothing when imported again, is replaced when its content changes, and
//! is refused in a closed period.

use chrono::NaiveDateTime;
use jixiao_core::org::TypeCode;
use jixiao_core::record::{
    AttendanceRecord, Channel, ChatRecord, OrderRecord, Outcome, TicketRecord, WorkRecord,
};
use jixiao_store::{PageReq, RecordBatch, Store, contract_test};
use rust_decimal::dec;

use crate::fixtures::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn ticket(id: &str, who: Option<&str>, created: &str) -> TicketRecord {
    TicketRecord {
        source: "itsm".into(),
        record_id: id.into(),
        created_at: t(created),
        first_response_at: Some(t(created) + chrono::TimeDelta::minutes(12)),
        resolved_at: None,
        closed_at: None,
        reopen_count: 0,
        reassignment_count: 1,
        priority: "3 - Moderate".into(),
        category: "Network".into(),
        employee_no: who.map(agent),
        sla_met: Some(true),
        customer_id: Some("Caller 7".into()),
        business_type: Some(TypeCode::parse("CMP").unwrap()),
    }
}

fn chat(id: &str, who: &str, started: &str) -> ChatRecord {
    ChatRecord {
        source: "shop".into(),
        record_id: id.into(),
        started_at: t(started),
        employee_no: agent(who),
        customer_id: format!("buyer-{id}"),
        shop: Some("旗舰店".into()),
        customer_messages: 6,
        agent_replies: 4,
        first_response_secs: Some(12),
        total_response_secs: 80,
        is_inquiry: true,
    }
}

fn order(id: &str, who: Option<&str>, placed: &str) -> OrderRecord {
    OrderRecord {
        source: "shop".into(),
        record_id: id.into(),
        placed_at: t(placed),
        paid_at: Some(t(placed) + chrono::TimeDelta::minutes(1)),
        amount: dec!(199.90),
        refunded_amount: dec!(0.01),
        customer_id: format!("buyer-{id}"),
        employee_no: who.map(agent),
        session_record_id: who.map(|_| format!("S-{id}")),
    }
}

fn shift(id: &str, who: &str, on: &str) -> AttendanceRecord {
    AttendanceRecord {
        source: "wfm".into(),
        record_id: id.into(),
        date: d(on),
        employee_no: agent(who),
        scheduled_mins: 480,
        worked_mins: 470,
        absent_mins: 10,
        late_mins: 3,
    }
}

fn work(id: &str, who: &str, on: &str) -> WorkRecord {
    WorkRecord {
        source: "bo".into(),
        record_id: id.into(),
        date: d(on),
        employee_no: agent(who),
        work_type: TypeCode::parse("LEAD").unwrap(),
        quantity: dec!(2.25),
        note: Some("营销线索".into()),
    }
}

/// Three records of every new kind in October 2026 (one ticket and one order credited to
/// nobody), numbered as file rows.
fn batch() -> RecordBatch {
    RecordBatch {
        tickets: vec![
            (2, ticket("T1", Some("A001"), "2026-10-31 23:50:00")),
            (3, ticket("T2", None, "2026-10-02 08:00:00")),
            (4, ticket("T3", Some("A002"), "2026-10-03 08:00:00")),
        ],
        chats: vec![
            (5, chat("S1", "A001", "2026-10-01 00:00:05")),
            (6, chat("S2", "A001", "2026-10-01 00:10:00")),
            (7, chat("S3", "A003", "2026-10-21 10:00:00")),
        ],
        orders: vec![
            (8, order("O1", Some("A001"), "2026-10-01 00:20:00")),
            (9, order("O2", None, "2026-10-01 00:30:00")),
            (10, order("O3", Some("A003"), "2026-10-22 00:00:00")),
        ],
        attendance: vec![
            (11, shift("SH1", "A001", "2026-10-01")),
            (12, shift("SH2", "A001", "2026-10-02")),
            (13, shift("SH3", "A002", "2026-10-02")),
        ],
        work: vec![
            (14, work("W1", "A001", "2026-10-01")),
            (15, work("W2", "A002", "2026-10-02")),
            (16, work("W3", "A002", "2026-10-03")),
        ],
        ..RecordBatch::default()
    }
}

/// The records of `items` credited to A001, in the order the store lists them.
fn of_a001<T: Clone>(items: &[(i64, T)], who: impl Fn(&T) -> Option<String>) -> Vec<T> {
    items
        .iter()
        .filter(|(_, r)| who(r).as_deref() == Some("A001"))
        .map(|(_, r)| r.clone())
        .collect()
}

async fn read_back_a001(store: &Store, a1: i64, b: &RecordBatch) {
    let page = PageReq::default();
    let name = |a: &jixiao_core::org::AgentRef| a.as_str().to_string();
    let tickets = store.tickets_of(a1, None, oct(), page).await.unwrap();
    assert_eq!(
        tickets.items,
        of_a001(&b.tickets, |r| r.employee_no.as_ref().map(name))
    );
    let chats = store.chats_of(a1, None, oct(), page).await.unwrap();
    assert_eq!(
        chats.items,
        of_a001(&b.chats, |r| Some(name(&r.employee_no)))
    );
    let orders = store.orders_of(a1, None, oct(), page).await.unwrap();
    assert_eq!(
        orders.items,
        of_a001(&b.orders, |r| r.employee_no.as_ref().map(name))
    );
    let shifts = store.attendance_of(a1, None, oct(), page).await.unwrap();
    assert_eq!(
        shifts.items,
        of_a001(&b.attendance, |r| Some(name(&r.employee_no)))
    );
    let work = store.work_of(a1, None, oct(), page).await.unwrap();
    assert_eq!(work.items, of_a001(&b.work, |r| Some(name(&r.employee_no))));
}

contract_test!(
    every_new_kind_imports_reads_back_and_imports_again_unchanged,
    |store| async move {
        let c = center(&store).await;
        let b = batch();
        let first = store.write_import(&new_import("k.csv"), &b).await.unwrap();
        assert!(first.rejects.is_empty(), "{:?}", first.rejects);
        assert_eq!(
            (first.inserted, first.replaced, first.unchanged),
            (15, 0, 0)
        );
        assert_eq!(first.periods_touched, vec![oct()]);
        read_back_a001(&store, c.a1, &b).await;
        // Money and quantities come back exact from their scaled integers.
        let page = PageReq::default();
        let orders = store.orders_of(c.a1, None, oct(), page).await.unwrap();
        assert_eq!(orders.items[0].amount.to_string(), "199.90");
        let work = store.work_of(c.a1, None, oct(), page).await.unwrap();
        assert_eq!(work.items[0].quantity.to_string(), "2.25");
        let again = store.write_import(&new_import("k.csv"), &b).await.unwrap();
        assert_eq!(
            (again.inserted, again.replaced, again.unchanged),
            (0, 0, 15)
        );
        assert!(again.periods_touched.is_empty());
    }
);

contract_test!(
    a_new_kind_record_with_changed_content_replaces_the_stored_one,
    |store| async move {
        let c = center(&store).await;
        store
            .write_import(&new_import("k.csv"), &batch())
            .await
            .unwrap();
        let mut changed = batch();
        changed.tickets[0].1.resolved_at = Some(t("2026-11-02 10:00:00"));
        changed.tickets[0].1.reopen_count = 1;
        changed.chats[1].1.is_inquiry = false;
        changed.orders[0].1.refunded_amount = dec!(199.90);
        changed.attendance[0].1.late_mins = 0;
        changed.work[0].1.quantity = dec!(3);
        changed.work[0].1.note = None;
        let out = store
            .write_import(&new_import("k2.csv"), &changed)
            .await
            .unwrap();
        assert_eq!((out.inserted, out.replaced, out.unchanged), (0, 5, 10));
        assert_eq!(out.periods_touched, vec![oct()]);
        read_back_a001(&store, c.a1, &changed).await;
    }
);

contract_test!(
    new_kind_records_dated_in_a_closed_period_are_rejected_by_their_date,
    |store| async move {
        center(&store).await;
        store
            .close_period(oct(), &[], "x", "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let out = store
            .write_import(&new_import("k.csv"), &batch())
            .await
            .unwrap();
        assert_eq!(out.inserted, 0);
        assert_eq!(out.rejects.len(), 15);
        let column = |row: i64| {
            let r = out.rejects.iter().find(|r| r.row == row).unwrap();
            assert!(r.reason.contains("2026-10 is closed"), "{}", r.reason);
            (r.column.as_str(), r.value.as_str())
        };
        assert_eq!(column(2), ("created_at", "2026-10-31 23:50:00"));
        assert_eq!(column(5), ("started_at", "2026-10-01 00:00:05"));
        assert_eq!(column(8), ("placed_at", "2026-10-01 00:20:00"));
        assert_eq!(column(11), ("date", "2026-10-01"));
        assert_eq!(column(14), ("date", "2026-10-01"));
    }
);

contract_test!(
    a_ticket_of_an_unknown_business_type_is_a_reject,
    |store| async move {
        center(&store).await;
        let mut b = RecordBatch::default();
        let mut odd = ticket("T9", Some("A001"), "2026-10-05 08:00:00");
        odd.business_type = Some(TypeCode::parse("NOPE").unwrap());
        b.tickets = vec![
            (2, odd),
            (3, ticket("T8", Some("A001"), "2026-10-05 09:00:00")),
        ];
        let out = store.write_import(&new_import("t.csv"), &b).await.unwrap();
        assert_eq!(out.inserted, 1);
        assert_eq!(
            (out.rejects[0].row, out.rejects[0].column.as_str()),
            (2, "business_type")
        );
    }
);

contract_test!(
    interactions_keep_their_channel_queue_and_transfer_target,
    |store| async move {
        let c = center(&store).await;
        let chat = jixiao_core::record::CallRecord {
            channel: Channel::Chat,
            queue: Some("VIP".into()),
            transfer_to: Some("A002".into()),
            outcome: Outcome::Transferred,
            ..call("i1", "A001", "2026-10-05 09:00:00", "INQ", 100)
        };
        let callback = jixiao_core::record::CallRecord {
            employee_no: None,
            outcome: Outcome::Callback,
            talk_secs: 0,
            ..call("i2", "A001", "2026-10-05 09:01:00", "INQ", 0)
        };
        let out = store
            .write_import(&new_import("i.csv"), &calls(vec![chat.clone(), callback]))
            .await
            .unwrap();
        assert_eq!(out.inserted, 2);
        let listed = store
            .calls_of(c.a1, None, oct(), PageReq::default())
            .await
            .unwrap();
        assert_eq!(listed.items, vec![chat]);
        // A call-back request is not handled: it adds nothing to the agent's tallies.
        let tallies = store.tallies(oct()).await.unwrap();
        let handled: u64 = tallies.iter().map(|s| s.partial.handled()).sum();
        assert_eq!(handled, 1);
    }
);
