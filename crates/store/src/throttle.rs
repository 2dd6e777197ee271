//! Rate limits for public actions (filing a request, looking one up). Attempts are counted
//! in the login-attempts table under their own bucket, so they never count against logins,
//! and are purged with it.

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

fn key(bucket: &str, client: &str) -> String {
    format!("{bucket}|{client}")
}

/// Refuses when `client` has used up its attempts in `bucket`.
pub async fn check(
    e: &mut impl Exec,
    bucket: &str,
    client: &str,
    now: DateTime<Utc>,
    limit: Limit,
) -> Result<()> {
    let n: i64 = e
        .fetch_one(
            Sql::new(
                "SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND client = $2 \
                 AND at > $3 AND ($4 = FALSE OR success = FALSE)",
            )
            .bind(bucket)
            .bind(key(bucket, client))
            .bind(now - limit.window)
            .bind(limit.failures_only),
        )
        .await?
        .get("n")?;
    if n >= limit.max {
        return Err(DomainError::RateLimited {
            retry_after_secs: limit.window.num_seconds().max(1) as u64,
        });
    }
    Ok(())
}

pub async fn record(
    e: &mut impl Exec,
    bucket: &str,
    client: &str,
    success: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    e.execute(
        Sql::new(
            "INSERT INTO login_attempts (username, client, success, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(bucket)
        .bind(key(bucket, client))
        .bind(success)
        .bind(now),
    )
    .await?;
    Ok(())
}
