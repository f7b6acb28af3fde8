//! Identity pages: `/unmatched` (admin, manager), the agent names no employee answers to, with a
//! form to map each to an employee; and `/employees/{no}/aliases` (admin), one employee's names
//! per source system. Mapping a name releases the records held under it (`service::map_alias`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use jixiao_core::org::Employee;
use jixiao_store::service::AliasMapped;
use jixiao_store::{Alias, Page, UnmatchedAgent};
use serde::Deserialize;

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Admins, Authorized, CsrfForm, CurrentUser, HasCsrf, Managers};
use crate::i18n::{Lang, Tr};
use crate::queries;
use crate::view::imports::kind_key;
use crate::view::{Chrome, Pager, Section};
use crate::{AppState, WebError};

/// `?page=N`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// One unknown agent name, formatted.
#[derive(Debug, Clone)]
pub struct UnmatchedRowVm {
    /// The source system.
    pub source: String,
    /// The name it used.
    pub alias: String,
    /// Held records.
    pub count: i64,
    /// First and last record date, `YYYY-MM-DD`.
    pub first: String,
    /// Last record date.
    pub last: String,
    /// Catalog keys of the record kinds.
    pub kinds: Vec<&'static str>,
    /// The employee number the name is mapped to already (records of closed periods).
    pub mapped_to: Option<String>,
}

/// The catalog key of a held record's table (the import kind names the rest alike).
fn table_key(table: &str) -> &'static str {
    match table {
        "qa_reviews" => kind_key("qa"),
        "chat_sessions" => kind_key("chats"),
        "work_records" => kind_key("work"),
        other => kind_key(other),
    }
}

/// `/unmatched`.
#[derive(Template)]
#[template(path = "unmatched.html")]
pub struct UnmatchedPage {
    /// Frame.
    pub c: Chrome,
    /// Unknown names, most held records first.
    pub rows: Vec<UnmatchedRowVm>,
    /// Paging.
    pub pager: Pager,
    /// What the last mapping did.
    pub notice: Option<String>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
}

impl UnmatchedPage {
    /// Builds the page.
    pub fn build(c: Chrome, page: Page<UnmatchedAgent>) -> UnmatchedPage {
        let pager = Pager::new(page.page, page.per_page, page.total, |n| {
            format!("/unmatched?page={n}")
        });
        let rows = page
            .items
            .into_iter()
            .map(|u| UnmatchedRowVm {
                kinds: u.kinds.iter().map(|k| table_key(k)).collect(),
                source: u.source,
                alias: u.alias,
                count: u.count,
                first: u.first.to_string(),
                last: u.last.to_string(),
                mapped_to: u.mapped_to,
            })
            .collect();
        UnmatchedPage {
            c,
            rows,
            pager,
            notice: None,
            error: None,
        }
    }
}

/// One alias, formatted.
#[derive(Debug, Clone)]
pub struct AliasRowVm {
    /// Id (for the remove form).
    pub id: i64,
    /// The source system.
    pub source: String,
    /// The name there.
    pub alias: String,
}

/// `/employees/{no}/aliases`.
#[derive(Template)]
#[template(path = "employee_aliases.html")]
pub struct AliasesPage {
    /// Frame.
    pub c: Chrome,
    /// The employee's number.
    pub employee_no: String,
    /// The employee's name.
    pub name: String,
    /// The aliases, by source.
    pub rows: Vec<AliasRowVm>,
    /// What the last change did.
    pub notice: Option<String>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
}

impl AliasesPage {
    /// Builds the page.
    pub fn build(c: Chrome, employee: &Employee, aliases: Vec<Alias>) -> AliasesPage {
        AliasesPage {
            c,
            employee_no: employee.employee_no.to_string(),
            name: employee.name.clone(),
            rows: aliases
                .into_iter()
                .map(|a| AliasRowVm {
                    id: a.id,
                    source: a.source,
                    alias: a.alias,
                })
                .collect(),
            notice: None,
            error: None,
        }
    }
}

