//! Signing in: the password check with its throttle and alerts, then a fresh session.

use chrono::{DateTime, Duration, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::login::LoginPolicy;
use gongkai_domain::user::Username;
use gongkai_store::db::{Db, Result};
use gongkai_store::passwords;
use gongkai_store::sessions::{self, NewSession};
use gongkai_store::users::{self, User};

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
    let user = authenticate(ctx.db, attempt, ctx.now, policy).await?;
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

/// Checks a username and password. Every attempt is recorded before the password is checked
/// (so parallel guesses cannot all slip under the limit); an account guessed at from one
/// client gets growing delays there, a client failing too often anywhere is refused, and an
/// account failing from many clients raises one alert per window for the administrator.
/// Unknown names take as long to fail as known ones.
pub async fn authenticate(
    db: &Db,
    attempt: &Attempt<'_>,
    now: DateTime<Utc>,
    policy: LoginPolicy,
) -> Result<User> {
    let key: String = attempt
        .username
        .trim()
        .to_lowercase()
        .chars()
        .take(64)
        .collect();
    let client = attempt.client;
    let since = policy.since(now);
    let mut conn = db.conn().await?;
    let recorded = users::login_attempt(&mut conn, &key, client, now).await?;
    let (pair, latest) =
        users::login_failures(&mut conn, recorded, Some(&key), Some(client), since).await?;
    policy.check_pair(pair, latest, now)?;
    let (per_client, _) =
        users::login_failures(&mut conn, recorded, None, Some(client), since).await?;
    policy.check_client(per_client)?;
    let found = match Username::parse(attempt.username) {
        Ok(name) => users::with_password_hash(&mut conn, &name).await?,
        Err(_) => None,
    };
    // Hashing takes a while; no connection is held meanwhile.
    drop(conn);
    let ok = match &found {
        Some((user, hash)) => passwords::verify(hash, attempt.password).await? && user.active,
        None => {
            passwords::verify(users::dummy_hash().await?, attempt.password).await?;
            false
        }
    };
    let mut conn = db.conn().await?;
    let Some((user, _)) = found else {
        return Err(DomainError::BadCredentials);
    };
    if ok {
        users::login_succeeded(&mut conn, recorded).await?;
        return Ok(user);
    }
    let (all, _) = users::login_failures(&mut conn, recorded, Some(&key), None, since).await?;
    // One alert per window: raised by the first failure at or past the threshold.
    let alert =
        policy.reaches_alert(all) && !users::login_alerted_since(&mut conn, user.id, since).await?;
    drop(conn);
    if alert {
        let minutes = policy.window.num_minutes();
        db.write(async |tx| users::record_login_alert(tx, user.id, all + 1, minutes).await)
            .await?;
    }
    Err(DomainError::BadCredentials)
}
