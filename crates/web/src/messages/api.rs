//! The JSON API for 留言: file a message (no account; the code and key come back only after it
//! is stored), and the published messages (选登) with their replies.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use gongkai_domain::message::{BoxKind, MessageDraft, MessageInput};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies;
use gongkai_store::messages::{self, Destination};
use serde::{Deserialize, Serialize};

use gongkai_app::messages::Published;

use crate::shared::error::AppResult;
use crate::shared::session::Visitor;
use crate::shared::state::AppState;

#[derive(Deserialize)]
pub struct NewMessage {
    #[serde(default)]
    agency: String,
    /// `consultation` (default), `leader` or `policy` (with `document`).
    #[serde(default, rename = "box")]
    box_kind: String,
    #[serde(default)]
    document: Option<i64>,
    #[serde(flatten)]
    input: MessageInput,
}

#[derive(Serialize)]
pub struct Filed {
    tracking_code: String,
    /// Shown once: keep it; only its hash is stored.
    key: String,
    due_on: NaiveDate,
    status: gongkai_domain::message::Status,
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Json(m): Json<NewMessage>,
) -> AppResult<impl IntoResponse> {
    let field = Field::new("agency", "留言机关");
    let agency = gongkai_app::agencies::chosen(&state.db, &m.agency, field).await?;
    let box_kind = if m.box_kind.trim().is_empty() {
        BoxKind::Consultation
    } else {
        BoxKind::parse(&m.box_kind)?
    };
    let d = MessageDraft::parse(&m.input)?;
    let to = Destination {
        agency_id: agency.id,
        box_kind,
        document_id: m.document,
    };
    let filed =
        gongkai_app::messages::submit(&visitor.ctx(&state.db), to, &d, &visitor.client).await?;
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(Filed {
            tracking_code: filed.tracking_code,
            key: filed.key,
            due_on: filed.due_on,
            status: gongkai_domain::message::Status::Received,
        }),
    ))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    agency: String,
}

pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<Published>>> {
    let mut conn = state.db.conn().await?;
    let agency = match q.agency.trim() {
        "" => None,
        code => {
            let c = gongkai_domain::agency::AgencyCode::parse(code)?;
            Some(
                agencies::by_code(&mut conn, &c)
                    .await?
                    .ok_or(DomainError::NotFound { what: "机构" })?
                    .id,
            )
        }
    };
    let rows = messages::published(&mut conn, agency, None, 200).await?;
    Ok(Json(rows.into_iter().map(Published::from).collect()))
}
