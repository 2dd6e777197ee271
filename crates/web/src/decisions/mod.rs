//! 双公示 and other decision catalogues: the public entries, the office's catalogues and stages, and their API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/agencies/{code}/decisions", get(pages::public_catalogue))
        .route("/decisions/{id}", get(pages::public_entry))
        .route("/office/decisions", get(pages::office).post(pages::create))
        .route(
            "/office/decisions/{id}",
            get(pages::catalogue).post(pages::catalogue_act),
        )
        .route(
            "/office/decisions/entries/{id}",
            get(pages::entry).post(pages::add_stage),
        )
        .route("/api/v1/agencies/{code}/decisions", get(api::catalogues))
        .route("/api/v1/decisions/{id}", get(api::entry))
}
