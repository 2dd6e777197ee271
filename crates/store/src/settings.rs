//! Site-wide key/value settings (e.g. the site name), changed by administrators.

use crate::db::{Exec, Result, Sql};

pub async fn get(e: &mut impl Exec, key: &str) -> Result<Option<String>> {
    let row = e
        .fetch_optional(Sql::new("SELECT value FROM settings WHERE key = $1").bind(key))
        .await?;
    row.map(|r| r.get("value")).transpose()
}

pub async fn set(
    e: &mut impl Exec,
    key: &str,
    value: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    e.execute(
        Sql::new(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
        )
        .bind(key)
        .bind(value)
        .bind(now),
    )
    .await
    .map(drop)
}

/// The value of `key`, created from `make` the first time; nodes racing to create it all end
/// with the one value that was stored first.
pub async fn get_or_init(
    e: &mut impl Exec,
    key: &str,
    make: impl FnOnce() -> Result<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    if let Some(v) = get(e, key).await? {
        return Ok(v);
    }
    e.execute(
        Sql::new(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(make()?)
        .bind(now),
    )
    .await?;
    get(e, key)
        .await?
        .ok_or(gongkai_domain::DomainError::internal(format!(
            "setting {key} could not be stored"
        )))
}
