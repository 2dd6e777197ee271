//! Who is asking: the session cookie, the logged-in user, the bearer token, and the CSRF
//! token every form must echo.
//!
//! Sessions are our own table rather than tower-sessions: its published sqlx store pins an
//! older sqlx, and what we need (a hashed id, a user, a CSRF token, an expiry, rotation at
//! login) is a few queries that run the same on SQLite and PostgreSQL.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_store::secret::constant_time_eq;
use gongkai_store::sessions::{self, Session};
use gongkai_store::users::{self, User};
use gongkai_store::{Actor, db};

use crate::shared::error::AppError;
use crate::shared::middleware::RequestId;
use crate::shared::state::AppState;
use crate::shared::views::{Chrome, UserView};

pub const COOKIE: &str = "gk_session";
/// The name over HTTPS: browsers accept a `__Host-` cookie only when it is `Secure`, has
/// `Path=/` and no `Domain`, so a sibling subdomain cannot plant one.
pub const SECURE_COOKIE: &str = "__Host-gk_session";

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

pub fn set_cookie(
    state: &AppState,
    value: &str,
    max_age_secs: i64,
) -> (header::HeaderName, HeaderValue) {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(state);
    let v =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    // The value is base64url from our own generator: always a valid header value.
    let v = HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""));
    (header::SET_COOKIE, v)
}

/// The cookie of an anonymous visitor: this prefix and a random id (never stored).
const ANON_PREFIX: &str = "a.";

/// The site's secret for anonymous form tokens, created once and shared by every node.
async fn csrf_secret(state: &AppState) -> Result<&[u8], AppError> {
    if let Some(s) = state.csrf_secret.get() {
        return Ok(s);
    }
    let mut conn = state.db.conn().await?;
    let value = gongkai_store::settings::get_or_init(
        &mut conn,
        "csrf_secret",
        || gongkai_store::secret::random_token(32),
        db::now(),
    )
    .await?;
    Ok(state.csrf_secret.get_or_init(|| value.into_bytes()))
}

async fn anonymous_session(state: &AppState, id: &str) -> Result<Session, AppError> {
    let secret = csrf_secret(state).await?;
    Ok(Session {
        user_id: None,
        csrf_token: gongkai_store::secret::hmac(secret, id.as_bytes()),
        expires_at: db::now() + state.config.anon_session_ttl,
    })
}

pub fn clear_cookie(state: &AppState) -> (header::HeaderName, HeaderValue) {
    set_cookie(state, "", 0)
}

/// Every request's view of its caller. Reading it costs one query when a cookie is present
/// and none otherwise.
pub struct Visitor {
    pub state: AppState,
    pub cookie: Option<String>,
    pub session: Option<Session>,
    pub user: Option<User>,
    pub request_id: String,
    pub client: String,
}

fn client_address(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip());
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    gongkai_domain::client_addr::client(peer, &forwarded, &state.config.trusted_proxies)
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let cookie = cookie_value(&parts.headers, cookie_name(state));
        let mut session = None;
        let mut user = None;
        if let Some(id) = cookie.as_deref().and_then(|c| c.strip_prefix(ANON_PREFIX)) {
            session = Some(anonymous_session(state, id).await?);
        } else if let Some(c) = &cookie {
            let mut conn = state.db.conn().await?;
            session = sessions::find(&mut conn, c, db::now()).await?;
            if let Some(uid) = session.as_ref().and_then(|s| s.user_id) {
                user = users::by_id(&mut conn, uid).await?.filter(|u| u.active);
            }
        }
        // A form extractor later in the same request checks its token against this one
        // without reading the session again.
        parts.extensions.insert(SessionCsrf(
            session.as_ref().map(|s: &Session| s.csrf_token.clone()),
        ));
        Ok(Visitor {
            state: state.clone(),
            cookie,
            session,
            user,
            request_id,
            client: client_address(parts, state),
        })
    }
}

impl Visitor {
    pub fn chrome(&self, title: &str) -> Chrome {
        Chrome {
            title: title.to_string(),
            site_name: self.state.config.site_name.clone(),
            user: self.user.as_ref().map(UserView::from),
            csrf: self
                .session
                .as_ref()
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
        }
    }

    /// Makes sure the visitor has a session (anonymous if need be) so a form can carry a
    /// CSRF token. Returns the cookie to set when one was created. An anonymous visitor's
    /// session is only a random id in the cookie and a token derived from it with the site's
    /// secret: showing a form writes nothing (each cookieless GET once stored a session row).
    pub async fn ensure_session(
        &mut self,
    ) -> Result<Option<(header::HeaderName, HeaderValue)>, AppError> {
        if self.session.is_some() {
            return Ok(None);
        }
        let id = gongkai_store::secret::random_token(24)?;
        let session = anonymous_session(&self.state, &id).await?;
        let value = format!("{ANON_PREFIX}{id}");
        let ttl = self.state.config.anon_session_ttl;
        let cookie = set_cookie(&self.state, &value, ttl.num_seconds());
        self.cookie = Some(value);
        self.session = Some(session);
        Ok(Some(cookie))
    }

