//! 留言: the public message box and tracking, the office's handling and 选登, and the messages API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/messages", get(pages::public_list).post(pages::submit))
        .route("/messages/new", get(pages::new_form))
        .route("/messages/track", get(pages::track_form).post(pages::track))
        .route("/messages/{id}", get(pages::public))
        .route("/office/messages", get(pages::queue))
        .route("/office/messages/limits", post(pages::set_limit))
        .route("/office/messages/{id}", get(pages::detail))
        .route("/office/messages/{id}/actions", post(pages::act))
        .route("/api/v1/messages", get(api::list).post(api::create))
}
