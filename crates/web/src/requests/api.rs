//! The JSON API for 依申请公开: public intake and tracking (the key travels in a header, never
//! in a URL), and staff handling steps with a bearer token.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use gongkai_domain::request::clock::Clock;
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db;
use gongkai_store::requests::{self, Request};
use serde::Serialize;

use crate::requests::office::{ActionForm, action_of};
use crate::shared::error::{AppError, AppResult};
use crate::shared::session::{ApiUser, Visitor};
use crate::shared::state::AppState;

#[derive(Serialize)]
pub struct Filed {
    tracking_code: String,
    /// Shown once: keep it; only its hash is stored.
    key: String,
    status: gongkai_domain::request::workflow::Status,
    href: String,
}

/// Files an application online. The response is sent only after it is committed.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Json(input): Json<RequestInput>,
) -> AppResult<impl IntoResponse> {
    let field = Field::new("agency", "受理机关");
    let agency = gongkai_app::agencies::chosen(&state.db, &input.agency, field).await?;
    let ctx = visitor.ctx(&state.db);
    let draft = RequestDraft::parse_online(&input, ctx.today())?;
    let s = gongkai_app::requests::submit_online(&ctx, agency.id, &draft, &visitor.client).await?;
    let href = format!("/api/v1/applications/{}", s.tracking_code);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, href.clone())],
        Json(Filed {
            tracking_code: s.tracking_code,
            key: s.key,
            // Online applications wait for the office to confirm receipt.
            status: gongkai_domain::request::workflow::Status::Pending,
            href,
        }),
    ))
}

/// What the applicant may see: no staff notes, the ID masked.
#[derive(Serialize)]
pub struct Tracking {
    tracking_code: String,
    agency: String,
    status: &'static str,
    status_label: &'static str,
    submitted_on: chrono::NaiveDate,
    received_on: Option<chrono::NaiveDate>,
    applicant: String,
    id_number: String,
    clock: Option<Clock>,
    explanation: Vec<String>,
    steps: Vec<(chrono::NaiveDate, String)>,
    outcome: Option<String>,
}

fn tracking(r: Request, events: Vec<requests::Event>, clock: Option<Clock>) -> Tracking {
    let replied = r.status.was_replied();
    Tracking {
        id_number: r.masked_id(),
        explanation: clock.as_ref().map(Clock::explain).unwrap_or_default(),
        steps: events
            .into_iter()
            .filter_map(|e| e.public_note.map(|n| (e.on_date, n)))
            .collect(),
        outcome: r.outcome.filter(|_| replied).map(|o| o.label()),
        tracking_code: r.tracking_code,
        agency: r.agency_name,
        status: r.status.as_str(),
        status_label: r.status.label(),
        submitted_on: r.submitted_on,
        received_on: r.received_on,
        applicant: r.applicant_name,
        clock,
    }
}

/// `GET /api/v1/applications/{code}` with the key in `X-Tracking-Key`.
pub async fn get(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> AppResult<Json<Tracking>> {
    let key = headers
        .get("x-tracking-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let now = db::now();
    let mut c = state.db.conn().await?;
    let found = requests::lookup(&mut c, &code, key, &visitor.client, now).await?;
    let (r, events) = found.ok_or(AppError(DomainError::NotFound { what: "申请" }))?;
    let cal = gongkai_store::calendar::work_calendar(&mut c).await?;
    let clock = requests::clock_of(&cal, &r, &events, now.date_naive())?;
    Ok(Json(tracking(r, events, clock)))
}

/// A staff handling step, with the same fields and rules as the office form.
pub async fn act(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Json(body): Json<ActionForm>,
) -> AppResult<Json<serde_json::Value>> {
    let principal = user.user.principal();
    let mut c = state.db.conn().await?;
    let id = requests::id_by_code(&mut c, &code)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: "申请" }))?;
    // Another agency's request does not exist for this caller.
    requests::staff_get(&mut c, &principal, id).await?;
    drop(c);
    let ctx = user.ctx(&state.db);
    if body.step() == Some(gongkai_domain::request::workflow::EventKind::Transfer) {
        let t = gongkai_app::requests::transfer(&ctx, id).await?;
        return Ok(Json(serde_json::json!({
            "tracking_code": code.trim().to_uppercase(),
            "transferred_to": t.tracking_code,
            "agency": t.agency_name,
        })));
    }
    let action = action_of(&body, ctx.today())?;
    let status = gongkai_app::requests::act(&ctx, id, &action).await?;
    Ok(Json(serde_json::json!({
        "tracking_code": code.trim().to_uppercase(),
        "status": status.as_str(),
        "status_label": status.label(),
    })))
}
