//! The HTTP front of gongkai: the public portal, the office for staff, and the JSON API.

pub mod api;
pub mod api_consultations;
pub mod api_decisions;
pub mod api_lists;
pub mod api_messages;
pub mod api_requests;
pub mod assets;
pub mod client_addr;
pub mod error;
pub mod feeds;
pub mod form;
pub mod health;
pub mod middleware;
pub mod openapi;
pub mod page_cache;
pub mod pages;
pub mod selfcheck;
pub mod session;
pub mod state;
pub mod views;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use state::{AppState, WebConfig};

pub fn router(state: AppState) -> Router {
    use pages::{
        admin, answers, attachments, auth, catalogue, consultations, decisions, documents, gazette,
        lists, messages, office, office_requests, public, reports, requests, search,
    };
    let limit = state.config.max_body_bytes;
    // Uploads get their own, larger limit (the file plus the rest of the form); every other
    // route keeps the small one.
    let upload_limit = state.config.max_upload_bytes + 64 * 1024;
    let uploads = Router::new()
        .route(
            "/office/documents/{id}/attachments",
            post(attachments::upload_to_document),
        )
        .route(
            "/office/gazette/{id}/pdf",
            post(attachments::upload_gazette_pdf),
        )
        .route("/office/lists/import", post(pages::office_lists::import))
        .route(
            "/office/lists/records/{id}/resources",
            post(pages::office_lists::add_resource),
        )
        .route(
            "/office/lists/records/{id}/forms",
            post(pages::office_lists::add_form),
        )
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(RequestBodyLimitLayer::new(upload_limit));
    Router::new()
        .route("/", get(public::home))
        .route("/agencies", get(public::agency_list))
        .route("/agencies/{code}", get(public::agency))
        .route("/documents", get(public::document_list))
        .route("/search", get(search::search_page))
        .route("/answers/{id}", get(answers::public))
        .route("/consultations", get(consultations::list))
        .route("/consultations/{id}", get(consultations::public))
        .route("/consultations/{id}/comments", post(consultations::comment))
        .route(
            "/office/consultations",
            get(consultations::office).post(consultations::create),
        )
        .route(
            "/office/consultations/{id}",
            get(consultations::detail).post(consultations::update),
        )
        .route(
            "/office/consultations/{id}/actions",
            post(consultations::act),
        )
        .route(
            "/office/consultations/{id}/comments.csv",
            get(consultations::export),
        )
        .route(
            "/office/consultations/{id}/comments.xlsx",
            get(consultations::export_xlsx),
        )
        .route(
            "/office/consultations/comments/{cid}",
            post(consultations::comment_act),
        )
        .route(
            "/messages",
            get(messages::public_list).post(messages::submit),
        )
        .route("/messages/new", get(messages::new_form))
        .route(
            "/messages/track",
            get(messages::track_form).post(messages::track),
        )
        .route("/messages/{id}", get(messages::public))
        .route(
            "/agencies/{code}/decisions",
            get(decisions::public_catalogue),
        )
        .route("/decisions/{id}", get(decisions::public_entry))
        .route("/lists", get(lists::index))
        .route("/lists/sjml/catalog.jsonld", get(api_lists::dcat))
        .route("/lists/{kind}", get(lists::list))
        .route("/lists/{kind}/feed.atom", get(lists::feed))
        .route("/lists/{kind}/export/{format}", get(lists::export))
        .route("/lists/{kind}/{id}", get(lists::record))
        .route(
            "/lists/kfhd/{id}/register",
            post(pages::lists_extra::register),
        )
        .route(
            "/datasets/resources/{id}/download",
            get(pages::lists_extra::download),
        )
        .route("/office/lists", get(pages::office_lists::index))
        .route(
            "/office/lists/imports/{id}",
            get(pages::office_lists::import_job),
        )
        .route(
            "/office/lists/{kind}",
            get(pages::office_lists::kind).post(pages::office_lists::create),
        )
        .route(
            "/office/lists/{kind}/template/{format}",
            get(pages::office_lists::template),
        )
        .route(
            "/office/lists/records/{id}",
            get(pages::office_lists::detail).post(pages::office_lists::act),
        )
        .route("/lists/files/{id}", get(pages::lists_extra::form_file))
        .route("/api/v1/lists", get(api_lists::kinds))
        .route("/api/v1/lists/{kind}", get(api_lists::list))
        .route("/api/v1/lists/{kind}/{id}", get(api_lists::record))
        .route("/api/v1/datasets/resources/{id}/rows", get(api_lists::rows))
        .route("/reports", get(reports::public_list))
        .route("/reports/{id}", get(reports::public))
        .route("/reports/{id}/{format}", get(reports::public_output))
        .route(
            "/office/reports",
            get(reports::office).post(reports::create),
        )
        .route(
            "/office/reports/{id}",
            get(reports::detail).post(reports::act),
        )
        .route("/office/selfcheck", get(pages::selfcheck::office))
        .route("/office/dashboard", get(pages::dashboard::office))
        .route(
            "/office/dashboard/weights",
            post(pages::dashboard::set_weights),
        )
        .route("/office/reports/{id}/cells", get(reports::cell))
        .route("/office/reports/{id}/appeals", get(reports::appeals))
        .route("/office/reports/{id}/{format}", get(reports::office_output))
        .route(
            "/office/decisions",
            get(decisions::office).post(decisions::create),
        )
        .route(
            "/office/decisions/{id}",
            get(decisions::catalogue).post(decisions::catalogue_act),
        )
        .route(
            "/office/decisions/entries/{id}",
            get(decisions::entry).post(decisions::add_stage),
        )
        .route("/office/messages", get(messages::queue))
        .route("/office/messages/limits", post(messages::set_limit))
        .route("/office/messages/{id}", get(messages::detail))
        .route("/office/messages/{id}/actions", post(messages::act))
        .route(
            "/api/v1/messages",
            get(api_messages::list).post(api_messages::create),
        )
        .route(
            "/api/v1/agencies/{code}/decisions",
            get(api_decisions::catalogues),
        )
        .route("/api/v1/decisions/{id}", get(api_decisions::entry))
        .route("/api/v1/consultations", get(api_consultations::list))
        .route("/api/v1/consultations/{id}", get(api_consultations::get))
        .route(
            "/api/v1/consultations/{id}/comments",
            post(api_consultations::comment),
        )
        .route(
            "/office/answers",
            get(answers::office).post(answers::create),
        )
        .route(
            "/office/answers/{id}",
            get(answers::edit_form).post(answers::update),
        )
        .route("/feeds/documents.atom", get(feeds::site_feed))
        .route(
            "/feeds/interpretations.atom",
            get(feeds::interpretations_feed),
        )
        .route("/feeds/gazette.atom", get(feeds::gazette_feed))
        .route("/agencies/{code}/feed.atom", get(feeds::agency_feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/documents/{id}/qr.svg", get(feeds::document_qr))
        .route("/interpretations/{id}", get(public::interpretation))
        .route("/gazette", get(gazette::archive))
        .route("/agencies/{code}/catalogue", get(catalogue::public))
        .route(
            "/office/catalogue",
            get(catalogue::office).post(catalogue::add_item),
        )
        .route("/office/catalogue/filings", post(catalogue::file))
        .route("/office/catalogue/items/{id}", post(catalogue::update_item))
        .route(
            "/agencies/{code}/catalogue/{item}",
            get(catalogue::public_item),
        )
        .route("/agencies/{code}/statutory", get(catalogue::statutory))
        .route("/agencies/{code}/guide", get(public::guide))
        .route("/interpretations", get(public::interpretation_list))
        .route("/requests/new", get(requests::new_form))
        .route(
            "/office/requests",
            get(office_requests::queue).post(office_requests::register),
        )
        .route("/office/requests/new", get(office_requests::new_form))
        .route("/office/requests/{id}", get(office_requests::detail))
        .route("/office/requests/{id}/letter", get(office_requests::letter))
        .route(
            "/office/requests/{id}/convert",
            post(office_requests::convert),
        )
        .route(
            "/office/requests/{id}/appeals",
            post(office_requests::add_appeal),
        )
        .route(
            "/office/requests/{id}/appeals/{appeal}/decide",
            post(office_requests::decide_appeal),
        )
        .route(
            "/office/requests/{id}/letter.pdf",
            get(office_requests::letter_pdf),
        )
        .route("/office/requests/{id}/actions", post(office_requests::act))
        .route("/requests", post(requests::submit))
        .route(
            "/requests/track",
            get(requests::track_form).post(requests::track),
        )
        .route("/requests/withdraw", post(requests::withdraw))
        .route("/requests/letter.pdf", post(requests::letter_pdf))
        .route("/gazette/{id}", get(gazette::issue))
        .route(
            "/office/gazette",
            get(gazette::compile_form).post(gazette::compile),
        )
        .route(
            "/office/documents/{id}/interpretations",
            post(documents::add_interpretation),
        )
        .route("/office/documents/{id}/waiver", post(documents::waive))
        .route("/office/documents/{id}/relations", post(documents::relate))
        .route(
            "/office/documents/{id}/relations/{to}/approve",
            post(documents::approve_relation),
        )
        .route(
            "/office/documents/{id}/relations/{to}/withdraw",
            post(documents::withdraw_relation),
        )
        .route("/office/agencies/{code}/rules", post(admin::update_rules))
        .route("/office/interpretations", get(documents::coverage))
        .route("/documents/{id}", get(public::document))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/office", get(office::home))
        .route("/office/calendar", get(office::calendar_view))
        .route("/office/calendar/overrides", post(office::set_override))
        .route(
            "/office/calendar/overrides/delete",
            post(office::remove_override),
        )
        .route(
            "/office/agencies",
            get(admin::agencies_view).post(admin::create_agency),
        )
        .route(
            "/office/agencies/{code}",
            get(admin::edit_agency_view).post(admin::update_agency),
        )
        .route(
            "/office/users",
            get(admin::users_view).post(admin::create_user),
        )
        .route(
            "/office/users/{username}/active",
            post(admin::set_user_active),
        )
        .route("/office/tokens/{id}/revoke", post(admin::revoke_token))
        .route(
            "/office/documents",
            get(documents::list).post(documents::create),
        )
        .route("/office/documents/new", get(documents::new_form))
        .route(
            "/office/documents/{id}",
            get(documents::detail).post(documents::update),
        )
        .route("/office/documents/{id}/edit", get(documents::edit_form))
        .route("/office/documents/{id}/actions", post(documents::act))
        .route(
            "/api/v1/agencies",
            get(api::agency_list).post(api::agency_create),
        )
        .route("/api/v1/agencies/{code}", get(api::agency_get))
        .route(
            "/api/v1/documents",
            get(api::documents_list).post(api::document_create),
        )
        .route(
            "/api/v1/documents/{id}",
            get(api::document_get).patch(api::document_patch),
        )
        .route("/api/v1/documents/{id}/actions", post(api::document_action))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/search", get(search::api))
        .route("/api/v1/applications", post(api_requests::create))
        .route("/api/v1/applications/{code}", get(api_requests::get))
        .route(
            "/api/v1/applications/{code}/actions",
            post(api_requests::act),
        )
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/calendar/days/{date}", get(api::calendar_day))
        .route("/api/v1/calendar/deadline", get(api::calendar_deadline))
        .route("/api/v1/calendar/workdays", get(api::calendar_between))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{name}", get(assets::serve))
        .route(
            "/office/documents/{id}/attachments/{attachment}/delete",
            post(attachments::remove_from_document),
        )
        .route("/office/attachments/{id}", get(attachments::staff_file))
        .route("/attachments/{id}/{name}", get(attachments::public_file))
        .route(
            "/office/gazette/{id}",
            get(gazette::edit_form).post(gazette::update),
        )
        .layer(RequestBodyLimitLayer::new(limit))
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer,
        ))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::request_context,
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
