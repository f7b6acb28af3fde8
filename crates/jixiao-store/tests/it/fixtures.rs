//! A small center built directly from jixiao-core types.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::kpi::KpiCode;
use jixiao_core::org::{AgentRef, EmployeeNo, Membership, TypeCode};
use jixiao_core::record::{CallRecord, Channel, Outcome, QaRecord, SurveyRecord};
use jixiao_core::scheme::{GradeBand, Scheme, SchemeItem};
use jixiao_store::{BusinessType, NewEmployee, NewImport, RecordBatch, Store};
use rust_decimal::{Decimal, dec};

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instant")
}

pub fn no(s: &str) -> EmployeeNo {
    EmployeeNo::parse(s).expect("test employee number")
}

/// An agent as a source names them: an employee number or an alias.
pub fn agent(s: &str) -> AgentRef {
    AgentRef::parse(s).expect("test agent")
}

pub fn scheme() -> Scheme {
    let item = |kpi, weight, floor, target, prorate| SchemeItem {
        kpi,
        weight,
        floor,
        target,
        prorate,
        library_kpi: None,
        scoring: None,
    };
    Scheme {
        items: vec![
            item(KpiCode::Points, dec!(40), dec!(0), dec!(100), true),
            item(KpiCode::Aht, dec!(15), dec!(600), dec!(240), false),
            item(KpiCode::Csat, dec!(20), dec!(60), dec!(90), false),
            item(KpiCode::Qa, dec!(25), dec!(70), dec!(95), false),
        ],
        distribution: None,
        grades: [
            ("A", dec!(90)),
            ("B", dec!(75)),
            ("C", dec!(60)),
            ("D", dec!(0)),
        ]
        .into_iter()
        .map(|(g, m)| GradeBand {
            grade: g.into(),
            min_score: m,
        })
        .collect(),
    }
}

/// Ids of the fixture center.
#[allow(dead_code)]
pub struct Center {
    pub dept: i64,
    pub t1: i64,
    pub t2: i64,
    /// A001: in T1 all along.
    pub a1: i64,
    /// A002: in T1 until 2026-10-14, then T2.
    pub a2: i64,
    /// A003: in T2 from 2026-10-05.
    pub a3: i64,
}

/// Department CALL with teams T1 and T2, three agents, types INQ (1.0) and CMP (1.2345),
/// unit price 0.85.
pub async fn center(store: &Store) -> Center {
    let dept = store.upsert_department("CALL", "Calls").await.unwrap();
    for (code, c) in [("INQ", dec!(1.0)), ("CMP", dec!(1.2345))] {
        store
            .upsert_business_type(&BusinessType {
                code: TypeCode::parse(code).unwrap(),
                name: code.to_lowercase(),
                coefficient: c,
            })
            .await
            .unwrap();
    }
    store
        .set_department_rules(dept, &scheme(), dec!(0.85))
        .await
        .unwrap();
    let ids = store
        .insert_employees(&["A001", "A002", "A003"].map(|n| NewEmployee {
            employee_no: no(n),
            name: format!("Agent {n}"),
            position: "agent".into(),
            hire_date: d("2025-01-01"),
        }))
        .await
        .unwrap();
    let t1 = store.upsert_team(dept, "T1", "Team 1", None).await.unwrap();
    let t2 = store.upsert_team(dept, "T2", "Team 2", None).await.unwrap();
    let m = |employee_id, team_id, from: &str, to: Option<&str>| Membership {
        employee_id,
        team_id,
        valid_from: d(from),
        valid_to: to.map(d),
    };
    for membership in [
        m(ids[0], t1, "2025-01-01", None),
        m(ids[1], t1, "2025-01-01", Some("2026-10-14")),
        m(ids[1], t2, "2026-10-15", None),
        m(ids[2], t2, "2026-10-05", None),
    ] {
        store.add_membership(&membership).await.unwrap();
    }
    Center {
        dept,
        t1,
        t2,
        a1: ids[0],
        a2: ids[1],
        a3: ids[2],
    }
}

