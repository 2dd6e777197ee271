//! 意见征集: drafts open for comment, the office's consultations and comment ledger, and the consultations API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/consultations", get(pages::list))
        .route("/consultations/{id}", get(pages::public))
        .route("/consultations/{id}/comments", post(pages::comment))
        .route(
            "/office/consultations",
            get(pages::office).post(pages::create),
        )
        .route(
            "/office/consultations/{id}",
            get(pages::detail).post(pages::update),
        )
        .route("/office/consultations/{id}/actions", post(pages::act))
        .route(
            "/office/consultations/{id}/comments.csv",
            get(pages::export),
        )
        .route(
            "/office/consultations/{id}/comments.xlsx",
            get(pages::export_xlsx),
        )
        .route(
            "/office/consultations/comments/{cid}",
            post(pages::comment_act),
        )
        .route("/api/v1/consultations", get(api::list))
        .route("/api/v1/consultations/{id}", get(api::get))
        .route("/api/v1/consultations/{id}/comments", post(api::comment))
}
