//! Staff login and logout.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_store::sessions;
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::{CsrfForm, NoFields};
use crate::shared::render::page;
use crate::shared::session::{Visitor, clear_cookie, safe_next, set_cookie};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/login", axum::routing::get(login_form).post(login))
        .route("/logout", axum::routing::post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_form(mut visitor: Visitor, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if visitor.user.is_some() {
        return Ok(crate::shared::render::redirect(safe_next(&q.next)).into_response());
    }
    let cookie = visitor.ensure_session().await?;
    page(
        &LoginPage {
            chrome: visitor.chrome("工作人员登录"),
            next: safe_next(&q.next).to_string(),
            username: String::new(),
            error: None,
        },
        StatusCode::OK,
        cookie,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let ttl = state.config.session_ttl;
    let attempt = gongkai_app::auth::Attempt {
        username: &form.username,
        password: &form.password,
        client: &visitor.client,
        previous_session: visitor.cookie.as_deref(),
    };
    let result = gongkai_app::auth::login(
        &visitor.ctx(&state.db),
        &attempt,
        state.config.login_policy,
        ttl,
    )
    .await;
    match result {
        Ok((user, created)) => {
            tracing::info!(user = %user.username, "login");
            let mut res = crate::shared::render::redirect(safe_next(&form.next)).into_response();
            let (k, v) = set_cookie(&state, &created.cookie_value, ttl.num_seconds());
            res.headers_mut().append(k, v);
            Ok(res)
        }
        Err(e @ (DomainError::BadCredentials | DomainError::RateLimited { .. })) => {
            tokio::time::sleep(state.config.login_failure_delay).await;
            let status = crate::shared::error::status_of(&e);
            page(
                &LoginPage {
                    chrome: visitor.chrome("工作人员登录"),
                    next: safe_next(&form.next).to_string(),
                    username: form.username.chars().take(64).collect(),
                    error: Some(e.to_string()),
                },
                status,
                None,
            )
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    if let Some(c) = &visitor.cookie {
        let mut conn = state.db.conn().await?;
        sessions::delete(&mut conn, c).await?;
    }
    let mut res = crate::shared::render::redirect("/").into_response();
    let (k, v) = clear_cookie(&state);
    res.headers_mut().append(k, v);
    Ok(res)
}
