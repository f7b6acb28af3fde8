//! Identity: employees' aliases per source system, and the records held because their agent is
//! not known yet (docs/IMPORT.md, "Identity").
//!
//! An import resolves a record's agent first as an employee number, then as an alias of the
//! record's source ([`AgentIndex`]). A record that matches neither is written to `held_records`
//! in the import's transaction instead of being rejected; mapping the alias releases it through
//! the normal upsert path (`service::map_alias`).

mod held;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::org::AgentRef;
use serde::Serialize;

use crate::dialect::BeginWrite;
use crate::{DbResultExt, Page, PageReq, Store, StoreError, found, limit_offset};

pub use held::Released;
pub(crate) use held::{HeldWrites, settle_held};

/// An employee's name in one source system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// Id.
    pub id: i64,
    /// The source system, as records name it (`pbx`, `servicenow` …).
    pub source: String,
    /// The agent as that source names them.
    pub alias: String,
    /// The employee it means.
    pub employee_id: i64,
    /// That employee's number.
    pub employee_no: String,
}

/// A record waiting for its agent to be known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldRecord {
    /// Id.
    pub id: i64,
    /// The import that brought the held version.
    pub import_id: i64,
    /// The record's table: `calls`, `surveys`, `qa_reviews` …
    pub kind: String,
    /// The source system.
    pub source: String,
    /// The source's record id.
    pub record_id: String,
    /// The unknown agent name.
    pub alias: String,
    /// The record's line in its file.
    pub row: i64,
    /// The period the record's date falls in.
    pub period: Period,
    /// The record's date.
    pub date: NaiveDate,
    /// When it was held (its import's time).
    pub held_at: DateTime<Utc>,
    /// The record as JSON.
    pub payload: String,
}

/// One unknown agent name of one source, with what is held under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmatchedAgent {
    /// The source system.
    pub source: String,
    /// The name it used.
    pub alias: String,
    /// Held records.
    pub count: i64,
    /// The earliest record date.
    pub first: NaiveDate,
    /// The latest record date.
    pub last: NaiveDate,
    /// The record tables involved, sorted.
    pub kinds: Vec<String>,
    /// The employee number the alias is mapped to already: its records stay held only because
    /// their period closed before the mapping.
    pub mapped_to: Option<String>,
}

/// Who an agent reference names: an employee number first, then an alias of the record's source.
#[derive(Debug, Default)]
pub(crate) struct AgentIndex {
    employees: HashMap<String, i64>,
    aliases: HashMap<String, HashMap<String, i64>>,
}

impl AgentIndex {
    /// The employee id `agent` names in `source`, if known.
    pub(crate) fn resolve(&self, source: &str, agent: &str) -> Option<i64> {
        self.employees
            .get(agent)
            .or_else(|| self.aliases.get(source)?.get(agent))
            .copied()
    }
}

/// Longest accepted source name, in characters (as long as an agent reference).
const MAX_SOURCE_CHARS: usize = AgentRef::MAX_CHARS;

/// A trimmed source system name: 1–64 characters, no control characters.
fn source_name(s: &str) -> Result<String, StoreError> {
    let t = s.trim();
    let reason = if t.is_empty() {
        "must not be empty"
    } else if t.chars().count() > MAX_SOURCE_CHARS {
        "must be at most 64 characters"
    } else if t.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(t.to_string());
    };
    Err(StoreError::Core(jixiao_core::CoreError::Invalid {
        what: "source",
        value: s.to_string(),
        reason: reason.into(),
    }))
}

type AliasRow = (i64, String, String, i64, String);

fn alias(r: AliasRow) -> Alias {
    Alias {
        id: r.0,
        source: r.1,
        alias: r.2,
        employee_id: r.3,
        employee_no: r.4,
    }
}

const ALIAS_SELECT: &str = "SELECT a.id, a.source, a.alias, a.employee_id, e.employee_no \
     FROM employee_aliases a JOIN employees e ON e.id = a.employee_id";

