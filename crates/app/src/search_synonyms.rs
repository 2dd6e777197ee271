//! The disclosure office's search synonyms (口语词 → 规范用语). Only the office (and admins)
//! change them; each change is audited with the entry before and after, and announced in the
//! outbox so every search node reloads the entries without rebuilding its index.

use gongkai_domain::DomainError;
use gongkai_domain::synonym::Synonym;
use gongkai_store::db::Result;
use gongkai_store::search_synonyms::ENTITY;
use gongkai_store::{Db, audit, search_synonyms};
use serde_json::json;

use crate::Ctx;

fn require_office(ctx: &Ctx<'_>) -> Result<()> {
    if ctx.principal.role.sees_all_agencies() {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

fn view(s: &Synonym) -> serde_json::Value {
    json!({"term": s.term, "official": s.official})
}

/// Every entry (anyone may read them: they shape public search).
pub async fn all(db: &Db) -> Result<Vec<search_synonyms::Row>> {
    search_synonyms::all(&mut db.conn().await?).await
}

/// Adds the entry, or replaces the official terms of its term.
pub async fn save(ctx: &Ctx<'_>, s: &Synonym) -> Result<()> {
    require_office(ctx)?;
    ctx.db
        .write(async |tx| {
            let before = search_synonyms::get(tx, &s.term).await?;
            let now = tx.now();
            search_synonyms::save(tx, s, now).await?;
            let before = before.map(|b| view(&b.synonym));
            audit::record(
                tx,
                &ctx.actor,
                if before.is_some() {
                    "search_synonym.update"
                } else {
                    "search_synonym.create"
                },
                (ENTITY, &s.term),
                before.as_ref(),
                Some(&view(s)),
            )
            .await?;
            audit::announce(tx, "search_synonym.changed", (ENTITY, &s.term)).await
        })
        .await
}

/// Removes the entry of `term`.
pub async fn remove(ctx: &Ctx<'_>, term: &str) -> Result<()> {
    require_office(ctx)?;
    ctx.db
        .write(async |tx| {
            let before = search_synonyms::get(tx, term)
                .await?
                .ok_or(DomainError::NotFound { what: "同义词" })?;
            search_synonyms::delete(tx, term).await?;
            audit::record(
                tx,
                &ctx.actor,
                "search_synonym.delete",
                (ENTITY, term),
                Some(&view(&before.synonym)),
                None,
            )
            .await?;
            audit::announce(tx, "search_synonym.changed", (ENTITY, term)).await
        })
        .await
}
