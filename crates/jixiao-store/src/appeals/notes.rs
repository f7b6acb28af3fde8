//! Feedback and coaching notes on an employee's card of a period: written by the supervisor of
//! one of their teams in the period, or a manager; acknowledged by the employee.

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::appeal::{self, NoteKind, Party};
use serde::Serialize;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::notifications::{Notice, Notify};
use crate::{NewAudit, Store, StoreError, User, found};

/// A note to record.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// The period of the card.
    pub period: Period,
    /// The employee.
    pub employee_id: i64,
    /// Feedback or coaching.
    pub kind: NoteKind,
    /// The text.
    pub body: String,
    /// Now.
    pub at: DateTime<Utc>,
}

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// The period.
    pub period: Period,
    /// The employee.
    pub employee_id: i64,
    /// Feedback or coaching.
    pub kind: NoteKind,
    /// The text.
    pub body: String,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who acknowledged it (the employee's login).
    pub acknowledged_by: Option<String>,
    /// When.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

type NoteRow = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    Option<DateTime<Utc>>,
);

const NOTE_COLUMNS: &str = "id, period, employee_id, kind, body, author, created_at, \
     acknowledged_by, acknowledged_at";

fn note(r: NoteRow) -> Result<Note, StoreError> {
    Ok(Note {
        id: r.0,
        period: r.1.parse()?,
        employee_id: r.2,
        kind: NoteKind::parse(&r.3)?,
        body: r.4,
        author: r.5,
        created_at: r.6,
        acknowledged_by: r.7,
        acknowledged_at: r.8,
    })
}

impl Store {
    /// Records a note as `user`, who must be the supervisor of one of the employee's teams in
    /// the period, or a manager or admin (NotFound otherwise, and for one's own card).
    /// Audited as `note.add`; the employee is notified.
    pub async fn add_note(&self, user: &User, n: &NewNote) -> Result<Note, StoreError> {
        let party = self
            .party(user, n.employee_id, n.period, || "scorecard".to_string())
            .await?;
        if party == Party::Appellant {
            return Err(StoreError::NotFound("scorecard".into()));
        }
        let body = appeal::required("note", &n.body)?;
        let p_str = n.period.to_string();
        let insert = "INSERT INTO notes (period, employee_id, kind, body, author, created_at) \
                      VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(insert)
                .bind(&p_str)
                .bind(n.employee_id)
                .bind(n.kind.as_str())
                .bind(&body)
                .bind(&user.username)
                .bind(n.at)
                .fetch_one(&mut *tx)
                .await?;
            tx.append_audit(&NewAudit {
                actor: user.username.clone(),
                kind: "note.add".into(),
                subject: p_str.clone(),
                detail: serde_json::json!({
                    "note_id": id,
                    "employee_id": n.employee_id,
                    "kind": n.kind.as_str(),
                    "body": body,
                }),
                at: n.at,
            })
            .await?;
            let subject = format!("{p_str} · {}", n.kind.as_str());
            let link = format!("/notes/{id}");
            let notice = Notice { kind: "note.added", subject: &subject, link: &link, at: n.at };
            tx.notify_employee(n.employee_id, notice).await?;
            tx.commit().await?;
            id
        });
        self.note_unchecked(id).await
    }

    /// The notes on an employee's card of a period, oldest first (callers check scope).
    pub async fn notes_of(
        &self,
        period: Period,
        employee_id: i64,
    ) -> Result<Vec<Note>, StoreError> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE period = $1 AND employee_id = $2 ORDER BY id"
        );
        let p_str = period.to_string();
        let rows: Vec<NoteRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(&p_str)
            .bind(employee_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(note).collect()
    }

    /// One note, if `user` may see it (the employee, their supervisor in the period, a manager).
    pub async fn note(&self, user: &User, id: i64) -> Result<Note, StoreError> {
        let n = self.note_unchecked(id).await?;
        self.party(user, n.employee_id, n.period, || format!("note {id}"))
            .await?;
        Ok(n)
    }

    async fn note_unchecked(&self, id: i64) -> Result<Note, StoreError> {
        let sql = format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = $1");
        let row: Option<NoteRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        note(found(row, || format!("note {id}"))?)
    }

    /// The employee acknowledges a note on their card (once; acknowledging again keeps the
    /// first time). Anyone else gets NotFound. Audited as `note.ack`.
    pub async fn acknowledge_note(
        &self,
        user: &User,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<Note, StoreError> {
        let n = self.note_unchecked(id).await?;
        if user.employee_id != Some(n.employee_id) {
            return Err(StoreError::NotFound(format!("note {id}")));
        }
        if n.acknowledged_at.is_some() {
            return Ok(n);
        }
        let sql = "UPDATE notes SET acknowledged_by = $2, acknowledged_at = $3 \
                   WHERE id = $1 AND acknowledged_at IS NULL";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let changed = sqlx::query(sql)
                .bind(id)
                .bind(&user.username)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed > 0 {
                tx.append_audit(&NewAudit {
                    actor: user.username.clone(),
                    kind: "note.ack".into(),
                    subject: n.period.to_string(),
                    detail: serde_json::json!({
                        "note_id": id,
                        "employee_id": n.employee_id,
                    }),
                    at,
                })
                .await?;
            }
            tx.commit().await?;
        });
        self.note_unchecked(id).await
    }

    /// A page of the notes `user` may see (same scope as appeals), newest first.
    pub async fn notes(
        &self,
        user: &User,
        period: Option<Period>,
        employee_id: Option<i64>,
        page: crate::PageReq,
    ) -> Result<crate::Page<Note>, StoreError> {
        let (limit, offset, page) = crate::limit_offset(page);
        let mode = match user.role {
            jixiao_core::org::Role::Admin | jixiao_core::org::Role::Manager => "all",
            jixiao_core::org::Role::Supervisor => "sup",
            _ => "own",
        };
        let scope = format!(
            "($1 = 'all' OR n.employee_id = $2 OR ($1 = 'sup' AND {}))",
            super::scope::led_by_sql(self.backend(), "n.employee_id", "n.period", "$2")
        );
        let filters = "($3 IS NULL OR n.period = $3) AND ($4 IS NULL OR n.employee_id = $4)";
        let cols = NOTE_COLUMNS
            .split(", ")
            .map(|c| format!("n.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let list = format!(
            "SELECT {cols} FROM notes n WHERE {scope} AND {filters} \
             ORDER BY n.id DESC LIMIT $5 OFFSET $6"
        );
        let count = format!("SELECT COUNT(*) FROM notes n WHERE {scope} AND {filters}");
        let me = user.employee_id.unwrap_or(-1);
        let p_str = period.map(|p| p.to_string());
        let (rows, (total,)): (Vec<NoteRow>, (i64,)) = on_pool!(self, p => {
            let rows = sqlx::query_as(&list)
                .bind(mode)
                .bind(me)
                .bind(&p_str)
                .bind(employee_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            let total = sqlx::query_as(&count)
                .bind(mode)
                .bind(me)
                .bind(&p_str)
                .bind(employee_id)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        Ok(crate::Page {
            items: rows.into_iter().map(note).collect::<Result<_, _>>()?,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}
