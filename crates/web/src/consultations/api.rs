//! The JSON API for 意见征集: published consultations with their articles, public comments
//! and feedback report, and comments from the public (the same rules as the page; problem+json
//! with a stable code when refused, nothing stored).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_domain::consultation::comment::Standing;
use gongkai_domain::consultation::{self, Article, CommentDraft, CommentInput, FeedbackReport};
use gongkai_store::consultations::{self, Consultation};
use gongkai_store::db;
use serde::Serialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::session::Visitor;
use crate::shared::state::AppState;

#[derive(Serialize)]
pub struct Summary {
    id: i64,
    title: String,
    agency: String,
    agency_name: String,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    phase: consultation::Phase,
    report_published: bool,
    href: String,
}

fn summary(c: &Consultation, today: NaiveDate) -> Summary {
    Summary {
        id: c.id,
        title: c.title.clone(),
        agency: c.agency_code.clone(),
        agency_name: c.agency_name.clone(),
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        phase: c.phase(today),
        report_published: c.report_published_at.is_some(),
        href: format!("/api/v1/consultations/{}", c.id),
    }
}

pub async fn list(State(state): State<AppState>) -> AppResult<Json<Vec<Summary>>> {
    let today = db::now().date_naive();
    let all = consultations::public_list(&mut state.db.conn().await?, None).await?;
    Ok(Json(all.iter().map(|c| summary(c, today)).collect()))
}

#[derive(Serialize)]
pub struct PublicComment {
    id: i64,
    article: Option<u32>,
    body: String,
    /// Only when the commenter chose to show it.
    name: Option<String>,
    received_on: NaiveDate,
}

#[derive(Serialize)]
pub struct Detail {
    #[serde(flatten)]
    summary: Summary,
    explanation: String,
    basis: String,
    draft: String,
    version: i64,
    articles: Vec<Article>,
    short_reason: Option<String>,
    name_required: bool,
    contact_required: bool,
    comments: Vec<PublicComment>,
    decided_on: Option<NaiveDate>,
    report: Option<FeedbackReport>,
    report_text: Vec<String>,
}

pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Detail>> {
    let id = crate::shared::error::id_or_404(&id, "意见征集")?;
    let mut conn = state.db.conn().await?;
    let c = consultations::public_get(&mut conn, id)
        .await?
        .ok_or(AppError(DomainError::NotFound {
            what: "意见征集"
        }))?;
    let comments = consultations::public_comments(&mut conn, id)
        .await?
        .into_iter()
        .map(|m| PublicComment {
            id: m.id,
            article: m.article,
            body: m.body,
            name: m.name,
            received_on: m.received_at.date_naive(),
        })
        .collect();
    let today = db::now().date_naive();
    Ok(Json(Detail {
        summary: summary(&c, today),
        articles: consultation::articles(&c.draft),
        report_text: c
            .report
            .as_ref()
            .map(FeedbackReport::paragraphs)
            .unwrap_or_default(),
        explanation: c.explanation,
        basis: c.basis,
        draft: c.draft,
        version: c.version,
        short_reason: c.short_reason,
        name_required: c.name_rule == consultation::Identity::Required,
        contact_required: c.contact_rule == consultation::Identity::Required,
        comments,
        decided_on: c.decided_on,
        report: c.report,
    }))
}

#[derive(Serialize)]
pub struct Received {
    id: i64,
    consultation_id: i64,
    status: Standing,
}

/// A comment from the public; the response is sent only after it is committed.
pub async fn comment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Json(input): Json<CommentInput>,
) -> AppResult<impl IntoResponse> {
    let id = crate::shared::error::id_or_404(&id, "意见征集")?;
    let now = db::now();
    let c = consultations::public_get(&mut state.db.conn().await?, id)
        .await?
        .ok_or(AppError(DomainError::NotFound {
            what: "意见征集"
        }))?;
    let d = CommentDraft::parse(
        &input,
        c.phase(now.date_naive()),
        c.name_rule,
        c.contact_rule,
        &c.article_numbers(),
    )?;
    let ctx = visitor.ctx(&state.db).at(now);
    let cid = gongkai_app::consultations::comment(&ctx, id, &d, &visitor.client).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/consultations/{id}"))],
        Json(Received {
            id: cid,
            consultation_id: id,
            status: Standing::Received,
        }),
    ))
}
