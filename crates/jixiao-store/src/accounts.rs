//! User administration (admin only): list, create, change role, reset password, deactivate.
//! Every change is audited in the same transaction. A deactivated user keeps their row (the
//! audit trail names them) but cannot sign in, and their sessions and API tokens stop working.

use chrono::{DateTime, Utc};
use jixiao_core::org::Role;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::{DbResultExt, NewAudit, NewUser, Store, StoreError, found};

/// A user as the admin page lists them (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserSummary {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// The linked employee.
    pub employee_id: Option<i64>,
    /// That employee's number.
    pub employee_no: Option<String>,
    /// Preferred language.
    pub locale: String,
    /// When the account was deactivated; `None` while active.
    pub deactivated_at: Option<DateTime<Utc>>,
}

type SummaryRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    Option<DateTime<Utc>>,
);

fn summary(r: SummaryRow) -> Result<UserSummary, StoreError> {
    Ok(UserSummary {
        id: r.0,
        username: r.1,
        role: Role::parse(&r.2)?,
        employee_id: r.3,
        employee_no: r.4,
        locale: r.5,
        deactivated_at: r.6,
    })
}

const SUMMARY_SQL: &str = "SELECT u.id, u.username, u.role, u.employee_id, e.employee_no, \
                           u.locale, u.deactivated_at \
                           FROM users u LEFT JOIN employees e ON e.id = u.employee_id";

/// What an admin changes on a user.
#[derive(Debug, Clone)]
pub enum UserChange {
    /// A new role and linked employee.
    Role {
        /// The role.
        role: Role,
        /// The employee (needed by supervisors and agents for their scope).
        employee_id: Option<i64>,
    },
    /// A new password, already hashed (Argon2 PHC string); the user's sessions end.
    Password(String),
    /// Deactivation: sessions end, sign-in and tokens are refused.
    Deactivate,
}

impl UserChange {
    fn kind(&self) -> &'static str {
        match self {
            UserChange::Role { .. } => "user.role",
            UserChange::Password(_) => "user.password",
            UserChange::Deactivate => "user.deactivate",
        }
    }
}

impl Store {
    /// Every user, by username.
    pub async fn users(&self) -> Result<Vec<UserSummary>, StoreError> {
        let sql = format!("{SUMMARY_SQL} ORDER BY u.username");
        let rows: Vec<SummaryRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        rows.into_iter().map(summary).collect()
    }

    /// One user, or NotFound.
    pub async fn user_summary(&self, id: i64) -> Result<UserSummary, StoreError> {
        let sql = format!("{SUMMARY_SQL} WHERE u.id = $1");
        let row: Option<SummaryRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        summary(found(row, || format!("user {id}"))?)
    }

    /// Creates a user and audits it as `user.create`; Conflict if the username exists.
    pub async fn create_user_audited(
        &self,
        u: &NewUser,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let sql = "INSERT INTO users (username, password_hash, role, employee_id, locale) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(&u.username)
                .bind(&u.password_hash)
                .bind(u.role.as_str())
                .bind(u.employee_id)
                .bind(&u.locale)
                .fetch_one(&mut *tx)
                .await
                .conflict(|| format!("user {}", u.username))?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "user.create".into(),
                subject: u.username.clone(),
                detail: serde_json::json!({
                    "user_id": id,
                    "role": u.role.as_str(),
                    "employee_id": u.employee_id,
                }),
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Applies an admin's change to a user and audits it (`user.role`, `user.password`,
    /// `user.deactivate`); a password reset or deactivation also ends the user's sessions.
    /// NotFound if there is no such user.
    pub async fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let before = self.user_summary(id).await?;
        let detail = match change {
            UserChange::Role { role, employee_id } => serde_json::json!({
                "user_id": id,
                "from": before.role.as_str(),
                "to": role.as_str(),
                "employee_id": employee_id,
            }),
            UserChange::Password(_) | UserChange::Deactivate => {
                serde_json::json!({ "user_id": id })
            }
        };
        let audit = NewAudit {
            actor: by.to_string(),
            kind: change.kind().into(),
            subject: before.username.clone(),
            detail,
            at,
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            match change {
                UserChange::Role { role, employee_id } => {
                    sqlx::query("UPDATE users SET role = $2, employee_id = $3 WHERE id = $1")
                        .bind(id)
                        .bind(role.as_str())
                        .bind(employee_id)
                        .execute(&mut *tx)
                        .await?;
                }
                UserChange::Password(hash) => {
                    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                        .bind(id)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                UserChange::Deactivate => {
                    sqlx::query(
                        "UPDATE users SET deactivated_at = $2 \
                         WHERE id = $1 AND deactivated_at IS NULL",
                    )
                    .bind(id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            if !matches!(change, UserChange::Role { .. }) {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.append_audit(&audit).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