/// The sentence saying what a mapping did.
fn mapped_notice(t: &Tr, m: &AliasMapped) -> String {
    t.fill(
        "alias_mapped_notice",
        &[
            ("source", &m.alias.source),
            ("alias", &m.alias.alias),
            ("no", &m.alias.employee_no),
            ("released", &m.released.to_string()),
            ("held", &m.still_held.len().to_string()),
        ],
    )
}

/// A mapping's result as (notice, error key, status); errors a person can fix are shown on the
/// form, anything else propagates.
fn mapped_view(
    t: &Tr,
    result: Result<AliasMapped, WebError>,
) -> Result<(Option<String>, Option<&'static str>, StatusCode), WebError> {
    let fail = |key| Ok((None, Some(key), StatusCode::UNPROCESSABLE_ENTITY));
    match result {
        Ok(m) => Ok((Some(mapped_notice(t, &m)), None, StatusCode::OK)),
        Err(WebError::NotFound) => fail("alias_unknown_employee"),
        Err(WebError::Conflict(_)) => fail("alias_conflict"),
        Err(WebError::Invalid(_)) => fail("alias_invalid"),
        Err(e) => Err(e),
    }
}

/// `GET /unmatched` (admin, manager).
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = state.store.unmatched(queries::page_req(q.page)).await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&UnmatchedPage::build(c, page))?.into_response())
}

/// The map form of one unknown name.
#[derive(Debug, Deserialize)]
pub struct MapForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    alias: String,
    #[serde(default)]
    employee_no: String,
}

impl HasCsrf for MapForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /unmatched/map` (admin, manager): maps the name and shows what was released.
pub async fn map(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<MapForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let result = queries::map_alias(
        &state.store,
        &form.source,
        &form.alias,
        &form.employee_no,
        by,
        Utc::now(),
    )
    .await;
    let c = Chrome::new(lang, &user, None, Section::Imports);
    let (notice, error, status) = mapped_view(&c.t, result)?;
    let page = state.store.unmatched(queries::page_req(None)).await?;
    let page = UnmatchedPage {
        notice,
        error,
        ..UnmatchedPage::build(c, page)
    };
    Ok((status, render(&page)?).into_response())
}

async fn aliases_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    employee_no: &str,
) -> Result<AliasesPage, WebError> {
    let employee = queries::employee_by_path_no(&state.store, employee_no).await?;
    let aliases = state.store.aliases_of(employee.id).await?;
    let c = Chrome::new(lang, user, None, Section::Admin);
    Ok(AliasesPage::build(c, &employee, aliases))
}

/// `GET /employees/{no}/aliases` (admin).
pub async fn aliases(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Admins>,
    Path(no): Path<String>,
) -> Result<Response, WebError> {
    Ok(render(&aliases_page(&state, lang, &auth.user, &no).await?)?.into_response())
}

/// The add form of the aliases page.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    alias: String,
}

impl HasCsrf for AddForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /employees/{no}/aliases` (admin): adds a name, releasing what was held under it.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    Path(no): Path<String>,
    CsrfForm { user, form }: CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    // The page first: an unknown employee in the path is a 404, not a form error.
    let page = aliases_page(&state, lang, &user, &no).await?;
    let by = &user.user.username;
    let result =
        queries::map_alias(&state.store, &form.source, &form.alias, &no, by, Utc::now()).await;
    let (notice, error, status) = mapped_view(&page.c.t, result)?;
    let page = AliasesPage {
        notice,
        error,
        ..aliases_page(&state, lang, &user, &no).await?
    };
    Ok((status, render(&page)?).into_response())
}

/// `POST /employees/{no}/aliases/{id}/delete` (admin).
pub async fn remove(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
    Path((no, id)): Path<(String, String)>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = crate::error::id_param(&id)?;
    let employee = queries::employee_by_path_no(&state.store, &no).await?;
    let by = &user.user.username;
    queries::remove_alias(&state.store, &employee, id, by, Utc::now()).await?;
    Ok(Redirect::to(&format!("/employees/{}/aliases", employee.employee_no)).into_response())
}
