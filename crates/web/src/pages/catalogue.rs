//! 主动公开目录 pages: an agency's public catalogue, and the office's page to keep it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::catalogue::{ItemDraft, ItemHealth, ItemInput, health};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::catalogue::{self, Item};
use gongkai_store::db;
use gongkai_store::documents::DocumentSummary;
use serde::Deserialize;

use super::page;
use crate::error::{AppError, AppResult, status_of};
use crate::form::Form;
use crate::session::{Staff, Visitor};
use crate::state::AppState;
use crate::views::Chrome;

pub struct Row {
    pub depth: usize,
    pub item: Item,
    pub health: ItemHealth,
    pub content: Vec<DocumentSummary>,
}

fn health_of(i: &Item) -> ItemHealth {
    let refresh = i.refresh_days.and_then(|d| u32::try_from(d).ok());
    health(i.latest, refresh, db::now().date_naive())
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct PublicPage {
    chrome: Chrome,
    agency: Agency,
    rows: Vec<Row>,
}

pub async fn public(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = super::agency_or_404(&mut c, &code).await?;
    let mut rows = Vec::new();
    for (depth, item) in catalogue::tree_order(catalogue::items(&mut c, agency.id).await?) {
        let content = catalogue::content(&mut c, item.id)
            .await?
            .into_iter()
            .take(20)
            .collect();
        rows.push(Row {
            depth,
            health: health_of(&item),
            item,
            content,
        });
    }
    let title = format!("{} 主动公开目录", agency.short_name);
    page(
        &PublicPage {
            chrome: visitor.chrome(&title),
            agency,
            rows,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/catalogue.html")]
struct OfficePage {
    chrome: Chrome,
    agencies: Vec<Agency>,
    agency: Agency,
    rows: Vec<Row>,
    flagged: Vec<(String, Item, ItemHealth)>,
    form: ItemInput,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AgencyQuery {
    #[serde(default)]
    agency: String,
}

async fn office_page(
    state: &AppState,
    staff: &Staff,
    code: &str,
    form: ItemInput,
    error: Option<DomainError>,
) -> AppResult<OfficePage> {
    let principal = staff.user.principal();
    let mut c = state.db.conn().await?;
    let agencies: Vec<Agency> = agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| principal.may_act_for(a.id))
        .collect();
    let agency = agencies
        .iter()
        .find(|a| a.code == code.trim().to_uppercase())
        .or_else(|| agencies.iter().find(|a| a.id == staff.user.agency_id))
        .or(agencies.first())
        .cloned()
        .ok_or(AppError(DomainError::Forbidden))?;
    let rows = catalogue::tree_order(catalogue::items(&mut c, agency.id).await?)
        .into_iter()
        .map(|(depth, item)| Row {
            depth,
            health: health_of(&item),
            item,
            content: Vec::new(),
        })
        .collect();
    let flagged = catalogue::all_items(&mut c, &principal)
        .await?
        .into_iter()
        .filter_map(|i| {
            let h = health_of(&i);
            let name = agencies
                .iter()
                .find(|a| a.id == i.agency_id)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (h != ItemHealth::Current).then_some((name, i, h))
        })
        .collect();
    Ok(OfficePage {
        chrome: staff.chrome("主动公开目录"),
        agencies,
        agency,
        rows,
        flagged,
        form,
        error: error.map(|e| e.to_string()),
    })
}

pub async fn office(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AgencyQuery>,
) -> AppResult<Response> {
    let p = office_page(&state, &staff, &q.agency, ItemInput::default(), None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct ItemForm {
    csrf: String,
    agency: String,
    #[serde(flatten)]
    input: ItemInput,
}

async fn agency_id(state: &AppState, code: &str) -> Result<i64, DomainError> {
    let code = AgencyCode::parse(code)?;
    agencies::by_code(&mut state.db.conn().await?, &code)
        .await?
        .map(|a| a.id)
        .ok_or(DomainError::NotFound { what: "机构" })
}

pub async fn add_item(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    staff.visitor.verify_csrf(&form.csrf)?;
    let principal = staff.user.principal();
    let actor = staff.actor();
    let result = async {
        let agency = agency_id(&state, &form.agency).await?;
        let d = ItemDraft::parse(&form.input)?;
        state
            .db
            .write(async |tx| catalogue::create_item(tx, &actor, &principal, agency, &d).await)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/office/catalogue?agency={}", form.agency.trim()))
                .into_response(),
        ),
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            let p = office_page(&state, &staff, &form.agency, form.input, Some(e)).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize)]
pub struct FileForm {
    csrf: String,
    agency: String,
    item: String,
    index_no: String,
}

pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<FileForm>,
) -> AppResult<Response> {
    staff.visitor.verify_csrf(&form.csrf)?;
    let principal = staff.user.principal();
    let actor = staff.actor();
    let item: i64 = form.item.trim().parse().map_err(|_| {
        AppError(DomainError::NotFound {
            what: "目录事项"
        })
    })?;
    let index = form.index_no.clone();
    let result = state
        .db
        .write(async |tx| catalogue::file(tx, &actor, &principal, item, &index).await)
        .await;
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/office/catalogue?agency={}", form.agency.trim()))
                .into_response(),
        ),
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            let p =
                office_page(&state, &staff, &form.agency, ItemInput::default(), Some(e)).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}
