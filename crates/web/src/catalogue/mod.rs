//! 主动公开目录 pages: an agency's public catalogue, and the office's page to keep it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::catalogue::{
    ItemDraft, ItemHealth, ItemInput, STATUTORY_ITEMS, health, statutory_number,
};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::catalogue::{self, Item};
use gongkai_store::db;
use gongkai_store::documents::DocumentSummary;
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::page;
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/agencies/{code}/catalogue", axum::routing::get(public))
        .route(
            "/office/catalogue",
            axum::routing::get(office).post(add_item),
        )
        .route("/office/catalogue/filings", axum::routing::post(file))
        .route(
            "/office/catalogue/items/{id}",
            axum::routing::post(update_item),
        )
        .route(
            "/agencies/{code}/catalogue/{item}",
            axum::routing::get(public_item),
        )
        .route("/agencies/{code}/statutory", axum::routing::get(statutory))
}

pub struct Row {
    pub depth: usize,
    pub item: Item,
    pub health: ItemHealth,
    /// The newest few public documents; the item's own page has them all, in pages.
    pub content: Vec<DocumentSummary>,
}

/// How many documents an item shows on the catalogue page before “全部”.
const PREVIEW: i64 = 5;
const PER_PAGE: i64 = 20;

pub struct Statutory {
    pub number: String,
    pub label: &'static str,
    pub items: Vec<Row>,
}

