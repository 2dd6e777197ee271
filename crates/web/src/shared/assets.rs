//! Static files, embedded in the binary so a deployment is one file.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &str)] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("../../static/site.css"),
    ),
    (
        "follow.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/follow.js"),
    ),
];

pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => {
            let mut res = (*body).into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
