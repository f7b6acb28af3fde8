//! Competitions: a manager ranks teams or agents on points, the total score or a library KPI
//! over a range of periods. Only the definition is stored; standings are computed from the
//! stored scorecards (`service::competitions`).

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::kpi::standard_kpi;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::lifecycle::invalid;
use crate::{NewAudit, Store, StoreError, found};

/// Who competes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntrantKind {
    /// Whole teams.
    Team,
    /// Individual agents.
    Agent,
}

impl EntrantKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EntrantKind::Team => "team",
            EntrantKind::Agent => "agent",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<EntrantKind, StoreError> {
        match s {
            "team" => Ok(EntrantKind::Team),
            "agent" => Ok(EntrantKind::Agent),
            _ => Err(invalid("entrant kind", s, "expected team or agent")),
        }
    }
}

/// A competition's definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Competition {
    /// Id (0 before it is stored).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `points`, `total` or a library KPI code.
    pub metric: String,
    /// First period counted.
    pub first_period: Period,
    /// Last period counted.
    pub last_period: Period,
    /// Teams or agents.
    pub entrant_kind: EntrantKind,
    /// Team ids or employee ids.
    pub entrants: Vec<i64>,
    /// Whether a higher value ranks first.
    pub higher_is_better: bool,
    /// What the winner gets, in words.
    pub prize: String,
    /// Who defined it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Whether `metric` is one a competition can rank on.
pub fn is_competition_metric(metric: &str) -> bool {
    matches!(metric, "points" | "total") || standard_kpi(metric).is_some()
}

type CompRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    String,
    DateTime<Utc>,
);

const COMP_COLS: &str = "id, name, metric, first_period, last_period, entrant_kind, \
                         higher_is_better, prize, created_by, created_at";

impl Store {
    /// Stores a competition and audits it as `competition.create`; returns its id. Invalid
    /// without a name or entrants, with an unknown metric or a range that runs backwards.
    pub async fn create_competition(&self, c: &Competition) -> Result<i64, StoreError> {
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(invalid("competition name", name, "1 to 100 characters"));
        }
        if !is_competition_metric(&c.metric) {
            return Err(invalid(
                "competition metric",
                &c.metric,
                "expected points, total or a library KPI code",
            ));
        }
        if c.first_period > c.last_period {
            return Err(invalid(
                "competition periods",
                &format!("{}..{}", c.first_period, c.last_period),
                "the first period must not be after the last",
            ));
        }
        if c.entrants.is_empty() {
            return Err(invalid(
                "competition entrants",
                "",
                "at least one is needed",
            ));
        }
        let mut entrants = c.entrants.clone();
        entrants.sort_unstable();
        entrants.dedup();
        let insert = format!(
            "INSERT INTO competitions ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
            &COMP_COLS[4..]
        );
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(&insert)
                .bind(name)
                .bind(&c.metric)
                .bind(c.first_period.to_string())
                .bind(c.last_period.to_string())
                .bind(c.entrant_kind.as_str())
                .bind(c.higher_is_better)
                .bind(c.prize.trim())
                .bind(&c.created_by)
                .bind(c.created_at)
                .fetch_one(&mut *tx)
                .await?;
            for e in &entrants {
                sqlx::query(
                    "INSERT INTO competition_entrants (competition_id, entrant_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(e)
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit(&NewAudit {
                actor: c.created_by.clone(),
                kind: "competition.create".into(),
                subject: name.to_string(),
                detail: serde_json::json!({
                    "competition_id": id,
                    "metric": c.metric,
                    "first_period": c.first_period.to_string(),
                    "last_period": c.last_period.to_string(),
                    "entrant_kind": c.entrant_kind.as_str(),
                    "entrants": entrants,
                    "higher_is_better": c.higher_is_better,
                    "prize": c.prize.trim(),
                }),
                at: c.created_at,
            })
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every competition, newest first, with its entrants.
    pub async fn competitions(&self) -> Result<Vec<Competition>, StoreError> {
        let sql = format!("SELECT {COMP_COLS} FROM competitions ORDER BY id DESC");
        let rows: Vec<CompRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        let entrants: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT competition_id, entrant_id FROM competition_entrants \
             ORDER BY competition_id, entrant_id",
        )
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| {
                let id = r.0;
                let mine = entrants
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, e)| *e)
                    .collect();
                competition(r, mine)
            })
            .collect()
    }

    /// One competition, or NotFound.
    pub async fn competition(&self, id: i64) -> Result<Competition, StoreError> {
        let all = self.competitions().await?;
        found(all.into_iter().find(|c| c.id == id), || {
            format!("competition {id}")
        })
    }
}

