//! The outermost layer: request ids, access logs, error rendering, security headers, and
//! the same-origin check on state-changing requests.

use std::time::Instant;

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use serde_json::json;
use tracing::Instrument;

use crate::shared::error::{AppError, ErrorInfo, error_for_status, status_of, title_of};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn new_request_id(headers: &HeaderMap) -> String {
    // Keep a proxy's id when it looks sane, so logs on both sides join up.
    if let Some(v) = headers.get(&X_REQUEST_ID).and_then(|v| v.to_str().ok())
        && (8..=64).contains(&v.len())
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return v.to_string();
    }
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return "unknown".into();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn wants_json(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/api/") || path == "/healthz" || path == "/readyz" {
        return true;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("json") && !accept.contains("text/html")
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn security_headers(h: &mut HeaderMap, private: bool, https: bool) {
    let set = |h: &mut HeaderMap, k: HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    // A handler may set a stricter policy (served files are sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(h, header::CONTENT_SECURITY_POLICY, CSP);
    }
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    let stored = h
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| !v.as_bytes().windows(8).any(|w| w == b"no-store"));
    if private && (stored || !h.contains_key(header::CACHE_CONTROL)) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if https {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
}

/// Whether a response may hold a secret or personal data, and so must not be stored by any
/// cache: office and login pages, every answer to a form (receipts with keys, tracking
/// results), anything that sets or answers a cookie.
fn is_private(path: &str, method: &Method, had_cookie: bool, res: &Response) -> bool {
    path.starts_with("/office")
        || path.starts_with("/login")
        || path.contains("/track")
        || !matches!(*method, Method::GET | Method::HEAD)
        || had_cookie
        || res.headers().contains_key(header::SET_COOKIE)
}

/// Rejects a state-changing browser request that comes from another site. Browsers send
/// `Sec-Fetch-Site` and `Origin` on such requests; the per-form token is checked as well in
/// the handlers. The API is exempt: it authenticates with bearer tokens, not cookies.
///
/// The origin's scheme counts too: over HTTPS (`secure_cookies`), a post from the plain-HTTP
/// origin of the same host is someone else's page.
fn cross_site(method: &Method, path: &str, headers: &HeaderMap, https: bool) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || path.starts_with("/api/")
    {
        return false;
    }
    let get = |n: HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    if get(HeaderName::from_static("sec-fetch-site")) == Some("cross-site") {
        return true;
    }
    if let (Some(origin), Some(host)) = (get(header::ORIGIN), get(header::HOST)) {
        let Some((scheme, origin_host)) = origin.split_once("://") else {
            return true;
        };
        let scheme_ok = if https {
            scheme == "https"
        } else {
            matches!(scheme, "http" | "https")
        };
        return !scheme_ok || origin_host != host;
    }
    false
}

pub async fn request_context(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = new_request_id(req.headers());
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let json = wants_json(&path, req.headers());
    let had_cookie = req.headers().contains_key(header::COOKIE);
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, %method, %path);

    let mut res = if cross_site(&method, &path, req.headers(), state.config.secure_cookies) {
        AppError(DomainError::CsrfRejected).into_response()
    } else {
        next.run(req).instrument(span.clone()).await
    };

    let error = match res.extensions_mut().remove::<ErrorInfo>() {
        Some(ErrorInfo(e)) => Some(e),
        None if res.status().is_client_error() || res.status().is_server_error() => {
            let ct = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            // Bodies we rendered ourselves (e.g. a form page re-shown with its message) stay.
            if ct.starts_with("text/html") || ct.contains("json") {
                None
            } else {
                Some(std::sync::Arc::new(error_for_status(res.status())))
            }
        }
        None => None,
    };
    if let Some(err) = error {
        let status = if res.status().is_client_error() || res.status().is_server_error() {
            res.status()
        } else {
            status_of(&err)
        };
        let mut rendered = render_error(&state, &err, status, json, &id);
        for (k, v) in res.headers() {
            if k == header::RETRY_AFTER || k == header::SET_COOKIE {
                rendered.headers_mut().append(k, v.clone());
            }
        }
        res = rendered;
    }
    // Every 429 and 503 says when to come back, however it was produced.
    if !res.headers().contains_key(header::RETRY_AFTER) {
        match res.status() {
            StatusCode::TOO_MANY_REQUESTS => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            _ => {}
        }
    }
    let private = is_private(&path, &method, had_cookie, &res);
    security_headers(res.headers_mut(), private, state.config.secure_cookies);
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID.clone(), v);
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "done"
        )
    });
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    title: &'static str,
    message: String,
    request_id: String,
}

fn render_error(
    state: &AppState,
    err: &DomainError,
    status: StatusCode,
    json: bool,
    id: &str,
) -> Response {
    let message = err.to_string();
    if json {
        let mut body = json!({
            "type": format!("/api/problems/{}", err.code()),
            "title": title_of(err),
            "status": status.as_u16(),
            "detail": message,
            "code": err.code(),
            "request_id": id,
        });
        if let Some(f) = err.field() {
            body["field"] = json!(f.name);
        }
        let mut res = (status, body.to_string()).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        return res;
    }
    let page = ErrorPage {
        chrome: Chrome::anonymous(state, title_of(err)),
        status: status.as_u16(),
        title: title_of(err),
        message,
        request_id: id.to_string(),
    };
    match page.render() {
        Ok(html) => {
            let mut res = (status, html).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            let mut res = Response::new(Body::from(format!("{} (请求编号 {id})", title_of(err))));
            *res.status_mut() = status;
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_posts_are_detected() {
        let post = Method::POST;
        assert!(cross_site(
            &post,
            "/login",
            &headers(&[("sec-fetch-site", "cross-site")]),
            false
        ));
        assert!(cross_site(
            &post,
            "/login",
            &headers(&[
                ("origin", "http://evil.example"),
                ("host", "127.0.0.1:8080")
            ]),
            false
        ));
        assert!(!cross_site(
            &post,
            "/login",
            &headers(&[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080")
            ]),
            false
        ));
        assert!(!cross_site(
            &post,
            "/login",
            &headers(&[("sec-fetch-site", "same-origin")]),
            false
        ));
        assert!(!cross_site(
            &Method::GET,
            "/",
            &headers(&[("sec-fetch-site", "cross-site")]),
            false
        ));
        assert!(!cross_site(
            &post,
            "/api/v1/agencies",
            &headers(&[("sec-fetch-site", "cross-site")]),
            false
        ));
        // Over HTTPS, the plain-HTTP origin of the same host is another site.
        let same_host =
            |origin: &'static str| headers(&[("origin", origin), ("host", "gk.example")]);
        assert!(cross_site(
            &post,
            "/login",
            &same_host("http://gk.example"),
            true
        ));
        assert!(!cross_site(
            &post,
            "/login",
            &same_host("https://gk.example"),
            true
        ));
        assert!(cross_site(&post, "/login", &same_host("null"), false));
    }

    #[test]
    fn request_ids_are_generated_or_kept() {
        assert_eq!(
            new_request_id(&headers(&[("x-request-id", "abcdef12-3456")])),
            "abcdef12-3456"
        );
        let fresh = new_request_id(&headers(&[("x-request-id", "<script>")]));
        assert_eq!(fresh.len(), 16);
        assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
