//! The documents API: public documents with filters and paging; staff tokens create, patch
//! and move their agency's documents through review. Errors are `application/problem+json`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use gongkai_domain::{DomainError, Field};
use gongkai_store::documents::{self, Document, DocumentSummary};

use gongkai_app::doc_query::{DocumentQuery, Parsed};
use serde::{Deserialize, Serialize};

use crate::shared::error::{AppError, AppResult};
use crate::shared::session::ApiUser;
use crate::shared::state::AppState;

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
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let current = staff_document(&state, &user, id).await?;
    let (input, change_note) =
        crate::documents::office::input_of(&current.document).patched(body)?;
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
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let action = Action::parse(&body.action, &body.reason)?;
    gongkai_app::documents::act(&user.ctx(&state.db), id, &action).await?;
    Ok(Json(staff_document(&state, &user, id).await?))
}
