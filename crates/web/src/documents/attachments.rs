//! Uploading and serving attachments. Uploads are multipart forms read fully (within the
//! upload limit) before anything is checked, so a forged or oversized post changes nothing;
//! files are served from the database with their sniffed type, never the uploader's.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::attachment::{self, Upload};
use gongkai_store::attachments::{self as store, Attachment};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::{CsrfForm, percent_encode};
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::upload::{CsrfUpload, FilePost};

/// Checks an upload's file (its token already matched).
fn checked(
    state: &AppState,
    post: Result<FilePost, DomainError>,
) -> Result<(Upload, Bytes), DomainError> {
    let post = post?;
    let upload = attachment::check(&post.file_name, &post.bytes, state.config.max_upload_bytes)?;
    Ok((upload, post.bytes))
}

/// Shows the owner's office page again with the message, or redirects on success.
async fn outcome(
    state: &AppState,
    staff: &Staff,
    back: Back,
    result: Result<(), DomainError>,
) -> AppResult<Response> {
    match (result, back) {
        (Ok(()), Back::Document(id)) => Ok(crate::shared::render::redirect(&format!(
            "/office/documents/{id}#attachments"
        ))
        .into_response()),
        (Ok(()), Back::Gazette(id)) => {
            Ok(crate::shared::render::redirect(&format!("/office/gazette/{id}")).into_response())
        }
        (Err(e), Back::Document(id)) if e.is_input_error() => {
            crate::documents::office::detail_with_error(state, staff, id, e).await
        }
        (Err(e), Back::Gazette(id)) if e.is_input_error() => {
            crate::gazette::edit_with_error(state, staff, id, e).await
        }
        (Err(e), _) => Err(AppError(e)),
    }
}

enum Back {
    Document(i64),
    Gazette(i64),
}

pub async fn upload_to_document(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfUpload(post): CsrfUpload,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let result = match checked(&state, post) {
        Ok((upload, bytes)) => {
            gongkai_app::publishing::attach(&staff.ctx(&state.db), id, &upload, &bytes)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    outcome(&state, &staff, Back::Document(id), result).await
}

#[derive(Deserialize)]
pub struct DeleteForm {}

pub async fn remove_from_document(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, attachment_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<DeleteForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let attachment_id = crate::shared::error::id_or_404(&attachment_id, "附件")?;
    let result = gongkai_app::publishing::detach(&staff.ctx(&state.db), id, attachment_id).await;
    outcome(&state, &staff, Back::Document(id), result).await
}

pub async fn upload_gazette_pdf(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfUpload(post): CsrfUpload,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "公报")?;
    let result = match checked(&state, post) {
        Ok((upload, bytes)) => {
            gongkai_app::publishing::set_gazette_pdf(&staff.ctx(&state.db), id, &upload, &bytes)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    outcome(&state, &staff, Back::Gazette(id), result).await
}

/// The file itself. Office formats are always downloaded; PDFs and images may open in place.
/// The content never changes for an id (a new upload is a new id), so it may be cached.
fn file_response(a: &Attachment, bytes: Vec<u8>, public: bool) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.kind.mime()),
    );
    let disposition = if a.kind.inline() {
        "inline"
    } else {
        "attachment"
    };
    // RFC 6266 / 5987: the UTF-8 name for browsers, an ASCII fallback for the rest.
    let value = format!(
        "{disposition}; filename=\"attachment.{}\"; filename*=UTF-8''{}",
        a.kind.extensions()[0],
        percent_encode(&a.file_name, b"")
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", a.sha256)) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public {
            "public, max-age=3600"
        } else {
            "private, no-store"
        }),
    );
    // A PDF viewer runs in the page's origin; forbid it everything but showing the file.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        ),
    );
    res
}

/// `/attachments/{id}/{name}`: the name is only for people and saved files; the id decides.
pub async fn public_file(
    State(state): State<AppState>,
    Path((id, _name)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "附件")?;
    let (a, bytes) = store::public_file(&mut state.db.conn().await?, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: "附件" }))?;
    Ok(file_response(&a, bytes, true))
}

pub async fn staff_file(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "附件")?;
    let (a, bytes) =
        store::staff_file(&mut state.db.conn().await?, &staff.user.principal(), id).await?;
    Ok(file_response(&a, bytes, false))
}

/// The public address of an attachment.
pub fn public_href(a: &Attachment) -> String {
    format!(
        "/attachments/{}/{}",
        a.id,
        percent_encode(&a.file_name, b"")
    )
}