impl Store {
    /// Everything import resolution needs to name agents: employee numbers and all aliases.
    pub(crate) async fn agent_index(&self) -> Result<AgentIndex, StoreError> {
        let sql = "SELECT source, alias, employee_id FROM employee_aliases";
        let rows: Vec<(String, String, i64)> =
            on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        let mut index = AgentIndex {
            employees: self.employee_ids().await?,
            aliases: HashMap::new(),
        };
        for (source, alias, id) in rows {
            index.aliases.entry(source).or_default().insert(alias, id);
        }
        Ok(index)
    }

    /// Maps `alias` of `source` to an employee. Mapping it again to the same employee is a
    /// no-op that returns the alias; to another employee it is a Conflict, and so is an alias
    /// that is some employee's number (records naming it already resolve to that employee).
    /// Records already held under the alias are not touched: `service::map_alias` releases them.
    pub async fn add_alias(
        &self,
        source: &str,
        alias: &AgentRef,
        employee_id: i64,
    ) -> Result<Alias, StoreError> {
        let source = source_name(source)?;
        self.employee(employee_id).await?;
        match self.employee_by_no(alias.as_str()).await {
            Err(StoreError::NotFound(_)) => {}
            Ok(_) => {
                return Err(StoreError::Conflict(format!(
                    "{alias:?} is an employee number; records naming it already resolve to that employee"
                )));
            }
            Err(e) => return Err(e),
        }
        let insert = "INSERT INTO employee_aliases (source, alias, employee_id) VALUES ($1, $2, $3) \
                      ON CONFLICT (source, alias) DO NOTHING";
        let existing = format!("{ALIAS_SELECT} WHERE a.source = $1 AND a.alias = $2");
        let row: AliasRow = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(insert)
                .bind(&source)
                .bind(alias.as_str())
                .bind(employee_id)
                .execute(&mut *tx)
                .await
                .conflict(|| format!("alias {source}/{alias}"))?;
            let row: AliasRow = sqlx::query_as(&existing)
                .bind(&source)
                .bind(alias.as_str())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            row
        });
        if row.3 != employee_id {
            return Err(StoreError::Conflict(format!(
                "alias {source}/{alias} already names employee {}",
                row.4
            )));
        }
        Ok(self::alias(row))
    }

    /// All aliases, by source and alias.
    pub async fn aliases(&self, page: PageReq) -> Result<Page<Alias>, StoreError> {
        let (limit, offset, page) = limit_offset(page);
        let sql = format!("{ALIAS_SELECT} ORDER BY a.source, a.alias LIMIT $1 OFFSET $2");
        let count = "SELECT COUNT(*) FROM employee_aliases";
        let (rows, (total,)): (Vec<AliasRow>, (i64,)) = on_pool!(self, p => (
            sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(p).await?,
            sqlx::query_as(count).fetch_one(p).await?,
        ));
        Ok(Page {
            items: rows.into_iter().map(alias).collect(),
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// One employee's aliases, by source and alias.
    pub async fn aliases_of(&self, employee_id: i64) -> Result<Vec<Alias>, StoreError> {
        let sql = format!("{ALIAS_SELECT} WHERE a.employee_id = $1 ORDER BY a.source, a.alias");
        let rows: Vec<AliasRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(employee_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(alias).collect())
    }

    /// One alias by source and name, or NotFound.
    pub async fn alias(&self, source: &str, alias: &str) -> Result<Alias, StoreError> {
        let sql = format!("{ALIAS_SELECT} WHERE a.source = $1 AND a.alias = $2");
        let row: Option<AliasRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(source.trim())
            .bind(alias.trim())
            .fetch_optional(p)
            .await)?;
        found(row, || format!("alias {source}/{alias}")).map(self::alias)
    }

    /// Deletes an alias and returns it. Records it already resolved keep their employee; later
    /// records naming it are held again.
    pub async fn delete_alias(&self, id: i64) -> Result<Alias, StoreError> {
        let select = format!("{ALIAS_SELECT} WHERE a.id = $1");
        let row: Option<AliasRow> = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: Option<AliasRow> =
                sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            sqlx::query("DELETE FROM employee_aliases WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            row
        });
        found(row, || format!("alias {id}")).map(alias)
    }
}