fn competition(r: CompRow, entrants: Vec<i64>) -> Result<Competition, StoreError> {
    Ok(Competition {
        id: r.0,
        name: r.1,
        metric: r.2,
        first_period: r.3.parse()?,
        last_period: r.4.parse()?,
        entrant_kind: EntrantKind::parse(&r.5)?,
        entrants,
        higher_is_better: r.6,
        prize: r.7,
        created_by: r.8,
        created_at: r.9,
    })
}

/// Only the library of a stored card, for a KPI competition (the rest of the card is skipped
/// unparsed).
#[derive(serde::Deserialize)]
struct LibraryOnly {
    #[serde(default)]
    library: Vec<LibraryLine>,
}

#[derive(serde::Deserialize)]
struct LibraryLine {
    kpi: String,
    numerator: rust_decimal::Decimal,
    denominator: rust_decimal::Decimal,
}

impl Store {
    /// What competition `c` reads of the scorecards of its range, its entrants' only. For
    /// points and the total, one row per entrant summed by the database from the summary
    /// columns (a year of a whole center is tens of thousands of cards); for a KPI, one row
    /// per card with that KPI's numerator and denominator read from the card.
    pub async fn competition_figures(
        &self,
        c: &Competition,
    ) -> Result<Vec<crate::service::Figures>, StoreError> {
        use jixiao_core::money::from_scaled;
        let (key, other) = match c.entrant_kind {
            EntrantKind::Team => ("team_id", "employee_id"),
            EntrantKind::Agent => ("employee_id", "team_id"),
        };
        let kpi = !matches!(c.metric.as_str(), "points" | "total");
        // SUM of a BIGINT is NUMERIC and a literal INT4 on PostgreSQL: cast to BIGINT. The card is only read for a
        // KPI; `''` keeps one row type for both.
        let sql = if kpi {
            format!(
                "SELECT {key}, {other}, CAST(1 AS BIGINT), points, total, \
                 CAST(CASE WHEN total IS NULL THEN 0 ELSE 1 END AS BIGINT), card_json \
                 FROM scorecards \
                 WHERE period >= $1 AND period <= $2"
            )
        } else {
            format!(
                "SELECT {key}, MIN({other}), COUNT(*), CAST(SUM(points) AS BIGINT), \
                 CAST(SUM(total) AS BIGINT), COUNT(total), '' FROM scorecards \
                 WHERE period >= $1 AND period <= $2 GROUP BY {key}"
            )
        };
        let (first, last) = (c.first_period.to_string(), c.last_period.to_string());
        type Row = (i64, i64, i64, i64, Option<i64>, i64, String);
        let rows: Vec<Row> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(&first).bind(&last).fetch_all(p).await
        })?;
        let entrants: std::collections::HashSet<i64> = c.entrants.iter().copied().collect();
        let mut out = Vec::new();
        for (id, other_id, cards, points, total, with_total, card) in rows {
            if !entrants.contains(&id) {
                continue;
            }
            let kpi = if kpi {
                let lib: LibraryOnly = serde_json::from_str(&card)
                    .map_err(|e| crate::corrupt("stored scorecard", &first, e.to_string()))?;
                lib.library
                    .into_iter()
                    .find(|l| l.kpi == c.metric)
                    .map(|l| (l.numerator, l.denominator))
            } else {
                None
            };
            let (team_id, employee_id) = match c.entrant_kind {
                EntrantKind::Team => (id, other_id),
                EntrantKind::Agent => (other_id, id),
            };
            out.push(crate::service::Figures {
                team_id,
                employee_id,
                cards: u32::try_from(cards).unwrap_or(u32::MAX),
                // The summary columns' scales (migration 0001): points ×10⁴, total ×10².
                points: from_scaled(points, 4),
                total_sum: total.map_or(rust_decimal::Decimal::ZERO, |t| from_scaled(t, 2)),
                totals: u32::try_from(with_total).unwrap_or(u32::MAX),
                kpi,
            });
        }
        Ok(out)
    }
}
