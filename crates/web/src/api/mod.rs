//! JSON API under `/api/v1`. Reads are public; writes need a staff bearer token. Errors are
//! `application/problem+json` with a stable `code` (rendered by the middleware). Each
//! feature's endpoints sit with the feature; here are the caller (`/me`), the work calendar
//! and the OpenAPI description.

pub mod openapi;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use gongkai_domain::Field;
use gongkai_domain::calendar::{DayInfo, WorkdaySpan, parse_date};
use gongkai_store::calendar;

use gongkai_store::users::User;
use serde::{Deserialize, Serialize};

use crate::shared::error::AppResult;
use crate::shared::session::ApiUser;
use crate::shared::state::AppState;

pub async fn me(user: ApiUser) -> Json<User> {
    Json(user.user)
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
    let days: u32 = gongkai_domain::input::number(
        &q.days,
        Field::new("days", "工作日数"),
        "工作日数应为 0 或正整数",
    )?;
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

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/me", get(me))
        .route("/api/v1/calendar/days/{date}", get(calendar_day))
        .route("/api/v1/calendar/deadline", get(calendar_deadline))
        .route("/api/v1/calendar/workdays", get(calendar_between))
}
