//! 机构: the public list of agencies, an agency's page and its 公开指南, and the agency API.

pub mod api;
pub mod public;

use axum::Router;
use axum::routing::get;

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/agencies", get(public::agency_list))
        .route("/agencies/{code}", get(public::agency))
        .route("/agencies/{code}/guide", get(public::guide))
        .route(
            "/api/v1/agencies",
            get(api::agency_list).post(api::agency_create),
        )
        .route("/api/v1/agencies/{code}", get(api::agency_get))
}
