//! Staff accounts, password login with rate limiting, and API tokens.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::user::{Principal, Role, TokenDraft, UserDraft, Username};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::{Db, Exec, Result, Row, Sql, Tx};
use crate::{passwords, secret, throttle};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: i64,
    pub active: bool,
}

impl User {
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.id,
            role: self.role,
            agency_id: self.agency_id,
        }
    }
}

const COLUMNS: &str = "id, username, display_name, role, agency_id, active";

fn from_row(r: &Row) -> Result<User> {
    Ok(from_row!(r => User {
        id,
        username,
        display_name,
        role: code,
        agency_id,
        active,
    }))
}

fn json(u: &User) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or_default()
}

/// Adds an account in `agency_id` with `password` (checked against the policy by the
/// caller), stored as an Argon2 hash that never reaches the audit log.
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    draft: &UserDraft,
    agency_id: i64,
    password: &str,
) -> Result<User> {
    let hash = passwords::hash(password).await?;
    let now = tx.now();
    let row = tx
        .fetch_one(
            sql_once!(
                "INSERT INTO users (username, display_name, role, agency_id, password_hash, \
                 active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6) \
                 RETURNING {COLUMNS}"
            )
            .bind(draft.username.as_str())
            .bind(&draft.display_name)
            .bind(draft.role.as_str())
            .bind(agency_id)
            .bind(hash)
            .bind(now),
        )
        .await
        .map_err(|e| match e {
            DomainError::Conflict { .. } => DomainError::conflict(
                Some(Username::FIELD),
                format!("用户名“{}”已存在", draft.username),
            ),
            other => other,
        })?;
    let user = from_row(&row)?;
    let id = user.id.to_string();
    audit::record(
        tx,
        actor,
        "user.create",
        ("user", &id),
        None,
        Some(&json(&user)),
    )
    .await?;
    Ok(user)
}

/// Sets a new password and ends every session and API token of the user, so a password
/// change also locks out a thief.
pub async fn set_password(tx: &mut Tx, actor: &Actor, user: User, password: &str) -> Result<User> {
    let hash = passwords::hash(password).await?;
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(user.id),
    )
    .await?;
    tx.execute(Sql::new("DELETE FROM sessions WHERE user_id = $1").bind(user.id))
        .await?;
    revoke_all_tokens(tx, user.id, now).await?;
    let id = user.id.to_string();
    // The hash itself never enters the log; the entry records that it changed.
    let marker = serde_json::json!({"password": "changed"});
    audit::record(
        tx,
        actor,
        "user.password",
        ("user", &id),
        None,
        Some(&marker),
    )
    .await?;
    Ok(user)
}

