//! Journey lines and stages (configuration), journeys with their staff, and the one survey of
//! each journey, whose deficient stages become findings in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::fairness::journey::{self, validate_line, validate_stage};
use jixiao_core::fairness::{JourneyLine, Participant, StaffSource, Stage, Survey, Tolerance};
use serde::Serialize;

use super::findings::{NewFinding, insert_finding};
use super::{Visibility, id_list};
use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::lifecycle::invalid;
use crate::{DbResultExt, NewAudit, Store, StoreError, found};

/// A journey line to create.
#[derive(Debug, Clone)]
pub struct NewLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Ratings strictly below it are deficient (1–5).
    pub threshold: u8,
    /// Days a complaint's service time may be from a record's (0 = same day).
    pub tolerance_days: u32,
}

/// A stage to append to a line.
#[derive(Debug, Clone)]
pub struct NewStage {
    /// The line.
    pub line_id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Where its staff come from.
    pub source: StaffSource,
}

/// A journey to open.
#[derive(Debug, Clone)]
pub struct NewJourney {
    /// The line.
    pub line_id: i64,
    /// The customer.
    pub customer_id: String,
    /// The day the service was delivered.
    pub served_on: NaiveDate,
    /// An order or case number, if any.
    pub reference: Option<String>,
}

/// A journey in a list.
#[derive(Debug, Clone, Serialize)]
pub struct JourneyRow {
    /// Id.
    pub id: i64,
    /// Line code.
    pub line_code: String,
    /// Line name.
    pub line_name: String,
    /// Customer.
    pub customer_id: String,
    /// Service day.
    pub served_on: NaiveDate,
    /// Reference.
    pub reference: Option<String>,
    /// Whether the survey was recorded.
    pub surveyed: bool,
    /// Who opened it.
    pub created_by: String,
}

/// An employee on a stage, with where they came from.
#[derive(Debug, Clone, Serialize)]
pub struct JourneyCandidate {
    /// The stage.
    pub stage_id: i64,
    /// The employee.
    pub employee_id: i64,
    /// `kind:source:record_id` when taken from the records; None when entered by hand.
    pub record_ref: Option<String>,
}

/// One stage's stored answer.
#[derive(Debug, Clone, Serialize)]
pub struct StoredRating {
    /// The stage.
    pub stage_id: i64,
    /// 1–5, if given.
    pub rating: Option<u8>,
    /// Named problem.
    pub problem: Option<String>,
    /// Comment.
    pub comment: Option<String>,
}

/// A recorded survey.
#[derive(Debug, Clone, Serialize)]
pub struct StoredSurvey {
    /// The proxy agent.
    pub proxy_employee_id: Option<i64>,
    /// `online` or `call`.
    pub channel: String,
    /// Survey day (its findings count in this day's period).
    pub surveyed_on: NaiveDate,
    /// Who recorded it.
    pub recorded_by: String,
    /// Answers.
    pub ratings: Vec<StoredRating>,
}

/// A journey with its line, staff and survey.
#[derive(Debug, Clone, Serialize)]
pub struct JourneyDetail {
    /// The row.
    pub journey: JourneyRow,
    /// Its line.
    pub line: JourneyLine,
    /// Its staff.
    pub participants: Vec<JourneyCandidate>,
    /// Its survey, once recorded.
    pub survey: Option<StoredSurvey>,
}

type LineRow = (i64, String, String, i64, i64);
type StageRow = (i64, i64, String, String, String);
type JRow = (
    i64,
    String,
    String,
    String,
    NaiveDate,
    Option<String>,
    i64,
    String,
);

const J_COLUMNS: &str = "j.id, l.code, l.name, j.customer_id, j.served_on, j.reference, \
     (SELECT COUNT(*) FROM journey_surveys s WHERE s.journey_id = j.id), j.created_by";

fn jrow(r: JRow) -> JourneyRow {
    JourneyRow {
        id: r.0,
        line_code: r.1,
        line_name: r.2,
        customer_id: r.3,
        served_on: r.4,
        reference: r.5,
        surveyed: r.6 > 0,
        created_by: r.7,
    }
}