    /// The audit actor for what this visitor does: a staff user, or the public.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor::user(u.id, &u.username, Some(self.request_id.clone())),
            None => Actor::public(&self.request_id),
        }
    }

    /// The use-case context of what this visitor does now: as the public, even when signed in
    /// (staff act on the office pages, through [`Staff::ctx`]).
    pub fn ctx<'a>(&self, db: &'a gongkai_store::Db) -> gongkai_app::Ctx<'a> {
        gongkai_app::Ctx::public(db, self.actor())
    }
}

/// The CSRF token of the request's session (`None` without one), left in the request's
/// extensions by the [`Visitor`] extractor.
#[derive(Clone)]
pub struct SessionCsrf(pub Option<String>);

/// Compares in constant time; no session means no valid token.
pub fn check_csrf(expected: Option<&str>, token: &str) -> Result<(), AppError> {
    match expected {
        Some(e) if constant_time_eq(e, token) => Ok(()),
        _ => Err(AppError(DomainError::CsrfRejected)),
    }
}

/// A logged-in staff member. Pages that need one redirect anonymous visitors to the login
/// page and come back afterwards.
pub struct Staff {
    pub user: User,
    pub visitor: Visitor,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor::user(
            self.user.id,
            &self.user.username,
            Some(self.visitor.request_id.clone()),
        )
    }

    pub fn chrome(&self, title: &str) -> Chrome {
        self.visitor.chrome(title)
    }

    /// The use-case context of what this staff member does now.
    pub fn ctx<'a>(&self, db: &'a gongkai_store::Db) -> gongkai_app::Ctx<'a> {
        gongkai_app::Ctx::new(db, self.actor(), self.user.principal())
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        self.user.principal().require_admin().map_err(AppError)
    }
}

pub enum StaffRejection {
    Login(String),
    Error(AppError),
}

impl IntoResponse for StaffRejection {
    fn into_response(self) -> Response {
        match self {
            StaffRejection::Login(next) => crate::shared::render::redirect(&format!(
                "/login?next={}",
                crate::shared::form::percent_encode(&next, b"/")
            ))
            .into_response(),
            StaffRejection::Error(e) => e.into_response(),
        }
    }
}

/// Only same-site absolute paths are allowed as a post-login destination (no open redirect).
/// Browsers drop tabs and newlines from a URL and read `\\` as `/`, so `/\t/host` and `/\\host`
/// lead off-site: anything but visible ASCII is refused, and so is a second leading slash.
pub fn safe_next(next: &str) -> &str {
    let local = next.len() <= 2000
        && next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if local { next } else { "/office" }
}

#[cfg(test)]
mod next_tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed() {
        for ok in ["/office", "/office/requests?page=2", "/documents/1#a"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example/x",
            "/\t/evil.example/path",
            "/\n/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "/\u{0}x",
            "/ /evil.example",
            "",
            "office",
        ] {
            assert_eq!(safe_next(bad), "/office", "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Whatever is asked, the destination resolves on the same site as a valid header.
        #[test]
        fn any_next_stays_on_the_site(s in "(?s).{0,40}") {
            let next = safe_next(&s);
            proptest::prop_assert!(axum::http::HeaderValue::from_str(next).is_ok());
            let base = reqwest::Url::parse("https://gk.example.gov.cn/login").unwrap();
            let url = base.join(next).unwrap();
            proptest::prop_assert_eq!(url.host_str(), Some("gk.example.gov.cn"));
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = StaffRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, StaffRejection> {
        let path = parts.uri.path().to_string();
        let mut visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(StaffRejection::Error)?;
        match visitor.user.take() {
            Some(user) => {
                visitor.user = Some(user.clone());
                Ok(Staff { user, visitor })
            }
            None => Err(StaffRejection::Login(path)),
        }
    }
}

/// A staff member calling the JSON API with `Authorization: Bearer gk_…`.
pub struct ApiUser {
    pub user: User,
    pub request_id: String,
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        Actor::user(
            self.user.id,
            &self.user.username,
            Some(self.request_id.clone()),
        )
    }

    /// The use-case context of what this API client does now.
    pub fn ctx<'a>(&self, db: &'a gongkai_store::Db) -> gongkai_app::Ctx<'a> {
        gongkai_app::Ctx::new(db, self.actor(), self.user.principal())
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError(DomainError::Unauthenticated))?;
        let user = users::by_token(&state.db, token, db::now())
            .await?
            .ok_or(AppError(DomainError::Unauthenticated))?;
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        Ok(ApiUser { user, request_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; gk_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&h, COOKIE).as_deref(), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("gk_session="));
        assert_eq!(cookie_value(&h, COOKIE), None);
    }

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next("/office/calendar"), "/office/calendar");
        assert_eq!(safe_next("//evil.example/"), "/office");
        assert_eq!(safe_next("https://evil.example/"), "/office");
        assert_eq!(safe_next("/\\evil.example"), "/office");
    }
}
