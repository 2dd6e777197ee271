//! The agencies API: the public list and one agency; creating one needs an admin token. Errors
//! are `application/problem+json` with a stable `code`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyCode, AgencyDraft, AgencyInput};
use gongkai_store::agencies::{self, Agency};

use crate::shared::error::{AppError, AppResult};
use crate::shared::session::ApiUser;
use crate::shared::state::AppState;

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
