//! 依申请公开: the application form and tracking for the public, the office's handling to the reply letter, and the applications API.

pub mod api;
pub mod office;
pub mod public;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests/new", get(public::new_form))
        .route(
            "/office/requests",
            get(office::queue).post(office::register),
        )
        .route("/office/requests/new", get(office::new_form))
        .route("/office/requests/{id}", get(office::detail))
        .route("/office/requests/{id}/letter", get(office::letter))
        .route("/office/requests/{id}/convert", post(office::convert))
        .route("/office/requests/{id}/appeals", post(office::add_appeal))
        .route(
            "/office/requests/{id}/appeals/{appeal}/decide",
            post(office::decide_appeal),
        )
        .route("/office/requests/{id}/letter.pdf", get(office::letter_pdf))
        .route("/office/requests/{id}/actions", post(office::act))
        .route("/requests", post(public::submit))
        .route(
            "/requests/track",
            get(public::track_form).post(public::track),
        )
        .route("/requests/withdraw", post(public::withdraw))
        .route("/requests/letter.pdf", post(public::letter_pdf))
        .route("/api/v1/applications", post(api::create))
        .route("/api/v1/applications/{code}", get(api::get))
        .route("/api/v1/applications/{code}/actions", post(api::act))
}
