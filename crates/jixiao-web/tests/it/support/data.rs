//! The fixture's rules and source files.

use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::{GradeBand, Scheme, SchemeItem};

/// The scheme both departments use: points (prorated), AHT, CSAT, QA; grades A–D.
pub fn scheme() -> Scheme {
    let item = |kpi, weight: i64, floor: i64, target: i64, prorate| SchemeItem {
        kpi,
        weight: weight.into(),
        floor: floor.into(),
        target: target.into(),
        prorate,
        library_kpi: None,
        scoring: None,
    };
    Scheme {
        items: vec![
            item(KpiCode::Points, 40, 0, 20, true),
            item(KpiCode::Aht, 15, 600, 240, false),
            item(KpiCode::Csat, 20, 60, 90, false),
            item(KpiCode::Qa, 25, 70, 95, false),
        ],
        distribution: None,
        grades: [("A", 90), ("B", 75), ("C", 60), ("D", 0)]
            .into_iter()
            .map(|(g, m)| GradeBand {
                grade: g.into(),
                min_score: m.into(),
            })
            .collect(),
    }
}

/// Calls of the fixture: A001 one 600 s call, A002 three 100 s calls (team AHT 225, while the
/// mean of the two agents' AHTs would be 350); A003 and A004 a few more.
pub const CALLS_CSV: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,c1,2026-10-02 09:00:00,A001,INQ,cust1,answered,5,500,60,40
pbx,c2,2026-10-02 09:10:00,A002,INQ,cust2,answered,5,80,0,20
pbx,c3,2026-10-03 10:00:00,A002,CMP,cust3,transferred,5,100,0,0
pbx,c4,2026-10-04 11:00:00,A002,INQ,,answered,5,90,10,0
pbx,c5,2026-10-05 11:00:00,A003,CMP,,answered,5,300,0,0
pbx,c6,2026-10-06 12:00:00,,INQ,,abandoned,30,0,0,0
";

/// Surveys of the fixture.
pub const SURVEYS_CSV: &str = "\
source,record_id,call_record_id,employee_no,answered_on,score
ivr,s1,c1,A001,2026-10-02,5
ivr,s2,c2,A002,2026-10-02,3
ivr,s3,c3,A002,2026-10-03,4
";

/// QA reviews of the fixture.
pub const QA_CSV: &str = "\
source,record_id,employee_no,reviewer_no,reviewed_on,score,critical_failure
qa,q1,A001,Q001,2026-10-10,90,false
qa,q2,A002,Q001,2026-10-11,80,no
qa,q3,A003,,2026-10-12,70,true
";

/// 60 calls of A004, for pagination.
pub fn many_calls_csv() -> String {
    let mut s = String::from(
        "source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs\n",
    );
    for i in 0..60 {
        s.push_str(&format!(
            "pbx,m{i:03},2026-10-{:02} 08:{:02}:00,A004,INQ,,answered,3,120,0,30\n",
            1 + i / 10,
            i % 60
        ));
    }
    s
}
