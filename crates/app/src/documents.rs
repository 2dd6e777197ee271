//! 主动公开: documents from registration through review to publication, their relations
//! (amends, replaces, repeals) and their interpretations.
//!
//! The workflow rules are the domain's (`document::transition`, `document::relation`); the
//! version bookkeeping still sits in `gongkai_store::documents`, which each operation here
//! drives inside one transaction with the audit entry and the indexers' announcement.

use gongkai_domain::document::relation::Link;
use gongkai_domain::document::{Action, DocumentDraft, RelationKind, Status};
use gongkai_domain::interpretation::InterpretationDraft;
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::{Tx, audit, documents, interpretations};
use serde_json::json;

use crate::Ctx;

/// Registers a new draft of `agency_id`, issuing its 索引号; returns the document id.
pub async fn register(ctx: &Ctx<'_>, agency_id: i64, draft: &DocumentDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| {
            documents::register(tx, &ctx.actor, &ctx.principal, agency_id, draft, None).await
        })
        .await
}

/// Changes a document: a draft in place, a published one as a new version with its note.
pub async fn revise(
    ctx: &Ctx<'_>,
    id: i64,
    draft: &DocumentDraft,
    change_note: Option<&str>,
) -> Result<()> {
    ctx.db
        .write(async |tx| {
            documents::revise(tx, &ctx.actor, &ctx.principal, id, draft, change_note).await
        })
        .await
}

/// A review step (submit, return, approve, publish, withdraw); publication is dated today.
pub async fn act(ctx: &Ctx<'_>, id: i64, action: &Action) -> Result<Status> {
    let today = ctx.today();
    ctx.db
        .write(async |tx| documents::act(tx, &ctx.actor, &ctx.principal, id, action, today).await)
        .await
}

/// Records that document `id` amends, replaces or repeals the one with 索引号 `index_no`.
pub async fn relate(ctx: &Ctx<'_>, id: i64, index_no: &str, kind: RelationKind) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let target = documents::id_by_index(tx, index_no).await?.ok_or_else(|| {
                DomainError::invalid(
                    Field::new("index_no", "索引号"),
                    format!("索引号“{}”不存在", index_no.trim()),
                )
            })?;
            documents::relate(tx, &ctx.actor, &ctx.principal, Link::new(id, target)?, kind).await
        })
        .await
}

/// The disclosure office approves a relation to another agency's document.
pub async fn approve_relation(ctx: &Ctx<'_>, from: i64, to: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            documents::approve_relation(tx, &ctx.actor, &ctx.principal, from, to).await
        })
        .await
}

/// The source agency or the office withdraws a relation, undoing its effect on the target.
pub async fn withdraw_relation(ctx: &Ctx<'_>, from: i64, to: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            documents::withdraw_relation(tx, &ctx.actor, &ctx.principal, from, to).await
        })
        .await
}

/// Records why a policy needing an interpretation is published without one.
pub async fn waive_interpretation(ctx: &Ctx<'_>, id: i64, reason: &str) -> Result<()> {
    ctx.db
        .write(async |tx| {
            documents::waive_interpretation(tx, &ctx.actor, &ctx.principal, id, reason).await
        })
        .await
}

/// Adds an interpretation of document `id` and of the others named by 索引号 in `also`.
pub async fn interpret(
    ctx: &Ctx<'_>,
    id: i64,
    also: &[String],
    d: &InterpretationDraft,
) -> Result<i64> {
    ctx.db
        .write(async |tx| {
            let mut ids = vec![id];
            for index in also {
                let other = documents::id_by_index(tx, index).await?.ok_or_else(|| {
                    DomainError::invalid(
                        Field::new("also", "同时解读的政策"),
                        format!("索引号“{index}”不存在"),
                    )
                })?;
                if !ids.contains(&other) {
                    ids.push(other);
                }
            }
            interpret_in(tx, ctx, &ids, d).await
        })
        .await
}

/// Adds an interpretation of the policies `document_ids` (1–50, all of agencies the caller
/// may act for; it belongs to the first one's agency), audited and announced.
pub async fn interpret_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    document_ids: &[i64],
    d: &InterpretationDraft,
) -> Result<i64> {
    let field = Field::new("documents", "解读的政策");
    if document_ids.is_empty() || document_ids.len() > 50 {
        return Err(DomainError::invalid(
            field,
            "请选择 1–50 件被解读的政策文件",
        ));
    }
    let mut agency_id = None;
    for id in document_ids {
        let a = documents::agency_of(tx, *id)
            .await?
            .ok_or(DomainError::NotFound { what: "文件" })?;
        ctx.principal.require_agency(a)?;
        agency_id.get_or_insert(a);
    }
    let agency_id =
        agency_id.ok_or_else(|| DomainError::invalid(field, "请选择被解读的政策文件"))?;
    let id = interpretations::insert(tx, agency_id, ctx.actor.user_id, d, document_ids).await?;
    let key = id.to_string();
    let after = json!({"title": d.title, "form": d.form.as_str(), "documents": document_ids});
    audit::record(
        tx,
        &ctx.actor,
        "interpretation.create",
        ("interpretation", &key),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "interpretation.changed", ("interpretation", &key)).await?;
    Ok(id)
}
