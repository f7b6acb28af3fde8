//! Who stands how to an appeal or a note: the appellant (any account linked to the employee),
//! the supervisor of a team the employee belonged to during the period, or a manager. Anyone
//! else gets NotFound, exactly as for an id that does not exist.

use jixiao_core::Period;
use jixiao_core::appeal::Party;
use jixiao_core::org::Role;

use crate::{Backend, Store, StoreError, User};

/// `YYYY-MM` of a date column, per backend (SQLite stores ISO text, PostgreSQL a DATE).
pub(crate) fn month_of(backend: Backend, col: &str) -> String {
    match backend {
        Backend::Sqlite => format!("substr({col}, 1, 7)"),
        Backend::Postgres => format!("to_char({col}, 'YYYY-MM')"),
    }
}

/// SQL: whether the supervisor employee `$sup` leads a team the employee `emp` belonged to at
/// some time in the period `per` (both column expressions).
pub(crate) fn led_by_sql(backend: Backend, emp: &str, per: &str, sup: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM memberships m JOIN teams t ON t.id = m.team_id \
         WHERE m.employee_id = {emp} AND t.supervisor_id = {sup} \
         AND {from} <= {per} AND (m.valid_to IS NULL OR {to} >= {per}))",
        from = month_of(backend, "m.valid_from"),
        to = month_of(backend, "m.valid_to"),
    )
}

impl Store {
    /// Whether `supervisor` (an employee) led a team `employee` belonged to during `period`.
    pub async fn supervises(
        &self,
        supervisor: i64,
        employee: i64,
        period: Period,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT 1 WHERE {}",
            led_by_sql(self.backend(), "$1", "$3", "$2")
        );
        let p = period.to_string();
        let row: Option<(i32,)> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(employee)
            .bind(supervisor)
            .bind(&p)
            .fetch_optional(pool)
            .await)?;
        Ok(row.is_some())
    }

    /// How `user` stands to `employee`'s items of `period`; NotFound (`what`) when not at all.
    pub(crate) async fn party(
        &self,
        user: &User,
        employee: i64,
        period: Period,
        what: impl FnOnce() -> String,
    ) -> Result<Party, StoreError> {
        if user.employee_id == Some(employee) {
            return Ok(Party::Appellant);
        }
        match user.role {
            Role::Admin | Role::Manager => Ok(Party::Manager),
            Role::Supervisor => match user.employee_id {
                Some(me) if self.supervises(me, employee, period).await? => Ok(Party::Supervisor),
                _ => Err(StoreError::NotFound(what())),
            },
            Role::Qa | Role::Agent => Err(StoreError::NotFound(what())),
        }
    }
}

impl Store {
    /// The steps `user` may take on `appeal` now, in display order (none for someone who may
    /// not see it): what the page offers; [`Store::step_appeal`] checks again when one is taken.
    pub async fn appeal_actions(
        &self,
        user: &User,
        appeal: &super::Appeal,
        today: chrono::NaiveDate,
    ) -> Result<Vec<jixiao_core::appeal::Action>, StoreError> {
        use jixiao_core::appeal::{Action, AppealState, step};
        let mut party = match self
            .party(user, appeal.employee_id, appeal.period, String::new)
            .await
        {
            Ok(p) => p,
            Err(StoreError::NotFound(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        if user.username == appeal.submitted_by {
            party = Party::Appellant;
        }
        let info = self.period_info(appeal.period).await?;
        if info.status == jixiao_core::period::PeriodStatus::Closed {
            return Ok(Vec::new());
        }
        let open = info.status == jixiao_core::period::PeriodStatus::InReview
            && info.review_until.is_some_and(|u| today <= u);
        let state = AppealState {
            status: appeal.status,
            escalated: appeal.escalated,
        };
        Ok([
            Action::Accept,
            Action::Reject,
            Action::Escalate,
            Action::Withdraw,
        ]
        .into_iter()
        .filter(|a| step(state, *a, party, open).is_ok())
        .collect())
    }

    /// Whether `period`'s review window is open on `today` (appeals are taken).
    pub async fn review_window_open(
        &self,
        period: Period,
        today: chrono::NaiveDate,
    ) -> Result<bool, StoreError> {
        let info = self.period_info(period).await?;
        Ok(info.status == jixiao_core::period::PeriodStatus::InReview
            && info.review_until.is_some_and(|u| today <= u))
    }
}
