//! Loads the demo's fairness data ([`jixiao_import::demo::fairness`]) through the same store
//! calls the pages use, so every step is audited and cross-checked like a real one: QA
//! registers and investigates, the performance manager decides. It runs before the demo
//! scores its months, so it calls the store rather than the services (which would recompute
//! the month once per finding) and sends the "new finding" notices itself.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::fairness::{Rating, StageAnswer, Survey};
use jixiao_import::demo::fairness::{DemoFairness, LINE_CODE, RECEPTION, STAGES};
use jixiao_store::fairness::{NewAttribution, NewComplaint, NewJourney, NewLine, NewStage};
use jixiao_store::{Store, notify_employee};

/// A moment of a day, for the audit log and the pages: the demo's work happens at 10:00.
fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc()
}

/// Writes the plan; `emp_ids` maps employee numbers to ids.
pub async fn load(
    store: &Store,
    plan: &DemoFairness,
    emp_ids: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    let id = |no: &str| {
        emp_ids
            .get(no)
            .copied()
            .with_context(|| format!("demo fairness names unknown employee {no}"))
    };
    let start = at(plan.period.first_day());
    let line_id = store
        .create_journey_line(
            &NewLine {
                code: LINE_CODE.into(),
                name: "家电维修 (appliance repair)".into(),
                threshold: 3,
                tolerance_days: 1,
            },
            "manager",
            start,
        )
        .await?;
    let mut stage_ids = Vec::new();
    for (code, name, source) in STAGES {
        let stage = NewStage {
            line_id,
            code: code.into(),
            name: name.into(),
            source,
        };
        stage_ids.push(store.add_journey_stage(&stage, "manager", start).await?);
    }
    for j in &plan.journeys {
        let opened = at(j.served_on);
        let journey = NewJourney {
            line_id,
            customer_id: j.customer_id.clone(),
            served_on: j.served_on,
            reference: Some(j.reference.clone()),
        };
        let jid = store.create_journey(&journey, "qa", opened).await?;
        for p in &j.staff {
            store
                .add_journey_participant(
                    jid,
                    stage_ids[p.stage],
                    id(&p.employee_no)?,
                    p.record_ref.as_deref(),
                    "qa",
                    opened,
                )
                .await?;
        }
        let Some(s) = &j.survey else { continue };
        let survey = Survey {
            proxy_employee_id: Some(id(&s.proxy_no)?),
            answers: s
                .answers
                .iter()
                .map(|a| -> anyhow::Result<StageAnswer> {
                    Ok(StageAnswer {
                        stage_id: stage_ids[a.stage],
                        rating: Some(Rating::new(a.rating)?),
                        problem: a.problem.clone(),
                        comment: a.comment.clone(),
                    })
                })
                .collect::<anyhow::Result<_>>()?,
        };
        let by = s.proxy_no.to_lowercase();
        let (made, _) = store
            .record_journey_survey(
                jid,
                &survey,
                s.channel,
                s.surveyed_on,
                &by,
                at(s.surveyed_on),
            )
            .await?;
        notify(store, plan, emp_ids, &made).await?;
    }
    for c in &plan.complaints {
        let registered = at(c.registered_on);
        let complaint = NewComplaint {
            channel: c.channel.into(),
            customer_id: Some(c.customer_id.clone()),
            occurred_at: c.occurred_at,
            summary: c.summary.clone(),
            journey_id: None,
        };
        let cid = store
            .register_complaint(&complaint, "qa", registered)
            .await?;
        let (source, record_id) = &c.call;
        store
            .link_complaint(cid, "calls", source, record_id, "qa", registered)
            .await?;
        let Some(no) = &c.attributed_no else { continue };
        store.start_investigation(cid, "qa", registered).await?;
        let attribution = NewAttribution {
            stage_id: stage_ids[RECEPTION],
            employee_id: id(no)?,
            service_at: None,
            note: Some("录音与工单核对 (checked against the recording)".into()),
        };
        let (_, check) = store
            .add_attribution(cid, &attribution, "qa", registered)
            .await?;
        anyhow::ensure!(
            check.is_ok(),
            "demo complaint {cid}: the records do not confirm {no} ({})",
            check.as_str()
        );
        if let Some(d) = &c.decision {
            let made = store
                .decide_complaint(
                    cid,
                    d.outcome,
                    &d.reason,
                    "manager",
                    at(d.decided_on),
                    d.decided_on,
                )
                .await?;
            notify(store, plan, emp_ids, &made).await?;
        }
    }
    Ok(())
}

/// Tells each employee of `made` (finding id, employee id) of the finding, linking to their
/// card as `service::fairness` does.
async fn notify(
    store: &Store,
    plan: &DemoFairness,
    emp_ids: &HashMap<String, i64>,
    made: &[(i64, i64)],
) -> anyhow::Result<()> {
    for &(finding, employee) in made {
        let no = emp_ids
            .iter()
            .find_map(|(no, id)| (*id == employee).then_some(no.as_str()))
            .unwrap_or_default();
        let link = format!("/p/{}/agents/{no}#findings", plan.period);
        let subject = format!("finding #{finding}");
        notify_employee(store, employee, "finding.new", &subject, &link).await?;
    }
    Ok(())
}
