//! 文件: public documents and interpretations, the office's drafting, review and relations, attachments, and the document API.

pub mod api;
pub mod attachments;
pub mod office;
pub mod public;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(public::document_list))
        .route("/interpretations/{id}", get(public::interpretation))
        .route("/interpretations", get(public::interpretation_list))
        .route(
            "/office/documents/{id}/interpretations",
            post(office::add_interpretation),
        )
        .route("/office/documents/{id}/waiver", post(office::waive))
        .route("/office/documents/{id}/relations", post(office::relate))
        .route(
            "/office/documents/{id}/relations/{to}/approve",
            post(office::approve_relation),
        )
        .route(
            "/office/documents/{id}/relations/{to}/withdraw",
            post(office::withdraw_relation),
        )
        .route("/office/interpretations", get(office::coverage))
        .route("/documents/{id}", get(public::document))
        .route("/office/documents", get(office::list).post(office::create))
        .route("/office/documents/new", get(office::new_form))
        .route(
            "/office/documents/{id}",
            get(office::detail).post(office::update),
        )
        .route("/office/documents/{id}/edit", get(office::edit_form))
        .route("/office/documents/{id}/actions", post(office::act))
        .route(
            "/api/v1/documents",
            get(api::documents_list).post(api::document_create),
        )
        .route(
            "/api/v1/documents/{id}",
            get(api::document_get).patch(api::document_patch),
        )
        .route("/api/v1/documents/{id}/actions", post(api::document_action))
        .route(
            "/office/documents/{id}/attachments/{attachment}/delete",
            post(attachments::remove_from_document),
        )
        .route("/office/attachments/{id}", get(attachments::staff_file))
        .route("/attachments/{id}/{name}", get(attachments::public_file))
}

/// This feature's upload routes, which the router gives the larger upload limit.
pub(crate) fn uploads() -> Router<AppState> {
    Router::new()
        .route(
            "/office/documents/{id}/attachments",
            post(attachments::upload_to_document),
        )
        .route(
            "/office/gazette/{id}/pdf",
            post(attachments::upload_gazette_pdf),
        )
}