fn audit(
    by: &str,
    kind: &str,
    subject: String,
    detail: serde_json::Value,
    at: DateTime<Utc>,
) -> NewAudit {
    NewAudit {
        actor: by.to_string(),
        kind: kind.into(),
        subject,
        detail,
        at,
    }
}

/// The `WHERE` clause (or nothing) limiting journeys `j` to those `v` may see; an agent's
/// binds the creator's username as `$1`.
pub(super) fn journey_filter(v: &Visibility) -> String {
    match v {
        Visibility::All => String::new(),
        Visibility::Employee(id) => format!(
            " WHERE (j.created_by = $1 OR EXISTS (SELECT 1 FROM journey_surveys s \
             WHERE s.journey_id = j.id AND s.proxy_employee_id = {id}))"
        ),
        Visibility::Teams(teams) => format!(
            " WHERE EXISTS (SELECT 1 FROM journey_participants jp JOIN memberships m \
             ON m.employee_id = jp.employee_id WHERE jp.journey_id = j.id \
             AND m.team_id IN ({}) AND m.valid_from <= j.served_on \
             AND (m.valid_to IS NULL OR j.served_on <= m.valid_to))",
            id_list(teams)
        ),
    }
}

impl Store {
    /// Creates a journey line (audited `journey.line.add`); Conflict if the code exists.
    pub async fn create_journey_line(
        &self,
        l: &NewLine,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        validate_line(&l.code, &l.name, l.threshold)?;
        if l.tolerance_days > 30 {
            return Err(invalid(
                "tolerance",
                &l.tolerance_days.to_string(),
                "at most 30 days",
            ));
        }
        let sql = "INSERT INTO journey_lines (code, name, threshold, tolerance_days, created_by, \
                   created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(&l.code)
                .bind(l.name.trim())
                .bind(i64::from(l.threshold))
                .bind(i64::from(l.tolerance_days))
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .conflict(|| format!("journey line {}", l.code))?;
            tx.append_audit(&audit(by, "journey.line.add", format!("journey-line:{id}"), serde_json::json!({
                "code": l.code, "name": l.name.trim(), "threshold": l.threshold,
                "tolerance_days": l.tolerance_days,
            }), at)).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes a line's threshold and tolerance (audited `journey.line.update`, before and
    /// after). Findings already made are not redone.
    pub async fn update_journey_line(
        &self,
        id: i64,
        threshold: u8,
        tolerance_days: u32,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.journey_line(id).await?;
        validate_line(&before.code, &before.name, threshold)?;
        if tolerance_days > 30 {
            return Err(invalid(
                "tolerance",
                &tolerance_days.to_string(),
                "at most 30 days",
            ));
        }
        let sql = "UPDATE journey_lines SET threshold = $2, tolerance_days = $3 WHERE id = $1";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql)
                .bind(id)
                .bind(i64::from(threshold))
                .bind(i64::from(tolerance_days))
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&audit(by, "journey.line.update", format!("journey-line:{id}"), serde_json::json!({
                "threshold": {"from": before.threshold, "to": threshold},
                "tolerance_days": {"from": before.tolerance.days, "to": tolerance_days},
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Appends a stage to a line (audited `journey.stage.add`).
    pub async fn add_journey_stage(
        &self,
        s: &NewStage,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let line = self.journey_line(s.line_id).await?;
        validate_stage(&line.stages, &s.code, &s.name)?;
        let sql = "INSERT INTO journey_stages (line_id, position, code, name, source) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let position = i64::try_from(line.stages.len()).unwrap_or(i64::MAX);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(s.line_id)
                .bind(position)
                .bind(&s.code)
                .bind(s.name.trim())
                .bind(s.source.as_str())
                .fetch_one(&mut *tx)
                .await
                .conflict(|| format!("stage {}", s.code))?;
            tx.append_audit(&audit(by, "journey.stage.add", format!("journey-line:{}", s.line_id), serde_json::json!({
                "stage_id": id, "code": s.code, "name": s.name.trim(), "source": s.source.as_str(),
            }), at)).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every journey line with its stages, by code.
    pub async fn journey_lines(&self) -> Result<Vec<JourneyLine>, StoreError> {
        let lines =
            "SELECT id, code, name, threshold, tolerance_days FROM journey_lines ORDER BY code";
        let stages = "SELECT id, line_id, code, name, source FROM journey_stages \
                      ORDER BY line_id, position";
        let (lines, stages): (Vec<LineRow>, Vec<StageRow>) = on_pool!(self, p => (
            sqlx::query_as(lines).fetch_all(p).await?,
            sqlx::query_as(stages).fetch_all(p).await?,
        ));
        lines
            .into_iter()
            .map(|(id, code, name, threshold, tol)| {
                let stages = stages
                    .iter()
                    .filter(|s| s.1 == id)
                    .map(|s| {
                        Ok(Stage {
                            id: s.0,
                            code: s.2.clone(),
                            name: s.3.clone(),
                            source: StaffSource::parse(&s.4)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                Ok(JourneyLine {
                    id,
                    code,
                    name,
                    threshold: u8::try_from(threshold).unwrap_or(1),
                    tolerance: Tolerance {
                        days: u32::try_from(tol).unwrap_or(0),
                    },
                    stages,
                })
            })
            .collect()
    }

    /// One line; NotFound if absent.
    pub async fn journey_line(&self, id: i64) -> Result<JourneyLine, StoreError> {
        let line = self.journey_lines().await?.into_iter().find(|l| l.id == id);
        found(line, || format!("journey line {id}"))
    }

    /// The line a stage belongs to, and the stage.
    pub(crate) async fn stage_and_line(
        &self,
        stage_id: i64,
    ) -> Result<(Stage, JourneyLine), StoreError> {
        let line = self
            .journey_lines()
            .await?
            .into_iter()
            .find(|l| l.stage(stage_id).is_some());
        let line = found(line, || format!("stage {stage_id}"))?;
        let stage = line
            .stage(stage_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("stage {stage_id}")))?;
        Ok((stage, line))
    }

    /// Opens a journey (audited `journey.add`).
    pub async fn create_journey(
        &self,
        j: &NewJourney,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.journey_line(j.line_id).await?;
        let customer = jixiao_core::fairness::journey::customer(&j.customer_id)?;
        let reference = j
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let sql = "INSERT INTO journeys (line_id, customer_id, served_on, reference, created_by, \
                   created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(j.line_id)
                .bind(&customer)
                .bind(j.served_on)
                .bind(reference)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            tx.append_audit(&audit(by, "journey.add", format!("journey:{id}"), serde_json::json!({
                "line_id": j.line_id, "customer_id": customer,
                "served_on": j.served_on.to_string(), "reference": reference,
            }), at)).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Puts an employee on a stage of a journey (audited `journey.participant.add`), from a
    /// record (`record_ref`) or by hand. Refused once the survey is recorded: its findings
    /// were made on the staff as they were.
    pub async fn add_journey_participant(
        &self,
        journey_id: i64,
        stage_id: i64,
        employee_id: i64,
        record_ref: Option<&str>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let d = self.journey(journey_id).await?;
        if d.line.stage(stage_id).is_none() {
            return Err(invalid(
                "stage",
                &stage_id.to_string(),
                "not a stage of this journey's line",
            ));
        }
        if d.survey.is_some() {
            return Err(jixiao_core::CoreError::InvalidTransition {
                what: "journey",
                from: "surveyed".into(),
                to: "participant added".into(),
                reason: "the survey is recorded; its findings were made on the staff as they were"
                    .into(),
            }
            .into());
        }
        self.employee(employee_id).await?;
        let sql = "INSERT INTO journey_participants (journey_id, stage_id, employee_id, \
                   record_ref, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql)
                .bind(journey_id)
                .bind(stage_id)
                .bind(employee_id)
                .bind(record_ref)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await
                .conflict(|| format!("employee {employee_id} on stage {stage_id}"))?;
            tx.append_audit(&audit(by, "journey.participant.add", format!("journey:{journey_id}"), serde_json::json!({
                "stage_id": stage_id, "employee_id": employee_id, "record_ref": record_ref,
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Who the records show serving the journey's customer on its service day, per stage of
    /// a record kind (not yet on the journey).
    pub async fn journey_candidates(
        &self,
        journey_id: i64,
    ) -> Result<Vec<JourneyCandidate>, StoreError> {
        let d = self.journey(journey_id).await?;
        let day = d.journey.served_on;
        let records = self
            .service_records(None, Some(&d.journey.customer_id), day, day)
            .await?;
        let mut out = Vec::new();
        for stage in &d.line.stages {
            for r in records.iter().filter(|r| r.record.kind == stage.source) {
                let Some(employee_id) = r.record.employee_id else {
                    continue;
                };
                let known = d
                    .participants
                    .iter()
                    .chain(&out)
                    .any(|p: &JourneyCandidate| {
                        p.stage_id == stage.id && p.employee_id == employee_id
                    });
                if !known {
                    out.push(JourneyCandidate {
                        stage_id: stage.id,
                        employee_id,
                        record_ref: Some(r.key.clone()),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Journeys newest first that `v` may see: a supervisor those with a member of their
    /// teams on a stage on the service day; an agent those they opened (`creator`) or ran
    /// the survey of.
    pub async fn journeys(
        &self,
        v: &Visibility,
        creator: &str,
    ) -> Result<Vec<JourneyRow>, StoreError> {
        let filter = journey_filter(v);
        let bind_creator = matches!(v, Visibility::Employee(_));
        let sql = format!(
            "SELECT {J_COLUMNS} FROM journeys j JOIN journey_lines l ON l.id = j.line_id{filter} \
             ORDER BY j.served_on DESC, j.id DESC LIMIT 500"
        );
        let rows: Vec<JRow> = on_pool!(self, p => {
            let q = sqlx::query_as(&sql);
            let q = if bind_creator { q.bind(creator) } else { q };
            q.fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(jrow).collect())
    }

    /// One journey with its line, staff and survey; NotFound if absent.
    pub async fn journey(&self, id: i64) -> Result<JourneyDetail, StoreError> {
        let sql = format!(
            "SELECT {J_COLUMNS}, j.line_id FROM journeys j JOIN journey_lines l ON l.id = j.line_id \
             WHERE j.id = $1"
        );
        let parts = "SELECT stage_id, employee_id, record_ref FROM journey_participants \
                     WHERE journey_id = $1 ORDER BY stage_id, employee_id";
        let survey = "SELECT id, proxy_employee_id, channel, surveyed_on, recorded_by \
                      FROM journey_surveys WHERE journey_id = $1";
        let ratings = "SELECT r.stage_id, r.rating, r.problem, r.comment FROM journey_ratings r \
                       JOIN journey_surveys s ON s.id = r.survey_id WHERE s.journey_id = $1 \
                       ORDER BY r.stage_id";
        type Full = (
            i64,
            String,
            String,
            String,
            NaiveDate,
            Option<String>,
            i64,
            String,
            i64,
        );
        type SRow = (i64, Option<i64>, String, NaiveDate, String);
        type RRow = (i64, Option<i64>, Option<String>, Option<String>);
        type PRow = (i64, i64, Option<String>);
        let (row, parts, survey, ratings): (Option<Full>, Vec<PRow>, Option<SRow>, Vec<RRow>) = on_pool!(self, p => (
            sqlx::query_as(&sql).bind(id).fetch_optional(p).await?,
            sqlx::query_as(parts).bind(id).fetch_all(p).await?,
            sqlx::query_as(survey).bind(id).fetch_optional(p).await?,
            sqlx::query_as(ratings).bind(id).fetch_all(p).await?,
        ));
        let r = found(row, || format!("journey {id}"))?;
        let line = self.journey_line(r.8).await?;
        Ok(JourneyDetail {
            journey: jrow((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7)),
            line,
            participants: parts
                .into_iter()
                .map(|(stage_id, employee_id, record_ref)| JourneyCandidate {
                    stage_id,
                    employee_id,
                    record_ref,
                })
                .collect(),
            survey: survey.map(|s| StoredSurvey {
                proxy_employee_id: s.1,
                channel: s.2,
                surveyed_on: s.3,
                recorded_by: s.4,
                ratings: ratings
                    .into_iter()
                    .map(|r| StoredRating {
                        stage_id: r.0,
                        rating: r.1.and_then(|v| u8::try_from(v).ok()),
                        problem: r.2,
                        comment: r.3,
                    })
                    .collect(),
            }),
        })
    }

    /// Records a journey's one survey and, in the same transaction, a finding per
    /// responsible employee of each deficient stage, counted in the survey day's period
    /// (PeriodClosed if that period is closed). Audited `journey.survey` with every answer
    /// and the findings. Returns (finding id, employee id) pairs and the deficient stages
    /// with nobody on them.
    pub async fn record_journey_survey(
        &self,
        journey_id: i64,
        survey: &Survey,
        channel: &str,
        surveyed_on: NaiveDate,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(Vec<(i64, i64)>, Vec<(i64, String)>), StoreError> {
        if !matches!(channel, "online" | "call") {
            return Err(invalid(
                "survey channel",
                channel,
                "expected online or call",
            ));
        }
        let d = self.journey(journey_id).await?;
        if d.survey.is_some() {
            return Err(StoreError::Conflict(format!(
                "survey of journey {journey_id}"
            )));
        }
        if surveyed_on < d.journey.served_on {
            return Err(invalid(
                "survey day",
                &surveyed_on.to_string(),
                "before the service day",
            ));
        }
        let participants: Vec<Participant> = d
            .participants
            .iter()
            .map(|p| Participant {
                stage_id: p.stage_id,
                employee_id: p.employee_id,
            })
            .collect();
        let deficient = journey::deficient_stages(&d.line, &participants, survey)?;
        let period = Period::containing(surveyed_on);
        let insert_survey = "INSERT INTO journey_surveys (journey_id, proxy_employee_id, channel, \
             surveyed_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let insert_rating = "INSERT INTO journey_ratings (survey_id, stage_id, rating, problem, \
             comment) VALUES ($1, $2, $3, $4, $5)";
        let trimmed = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let made = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            ensure_open!(tx, period);
            let (survey_id,): (i64,) = sqlx::query_as(insert_survey)
                .bind(journey_id)
                .bind(survey.proxy_employee_id)
                .bind(channel)
                .bind(surveyed_on)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .conflict(|| format!("survey of journey {journey_id}"))?;
            for a in &survey.answers {
                sqlx::query(insert_rating)
                    .bind(survey_id)
                    .bind(a.stage_id)
                    .bind(a.rating.map(|r| i64::from(r.get())))
                    .bind(trimmed(&a.problem))
                    .bind(trimmed(&a.comment))
                    .execute(&mut *tx)
                    .await?;
            }
            let mut made = Vec::new();
            for f in &deficient.findings {
                let nf = NewFinding {
                    origin: "survey",
                    employee_id: f.employee_id,
                    date: surveyed_on,
                    journey_id: Some(journey_id),
                    stage_id: Some(f.stage_id),
                    complaint_id: None,
                    attribution_id: None,
                    reason: f.reason.clone(),
                };
                let id = insert_finding!(tx, &nf, at);
                made.push((id, f.employee_id));
            }
            tx.append_audit(&audit(by, "journey.survey", format!("journey:{journey_id}"), serde_json::json!({
                "proxy_employee_id": survey.proxy_employee_id,
                "channel": channel,
                "surveyed_on": surveyed_on.to_string(),
                "answers": survey.answers,
                "findings": made.iter().map(|(id, e)| serde_json::json!({"id": id, "employee_id": e})).collect::<Vec<_>>(),
                "unstaffed": deficient.unstaffed,
            }), at)).await?;
            tx.commit().await?;
            made
        });
        Ok((made, deficient.unstaffed))
    }
}
