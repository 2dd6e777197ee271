//! Multipart uploads (one file and a few text fields), read whole within the upload limit
//! before anything is examined, and released to the handler only when their `csrf` field
//! matched the session's token: like [`crate::shared::form::CsrfForm`], a handler cannot
//! forget the check.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use gongkai_domain::DomainError;
use gongkai_domain::attachment;

use crate::shared::error::AppError;
use crate::shared::session::check_csrf;
use crate::shared::state::AppState;

/// A multipart form's file and text fields.
pub struct FilePost {
    pub file_name: String,
    pub bytes: Bytes,
    pub fields: std::collections::HashMap<String, String>,
}

/// An upload whose token matched, or why it could not be read (not a multipart form, cut
/// off, over the limit): a problem the handler shows where the form is, since nothing
/// happened. A post whose token does not match is refused before the handler runs.
pub struct CsrfUpload(pub Result<FilePost, DomainError>);

fn too_large(state: &AppState) -> DomainError {
    attachment::too_large(state.config.max_upload_bytes)
}

fn unreadable(state: &AppState, e: MultipartError) -> DomainError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(state)
    } else {
        gongkai_domain::input::not_a_form(
            attachment::FIELD,
            "上传的内容不完整或格式不正确,请重新选择文件上传",
        )
    }
}

/// The token and the post, read to the end.
async fn read(state: &AppState, mut form: Multipart) -> Result<(String, FilePost), DomainError> {
    let mut csrf = String::new();
    let mut post = FilePost {
        file_name: String::new(),
        bytes: Bytes::new(),
        fields: std::collections::HashMap::new(),
    };
    while let Some(field) = form.next_field().await.map_err(|e| unreadable(state, e))? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|e| unreadable(state, e))?,
            Some("file") => {
                post.file_name = field.file_name().unwrap_or("").to_string();
                post.bytes = field.bytes().await.map_err(|e| unreadable(state, e))?;
            }
            Some(name) if post.fields.len() < 20 => {
                let name = name.to_string();
                let value = field.text().await.map_err(|e| unreadable(state, e))?;
                post.fields.insert(name, value);
            }
            _ => {}
        }
    }
    Ok((csrf, post))
}

impl FromRequest<AppState> for CsrfUpload {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let expected = crate::shared::form::session_token(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let Ok(form) = Multipart::from_request(req, state).await else {
            return Ok(CsrfUpload(Err(gongkai_domain::input::not_a_form(
                attachment::FIELD,
                "请通过页面上的表单上传文件",
            ))));
        };
        match read(state, form).await {
            Ok((token, post)) => {
                check_csrf(expected.as_deref(), &token)?;
                Ok(CsrfUpload(Ok(post)))
            }
            Err(e) => Ok(CsrfUpload(Err(e))),
        }
    }
}
