//! Service journeys: a business line's ordered stages (for example consultation → reception →
//! service delivery → follow-up), the staff who served one customer at each stage, and the
//! survey a proxy agent runs for the whole journey. A deficient stage (rated under the line's
//! threshold, or with a named problem) becomes one finding per responsible employee.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{StaffSource, required_text};
use crate::CoreError;

/// One stage of a journey line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Stored id.
    pub id: i64,
    /// Stable code within its line, for example `reception`.
    pub code: String,
    /// Display name, for example 受理.
    pub name: String,
    /// Where its staff come from.
    pub source: StaffSource,
}

/// A business line's journey: ordered stages and the rating under which a stage is deficient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyLine {
    /// Stored id.
    pub id: i64,
    /// Stable code, for example `repair`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// A rating strictly below this (1–5) is deficient; 1 means only named problems count.
    pub threshold: u8,
    /// How far a complaint's service time may be from a record's to confirm an attribution.
    pub tolerance: super::Tolerance,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl JourneyLine {
    /// The stage with this id, if it is one of the line's.
    pub fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }
}

/// Checks a line's code, name and threshold.
pub fn validate_line(code: &str, name: &str, threshold: u8) -> Result<(), CoreError> {
    validate_code("journey line code", code)?;
    required_text("journey line name", name, 100)?;
    if !(1..=5).contains(&threshold) {
        return Err(CoreError::invalid(
            "journey threshold",
            &threshold.to_string(),
            "expected 1 to 5",
        ));
    }
    Ok(())
}

/// Checks a stage's code and name, and that the code is new in its line.
pub fn validate_stage(existing: &[Stage], code: &str, name: &str) -> Result<(), CoreError> {
    validate_code("stage code", code)?;
    required_text("stage name", name, 100)?;
    if existing.iter().any(|s| s.code == code) {
        return Err(CoreError::invalid(
            "stage code",
            code,
            "already a stage of this line",
        ));
    }
    Ok(())
}

/// Checks a customer id as typed: trimmed, not blank, at most 100 characters.
pub fn customer(id: &str) -> Result<String, CoreError> {
    required_text("customer id", id, 100)
}

fn validate_code(what: &'static str, code: &str) -> Result<(), CoreError> {
    if crate::kpi::measures::is_name(code) {
        Ok(())
    } else {
        Err(CoreError::invalid(
            what,
            code,
            "expected lower-case letters, digits and _",
        ))
    }
}

/// A customer's answer on the 1–5 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// A rating from 1 to 5.
    pub fn new(v: u8) -> Result<Rating, CoreError> {
        if (1..=5).contains(&v) {
            Ok(Rating(v))
        } else {
            Err(CoreError::invalid(
                "stage rating",
                &v.to_string(),
                "expected 1 to 5",
            ))
        }
    }

    /// The value.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = CoreError;
    fn try_from(v: u8) -> Result<Self, CoreError> {
        Rating::new(v)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// An employee who served the customer at a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Participant {
    /// The stage.
    pub stage_id: i64,
    /// The employee responsible at that stage.
    pub employee_id: i64,
}

/// The customer's answer about one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageAnswer {
    /// The stage.
    pub stage_id: i64,
    /// The rating, if the customer gave one.
    pub rating: Option<Rating>,
    /// A problem the customer named (for example "came late"), if any.
    pub problem: Option<String>,
    /// Anything else they said.
    pub comment: Option<String>,
}

/// A survey of a whole journey, run by a proxy agent (online link or during a call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// The agent who ran it; never the person judged.
    pub proxy_employee_id: Option<i64>,
    /// One answer per stage asked about.
    pub answers: Vec<StageAnswer>,
}

/// A finding a deficient stage gives one responsible employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageFinding {
    /// The stage.
    pub stage_id: i64,
    /// The employee.
    pub employee_id: i64,
    /// Why, for the scorecard: stage, rating against the threshold, the named problem.
    pub reason: String,
}

