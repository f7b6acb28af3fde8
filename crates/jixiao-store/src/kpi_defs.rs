//! Custom KPI definitions: formulas over base measures, versioned and audited.
//!
//! A definition is never edited in place. Saving a code again inserts version n + 1 in the
//! same transaction as its audit entry, so a closed period's cards, which carry the version
//! they used, can always be explained by the definition they were computed with; a recompute
//! of an open period uses the latest version of each code.

use chrono::{DateTime, SubsecRound, Utc};
use jixiao_core::CoreError;
use jixiao_core::kpi::{KpiDefinition, MeasureCatalog, standard_kpi};
use jixiao_core::scorecard::CustomKpi;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::{DbResultExt, NewAudit, Store, StoreError, found};

/// A stored version of a custom KPI definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKpiDefinition {
    /// The definition, with its version.
    pub definition: KpiDefinition,
    /// Who saved this version.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

type DefRow = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
);

const DEF_COLUMNS: &str = "code, version, name_en, name_zh, formula, div_zero, unit, direction, \
                           class, created_by, created_at";

fn invalid(what: &'static str, value: &str, reason: &str) -> CoreError {
    CoreError::Invalid {
        what,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

/// Reads a serde enum back from the snake_case code it was stored as.
fn enum_code<T: DeserializeOwned>(what: &'static str, code: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(code.into()))
        .map_err(|_| invalid(what, code, "not a known code").into())
}

/// The snake_case code of a serde enum, as stored.
fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn stored(r: DefRow) -> Result<StoredKpiDefinition, StoreError> {
    Ok(StoredKpiDefinition {
        definition: KpiDefinition {
            code: r.0,
            version: u32::try_from(r.1)
                .map_err(|_| invalid("KPI version", &r.1.to_string(), "too large"))?,
            name_en: r.2,
            name_zh: r.3,
            formula: jixiao_core::kpi::FormulaSpec {
                text: r.4,
                div_zero: enum_code("division by zero policy", &r.5)?,
            },
            unit: enum_code("unit", &r.6)?,
            direction: enum_code("direction", &r.7)?,
            class: enum_code("KPI class", &r.8)?,
        },
        created_by: r.9,
        created_at: r.10,
    })
}

/// Words the KPI pages and API use beside `{code}` (`/config/kpis/new`, `…/check`, `…/save`,
/// `/api/v1/kpis/check`): a KPI so coded could not be opened by its address.
const RESERVED_KPI_CODES: [&str; 3] = ["check", "new", "save"];

impl Store {
    /// Every version of every custom KPI, by code then version.
    pub async fn kpi_definitions(&self) -> Result<Vec<StoredKpiDefinition>, StoreError> {
        let sql = format!("SELECT {DEF_COLUMNS} FROM kpi_definitions ORDER BY code, version");
        let rows: Vec<DefRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        rows.into_iter().map(stored).collect()
    }

    /// The latest version of each custom KPI, by code: the definitions a computation uses.
    pub async fn latest_kpi_definitions(&self) -> Result<Vec<StoredKpiDefinition>, StoreError> {
        let sql = format!(
            "SELECT {DEF_COLUMNS} FROM kpi_definitions d WHERE version = \
             (SELECT MAX(version) FROM kpi_definitions l WHERE l.code = d.code) ORDER BY code"
        );
        let rows: Vec<DefRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        rows.into_iter().map(stored).collect()
    }

    /// Version `version` of the custom KPI `code`, or NotFound.
    pub async fn kpi_definition(
        &self,
        code: &str,
        version: u32,
    ) -> Result<StoredKpiDefinition, StoreError> {
        let sql =
            format!("SELECT {DEF_COLUMNS} FROM kpi_definitions WHERE code = $1 AND version = $2");
        let row: Option<DefRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(code).bind(i64::from(version)).fetch_optional(p).await)?;
        stored(found(row, || {
            format!("KPI definition {code} version {version}")
        })?)
    }

    /// The latest custom KPIs compiled for a computation. A definition that no longer compiles
    /// (a measure was withdrawn) is left out with a warning rather than failing every card.
    pub async fn custom_kpis(&self) -> Result<Vec<CustomKpi>, StoreError> {
        let catalog = MeasureCatalog::standard();
        let defs = self.latest_kpi_definitions().await?;
        Ok(defs
            .into_iter()
            .filter_map(|d| {
                let code = d.definition.code.clone();
                CustomKpi::compile(d.definition, &catalog)
                    .inspect_err(|e| tracing::warn!(kpi = %code, error = %e, "custom KPI skipped"))
                    .ok()
            })
            .collect())
    }

    /// Checks `def` and saves it as the next version of its code (1 for a new code), audited
    /// in the same transaction; `def.version` is ignored. A standard KPI's code, a bad formula
    /// or a unit the formula does not give is refused with the core error's code.
    pub async fn save_kpi_definition(
        &self,
        def: &KpiDefinition,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<StoredKpiDefinition, StoreError> {
        if standard_kpi(&def.code).is_some() {
            return Err(invalid(
                "KPI code",
                &def.code,
                "is a standard KPI; choose another code",
            )
            .into());
        }
        if RESERVED_KPI_CODES.contains(&def.code.as_str()) {
            return Err(invalid(
                "KPI code",
                &def.code,
                "names a page (/config/kpis/…, /api/v1/kpis/…); choose another code",
            )
            .into());
        }
        let mut def = KpiDefinition {
            version: 1,
            ..def.clone()
        };
        def.compile(&MeasureCatalog::standard())?;
        // What TIMESTAMPTZ keeps, so both backends give back the same time.
        let at = at.trunc_subsecs(6);
        let next = "SELECT COALESCE(MAX(version), 0) + 1 FROM kpi_definitions WHERE code = $1";
        let insert = "INSERT INTO kpi_definitions (code, version, name_en, name_zh, formula, \
                      div_zero, unit, direction, class, created_by, created_at) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        let code = def.code.clone();
        let (div_zero, unit) = (code_of(&def.formula.div_zero), code_of(&def.unit));
        let (direction, class) = (code_of(&def.direction), code_of(&def.class));
        let version: i64 = on_pool!(self, p => {
            // Writes are serialized (SQLite BEGIN IMMEDIATE); on PostgreSQL a concurrent save
            // of the same code hits the unique key and is a Conflict, never a lost version.
            let mut tx = p.begin_write().await?;
            let (version,): (i64,) = sqlx::query_as(next).bind(&code).fetch_one(&mut *tx).await?;
            sqlx::query(insert)
                .bind(&code).bind(version).bind(&def.name_en).bind(&def.name_zh)
                .bind(&def.formula.text).bind(&div_zero).bind(&unit).bind(&direction)
                .bind(&class).bind(by).bind(at)
                .execute(&mut *tx)
                .await
                .conflict(|| format!("KPI definition {code} version {version}"))?;
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: "kpi_definition.save".into(),
                subject: code.clone(),
                detail: serde_json::json!({
                    "version": version,
                    "name_en": def.name_en,
                    "name_zh": def.name_zh,
                    "formula": def.formula.text,
                    "div_zero": div_zero,
                    "unit": unit,
                    "direction": direction,
                    "class": class,
                }),
                at,
            })
            .await?;
            tx.commit().await?;
            version
        });
        def.version = u32::try_from(version).unwrap_or(u32::MAX);
        Ok(StoredKpiDefinition {
            definition: def,
            created_by: by.to_string(),
            created_at: at,
        })
    }
}
