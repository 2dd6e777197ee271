//! The HTTP front of gongkai: the public portal, the office for staff, and the JSON API.
//!
//! One module per feature, each with its pages, its API and its `routes()`; `shared` holds what
//! every feature uses (errors, the strict CSRF-checked form, sessions, rendering helpers,
//! middleware, the page cache). The router is composed here and nowhere else.

// First: its macros (`choices!`) are visible only to the modules declared after it.
#[macro_use]
pub mod shared;

pub mod admin;
pub mod agencies;
pub mod answers;
pub mod api;
pub mod auth;
pub mod catalogue;
pub mod consultations;
pub mod decisions;
pub mod documents;
pub mod feeds;
pub mod gazette;
pub mod lists;
pub mod messages;
pub mod office;
pub mod portal;
pub mod reports;
pub mod requests;
pub mod search;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use shared::state::{AppState, WebConfig};

pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    // Uploads get their own, larger limit (the file plus the rest of the form); every other
    // route keeps the small one.
    let upload_limit = state.config.max_upload_bytes + 64 * 1024;
    let uploads = Router::new()
        .merge(documents::uploads())
        .merge(lists::uploads())
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(RequestBodyLimitLayer::new(upload_limit));
    Router::new()
        .merge(portal::routes())
        .merge(search::routes())
        .merge(agencies::routes())
        .merge(documents::routes())
        .merge(requests::routes())
        .merge(messages::routes())
        .merge(consultations::routes())
        .merge(decisions::routes())
        .merge(lists::routes())
        .merge(catalogue::routes())
        .merge(answers::routes())
        .merge(gazette::routes())
        .merge(reports::routes())
        .merge(feeds::routes())
        .merge(office::routes())
        .merge(admin::routes())
        .merge(auth::routes())
        .merge(api::routes())
        .route("/healthz", get(shared::health::healthz))
        .route("/readyz", get(shared::health::readyz))
        .route("/static/{name}", get(shared::assets::serve))
        .layer(RequestBodyLimitLayer::new(limit))
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::page_cache::layer,
        ))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::middleware::request_context,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
