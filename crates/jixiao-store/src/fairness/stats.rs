//! Complaint statistics of a period per stage, team and employee: complaints attributed
//! (active attributions whose service day is in the period) and upheld findings (active
//! complaint findings counted in the period). Teams are those of the day that matters.

use std::collections::{BTreeMap, BTreeSet};

use jixiao_core::Period;
use serde::Serialize;

use super::Visibility;
use crate::{Store, StoreError};

/// One line of a statistics table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    /// Stage, team or employee id (0: no team).
    pub id: i64,
    /// Its name (stage: `line / stage`; employee: `no name`).
    pub name: String,
    /// Distinct complaints attributed.
    pub complaints: i64,
    /// Active upheld findings.
    pub upheld: i64,
}

/// The three tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ComplaintStats {
    /// Per stage.
    pub stages: Vec<StatRow>,
    /// Per team.
    pub teams: Vec<StatRow>,
    /// Per employee.
    pub employees: Vec<StatRow>,
}

#[derive(Default)]
struct Acc {
    complaints: BTreeSet<i64>,
    upheld: i64,
}

fn rows(acc: BTreeMap<i64, Acc>, name: impl Fn(i64) -> String) -> Vec<StatRow> {
    acc.into_iter()
        .map(|(id, a)| StatRow {
            id,
            name: name(id),
            complaints: i64::try_from(a.complaints.len()).unwrap_or(i64::MAX),
            upheld: a.upheld,
        })
        .collect()
}

impl Store {
    /// The period's complaint statistics as `v` may see them (a supervisor: their teams'
    /// members only; an agent: nothing).
    pub async fn complaint_stats(
        &self,
        period: Period,
        v: &Visibility,
    ) -> Result<ComplaintStats, StoreError> {
        if matches!(v, Visibility::Employee(_)) {
            return Ok(ComplaintStats::default());
        }
        let attributed = "SELECT a.stage_id, m.team_id, a.employee_id, a.complaint_id \
             FROM complaint_attributions a LEFT JOIN memberships m ON m.employee_id = a.employee_id \
             AND m.valid_from <= a.service_date AND (m.valid_to IS NULL OR a.service_date <= m.valid_to) \
             WHERE NOT a.removed AND a.service_date >= $1 AND a.service_date <= $2";
        let upheld = "SELECT f.stage_id, m.team_id, f.employee_id FROM findings f \
             LEFT JOIN memberships m ON m.employee_id = f.employee_id \
             AND m.valid_from <= f.date AND (m.valid_to IS NULL OR f.date <= m.valid_to) \
             WHERE f.origin = 'complaint' AND f.status = 'active' AND f.period = $1";
        type A = (i64, Option<i64>, i64, i64);
        type F = (Option<i64>, Option<i64>, i64);
        let (a, f): (Vec<A>, Vec<F>) = on_pool!(self, p => (
            sqlx::query_as(attributed).bind(period.first_day()).bind(period.last_day()).fetch_all(p).await?,
            sqlx::query_as(upheld).bind(period.to_string()).fetch_all(p).await?,
        ));
        let seen = |team: Option<i64>| match v {
            Visibility::Teams(t) => team.is_some_and(|t0| t.contains(&t0)),
            _ => true,
        };
        let (mut st, mut tm, mut em): (BTreeMap<i64, Acc>, BTreeMap<i64, Acc>, BTreeMap<i64, Acc>) =
            Default::default();
        for (stage, team, employee, complaint) in a.into_iter().filter(|r| seen(r.1)) {
            for (map, key) in [
                (&mut st, stage),
                (&mut tm, team.unwrap_or(0)),
                (&mut em, employee),
            ] {
                map.entry(key).or_default().complaints.insert(complaint);
            }
        }
        for (stage, team, employee) in f.into_iter().filter(|r| seen(r.1)) {
            for (map, key) in [
                (&mut st, stage.unwrap_or(0)),
                (&mut tm, team.unwrap_or(0)),
                (&mut em, employee),
            ] {
                map.entry(key).or_default().upheld += 1;
            }
        }
        let lines = self.journey_lines().await?;
        let stage_name = |id: i64| {
            lines
                .iter()
                .find_map(|l| l.stage(id).map(|s| format!("{} / {}", l.name, s.name)))
                .unwrap_or_else(|| "-".into())
        };
        let teams: BTreeMap<i64, String> = self
            .teams()
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let employees: BTreeMap<i64, String> = self
            .employees()
            .await?
            .into_iter()
            .map(|e| (e.id, format!("{} {}", e.employee_no, e.name)))
            .collect();
        Ok(ComplaintStats {
            stages: rows(st, stage_name),
            teams: rows(tm, |id| {
                teams.get(&id).cloned().unwrap_or_else(|| "-".into())
            }),
            employees: rows(em, |id| {
                employees.get(&id).cloned().unwrap_or_else(|| "-".into())
            }),
        })
    }
}
