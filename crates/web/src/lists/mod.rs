//! 公开清单: the typed lists (public pages, exports, feeds), their extras (resources, forms, registrations), the office's records and imports, and the lists API with DCAT.

pub mod api;
pub mod extras;
pub mod office;
pub mod public;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/lists", get(public::index))
        .route("/lists/sjml/catalog.jsonld", get(api::dcat))
        .route("/lists/{kind}", get(public::list))
        .route("/lists/{kind}/feed.atom", get(public::feed))
        .route("/lists/{kind}/export/{format}", get(public::export))
        .route("/lists/{kind}/{id}", get(public::record))
        .route("/lists/kfhd/{id}/register", post(extras::register))
        .route("/datasets/resources/{id}/download", get(extras::download))
        .route("/office/lists", get(office::index))
        .route("/office/lists/imports/{id}", get(office::import_job))
        .route(
            "/office/lists/{kind}",
            get(office::kind).post(office::create),
        )
        .route(
            "/office/lists/{kind}/template/{format}",
            get(office::template),
        )
        .route(
            "/office/lists/records/{id}",
            get(office::detail).post(office::act),
        )
        .route("/lists/files/{id}", get(extras::form_file))
        .route("/api/v1/lists", get(api::kinds))
        .route("/api/v1/lists/{kind}", get(api::list))
        .route("/api/v1/lists/{kind}/{id}", get(api::record))
        .route("/api/v1/datasets/resources/{id}/rows", get(api::rows))
}

/// This feature's upload routes, which the router gives the larger upload limit.
pub(crate) fn uploads() -> Router<AppState> {
    Router::new()
        .route("/office/lists/import", post(office::import))
        .route(
            "/office/lists/records/{id}/resources",
            post(office::add_resource),
        )
        .route("/office/lists/records/{id}/forms", post(office::add_form))
}
