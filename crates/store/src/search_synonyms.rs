//! The office's search synonyms (口语词 → 规范用语), one row per term. The rules (who may
//! change them, what an entry is) are in `gongkai_app::search_synonyms` and
//! `gongkai_domain::synonym`.

use chrono::{DateTime, Utc};
use gongkai_domain::synonym::Synonym;

use crate::db::{Exec, Result, Sql, Tx};

/// The entity an audit record and an outbox announcement name: search nodes reload the
/// entries when they read one.
pub const ENTITY: &str = "search_synonym";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub synonym: Synonym,
    pub updated_at: DateTime<Utc>,
}

fn from_row(r: &crate::db::Row) -> Result<Row> {
    let official: String = r.get("official")?;
    Ok(Row {
        synonym: Synonym {
            term: r.get("term")?,
            official: official.split(' ').map(String::from).collect(),
        },
        updated_at: r.get("updated_at")?,
    })
}

/// Every entry, by term.
pub async fn all(e: &mut impl Exec) -> Result<Vec<Row>> {
    e.fetch_all(Sql::new(
        "SELECT term, official, updated_at FROM search_synonyms ORDER BY term",
    ))
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn get(e: &mut impl Exec, term: &str) -> Result<Option<Row>> {
    e.fetch_optional(
        Sql::new("SELECT term, official, updated_at FROM search_synonyms WHERE term = $1")
            .bind(term),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Adds the entry, or replaces the official terms of its term.
pub async fn save(tx: &mut Tx, s: &Synonym, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        Sql::new(
            "INSERT INTO search_synonyms (term, official, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (term) DO UPDATE SET official = $2, updated_at = $3",
        )
        .bind(s.term.as_str())
        .bind(s.official_text())
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Removes the entry of `term`; whether there was one.
pub async fn delete(tx: &mut Tx, term: &str) -> Result<bool> {
    let n = tx
        .execute(Sql::new("DELETE FROM search_synonyms WHERE term = $1").bind(term))
        .await?;
    Ok(n > 0)
}
