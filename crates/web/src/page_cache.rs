//! A short-lived cache of public pages for anonymous visitors.
//!
//! Public pages are the same for every reader without a session, and are read far more
//! often than written. A rendered page is kept for [`TTL`]; every successful state-changing
//! request on this node empties the cache, so a change made here shows at once, and a change
//! made on another node (with PostgreSQL) shows within the TTL. Only `200` HTML responses to
//! requests without cookies are kept: nothing personal or erroneous is ever served from it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub const TTL: Duration = Duration::from_secs(2);
const MAX_ENTRIES: usize = 10_000;
const MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, (Instant, Bytes)>>,
}

impl PageCache {
    fn get(&self, key: &str) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, body)| body.clone())
    }

    fn put(&self, key: String, body: Bytes) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (at, _)| at.elapsed() < TTL);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(key, (Instant::now(), body));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

fn cacheable(path: &str) -> bool {
    path == "/"
        || path == "/agencies"
        || path.starts_with("/agencies/")
        || path == "/documents"
        || path.starts_with("/documents/")
        || path == "/interpretations"
        || path.starts_with("/interpretations/")
        || path == "/gazette"
        || path.starts_with("/gazette/")
}

fn html(body: Bytes) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let anonymous_get = req.method() == Method::GET && !req.headers().contains_key(header::COOKIE);
    let path = req.uri().path().to_string();
    if !(anonymous_get && cacheable(&path)) {
        let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let res = next.run(req).await;
        if writes && (res.status().is_success() || res.status().is_redirection()) {
            state.pages.clear();
        }
        return res;
    }
    let key = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or(path);
    if let Some(body) = state.pages.get(&key) {
        return html(body);
    }
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if res.status() != StatusCode::OK || !is_html || res.headers().contains_key(header::SET_COOKIE)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            state.pages.put(key, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "page body unreadable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
