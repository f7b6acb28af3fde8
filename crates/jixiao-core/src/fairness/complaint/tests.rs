use chrono::NaiveDateTime;

use super::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn rec(kind: StaffSource, employee: i64, customer: Option<&str>, at: &str) -> ServiceRecord {
    ServiceRecord {
        kind,
        employee_id: Some(employee),
        customer_id: customer.map(str::to_string),
        at: t(at),
    }
}

fn claim(customer: Option<&str>) -> Claim<'_> {
    Claim {
        employee_id: 7,
        source: StaffSource::Calls,
        at: t("2026-10-12 09:30"),
        customer_id: customer,
    }
}

fn attribution(id: i64, check: CrossCheck) -> Attribution {
    Attribution {
        id,
        employee_id: id * 10,
        removed: false,
        upheld: false,
        check,
        resolution: None,
    }
}

const SAME_DAY: Tolerance = Tolerance { days: 0 };
const MISMATCH: CrossCheck = CrossCheck::Mismatch(Mismatch::NoRecord);

#[test]
fn a_record_of_the_employee_on_the_stage_that_day_for_the_customer_confirms_the_attribution() {
    let records = [rec(StaffSource::Calls, 7, Some("C1"), "2026-10-12 17:00")];
    assert_eq!(
        cross_check(&claim(Some("C1")), &records, SAME_DAY),
        CrossCheck::Ok
    );
}

#[test]
fn each_constructed_mismatch_names_the_part_that_fails() {
    let cases = [
        (
            rec(StaffSource::Tickets, 7, Some("C1"), "2026-10-12 10:00"),
            Mismatch::NotThisStage,
        ),
        (
            rec(StaffSource::Calls, 7, Some("C1"), "2026-10-14 10:00"),
            Mismatch::NotThisTime,
        ),
        (
            rec(StaffSource::Calls, 7, Some("C2"), "2026-10-12 10:00"),
            Mismatch::NotThisCustomer,
        ),
        (
            rec(StaffSource::Calls, 8, Some("C1"), "2026-10-12 10:00"),
            Mismatch::NoRecord,
        ),
    ];
    for (record, expected) in cases {
        assert_eq!(
            cross_check(&claim(Some("C1")), std::slice::from_ref(&record), SAME_DAY),
            CrossCheck::Mismatch(expected),
            "{record:?}"
        );
    }
    assert_eq!(
        cross_check(&claim(Some("C1")), &[], SAME_DAY),
        CrossCheck::Mismatch(Mismatch::NoRecord)
    );
}

#[test]
fn the_time_tolerance_is_configurable_in_days() {
    let records = [rec(StaffSource::Calls, 7, Some("C1"), "2026-10-14 10:00")];
    let c = claim(Some("C1"));
    assert!(!cross_check(&c, &records, SAME_DAY).is_ok());
    assert!(!cross_check(&c, &records, Tolerance { days: 1 }).is_ok());
    assert!(cross_check(&c, &records, Tolerance { days: 2 }).is_ok());
}

#[test]
fn a_stage_outside_the_records_or_a_complaint_without_customer_cannot_be_confirmed() {
    let records = [rec(StaffSource::Calls, 7, Some("C1"), "2026-10-12 10:00")];
    let mut c = claim(Some("C1"));
    c.source = StaffSource::None;
    assert_eq!(
        cross_check(&c, &records, SAME_DAY),
        CrossCheck::Mismatch(Mismatch::StageHasNoRecords)
    );
    assert_eq!(
        cross_check(&claim(None), &records, SAME_DAY),
        CrossCheck::Mismatch(Mismatch::NoCustomer)
    );
}

#[test]
fn a_record_that_names_no_customer_cannot_contradict_the_customer() {
    let mut c = claim(Some("C1"));
    c.source = StaffSource::Work;
    let records = [rec(StaffSource::Work, 7, None, "2026-10-12 08:00")];
    assert!(cross_check(&c, &records, SAME_DAY).is_ok());
}

#[test]
fn every_status_and_check_round_trips_through_its_stored_spelling() {
    for s in ComplaintStatus::ALL {
        assert_eq!(ComplaintStatus::parse(s.as_str()), Ok(s));
    }
    for m in [CrossCheck::Ok, MISMATCH] {
        assert_eq!(CrossCheck::parse(m.as_str()), Ok(m));
    }
    assert!(ComplaintStatus::parse("closed").is_err());
}

#[test]
fn only_a_registered_complaint_starts_an_investigation() {
    assert_eq!(
        ComplaintStatus::Registered.start_investigation(),
        Ok(ComplaintStatus::Investigating)
    );
    for s in &ComplaintStatus::ALL[1..] {
        let e = s.start_investigation().unwrap_err();
        assert_eq!(e.code(), "invalid_transition");
    }
    assert!(
        ComplaintStatus::Investigating
            .ensure_investigating()
            .is_ok()
    );
    assert!(ComplaintStatus::Registered.ensure_investigating().is_err());
    assert!(
        ComplaintStatus::Decided(Outcome::NotUpheld)
            .ensure_investigating()
            .is_err()
    );
}

#[test]
fn only_an_investigated_complaint_is_decided_and_a_decision_is_final() {
    let a = [attribution(1, CrossCheck::Ok)];
    for s in ComplaintStatus::ALL {
        for o in [Outcome::Upheld, Outcome::PartlyUpheld, Outcome::NotUpheld] {
            let r = decide(s, o, &a);
            if s != ComplaintStatus::Investigating {
                assert_eq!(r.unwrap_err().code(), "invalid_transition", "{s:?} {o:?}");
            }
        }
    }
}

#[test]
fn upholding_needs_an_active_attribution() {
    let i = ComplaintStatus::Investigating;
    assert!(decide(i, Outcome::Upheld, &[]).is_err());
    let mut removed = attribution(1, CrossCheck::Ok);
    removed.removed = true;
    assert!(decide(i, Outcome::Upheld, &[removed.clone()]).is_err());
    let both = [removed, attribution(2, CrossCheck::Ok)];
    assert_eq!(decide(i, Outcome::Upheld, &both), Ok(vec![2]));
    assert_eq!(decide(i, Outcome::NotUpheld, &[]), Ok(vec![]));
}

#[test]
fn partly_upheld_turns_only_the_attributions_marked_upheld_into_findings() {
    let i = ComplaintStatus::Investigating;
    let mut a = [attribution(1, CrossCheck::Ok), attribution(2, MISMATCH)];
    assert!(decide(i, Outcome::PartlyUpheld, &a).is_err());
    a[0].upheld = true;
    // The unmarked mismatch does not block: it does not become a finding.
    assert_eq!(decide(i, Outcome::PartlyUpheld, &a), Ok(vec![1]));
}

#[test]
fn an_unresolved_mismatch_blocks_upholding_until_a_written_reason_resolves_it() {
    let i = ComplaintStatus::Investigating;
    let mut a = [attribution(1, CrossCheck::Ok), attribution(2, MISMATCH)];
    let e = decide(i, Outcome::Upheld, &a).unwrap_err();
    assert!(e.to_string().contains("attribution 2"), "{e}");
    a[1].resolution = Some("   ".into());
    assert!(decide(i, Outcome::Upheld, &a).is_err());
    a[1].resolution = Some("the call was logged under the team account".into());
    assert_eq!(decide(i, Outcome::Upheld, &a), Ok(vec![1, 2]));
    // Not upholding never needs a resolution.
    a[1].resolution = None;
    assert_eq!(decide(i, Outcome::NotUpheld, &a), Ok(vec![]));
}
