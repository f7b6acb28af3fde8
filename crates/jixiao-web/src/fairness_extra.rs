//! The two ways in from outside (docs/FAIRNESS.md): complaints imported from a CSV file, and
//! the online survey link a customer answers without an account. No HTTP and no HTML here.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use jixiao_store::fairness::{JourneyDetail, NewComplaint, SurveyLink};
use jixiao_store::{Store, service};
use serde::Serialize;
use utoipa::ToSchema;

use crate::WebError;
use crate::auth::CurrentUser;
use crate::fairness::{self as uc, AnswerInput};

/// A fresh unguessable token: 32 random bytes, hex.
fn new_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(WebError::internal)?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 hex of a token, the only form in which it is stored.
fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// A row that was refused, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// The file's line (the header is line 1).
    pub row: usize,
    /// The column at fault.
    pub column: String,
    /// Its value.
    pub value: String,
    /// Why it was refused.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportReport {
    /// Complaints registered: (reference, id).
    pub created: Vec<(String, i64)>,
    /// References already registered, skipped unchanged.
    pub unchanged: Vec<String>,
    /// Rows refused.
    pub errors: Vec<RowError>,
}

const COLUMNS: [&str; 6] = [
    "reference",
    "channel",
    "received_at",
    "customer_id",
    "description",
    "records",
];

/// `received_at`: RFC 3339 (its wall-clock time) or `YYYY-MM-DD HH:MM:SS`.
fn received_at(s: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.naive_local())
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok())
}

/// Imports complaints from a CSV file (UTF-8 or GBK): each good row registers a complaint
/// and links its records; a known reference is skipped unchanged; bad rows are reported and
/// the good ones land.
pub async fn import_complaints(
    store: &Store,
    user: &CurrentUser,
    bytes: &[u8],
) -> Result<ImportReport, WebError> {
    let text = jixiao_import::canonical::decode_text(bytes)
        .map_err(|e| WebError::Invalid(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| WebError::Invalid(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let at: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|c| Some((*c, header.iter().position(|h| h == c)?)))
        .collect();
    if let Some(missing) = COLUMNS[..5].iter().find(|c| !at.contains_key(*c)) {
        return Err(WebError::Invalid(format!("missing column {missing:?}")));
    }
    let mut report = ImportReport::default();
    let by = &user.user.username;
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                report.errors.push(RowError {
                    row,
                    column: String::new(),
                    value: String::new(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let get = |c: &str| {
            at.get(c)
                .and_then(|i| rec.get(*i))
                .unwrap_or("")
                .to_string()
        };
        let err = |column: &str, value: String, reason: &str| RowError {
            row,
            column: column.into(),
            value,
            reason: reason.into(),
        };
        let mut bad = Vec::new();
        for c in ["reference", "channel", "description"] {
            if get(c).is_empty() {
                bad.push(err(c, String::new(), "required"));
            }
        }
        let when = received_at(&get("received_at"));
        if when.is_none() {
            bad.push(err(
                "received_at",
                get("received_at"),
                "expected RFC 3339 or YYYY-MM-DD HH:MM:SS",
            ));
        }
        let mut links: Vec<(&'static str, String, String)> = Vec::new();
        for item in get("records")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let Some((source, id)) = item.split_once(':') else {
                bad.push(err("records", item.into(), "expected source:record_id"));
                continue;
            };
            let (source, id) = (source.trim().to_string(), id.trim().to_string());
            match store.interaction_kind(&source, &id).await? {
                Some(kind) if !links.iter().any(|l| l.1 == source && l.2 == id) => {
                    links.push((kind, source, id));
                }
                Some(_) => {}
                None => bad.push(err("records", item.into(), "no such call, ticket or chat")),
            }
        }
        if !bad.is_empty() {
            report.errors.extend(bad);
            continue;
        }
        let reference = get("reference");
        let c = NewComplaint {
            channel: get("channel"),
            customer_id: uc::opt_text(&get("customer_id")),
            occurred_at: when.unwrap_or_default(),
            summary: get("description"),
            journey_id: None,
        };
        let now = Utc::now();
        match store
            .register_imported_complaint(&c, &reference, by, now)
            .await
        {
            Ok(Some(id)) => {
                for (kind, source, record_id) in &links {
                    store
                        .link_complaint(id, kind, source, record_id, by, now)
                        .await?;
                }
                report.created.push((reference, id));
            }
            Ok(None) => report.unchanged.push(reference),
            Err(jixiao_store::StoreError::Core(e)) => {
                report.errors.push(err("", String::new(), &e.to_string()));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Creates a single-use survey link for a journey the user may write to and that has no
/// survey yet; the user becomes the survey's proxy. Returns the token (shown once).
pub async fn create_survey_link(
    store: &Store,
    user: &CurrentUser,
    journey_id: i64,
) -> Result<String, WebError> {
    let d = uc::writable_journey(store, user, journey_id).await?;
    if d.survey.is_some() {
        return Err(WebError::Conflict(format!(
            "survey of journey {journey_id}"
        )));
    }
    let token = new_token()?;
    store
        .create_survey_link(
            journey_id,
            &token_hash(&token),
            user.user.employee_id,
            &user.user.username,
            Utc::now(),
        )
        .await?;
    Ok(token)
}

/// What a survey token opens.
#[derive(Debug)]
pub enum LinkState {
    /// Unused, its journey not yet surveyed: the form.
    Open(SurveyLink, Box<JourneyDetail>),
    /// Answered (or the journey surveyed another way).
    Spent,
}

/// The link under `token`: 404 when unknown.
pub async fn survey_link(store: &Store, token: &str) -> Result<LinkState, WebError> {
    let link = store
        .survey_link(&token_hash(token))
        .await?
        .ok_or(WebError::NotFound)?;
    let d = store.journey(link.journey_id).await?;
    if link.spent_at.is_some() || d.survey.is_some() {
        return Ok(LinkState::Spent);
    }
    Ok(LinkState::Open(link, Box::new(d)))
}

/// Records the customer's answers through the link (channel `online`, the link's creator as
/// proxy), then spends it. False when it was already spent.
pub async fn answer_survey_link(
    store: &Store,
    token: &str,
    fields: &HashMap<String, String>,
) -> Result<bool, WebError> {
    let LinkState::Open(link, d) = survey_link(store, token).await? else {
        return Ok(false);
    };
    let answers: Vec<AnswerInput> = uc::answers_from_form(&d, fields)?;
    let survey = uc::survey_of(&answers, link.proxy_employee_id)?;
    let now = Utc::now();
    let recorded = service::fairness::record_journey_survey(
        store,
        link.journey_id,
        &survey,
        "online",
        now.date_naive(),
        &link.created_by,
        now,
    )
    .await;
    match recorded {
        Ok(_) => {}
        // Answered concurrently: the journey has its one survey.
        Err(jixiao_store::StoreError::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    store.spend_survey_link(&token_hash(token), now).await?;
    Ok(true)
}
