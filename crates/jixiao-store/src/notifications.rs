//! In-app notifications: one row per recipient user, read or unread. Other workflows call
//! [`notify_employee`] (every user linked to an employee) or [`notify_role`] (every user of a
//! role); inside a transaction they use [`Notify`] so the notice commits with the write.

use chrono::{DateTime, Utc};
use jixiao_core::org::Role;
use serde::Serialize;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

use crate::{Page, PageReq, Store, StoreError, limit_offset};

/// One notification as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Stable kind, e.g. `appeal.submitted`, `finding.new`, `period.review` (an i18n key suffix).
    pub kind: String,
    /// One line for people (ids, period, employee number).
    pub subject: String,
    /// Where it leads, an app-relative path.
    pub link: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the recipient marked it read.
    pub read_at: Option<DateTime<Utc>>,
}

const TO_EMPLOYEE: &str = "INSERT INTO notifications (user_id, kind, subject, link, created_at) \
     SELECT id, $2, $3, $4, $5 FROM users WHERE employee_id = $1";
const TO_ROLES: &str = "INSERT INTO notifications (user_id, kind, subject, link, created_at) \
     SELECT id, $2, $3, $4, $5 FROM users WHERE role = $1";
/// What a notice says; shared by the pool and in-transaction forms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Notice<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    pub link: &'a str,
    pub at: DateTime<Utc>,
}

/// Notifies inside the caller's write transaction, so a notice exists exactly when the write
/// it announces committed.
pub(crate) trait Notify {
    /// Every user linked to the employee.
    async fn notify_employee(
        &mut self,
        employee_id: i64,
        n: Notice<'_>,
    ) -> Result<u64, sqlx::Error>;
    /// Every user of the role.
    async fn notify_role(&mut self, role: Role, n: Notice<'_>) -> Result<u64, sqlx::Error>;
}

macro_rules! notify_on {
    ($conn:ty) => {
        impl Notify for $conn {
            async fn notify_employee(
                &mut self,
                employee_id: i64,
                n: Notice<'_>,
            ) -> Result<u64, sqlx::Error> {
                Ok(sqlx::query(TO_EMPLOYEE)
                    .bind(employee_id)
                    .bind(n.kind)
                    .bind(n.subject)
                    .bind(n.link)
                    .bind(n.at)
                    .execute(&mut *self)
                    .await?
                    .rows_affected())
            }

            async fn notify_role(&mut self, role: Role, n: Notice<'_>) -> Result<u64, sqlx::Error> {
                Ok(sqlx::query(TO_ROLES)
                    .bind(role.as_str())
                    .bind(n.kind)
                    .bind(n.subject)
                    .bind(n.link)
                    .bind(n.at)
                    .execute(&mut *self)
                    .await?
                    .rows_affected())
            }
        }
    };
}

notify_on!(SqliteConnection);
notify_on!(PgConnection);

/// Notifies every user linked to `employee_id` (an agent's or supervisor's accounts); an
/// employee without a user account gets nothing, which is not an error.
pub async fn notify_employee(
    store: &Store,
    employee_id: i64,
    kind: &str,
    subject: &str,
    link: &str,
) -> Result<(), StoreError> {
    let n = Notice {
        kind,
        subject,
        link,
        at: Utc::now(),
    };
    on_pool!(store, p => {
        let mut c = p.acquire().await?;
        c.notify_employee(employee_id, n).await?;
    });
    Ok(())
}

/// Notifies every user of `role` (e.g. all performance managers).
pub async fn notify_role(
    store: &Store,
    role: Role,
    kind: &str,
    subject: &str,
    link: &str,
) -> Result<(), StoreError> {
    let n = Notice {
        kind,
        subject,
        link,
        at: Utc::now(),
    };
    on_pool!(store, p => {
        let mut c = p.acquire().await?;
        c.notify_role(role, n).await?;
    });
    Ok(())
}

impl Store {
    /// Tells every agent account with a card in `period` that its review window is open
    /// (linking to their own card); returns how many were notified.
    pub async fn notify_period_review(
        &self,
        period: jixiao_core::Period,
        until: chrono::NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let sql = "INSERT INTO notifications (user_id, kind, subject, link, created_at) \
                   SELECT u.id, 'period.review', $2, '/p/' || $1 || '/agents/' || e.employee_no, $3 \
                   FROM users u JOIN employees e ON e.id = u.employee_id \
                   WHERE u.role = 'agent' AND EXISTS (SELECT 1 FROM scorecards s \
                   WHERE s.period = $1 AND s.employee_id = u.employee_id)";
        let p_str = period.to_string();
        let subject = format!("{p_str} → {until}");
        let n = on_pool!(self, p => sqlx::query(sql)
            .bind(&p_str)
            .bind(&subject)
            .bind(at)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n)
    }

    /// A user's notifications, newest first.
    pub async fn notifications(
        &self,
        user_id: i64,
        page: PageReq,
    ) -> Result<Page<Notification>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let sql = "SELECT id, kind, subject, link, created_at, read_at FROM notifications \
                   WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3";
        type Row = (
            i64,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        );
        let (rows, (total,)): (Vec<Row>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(sql)
                .bind(user_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            let total = sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        Ok(Page {
            items: rows
                .into_iter()
                .map(
                    |(id, kind, subject, link, created_at, read_at)| Notification {
                        id,
                        kind,
                        subject,
                        link,
                        created_at,
                        read_at,
                    },
                )
                .collect(),
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// How many of a user's notifications are unread (the nav badge).
    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
        let (n,): (i64,) =
            on_pool!(self, p => sqlx::query_as(sql).bind(user_id).fetch_one(p).await)?;
        Ok(n)
    }

    /// Marks one of the user's notifications read (`Some(id)`) or all of them (`None`); another
    /// user's id is NotFound, exactly like an id that does not exist.
    pub async fn mark_notifications_read(
        &self,
        user_id: i64,
        id: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE notifications SET read_at = COALESCE(read_at, $3) \
                   WHERE user_id = $1 AND ($2 IS NULL OR id = $2)";
        let n = on_pool!(self, p => sqlx::query(sql)
            .bind(user_id)
            .bind(id)
            .bind(at)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        if n == 0 && id.is_some() {
            return Err(StoreError::NotFound(format!(
                "notification {}",
                id.unwrap_or(0)
            )));
        }
        Ok(n)
    }
}