/// What a survey's deficient stages give: findings, and deficient stages nobody was recorded
/// on (reported, never silently dropped, so the journey's staff can be completed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Deficient {
    /// One per responsible employee of each deficient stage.
    pub findings: Vec<StageFinding>,
    /// Deficient stages with no staff recorded: (stage id, reason).
    pub unstaffed: Vec<(i64, String)>,
}

/// Checks a survey against its line and journey staff: every answer is about a stage of the
/// line, once; free texts are bounded; and the proxy is not one of the staff judged (a survey
/// run by someone who served the customer would be judging their own work).
pub fn validate_survey(
    line: &JourneyLine,
    participants: &[Participant],
    survey: &Survey,
) -> Result<(), CoreError> {
    let mut seen = BTreeSet::new();
    for a in &survey.answers {
        let Some(stage) = line.stage(a.stage_id) else {
            return Err(CoreError::invalid(
                "survey stage",
                &a.stage_id.to_string(),
                "not a stage of this journey's line",
            ));
        };
        if !seen.insert(a.stage_id) {
            return Err(CoreError::invalid(
                "survey stage",
                &stage.code,
                "answered twice",
            ));
        }
        for text in [&a.problem, &a.comment].into_iter().flatten() {
            if text.chars().count() > 1000 {
                return Err(CoreError::invalid(
                    "survey text",
                    text,
                    "at most 1000 characters",
                ));
            }
        }
    }
    if let Some(proxy) = survey.proxy_employee_id
        && participants.iter().any(|p| p.employee_id == proxy)
    {
        return Err(CoreError::invalid(
            "survey proxy",
            &proxy.to_string(),
            "served this journey; the survey must be run by someone who is not judged by it",
        ));
    }
    Ok(())
}

/// The deficient stages of a validated survey: rated under the line's threshold or with a
/// named problem. Each gives one finding per employee recorded on the stage; a deficient stage
/// with nobody on it is reported in `unstaffed`. Stages in line order, employees by id.
pub fn deficient_stages(
    line: &JourneyLine,
    participants: &[Participant],
    survey: &Survey,
) -> Result<Deficient, CoreError> {
    validate_survey(line, participants, survey)?;
    let answers: BTreeMap<i64, &StageAnswer> =
        survey.answers.iter().map(|a| (a.stage_id, a)).collect();
    let mut out = Deficient::default();
    for stage in &line.stages {
        let Some(answer) = answers.get(&stage.id) else {
            continue;
        };
        let Some(reason) = deficiency(stage, line.threshold, answer) else {
            continue;
        };
        let staff: BTreeSet<i64> = participants
            .iter()
            .filter(|p| p.stage_id == stage.id)
            .map(|p| p.employee_id)
            .collect();
        if staff.is_empty() {
            out.unstaffed.push((stage.id, reason));
            continue;
        }
        for employee_id in staff {
            out.findings.push(StageFinding {
                stage_id: stage.id,
                employee_id,
                reason: reason.clone(),
            });
        }
    }
    Ok(out)
}

