//! Signing in: the password check with its throttle and alerts, then a fresh session.

use chrono::Duration;
use gongkai_store::db::Result;
use gongkai_store::sessions::{self, NewSession};
use gongkai_store::users::{self, LoginPolicy, User};

use crate::Ctx;

/// A sign-in as the login form brings it.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The client's address, for the per-client throttle and the alert.
    pub client: &'a str,
    /// The session cookie the visitor came with, ended on success.
    pub previous_session: Option<&'a str>,
}

/// Checks the credentials (throttled per account and client, alerts on repeated failures)
/// and opens a new session, ending the one the visitor had: a session id fixed before login
/// is worthless after it.
pub async fn login(
    ctx: &Ctx<'_>,
    attempt: &Attempt<'_>,
    policy: LoginPolicy,
    ttl: Duration,
) -> Result<(User, NewSession)> {
    let user = users::authenticate(
        ctx.db,
        attempt.username,
        attempt.password,
        attempt.client,
        ctx.now,
        policy,
    )
    .await?;
    let now = ctx.now;
    let session = ctx
        .db
        .write(async |tx| {
            if let Some(old) = attempt.previous_session {
                sessions::delete(tx, old).await?;
            }
            sessions::create(tx, Some(user.id), now, ttl).await
        })
        .await?;
    Ok((user, session))
}
