//! Login sessions, stored in the database so that any app server can serve any request.
//! Anonymous visitors get a session too when they open a form: it holds the CSRF token.

use chrono::{DateTime, Duration, Utc};

use crate::db::{Exec, Result, Sql};
use crate::secret;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user_id: Option<i64>,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// A freshly created session: the cookie value goes to the browser, only its hash is stored.
pub struct NewSession {
    pub cookie_value: String,
    pub session: Session,
}

pub async fn create(
    e: &mut impl Exec,
    user_id: Option<i64>,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<NewSession> {
    let cookie_value = secret::random_token(32)?;
    let session = Session {
        user_id,
        csrf_token: secret::random_token(32)?,
        expires_at: now + ttl,
    };
    e.execute(
        Sql::new(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(secret::hash_token(&cookie_value))
        .bind(user_id)
        .bind(&session.csrf_token)
        .bind(now)
        .bind(session.expires_at),
    )
    .await?;
    Ok(NewSession {
        cookie_value,
        session,
    })
}

/// The live session for a cookie value; expired sessions are treated as absent.
pub async fn find(
    e: &mut impl Exec,
    cookie_value: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>> {
    let row = e
        .fetch_optional(
            Sql::new(
                "SELECT user_id, csrf_token, expires_at FROM sessions \
                 WHERE id_hash = $1 AND expires_at > $2",
            )
            .bind(secret::hash_token(cookie_value))
            .bind(now),
        )
        .await?;
    row.map(|r| {
        Ok(from_row!(r => Session {
            user_id,
            csrf_token,
            expires_at,
        }))
    })
    .transpose()
}

pub async fn delete(e: &mut impl Exec, cookie_value: &str) -> Result<()> {
    e.execute(
        Sql::new("DELETE FROM sessions WHERE id_hash = $1").bind(secret::hash_token(cookie_value)),
    )
    .await
    .map(drop)
}

pub async fn purge_expired(e: &mut impl Exec, now: DateTime<Utc>) -> Result<u64> {
    e.execute(Sql::new("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
        .await
}
