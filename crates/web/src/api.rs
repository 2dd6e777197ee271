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

use gongkai_app::doc_query::{DocumentQuery, Parsed};
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
    let a = gongkai_app::admin::create_agency(&user.ctx(&state.db), &draft).await?;
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

/// A document as its agency's staff see it through the API: the working version, with its
/// status.
#[derive(Serialize)]
pub struct StaffDocument {
    #[serde(flatten)]
    document: Document,
    href: String,
}

async fn staff_document(state: &AppState, user: &ApiUser, id: i64) -> AppResult<StaffDocument> {
    let mut c = state.db.conn().await?;
    let document = documents::staff_get(&mut c, &user.user.principal(), id).await?;
    Ok(StaffDocument {
        href: format!("/api/v1/documents/{id}"),
        document,
    })
}

#[derive(Deserialize)]
pub struct NewDocument {
    /// Code of the issuing agency.
    agency: String,
    /// 索引号 is issued by the agency's rule; it cannot be chosen here.
    #[serde(flatten)]
    input: gongkai_domain::document::DocumentInput,
}

/// Registers a draft, with the same checks as the office form.
pub async fn document_create(
    State(state): State<AppState>,
    user: ApiUser,
    Json(body): Json<NewDocument>,
) -> AppResult<impl IntoResponse> {
    let field = Field::new("agency", "发布机构");
    let agency = gongkai_app::agencies::chosen(&state.db, &body.agency, field).await?;
    let draft = gongkai_domain::document::DocumentDraft::parse(
        &body.input,
        gongkai_store::db::now().date_naive(),
    )?;
    let id = gongkai_app::documents::register(&user.ctx(&state.db), agency.id, &draft).await?;
    let doc = staff_document(&state, &user, id).await?;
    let location = doc.href.clone();
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(doc),
    ))
}

/// Changes the working version: fields left out keep their values. A published document gets
/// a new version (then `change_note` is required); one under review cannot change.
pub async fn document_patch(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Json(body): Json<serde_json::Map<String, serde_json::Value>>,
) -> AppResult<Json<StaffDocument>> {
    let id = crate::error::id_or_404(&id, "文件")?;
    let current = staff_document(&state, &user, id).await?;
    let mut merged = serde_json::to_value(crate::pages::documents::input_of(&current.document))
        .map_err(|e| DomainError::internal(format!("input as json: {e}")))?;
    let mut change_note = None;
    for (key, value) in body {
        if key == "change_note" {
            change_note = value.as_str().map(str::to_string);
            continue;
        }
        match merged.get_mut(&key) {
            Some(slot) => *slot = value,
            None => {
                return Err(AppError(DomainError::invalid(
                    Field::new("body", "提交内容"),
                    format!("不能修改的字段“{key}”"),
                )));
            }
        }
    }
    let input: gongkai_domain::document::DocumentInput =
        serde_json::from_value(merged).map_err(|e| {
            DomainError::invalid(
                Field::new("body", "提交内容"),
                format!("字段类型不正确:{e}"),
            )
        })?;
    let draft = gongkai_domain::document::DocumentDraft::parse(
        &input,
        gongkai_store::db::now().date_naive(),
    )?;
    gongkai_app::documents::revise(&user.ctx(&state.db), id, &draft, change_note.as_deref())
        .await?;
    Ok(Json(staff_document(&state, &user, id).await?))
}

#[derive(Deserialize)]
pub struct ActionBody {
    /// submit, return, approve, publish or withdraw.
    action: String,
    #[serde(default)]
    reason: String,
}

/// Moves a document through review, as the office's buttons do.
pub async fn document_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Json(body): Json<ActionBody>,
) -> AppResult<Json<StaffDocument>> {
    use gongkai_domain::document::Action;
    let id = crate::error::id_or_404(&id, "文件")?;
    let action = match body.action.as_str() {
        "submit" => Action::Submit,
        "return" => Action::Return {
            reason: body.reason.clone(),
        },
        "approve" => Action::Approve,
        "publish" => Action::Publish,
        "withdraw" => Action::Withdraw {
            reason: body.reason.clone(),
        },
        other => {
            return Err(AppError(DomainError::invalid(
                Field::new("action", "操作"),
                format!("未知的操作“{other}”:应为 submit、return、approve、publish 或 withdraw"),
            )));
        }
    };
    gongkai_app::documents::act(&user.ctx(&state.db), id, &action).await?;
    Ok(Json(staff_document(&state, &user, id).await?))
}
