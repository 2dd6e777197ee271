//! Rate limits for public actions (filing a request, looking one up) and staff logins. Each
//! attempt is recorded *before* it is evaluated and then counted with every other recorded
//! attempt: parallel attempts cannot all pass a check made before any of them was written
//! (the k-th to commit sees at least k). Attempts are kept in the login-attempts table under
//! their own scope, so a public bucket never counts against a staff account, and are purged
//! with it.

use chrono::{DateTime, Duration, Utc};
use gongkai_domain::DomainError;

use crate::db::{Exec, Result, Sql};

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub window: Duration,
    pub max: i64,
    /// Count every attempt (submissions), or only failures (lookups).
    pub failures_only: bool,
}

/// Applications filed from one client: 10 per hour.
pub const SUBMIT: Limit = Limit {
    window: Duration::hours(1),
    max: 10,
    failures_only: false,
};

/// Wrong tracking code or key from one client: 10 per 15 minutes.
pub const TRACK: Limit = Limit {
    window: Duration::minutes(15),
    max: 10,
    failures_only: true,
};

/// A recorded attempt, counted as a failure until [`succeeded`] says otherwise.
#[derive(Clone, Copy, Debug)]
#[must_use]
pub struct Attempt {
    id: i64,
}

/// Records an attempt of `scope` by `client` (and `username`, for logins), not yet successful.
pub async fn record_attempt(
    e: &mut impl Exec,
    scope: &str,
    username: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Attempt> {
    let id = e
        .fetch_one(
            Sql::new(
                "INSERT INTO login_attempts (scope, username, client, success, at) \
                 VALUES ($1, $2, $3, FALSE, $4) RETURNING id",
            )
            .bind(scope)
            .bind(username)
            .bind(client)
            .bind(now),
        )
        .await?
        .get("id")?;
    Ok(Attempt { id })
}

/// Marks an attempt successful: it no longer counts among failures.
pub async fn succeeded(e: &mut impl Exec, a: Attempt) -> Result<()> {
    e.execute(Sql::new("UPDATE login_attempts SET success = TRUE WHERE id = $1").bind(a.id))
        .await?;
    Ok(())
}

/// Which earlier attempts count against one: of `scope`, by this username and/or client (any
/// when `None`), made after `since`, failures only or all.
#[derive(Clone, Copy, Debug)]
pub struct Among<'a> {
    pub scope: &'a str,
    pub username: Option<&'a str>,
    pub client: Option<&'a str>,
    pub since: DateTime<Utc>,
    pub failures_only: bool,
}

/// The attempts other than `a` that count [`Among`] them, and when the latest was made.
pub async fn others(
    e: &mut impl Exec,
    a: Attempt,
    among: Among<'_>,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    let Among {
        scope,
        username,
        client,
        since,
        failures_only,
    } = among;
    let row = e
        .fetch_one(
            Sql::new(
                "SELECT COUNT(*) AS n, MAX(at) AS latest FROM login_attempts \
                 WHERE scope = $1 AND ($2 IS NULL OR username = $2) AND ($3 IS NULL OR client = $3) \
                 AND at > $4 AND id <> $5 AND ($6 = FALSE OR success = FALSE)",
            )
            .bind(scope)
            .bind(username.map(str::to_string))
            .bind(client.map(str::to_string))
            .bind(since)
            .bind(a.id)
            .bind(failures_only),
        )
        .await?;
    Ok((row.get("n")?, row.get("latest")?))
}

/// Records an attempt of `client` in `scope` and refuses it when the attempts before it use up
/// the limit. The caller marks it [`succeeded`] when it was.
pub async fn reserve(
    e: &mut impl Exec,
    scope: &str,
    client: &str,
    now: DateTime<Utc>,
    limit: Limit,
) -> Result<Attempt> {
    let a = record_attempt(e, scope, "", client, now).await?;
    let among = Among {
        scope,
        username: None,
        client: Some(client),
        since: now - limit.window,
        failures_only: limit.failures_only,
    };
    let (n, _) = others(e, a, among).await?;
    if n >= limit.max {
        return Err(DomainError::RateLimited {
            retry_after_secs: limit.window.num_seconds().max(1) as u64,
        });
    }
    Ok(a)
}
