//! 重大行政决策事项目录: the public catalogue of each agency by year and each entry's timeline;
//! the office pages where staff keep the catalogue, its entries and their stages.

use crate::shared::form::CsrfForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::decision::{
    self, EntryDraft, EntryInput, EntryStatus, StageDraft, StageInput, StageKind,
};
use gongkai_store::decisions::{self, Catalogue, Entry, Stage};
use gongkai_store::{agencies, consultations, db};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::{Choice, page};
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

const WHAT: &str = "决策事项目录";

#[derive(Template)]
#[template(path = "decisions.html")]
struct PublicCatalogue {
    chrome: Chrome,
    agency: agencies::Agency,
    years: Vec<i32>,
    shown: Option<(Catalogue, Vec<Entry>)>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

pub async fn public_catalogue(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let mut conn = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut conn, &code).await?;
    drop(conn);
    let published = gongkai_app::decisions::published_catalogues(&state.db, agency.id).await?;
    let years = published.iter().map(|(c, _)| c.year).collect();
    let wanted = q.year.trim().parse::<i32>().ok();
    let shown = published
        .into_iter()
        .find(|(c, _)| wanted.is_none_or(|y| y == c.year));
    page(
        &PublicCatalogue {
            chrome: visitor.chrome(&format!("{} 重大行政决策事项目录", agency.name)),
            agency,
            years,
            shown,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "decision.html")]
struct PublicEntry {
    chrome: Chrome,
    c: Catalogue,
    e: Entry,
    stages: Vec<Stage>,
}

pub async fn public_entry(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "决策事项")?;
    let (c, e, stages) = gongkai_app::decisions::published_entry(&state.db, id).await?;
    page(
        &PublicEntry {
            chrome: visitor.chrome(&e.title),
            c,
            e,
            stages,
        },
        StatusCode::OK,
        None,
    )
}

// ---- office ----

#[derive(Template)]
#[template(path = "office/decisions.html")]
struct OfficeList {
    chrome: Chrome,
    catalogues: Vec<Catalogue>,
    agencies: Vec<Choice>,
    year: String,
    due: String,
    missing: Vec<(i64, String, bool)>,
    error: Option<String>,
    error_field: String,
}

async fn office_list(
    state: &AppState,
    staff: &Staff,
    error: Option<DomainError>,
) -> AppResult<OfficeList> {
    let who = staff.user.principal();
    let today = db::now().date_naive();
    let year = chrono::Datelike::year(&today);
    let mut conn = state.db.conn().await?;
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(OfficeList {
        chrome: staff.chrome("重大行政决策事项目录"),
        catalogues: decisions::for_staff(&mut conn, &who).await?,
        missing: decisions::unpublished(&mut conn, &who, year).await?,
        agencies: crate::shared::render::agency_choices(state, staff).await?,
        year: year.to_string(),
        due: decision::catalogue_due(year)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        error,
        error_field,
    })
}

pub async fn office(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let p = office_list(&state, &staff, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct NewCatalogue {
    agency: String,
    year: String,
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<NewCatalogue>,
) -> AppResult<Response> {
    let ctx = staff.ctx(&state.db);
    let result = async {
        let year = decision::parse_year(&form.year, ctx.today())?;
        let code = gongkai_domain::agency::AgencyCode::parse(&form.agency)?;
        gongkai_app::decisions::create_catalogue(&ctx, &code, year).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |id| format!("/office/decisions/{id}"),
        async |e| office_list(&state, &staff, Some(e)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "office/decision_catalogue.html")]
struct OfficeCatalogue {
    chrome: Chrome,
    c: Catalogue,
    entries: Vec<Entry>,
    form: EntryInput,
    agencies: Vec<Choice>,
    statuses: Vec<Choice>,
    error: Option<String>,
    error_field: String,
}

async fn catalogue_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: Option<EntryInput>,
    error: Option<DomainError>,
) -> AppResult<OfficeCatalogue> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let c = decisions::catalogue(&mut conn, id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))?;
    let (error, error_field) = crate::shared::render::split_error(error);
    let form = form.unwrap_or_else(|| EntryInput {
        responsible: c.agency_code.clone(),
        ..Default::default()
    });
    Ok(OfficeCatalogue {
        chrome: staff.chrome(&format!(
            "{} {} 年度重大行政决策事项目录",
            c.agency_name, c.year
        )),
        entries: decisions::entries(&mut conn, id).await?,
        agencies: agencies::list(&mut conn)
            .await?
            .into_iter()
            .map(|a| Choice {
                value: a.code,
                label: a.name,
            })
            .collect(),
        statuses: choices!(EntryStatus),
        c,
        form,
        error,
        error_field,
    })
}

pub async fn catalogue(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let p = catalogue_page(&state, &staff, id, None, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct CatalogueAction {
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    entry: EntryInput,
}

/// Adds an entry, or publishes the catalogue.
pub async fn catalogue_act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CatalogueAction>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let ctx = staff.ctx(&state.db);
    let result: Result<(), DomainError> = async {
        if form.action == "publish" {
            return gongkai_app::decisions::publish_catalogue(&ctx, id).await;
        }
        let d = EntryDraft::parse(&form.entry)?;
        gongkai_app::decisions::add_entry(&ctx, id, &d)
            .await
            .map(drop)
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/decisions/{id}"),
        async |e| catalogue_page(&state, &staff, id, Some(form.entry), Some(e)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "office/decision_entry.html")]
struct OfficeEntry {
    chrome: Chrome,
    c: Catalogue,
    e: Entry,
    stages: Vec<Stage>,
    kinds: Vec<Choice>,
    consultations: Vec<Choice>,
    stage: StageInput,
    error: Option<String>,
    error_field: String,
}

async fn entry_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    stage: Option<StageInput>,
    error: Option<DomainError>,
) -> AppResult<OfficeEntry> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let not_found = || {
        AppError(DomainError::NotFound {
            what: "决策事项"
        })
    };
    let e = decisions::entry(&mut conn, id)
        .await?
        .ok_or_else(not_found)?;
    let c = decisions::catalogue(&mut conn, e.catalogue_id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or_else(not_found)?;
    let consultations = consultations::public_list(&mut conn, None)
        .await?
        .into_iter()
        .map(|k| Choice {
            value: k.id.to_string(),
            label: k.title,
        })
        .collect();
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(OfficeEntry {
        chrome: staff.chrome(&e.title),
        stages: decisions::stages(&mut conn, id).await?,
        kinds: choices!(StageKind),
        consultations,
        stage: stage.unwrap_or_else(|| StageInput {
            happened_on: db::now().date_naive().to_string(),
            ..Default::default()
        }),
        c,
        e,
        error,
        error_field,
    })
}

pub async fn entry(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "决策事项")?;
    let p = entry_page(&state, &staff, id, None, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct StageForm {
    #[serde(flatten)]
    stage: StageInput,
}

pub async fn add_stage(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "决策事项")?;
    let ctx = staff.ctx(&state.db);
    let result = async {
        let d = StageDraft::parse(&form.stage, ctx.today())?;
        gongkai_app::decisions::add_stage(&ctx, id, &d).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/decisions/entries/{id}"),
        async |e| entry_page(&state, &staff, id, Some(form.stage), Some(e)).await,
    )
    .await
}