/// Why a stage's answer is deficient, or `None` when it is not.
fn deficiency(stage: &Stage, threshold: u8, answer: &StageAnswer) -> Option<String> {
    let low = answer.rating.filter(|r| r.get() < threshold);
    let problem = answer
        .problem
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let mut parts = Vec::new();
    if let Some(r) = low {
        parts.push(format!("rated {} (< {threshold})", r.get()));
    }
    if let Some(p) = problem {
        parts.push(format!("problem: {p}"));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{} {}: {}",
        stage.name,
        stage.code,
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> JourneyLine {
        let stage = |id, code: &str, source| Stage {
            id,
            code: code.into(),
            name: code.to_uppercase(),
            source,
        };
        JourneyLine {
            id: 1,
            code: "repair".into(),
            name: "Repair".into(),
            threshold: 3,
            tolerance: super::super::Tolerance::default(),
            stages: vec![
                stage(10, "consult", StaffSource::Calls),
                stage(11, "reception", StaffSource::Tickets),
                stage(12, "delivery", StaffSource::None),
                stage(13, "follow_up", StaffSource::Calls),
            ],
        }
    }

    fn answer(stage_id: i64, rating: Option<u8>, problem: Option<&str>) -> StageAnswer {
        StageAnswer {
            stage_id,
            rating: rating.map(|r| Rating::new(r).unwrap()),
            problem: problem.map(str::to_string),
            comment: None,
        }
    }

    fn staff() -> Vec<Participant> {
        [(10, 1), (11, 2), (12, 3), (12, 4)]
            .map(|(stage_id, employee_id)| Participant {
                stage_id,
                employee_id,
            })
            .to_vec()
    }

    #[test]
    fn a_rating_under_the_threshold_gives_a_finding_and_one_at_it_does_not() {
        let s = Survey {
            proxy_employee_id: Some(9),
            answers: vec![answer(10, Some(2), None), answer(11, Some(3), None)],
        };
        let d = deficient_stages(&line(), &staff(), &s).unwrap();
        assert_eq!(d.findings.len(), 1);
        assert_eq!((d.findings[0].stage_id, d.findings[0].employee_id), (10, 1));
        assert!(d.findings[0].reason.contains("rated 2 (< 3)"));
        assert!(d.unstaffed.is_empty());
    }

    #[test]
    fn a_named_problem_is_deficient_even_with_a_good_rating_and_judges_every_stage_employee() {
        let s = Survey {
            proxy_employee_id: None,
            answers: vec![answer(12, Some(5), Some("arrived two hours late"))],
        };
        let d = deficient_stages(&line(), &staff(), &s).unwrap();
        let who: Vec<i64> = d.findings.iter().map(|f| f.employee_id).collect();
        assert_eq!(who, vec![3, 4]);
        assert!(d.findings[0].reason.contains("arrived two hours late"));
    }

    #[test]
    fn a_blank_problem_and_an_unrated_stage_are_not_deficient() {
        let s = Survey {
            proxy_employee_id: None,
            answers: vec![answer(10, None, Some("  ")), answer(11, None, None)],
        };
        assert_eq!(
            deficient_stages(&line(), &staff(), &s).unwrap(),
            Deficient::default()
        );
    }

    #[test]
    fn a_deficient_stage_with_no_staff_is_reported_not_dropped() {
        let s = Survey {
            proxy_employee_id: None,
            answers: vec![answer(13, Some(1), None)],
        };
        let d = deficient_stages(&line(), &staff(), &s).unwrap();
        assert!(d.findings.is_empty());
        assert_eq!(d.unstaffed.len(), 1);
        assert_eq!(d.unstaffed[0].0, 13);
    }

    #[test]
    fn the_proxy_cannot_be_one_of_the_staff_judged() {
        let s = Survey {
            proxy_employee_id: Some(2),
            answers: vec![answer(10, Some(1), None)],
        };
        let e = deficient_stages(&line(), &staff(), &s).unwrap_err();
        assert!(e.to_string().contains("survey proxy"), "{e}");
    }

    #[test]
    fn an_answer_about_another_lines_stage_or_twice_about_one_is_refused() {
        let other = Survey {
            proxy_employee_id: None,
            answers: vec![answer(99, Some(1), None)],
        };
        assert!(deficient_stages(&line(), &staff(), &other).is_err());
        let twice = Survey {
            proxy_employee_id: None,
            answers: vec![answer(10, Some(1), None), answer(10, Some(5), None)],
        };
        assert!(deficient_stages(&line(), &staff(), &twice).is_err());
    }

    #[test]
    fn ratings_outside_one_to_five_and_bad_lines_are_refused() {
        assert!(Rating::new(0).is_err() && Rating::new(6).is_err());
        assert!(Rating::new(1).is_ok() && Rating::new(5).is_ok());
        assert!(validate_line("repair", "Repair", 0).is_err());
        assert!(validate_line("Repair!", "Repair", 3).is_err());
        assert!(validate_line("repair", " ", 3).is_err());
        assert!(validate_line("repair", "Repair", 3).is_ok());
        assert!(validate_stage(&line().stages, "consult", "Again").is_err());
        assert!(validate_stage(&line().stages, "install", "Install").is_ok());
    }
}
