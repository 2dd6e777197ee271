//! JSON API under `/api/v1`. Reads are public; writes need a staff bearer token. Errors are
//! `application/problem+json` with a stable `code` (rendered by the middleware).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use gongkai_domain::agency::{AgencyCode, AgencyDraft, AgencyInput};
use gongkai_domain::calendar::{DayInfo, WorkdaySpan, parse_date};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::calendar;
use gongkai_store::documents::{self, Document, DocumentSummary};

use crate::doc_query::{DocumentQuery, Parsed};
use gongkai_store::users::User;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::session::ApiUser;
use crate::state::AppState;

pub async fn agency_list(State(state): State<AppState>) -> AppResult<Json<Vec<Agency>>> {
    let mut c = state.db.conn().await?;
    Ok(Json(agencies::list(&mut c).await?))
}

pub async fn agency_get(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Agency>> {
    let code = AgencyCode::parse(&code)?;
    let mut c = state.db.conn().await?;
    let a = agencies::by_code(&mut c, &code)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: "机构" }))?;
    Ok(Json(a))
}

pub async fn agency_create(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<AgencyInput>,
) -> AppResult<impl IntoResponse> {
    user.user.principal().require_admin()?;
    let draft = AgencyDraft::parse(&input)?;
    let actor = user.actor();
    let a = state
        .db
        .write(async |tx| agencies::create(tx, &actor, &draft).await)
        .await?;
    Ok((StatusCode::CREATED, Json(a)))
}

pub async fn me(user: ApiUser) -> Json<User> {
    Json(user.user)
}

#[derive(Serialize)]
pub struct Page<T> {
    items: Vec<T>,
    total: i64,
    page: i64,
    per_page: i64,
}

/// Public documents with filters (agency code, 文种, topic, year, validity) and paging.
pub async fn documents_list(
    State(state): State<AppState>,
    Query(q): Query<DocumentQuery>,
) -> AppResult<Json<Page<DocumentSummary>>> {
    let mut c = state.db.conn().await?;
    let Parsed {
        filter: f,
        page,
        per_page,
    } = q.parse(&mut c).await?;
    let (items, total) = documents::public_list(&mut c, &f, page, per_page).await?;
    Ok(Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}

pub async fn document_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<Document>> {
    let not_found = || AppError(DomainError::NotFound { what: "文件" });
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut c = state.db.conn().await?;
    let mut doc = documents::public_get(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    if doc.withdrawn_at.is_some() {
        doc.version.body.clear();
    }
    Ok(Json(doc))
}

pub async fn calendar_day(
    State(state): State<AppState>,
    Path(date): Path<String>,
) -> AppResult<Json<DayInfo>> {
    let date = parse_date(&date, Field::new("date", "日期"))?;
    let mut c = state.db.conn().await?;
    Ok(Json(
        calendar::work_calendar(&mut c).await?.is_workday(date),
    ))
}

#[derive(Deserialize)]
pub struct DeadlineQuery {
    from: String,
    days: String,
}

/// A span with its explanation lines, as pages show them.
#[derive(Serialize)]
pub struct ExplainedSpan {
    #[serde(flatten)]
    span: WorkdaySpan,
    explanation: Vec<String>,
}

impl From<WorkdaySpan> for ExplainedSpan {
    fn from(span: WorkdaySpan) -> Self {
        ExplainedSpan {
            explanation: span.explain(),
            span,
        }
    }
}

pub async fn calendar_deadline(
    State(state): State<AppState>,
    Query(q): Query<DeadlineQuery>,
) -> AppResult<Json<ExplainedSpan>> {
    let from = parse_date(&q.from, Field::new("from", "起算日期"))?;
    let days: u32 = q.days.trim().parse().map_err(|_| {
        DomainError::invalid(Field::new("days", "工作日数"), "工作日数应为 0 或正整数")
    })?;
    let mut c = state.db.conn().await?;
    let cal = calendar::work_calendar(&mut c).await?;
    Ok(Json(cal.add_workdays(from, days)?.into()))
}

#[derive(Deserialize)]
pub struct BetweenQuery {
    from: String,
    to: String,
}

pub async fn calendar_between(
    State(state): State<AppState>,
    Query(q): Query<BetweenQuery>,
) -> AppResult<Json<ExplainedSpan>> {
    let from = parse_date(&q.from, Field::new("from", "起始日期"))?;
    let to = parse_date(&q.to, Field::new("to", "截止日期"))?;
    let mut c = state.db.conn().await?;
    let cal = calendar::work_calendar(&mut c).await?;
    Ok(Json(cal.workdays_between(from, to)?.into()))
}