/// An answered call: `when` is `YYYY-MM-DD HH:MM:SS`.
pub fn call(id: &str, agent: &str, when: &str, kind: &str, talk: u32) -> CallRecord {
    CallRecord {
        source: "pbx".into(),
        record_id: id.into(),
        started_at: chrono::NaiveDateTime::parse_from_str(when, "%Y-%m-%d %H:%M:%S").unwrap(),
        employee_no: Some(self::agent(agent)),
        business_type: TypeCode::parse(kind).unwrap(),
        customer_id: Some(format!("C-{id}")),
        outcome: Outcome::Answered,
        wait_secs: 7,
        talk_secs: talk,
        hold_secs: 10,
        acw_secs: 20,
        channel: Channel::Voice,
        queue: Some("GENERAL".into()),
        transfer_to: None,
    }
}

pub fn survey(id: &str, agent: &str, on: &str, score: u8) -> SurveyRecord {
    SurveyRecord {
        source: "ivr".into(),
        record_id: id.into(),
        call_record_id: format!("call-{id}"),
        employee_no: self::agent(agent),
        answered_on: d(on),
        score,
    }
}

pub fn qa(id: &str, agent: &str, on: &str, score: Decimal, critical: bool) -> QaRecord {
    QaRecord {
        source: "qa".into(),
        record_id: id.into(),
        employee_no: self::agent(agent),
        reviewer_no: Some(no("Q900")),
        reviewed_on: d(on),
        score,
        critical_failure: critical,
        interaction_id: None,
        form: None,
        items: Vec::new(),
    }
}

/// Numbers the records as file rows from 2 (the header is row 1).
pub fn calls(records: Vec<CallRecord>) -> RecordBatch {
    RecordBatch {
        calls: (2..).zip(records).collect(),
        ..RecordBatch::default()
    }
}

pub fn new_import(name: &str) -> NewImport {
    NewImport {
        kind: "calls".into(),
        file_name: name.into(),
        file_hash: "ab".repeat(32),
        file_size: 1234,
        rows_total: 3,
        imported_by: "tester".into(),
        imported_at: at("2026-11-01T08:00:00Z"),
        mode: jixiao_store::ImportMode::Lenient,
        profile: None,
    }
}

/// A month of mixed records for the whole center.
pub fn october() -> RecordBatch {
    RecordBatch {
        calls: (2..)
            .zip([
                call("c1", "A001", "2026-10-01 09:00:00", "INQ", 100),
                call("c2", "A001", "2026-10-02 09:00:00", "CMP", 200),
                call("c3", "A002", "2026-10-10 10:00:00", "INQ", 300),
                call("c4", "A002", "2026-10-20 11:00:00", "CMP", 150),
                call("c5", "A003", "2026-10-21 12:00:00", "INQ", 90),
                CallRecord {
                    employee_no: None,
                    outcome: Outcome::Abandoned,
                    talk_secs: 0,
                    ..call("c6", "A003", "2026-10-21 12:05:00", "INQ", 0)
                },
                CallRecord {
                    outcome: Outcome::Transferred,
                    ..call("c7", "A001", "2026-10-03 09:00:00", "INQ", 60)
                },
            ])
            .collect(),
        surveys: (20..)
            .zip([
                survey("s1", "A001", "2026-10-01", 5),
                survey("s2", "A001", "2026-10-02", 3),
                survey("s3", "A002", "2026-10-25", 4),
            ])
            .collect(),
        qa: (30..)
            .zip([
                qa("q1", "A001", "2026-10-05", dec!(90), false),
                qa("q2", "A001", "2026-10-06", dec!(80.5), true),
                qa("q3", "A002", "2026-10-07", dec!(87.25), false),
            ])
            .collect(),
        rejects: Vec::new(),
        ..RecordBatch::default()
    }
}

pub fn oct() -> jixiao_core::Period {
    "2026-10".parse().unwrap()
}
