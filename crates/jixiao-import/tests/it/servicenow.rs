//! The ServiceNow incident event log preset, on a cut of the real log (eight incidents, 58
//! events) and on the whole real file. `UPDATE_GOLDEN=1` rewrites the snapshot in
//! `tests/fixtures/servicenow/`.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use jixiao_import::presets::servicenow;

use super::golden::{check_snapshot_in, fixtures, render, shared_data};

#[test]
fn a_cut_of_the_real_log_gives_one_ticket_per_incident_in_its_final_state() {
    let bytes = std::fs::read(fixtures().join("servicenow/incidents.csv")).unwrap();
    let p = servicenow::parse(&bytes, "servicenow").unwrap();
    assert_eq!((p.rows_total, p.records.len(), p.rejects.len()), (58, 7, 1));
    let by_id: HashMap<&str, _> = p
        .records
        .iter()
        .map(|(_, t)| (t.record_id.as_str(), t))
        .collect();
    // Assigned while being created, opened a little later: responded at the opening.
    let early = by_id["INC0000131"];
    assert_eq!(early.first_response_at, Some(early.created_at));
    // Assigned to Resolver 34, then handed back to the queue: unassigned in its final state.
    let handed_back = by_id["INC0000280"];
    assert_eq!(handed_back.employee_no, None);
    assert!(handed_back.first_response_at.is_some());
    assert_eq!(handed_back.reassignment_count, 5);
    assert_eq!(by_id["INC0000102"].reopen_count, 1);
    assert_eq!(by_id["INC0000093"].resolved_at, None);
    assert_eq!(p.rejects[0].column, "category");
    check_snapshot_in("servicenow", "incidents.expected.txt", &render(Ok(p)));
}

#[test]
fn an_incident_with_a_rejected_event_is_reported_not_guessed() {
    let header = "number,reassignment_count,reopen_count,made_sla,caller_id,opened_at,\
                  sys_updated_at,category,priority,assigned_to,resolved_at,closed_at";
    let file = format!(
        "{header}\n\
         INC1,0,0,TRUE,Caller 1,01-03-2016 09:00,01-03-2016 09:00,Category 1,3 - Moderate,?,?,?\n\
         INC1,0,0,TRUE,Caller 1,01-03-2016 09:00,2016-03-01 10:00,Category 1,3 - Moderate,Resolver 7,?,?\n\
         INC2,0,0,?,Caller 2,01-03-2016 09:00,01-03-2016 09:30,Category 2,4 - Low,Resolver 7,?,?\n"
    );
    let p = servicenow::parse(file.as_bytes(), "sn").unwrap();
    assert_eq!(p.records.len(), 1);
    let ticket = &p.records[0].1;
    assert_eq!(ticket.record_id, "INC2");
    assert_eq!(ticket.employee_no.as_ref().unwrap().as_str(), "R7");
    assert_eq!(ticket.sla_met, None);
    let rejected: Vec<(i64, &str)> = p
        .rejects
        .iter()
        .map(|r| (r.row, r.column.as_str()))
        .collect();
    // The bad event, and the incident on the line of its last good event.
    assert_eq!(rejected, [(2, "number"), (3, "sys_updated_at")]);
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%d-%m-%Y %H:%M").unwrap()
}

#[test]
fn the_real_log_gives_every_incident_with_a_category_as_its_last_event_says() {
    let Some(dir) = shared_data("servicenow-incident-log") else {
        return;
    };
    let bytes = std::fs::read(dir.join("incident_event_log.csv")).unwrap();
    let p = servicenow::parse(&bytes, "servicenow").unwrap();
    // Checked against the raw rows, independently of the preset: the last row of each
    // incident is its final state.
    let mut raw = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = raw.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut last: HashMap<String, Vec<String>> = HashMap::new();
    let mut incidents = Vec::new();
    for row in raw.records() {
        let row: Vec<String> = row.unwrap().iter().map(str::to_string).collect();
        if !last.contains_key(&row[0]) {
            incidents.push(row[0].clone());
        }
        last.insert(row[0].clone(), row);
    }
    assert_eq!((p.rows_total, incidents.len()), (5998, 890));
    assert_eq!((p.records.len(), p.rejects.len()), (886, 4));
    assert!(p.rejects.iter().all(|r| r.column == "category"));
    let opt = |v: &str| (v != "?").then(|| at(v));
    for (_, t) in &p.records {
        let f = &last[&t.record_id];
        assert_eq!(t.created_at, at(&f[col("opened_at")]), "{}", t.record_id);
        assert_eq!(t.resolved_at, opt(&f[col("resolved_at")]));
        assert_eq!(t.closed_at, opt(&f[col("closed_at")]));
        assert_eq!(t.priority, f[col("priority")]);
        assert_eq!(t.category, f[col("category")]);
        assert_eq!(t.reopen_count.to_string(), f[col("reopen_count")]);
        assert_eq!(
            t.reassignment_count.to_string(),
            f[col("reassignment_count")]
        );
        assert_eq!(t.sla_met, Some(f[col("made_sla")] == "TRUE"));
        let assignee = t.employee_no.as_ref().map(|a| a.as_str().to_string());
        let expected = f[col("assigned_to")]
            .strip_prefix("Resolver ")
            .map(|n| format!("R{n}"));
        assert_eq!(assignee, expected, "{}", t.record_id);
        if let Some(first) = t.first_response_at {
            assert!(first >= t.created_at);
        }
    }
    let met = p.records.iter().filter(|(_, t)| t.sla_met == Some(true));
    let unassigned = p.records.iter().filter(|(_, t)| t.employee_no.is_none());
    // SOURCE.md: 495 of the 890 incidents end with made_sla TRUE; 2 of them have no category.
    assert_eq!((met.count(), unassigned.count()), (493, 214));
}