fn health_of(i: &Item) -> ItemHealth {
    let refresh = i.refresh_days.and_then(|d| u32::try_from(d).ok());
    health(i.latest, refresh, db::now().date_naive())
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct PublicPage {
    chrome: Chrome,
    column: &'static str,
    agency: Agency,
    rows: Vec<Row>,
}

pub async fn public(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let mut rows = Vec::new();
    for (depth, item) in catalogue::tree_order(catalogue::items(&mut c, agency.id).await?) {
        let (content, _) = catalogue::content(&mut c, item.id, 1, PREVIEW).await?;
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
            column: "catalogue",
            agency,
            rows,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "catalogue_item.html")]
struct ItemPage {
    chrome: Chrome,
    column: &'static str,
    agency: Agency,
    item: Item,
    statutory: Option<String>,
    documents: Vec<DocumentSummary>,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

fn page_number(s: &str) -> i64 {
    s.trim().parse::<i64>().unwrap_or(1).clamp(1, 10_000)
}

/// One catalogue item with all its public content, in pages.
pub async fn public_item(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((code, item_id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let not_found = || {
        AppError(DomainError::NotFound {
            what: "目录事项"
        })
    };
    let mut c = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let item_id: i64 = item_id.parse().map_err(|_| not_found())?;
    let item = catalogue::item_by_id(&mut c, item_id)
        .await?
        .filter(|i| i.agency_id == agency.id)
        .ok_or_else(not_found)?;
    let page_no = page_number(&q.page);
    let (documents, total) = catalogue::content(&mut c, item.id, page_no, PER_PAGE).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let statutory = item
        .statutory_item
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| (1..=15).contains(n))
        .map(|n| {
            format!(
                "条例第二十条第{}项:{}",
                statutory_number(n),
                STATUTORY_ITEMS[n as usize - 1]
            )
        });
    let title = format!("{} · {}", item.name, agency.short_name);
    page(
        &ItemPage {
            chrome: visitor.chrome(&title),
            column: "catalogue",
            agency,
            item,
            statutory,
            documents,
            page: page_no,
            pages,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "statutory.html")]
struct StatutoryPage {
    chrome: Chrome,
    column: &'static str,
    agency: Agency,
    sections: Vec<Statutory>,
}

/// 法定主动公开内容: the fifteen items of 条例第二十条, each with the catalogue items that
/// fulfil it for this agency and their newest content. An item with nothing is shown as such,
/// so a gap is visible to the public, not only to the office.
pub async fn statutory(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let items = catalogue::items(&mut c, agency.id).await?;
    let mut sections = Vec::with_capacity(STATUTORY_ITEMS.len());
    for (i, label) in STATUTORY_ITEMS.iter().enumerate() {
        let n = i as u32 + 1;
        let mut rows = Vec::new();
        for item in items
            .iter()
            .filter(|it| it.statutory_item == Some(i64::from(n)))
        {
            let (content, _) = catalogue::content(&mut c, item.id, 1, PREVIEW).await?;
            rows.push(Row {
                depth: 0,
                health: health_of(item),
                item: item.clone(),
                content,
            });
        }
        sections.push(Statutory {
            number: statutory_number(n),
            label,
            items: rows,
        });
    }
    let title = format!("{} 法定主动公开内容", agency.short_name);
    page(
        &StatutoryPage {
            chrome: visitor.chrome(&title),
            column: "statutory",
            agency,
            sections,
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
    /// The item being changed, when the form edits one.
    editing: Option<i64>,
    statutory: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct AgencyQuery {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    edit: String,
}

fn input_of(i: &Item) -> ItemInput {
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    ItemInput {
        parent: n(i.parent_id),
        name: i.name.clone(),
        elements: i.elements.clone(),
        basis: i.basis.clone(),
        time_limit: n(i.time_limit_workdays),
        channel: i.channel.clone(),
        audience: i.audience.clone(),
        method: i.method.clone(),
        refresh_days: n(i.refresh_days),
        statutory: n(i.statutory_item),
    }
}

async fn office_page(
    state: &AppState,
    staff: &Staff,
    code: &str,
    form: ItemInput,
    error: Option<DomainError>,
    editing: Option<i64>,
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
        editing,
        statutory: STATUTORY_ITEMS
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let n = i as u32 + 1;
                (n.to_string(), format!("{}{label}", statutory_number(n)))
            })
            .collect(),
    })
}

pub async fn office(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AgencyQuery>,
) -> AppResult<Response> {
    // `?edit=ID` fills the form with an item of the chosen agency, to change it.
    let editing = match q.edit.trim().parse::<i64>() {
        Ok(id) => {
            let item = catalogue::item_by_id(&mut state.db.conn().await?, id)
                .await?
                .filter(|i| staff.user.principal().may_act_for(i.agency_id))
                .ok_or(AppError(DomainError::NotFound {
                    what: "目录事项"
                }))?;
            Some(item)
        }
        Err(_) => None,
    };
    let form = editing.as_ref().map(input_of).unwrap_or_default();
    let p = office_page(&state, &staff, &q.agency, form, None, editing.map(|i| i.id)).await?;
    page(&p, StatusCode::OK, None)
}

pub async fn update_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "目录事项")?;
    let result = match ItemDraft::parse(&form.input) {
        Ok(d) => gongkai_app::catalogue::update_column(&staff.ctx(&state.db), id, &d).await,
        Err(e) => Err(e),
    };
    crate::shared::render::after_post(
        result,
        |()| format!("/office/catalogue?agency={}", form.agency.trim()),
        async |e| office_page(&state, &staff, &form.agency, form.input, Some(e), Some(id)).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct ItemForm {
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
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let result = async {
        let agency = agency_id(&state, &form.agency).await?;
        let d = ItemDraft::parse(&form.input)?;
        gongkai_app::catalogue::create_column(&staff.ctx(&state.db), agency, &d).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/catalogue?agency={}", form.agency.trim()),
        async |e| office_page(&state, &staff, &form.agency, form.input, Some(e), None).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct FileForm {
    agency: String,
    item: String,
    index_no: String,
}

pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<FileForm>,
) -> AppResult<Response> {
    let item: i64 = form.item.trim().parse().map_err(|_| {
        AppError(DomainError::NotFound {
            what: "目录事项"
        })
    })?;
    let index = form.index_no.clone();
    let result = gongkai_app::catalogue::file_in_column(&staff.ctx(&state.db), item, &index).await;
    crate::shared::render::after_post(
        result,
        |()| format!("/office/catalogue?agency={}", form.agency.trim()),
        async |e| {
            office_page(
                &state,
                &staff,
                &form.agency,
                ItemInput::default(),
                Some(e),
                None,
            )
            .await
        },
    )
    .await
}