pub async fn by_username(e: &mut impl Exec, name: &Username) -> Result<Option<User>> {
    let row = e
        .fetch_optional(
            sql_once!("SELECT {COLUMNS} FROM users WHERE username = $1").bind(name.as_str()),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(e: &mut impl Exec, id: i64) -> Result<Option<User>> {
    let row = e
        .fetch_optional(sql_once!("SELECT {COLUMNS} FROM users WHERE id = $1").bind(id))
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(e: &mut impl Exec) -> Result<Vec<User>> {
    let rows = e
        .fetch_all(sql_once!("SELECT {COLUMNS} FROM users ORDER BY id"))
        .await?;
    rows.iter().map(from_row).collect()
}

const LOGIN: &str = "login";
/// The audit action of an alert for an account guessed at from many clients.
const LOGIN_ALERT: &str = "security.login_failures";

/// A hash to verify against when the username does not exist, so that unknown and known
/// usernames take the same time to fail.
pub async fn dummy_hash() -> Result<&'static str> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h);
    }
    let h = passwords::hash("gongkai-dummy-password").await?;
    Ok(HASH.get_or_init(|| h))
}

/// Records a login attempt under the name typed (`key`, lowercased) from `client`, before
/// the password is checked, so parallel guesses cannot all slip under the limit.
pub async fn login_attempt(
    e: &mut impl Exec,
    key: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<throttle::Attempt> {
    throttle::record_attempt(e, LOGIN, key, client, now).await
}

/// The attempt succeeded: it no longer counts among failures.
pub async fn login_succeeded(e: &mut impl Exec, attempt: throttle::Attempt) -> Result<()> {
    throttle::succeeded(e, attempt).await
}

/// Failed logins other than `attempt` since `since`, by the name `key` and/or from `client`
/// (either, when `None`): how many, and the latest.
pub async fn login_failures(
    e: &mut impl Exec,
    attempt: throttle::Attempt,
    key: Option<&str>,
    client: Option<&str>,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    let among = throttle::Among {
        scope: LOGIN,
        username: key,
        client,
        since,
        failures_only: true,
    };
    throttle::others(e, attempt, among).await
}

/// The account and its password hash.
pub async fn with_password_hash(
    e: &mut impl Exec,
    name: &Username,
) -> Result<Option<(User, String)>> {
    let row = e
        .fetch_optional(
            sql_once!("SELECT {COLUMNS}, password_hash FROM users WHERE username = $1")
                .bind(name.as_str()),
        )
        .await?;
    row.map(|r| Ok((from_row(&r)?, r.get::<String>("password_hash")?)))
        .transpose()
}

/// Whether an alert for `user_id` was raised since `since`.
pub async fn login_alerted_since(
    e: &mut impl Exec,
    user_id: i64,
    since: DateTime<Utc>,
) -> Result<bool> {
    let id = user_id.to_string();
    Ok(
        !audit::of_action_since(e, LOGIN_ALERT, Some(("user", &id)), since, 1)
            .await?
            .is_empty(),
    )
}

/// Raises the alert for an account guessed at from many clients: `failures` in a window of
/// `window_minutes`.
pub async fn record_login_alert(
    tx: &mut Tx,
    user_id: i64,
    failures: i64,
    window_minutes: i64,
) -> Result<()> {
    let after = serde_json::json!({"failures": failures, "window_minutes": window_minutes});
    audit::record(
        tx,
        &Actor::system("login-throttle"),
        LOGIN_ALERT,
        ("user", &user_id.to_string()),
        None,
        Some(&after),
    )
    .await
}

/// How long an API token lives unless said otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Creates an API token for a user, valid for the draft's days, and returns its plain value, which is
/// shown once and stored only as a hash.
pub async fn create_token(
    tx: &mut Tx,
    actor: &Actor,
    user: &User,
    draft: &TokenDraft,
) -> Result<String> {
    let (name, days) = (&draft.name, draft.days);
    let token = format!("gk_{}", secret::random_token(32)?);
    let now = tx.now();
    let expires = now + Duration::days(days);
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user.id)
            .bind(name.as_str())
            .bind(secret::hash_token(&token))
            .bind(now)
            .bind(expires),
        )
        .await?;
    let id: i64 = row.get("id")?;
    let after = serde_json::json!({"user_id": user.id, "name": name, "expires_at": expires});
    audit::record(
        tx,
        actor,
        "token.create",
        ("api_token", &id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    Ok(token)
}

/// When a token stops working: its expiry, or for a token from before expiries were
/// recorded, the default lifetime after its creation.
fn expiry(created: DateTime<Utc>, expires: Option<DateTime<Utc>>) -> DateTime<Utc> {
    expires.unwrap_or(created + Duration::days(DEFAULT_TOKEN_DAYS))
}

/// The active user a bearer token belongs to, if the token is valid, unexpired and not
/// revoked.
pub async fn by_token(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Option<User>> {
    let mut conn = db.conn().await?;
    let row = conn
        .fetch_optional(
            Sql::new(
                "SELECT u.id, u.username, u.display_name, u.role, u.agency_id, u.active, t.id AS token_id, \
                 t.created_at, t.expires_at \
                 FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE",
            )
            .bind(secret::hash_token(token)),
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    if expiry(row.get("created_at")?, row.get("expires_at")?) <= now {
        return Ok(None);
    }
    let token_id: i64 = row.get("token_id")?;
    conn.execute(
        Sql::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id),
    )
    .await?;
    from_row(&row).map(Some)
}

/// A token as its owner and the administrator see it (never its value).
#[derive(Clone, Debug, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenInfo {
    pub fn state_label(&self, now: &DateTime<Utc>) -> &'static str {
        if self.revoked_at.is_some() {
            "已吊销"
        } else if self.expires_at <= *now {
            "已过期"
        } else {
            "有效"
        }
    }
}

/// Every token of a user, newest first.
pub async fn tokens_of(e: &mut impl Exec, user_id: i64) -> Result<Vec<TokenInfo>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, user_id, name, created_at, last_used_at, expires_at, revoked_at \
                 FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
            )
            .bind(user_id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            let created: DateTime<Utc> = r.get("created_at")?;
            Ok(from_row!(r => TokenInfo {
                id,
                user_id,
                name,
                created_at = created,
                last_used_at,
                expires_at = expiry(created, r.get("expires_at")?),
                revoked_at,
            }))
        })
        .collect()
}

