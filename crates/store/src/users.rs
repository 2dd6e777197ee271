//! Staff accounts, password login with rate limiting, and API tokens.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::user::{Principal, Role, UserDraft, Username, check_password_policy};
use gongkai_domain::{DomainError, Field};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::{Db, Exec, Result, Row, Sql, Tx};
use crate::{agencies, passwords, secret};

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
    let role: String = r.get("role")?;
    Ok(User {
        id: r.get("id")?,
        username: r.get("username")?,
        display_name: r.get("display_name")?,
        role: Role::parse(&role)
            .map_err(|_| DomainError::unavailable(format!("stored role {role:?}")))?,
        agency_id: r.get("agency_id")?,
        active: r.get("active")?,
    })
}

fn json(u: &User) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or_default()
}

const AGENCY: Field = Field::new("agency", "所属机构");

pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    draft: &UserDraft,
    agency_code: &str,
    password: &str,
) -> Result<User> {
    let code =
        AgencyCode::parse(agency_code).map_err(|e| DomainError::invalid(AGENCY, e.to_string()))?;
    let agency = agencies::by_code(tx, &code)
        .await?
        .ok_or_else(|| DomainError::invalid(AGENCY, format!("机构代码“{code}”不存在")))?;
    check_password_policy(password, &draft.username)?;
    let hash = passwords::hash(password).await?;
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::dynamic(format!(
                "INSERT INTO users (username, display_name, role, agency_id, password_hash, \
                 active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6) \
                 RETURNING {COLUMNS}"
            ))
            .bind(draft.username.as_str())
            .bind(&draft.display_name)
            .bind(draft.role.as_str())
            .bind(agency.id)
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

/// Sets a new password and ends every session of the user, so a password change also
/// logs out a thief.
pub async fn set_password(
    tx: &mut Tx,
    actor: &Actor,
    username: &str,
    password: &str,
) -> Result<User> {
    let name = Username::parse(username)?;
    let user = by_username(tx, &name)
        .await?
        .ok_or(DomainError::NotFound { what: "用户" })?;
    check_password_policy(password, &name)?;
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
            Sql::dynamic(format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
                .bind(name.as_str()),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(e: &mut impl Exec, id: i64) -> Result<Option<User>> {
    let row = e
        .fetch_optional(Sql::dynamic(format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id))
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(e: &mut impl Exec) -> Result<Vec<User>> {
    let rows = e
        .fetch_all(Sql::dynamic(format!(
            "SELECT {COLUMNS} FROM users ORDER BY id"
        )))
        .await?;
    rows.iter().map(from_row).collect()
}

/// Limits on failed logins within a sliding window, per username and per client address.
#[derive(Clone, Copy, Debug)]
pub struct LoginPolicy {
    pub window: Duration,
    pub max_failures_per_user: i64,
    pub max_failures_per_client: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            window: Duration::minutes(15),
            max_failures_per_user: 5,
            max_failures_per_client: 20,
        }
    }
}

async fn failures(
    e: &mut impl Exec,
    column: &'static str,
    value: &str,
    since: DateTime<Utc>,
) -> Result<i64> {
    let sql = match column {
        "username" => Sql::new(
            "SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND at > $2 AND success = FALSE",
        ),
        _ => Sql::new(
            "SELECT COUNT(*) AS n FROM login_attempts WHERE client = $1 AND at > $2 AND success = FALSE",
        ),
    };
    e.fetch_one(sql.bind(value).bind(since)).await?.get("n")
}

/// A hash to verify against when the username does not exist, so that unknown and known
/// usernames take the same time to fail.
async fn dummy_hash() -> Result<&'static str> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h);
    }
    let h = passwords::hash("gongkai-dummy-password").await?;
    Ok(HASH.get_or_init(|| h))
}

/// Checks a username and password. Every attempt is recorded; too many recent failures for
/// the username or the client are refused before the password is even checked.
pub async fn authenticate(
    db: &Db,
    username: &str,
    password: &str,
    client: &str,
    now: DateTime<Utc>,
    policy: LoginPolicy,
) -> Result<User> {
    let key: String = username.trim().to_lowercase().chars().take(64).collect();
    let mut conn = db.conn().await?;
    let since = now - policy.window;
    if failures(&mut conn, "username", &key, since).await? >= policy.max_failures_per_user
        || failures(&mut conn, "client", client, since).await? >= policy.max_failures_per_client
    {
        return Err(DomainError::RateLimited {
            retry_after_secs: policy.window.num_seconds().max(1) as u64,
        });
    }
    let found = match Username::parse(username) {
        Ok(name) => {
            let row = conn
                .fetch_optional(
                    Sql::dynamic(format!(
                        "SELECT {COLUMNS}, password_hash FROM users WHERE username = $1"
                    ))
                    .bind(name.as_str()),
                )
                .await?;
            match row {
                Some(r) => Some((from_row(&r)?, r.get::<String>("password_hash")?)),
                None => None,
            }
        }
        Err(_) => None,
    };
    drop(conn);
    let ok = match &found {
        Some((user, hash)) => passwords::verify(hash, password).await? && user.active,
        None => {
            passwords::verify(dummy_hash().await?, password).await?;
            false
        }
    };
    let mut tx = db.begin().await?;
    tx.execute(
        Sql::new(
            "INSERT INTO login_attempts (username, client, success, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(client)
        .bind(ok)
        .bind(now),
    )
    .await?;
    tx.commit().await?;
    match found {
        Some((user, _)) if ok => Ok(user),
        _ => Err(DomainError::BadCredentials),
    }
}

/// Creates an API token for a user and returns its plain value, which is shown once and
/// stored only as a hash.
pub async fn create_token(
    tx: &mut Tx,
    actor: &Actor,
    username: &str,
    name: &str,
) -> Result<String> {
    let uname = Username::parse(username)?;
    let user = by_username(tx, &uname)
        .await?
        .ok_or(DomainError::NotFound { what: "用户" })?;
    let name = gongkai_domain::text::bounded(name, Field::new("name", "令牌名称"), 1, 60)?;
    let token = format!("gk_{}", secret::random_token(32)?);
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user.id)
            .bind(&name)
            .bind(secret::hash_token(&token))
            .bind(now),
        )
        .await?;
    let id: i64 = row.get("id")?;
    let after = serde_json::json!({"user_id": user.id, "name": name});
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

/// The active user a bearer token belongs to, if the token is valid and not revoked.
pub async fn by_token(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Option<User>> {
    let mut conn = db.conn().await?;
    let row = conn
        .fetch_optional(
            Sql::new(
                "SELECT u.id, u.username, u.display_name, u.role, u.agency_id, u.active, t.id AS token_id \
                 FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE",
            )
            .bind(secret::hash_token(token)),
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let token_id: i64 = row.get("token_id")?;
    conn.execute(
        Sql::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id),
    )
    .await?;
    from_row(&row).map(Some)
}

/// Forgets login attempts older than `before`; they only matter inside the rate-limit window.
pub async fn purge_login_attempts(e: &mut impl Exec, before: DateTime<Utc>) -> Result<u64> {
    e.execute(Sql::new("DELETE FROM login_attempts WHERE at < $1").bind(before))
        .await
}
