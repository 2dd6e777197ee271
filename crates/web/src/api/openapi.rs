//! `/api/openapi.json`: the API's description, kept beside the code and checked against the
//! live routes by the tests (every documented operation answers; nothing answers 404/405).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const DOCUMENT: &str = include_str!("../../api/openapi.json");

pub async fn document() -> Response {
    let mut res = DOCUMENT.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}