/// Revokes one token; audited.
pub async fn revoke_token(tx: &mut Tx, actor: &Actor, token_id: i64) -> Result<()> {
    let now = tx.now();
    let n = tx
        .execute(
            Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(token_id),
        )
        .await?;
    if n == 0 {
        return Err(DomainError::NotFound {
            what: "有效的令牌"
        });
    }
    audit::record(
        tx,
        actor,
        "token.revoke",
        ("api_token", &token_id.to_string()),
        None,
        Some(&serde_json::json!({"revoked": true})),
    )
    .await
}

async fn revoke_all_tokens(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<u64> {
    tx.execute(
        Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(user_id),
    )
    .await
}

/// The active administrators.
pub async fn active_admins(e: &mut impl Exec) -> Result<i64> {
    e.fetch_one(
        Sql::new("SELECT COUNT(*) AS n FROM users WHERE role = $1 AND active = TRUE")
            .bind(Role::Admin.as_str()),
    )
    .await?
    .get("n")
}

/// Deactivates (or reactivates) an account. Deactivating ends its sessions and revokes its
/// tokens (`user::check_deactivation` keeps the last administrator).
pub async fn set_active(tx: &mut Tx, actor: &Actor, user: User, active: bool) -> Result<User> {
    if user.active == active {
        return Ok(user);
    }
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(active)
            .bind(now)
            .bind(user.id),
    )
    .await?;
    if !active {
        tx.execute(Sql::new("DELETE FROM sessions WHERE user_id = $1").bind(user.id))
            .await?;
        revoke_all_tokens(tx, user.id, now).await?;
    }
    audit::record(
        tx,
        actor,
        if active {
            "user.activate"
        } else {
            "user.deactivate"
        },
        ("user", &user.id.to_string()),
        Some(&serde_json::json!({"active": user.active})),
        Some(&serde_json::json!({"active": active})),
    )
    .await?;
    Ok(User { active, ..user })
}

/// Accounts whose failed logins from all clients raised an alert since `since`: (user id,
/// when, failures in the window), newest first.
pub async fn login_alerts(
    e: &mut impl Exec,
    since: DateTime<Utc>,
) -> Result<Vec<(i64, DateTime<Utc>, i64)>> {
    Ok(audit::of_action_since(e, LOGIN_ALERT, None, since, 100)
        .await?
        .into_iter()
        .map(|a| {
            let failures = a
                .after
                .as_ref()
                .and_then(|v| v["failures"].as_i64())
                .unwrap_or(0);
            (a.entity_id.parse().unwrap_or(0), a.at, failures)
        })
        .collect())
}

/// Forgets login attempts older than `before`; they only matter inside the rate-limit window.
pub async fn purge_login_attempts(e: &mut impl Exec, before: DateTime<Utc>) -> Result<u64> {
    e.execute(Sql::new("DELETE FROM login_attempts WHERE at < $1").bind(before))
        .await
}

/// How many accounts exist (active or not).
pub async fn count(e: &mut impl Exec) -> Result<i64> {
    e.fetch_one(Sql::new("SELECT COUNT(*) AS n FROM users"))
        .await?
        .get("n")
}
