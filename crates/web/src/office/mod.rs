//! The office's own pages: home (待办), the work calendar, the oversight dashboard, the website
//! self-check and the search synonyms.

pub mod dashboard;
pub mod home;
pub mod selfcheck;
pub mod selfcheck_page;
pub mod synonyms;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/selfcheck", get(selfcheck_page::office))
        .route("/office/dashboard", get(dashboard::office))
        .route("/office/dashboard/weights", post(dashboard::set_weights))
        .route("/office", get(home::home))
        .route(
            "/office/search/synonyms",
            get(synonyms::list).post(synonyms::save),
        )
        .route("/office/search/synonyms/delete", post(synonyms::remove))
        .route("/office/calendar", get(home::calendar_view))
        .route("/office/calendar/overrides", post(home::set_override))
        .route(
            "/office/calendar/overrides/delete",
            post(home::remove_override),
        )
}
