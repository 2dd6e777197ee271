//! A short-lived cache of public pages for anonymous visitors.
//!
//! Public pages are the same for every reader without a session, and are read far more
//! often than written. A rendered page is kept for [`TTL`]; every successful state-changing
//! request on this node empties the cache, so a change made here shows at once, and a change
//! made on another node (with PostgreSQL) shows within the TTL. Only `200` HTML responses to
//! requests without cookies are kept: nothing personal or erroneous is ever served from it.
//!
//! The cache is bounded by bytes, not entries, and keyed by the routes' known query
//! parameters only: `?cb=1 … ?cb=10000` once grew the process by half a gigabyte. A request
//! with any other parameter, or a page larger than an entry may be, is served uncached.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shared::state::AppState;

pub const TTL: Duration = Duration::from_secs(2);
/// The default budget for all cached pages together.
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;

/// The query parameters of the cached routes (document filters, paging, interpretation forms,
/// gazette years).
const KNOWN_PARAMS: &[&str] = &[
    "agency", "kind", "topic", "year", "validity", "page", "per_page", "form",
];

pub struct PageCache {
    entries: Mutex<Entries>,
    budget: usize,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, (Instant, Bytes)>,
    bytes: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(DEFAULT_BUDGET)
    }
}

/// The cache key of a request: its path and its known parameters in a fixed order; `None`
/// (not cached) when it carries any other parameter or one twice.
pub fn key(path: &str, query: Option<&str>) -> Option<String> {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Some(path.to_string());
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !KNOWN_PARAMS.contains(&name) || pairs.iter().any(|(n, _)| *n == name) {
            return None;
        }
        pairs.push((name, value));
    }
    pairs.sort_unstable();
    let q: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    Some(format!("{path}?{}", q.join("&")))
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages (keys included).
    pub fn new(budget: usize) -> PageCache {
        PageCache {
            entries: Mutex::default(),
            budget,
        }
    }

    /// The largest page kept: a sixteenth of the budget, so one page never empties it.
    pub fn max_entry(&self) -> usize {
        self.budget / 16
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.bytes)
    }

    fn get(&self, key: &str) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        entries
            .map
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, body)| body.clone())
    }

    pub fn put(&self, key: String, body: Bytes) {
        let size = key.len() + body.len();
        if size > self.max_entry() {
            return;
        }
        if let Ok(mut e) = self.entries.lock() {
            if e.bytes + size > self.budget {
                e.map.retain(|_, (at, _)| at.elapsed() < TTL);
                e.bytes = e.map.iter().map(|(k, (_, b))| k.len() + b.len()).sum();
                if e.bytes + size > self.budget {
                    e.map.clear();
                    e.bytes = 0;
                }
            }
            if let Some((_, old)) = e.map.insert(key.clone(), (Instant::now(), body)) {
                e.bytes -= key.len() + old.len();
            }
            e.bytes += size;
        }
    }

    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.map.clear();
            e.bytes = 0;
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
    let Some(key) = key(&path, req.uri().query()) else {
        return next.run(req).await;
    };
    if let Some(body) = state.pages.get(&key) {
        return html(body);
    }
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    // Only a body whose size is known and fits is read here; anything else streams on as it
    // is (a very long document once turned into a 500 at the cap).
    let fits = axum::body::HttpBody::size_hint(res.body())
        .upper()
        .is_some_and(|n| n as usize + key.len() <= state.pages.max_entry());
    if res.status() != StatusCode::OK
        || !is_html
        || !fits
        || res.headers().contains_key(header::SET_COOKIE)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, state.pages.max_entry()).await {
        Ok(bytes) => {
            state.pages.put(key, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => crate::shared::error::AppError(gongkai_domain::DomainError::internal(format!(
            "page body unreadable: {e}"
        )))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_parameters_make_a_key_in_a_fixed_order() {
        assert_eq!(key("/documents", None).as_deref(), Some("/documents"));
        assert_eq!(
            key("/documents", Some("year=2024&agency=YX01")).as_deref(),
            Some("/documents?agency=YX01&year=2024")
        );
        assert_eq!(
            key("/documents", Some("agency=YX01&year=2024")),
            key("/documents", Some("year=2024&agency=YX01"))
        );
        assert_eq!(key("/documents/1", Some("cb=1")), None);
        assert_eq!(key("/documents", Some("page=1&page=2")), None);
    }

    #[test]
    fn the_cache_stays_within_its_byte_budget() {
        let cache = PageCache::new(64 * 1024);
        for i in 0..10_000 {
            cache.put(format!("/documents/{i}"), Bytes::from(vec![b'x'; 3_000]));
            assert!(
                cache.bytes() <= 64 * 1024,
                "{} bytes after {i}",
                cache.bytes()
            );
        }
        // A page larger than an entry may be is not kept.
        cache.clear();
        cache.put("/big".into(), Bytes::from(vec![b'x'; 5_000]));
        assert_eq!(cache.bytes(), 0);
        assert!(cache.get("/big").is_none());
        // Replacing an entry does not count it twice.
        cache.put("/a".into(), Bytes::from(vec![b'x'; 100]));
        cache.put("/a".into(), Bytes::from(vec![b'x'; 100]));
        assert_eq!(cache.bytes(), 102);
    }
}
