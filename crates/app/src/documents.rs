//! 主动公开: documents from registration through review to publication, their relations
//! (amends, replaces, repeals) and their interpretations.
//!
//! Each operation reads the version it acts on, judges with the domain
//! (`document::transition`, `document::revision`, `document::relation`, 三同步), and writes
//! through `gongkai_store::documents` inside one transaction with the audit entry and the
//! indexers' announcement. The `_in` forms run inside a caller's transaction (a report's
//! submission, a request's handover, the demo).

use gongkai_domain::document::relation::{self, Link};
use gongkai_domain::document::{
    self, Action, DocumentDraft, RelationKind, Status, check_importable, transition,
};
use gongkai_domain::interpretation::{InterpretationDraft, check_published_together};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db::Result;
use gongkai_store::documents::Earlier;
use gongkai_store::{Tx, audit, documents, interpretations};
use serde_json::json;

use crate::Ctx;

/// Registers a new draft of `agency_id`, issuing its 索引号; returns the document id.
pub async fn register(ctx: &Ctx<'_>, agency_id: i64, draft: &DocumentDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| register_in(tx, ctx, agency_id, draft).await)
        .await
}

/// The agency a document is registered under, which the caller must act for.
async fn owner(tx: &mut Tx, ctx: &Ctx<'_>, agency_id: i64) -> Result<Agency> {
    ctx.principal.require_agency(agency_id)?;
    // Forms and the API name the agency by a code checked to exist (`app::agencies::chosen`).
    agencies::by_id(tx, agency_id)
        .await?
        .ok_or(DomainError::NotFound {
            what: "发布机构"
        })
}

pub async fn register_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    draft: &DocumentDraft,
) -> Result<i64> {
    let agency = owner(tx, ctx, agency_id).await?;
    documents::register(tx, &ctx.actor, &agency, draft, None).await
}

/// Records a document published before it came into gongkai, keeping its publication day
/// and, if given, its 索引号: only proactive documents, with their dates in order.
pub async fn import_published_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    draft: &DocumentDraft,
    earlier: Earlier<'_>,
) -> Result<i64> {
    check_importable(draft, earlier.published_on, ctx.today())?;
    let agency = owner(tx, ctx, agency_id).await?;
    documents::import_published(tx, &ctx.actor, &agency, draft, earlier).await
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
            let w = documents::working(tx, id).await?;
            ctx.principal.require_agency(w.agency_id)?;
            let how = document::revision(w.status, w.attribute.as_ref(), change_note)?;
            documents::revise(tx, &ctx.actor, &w, draft, &how).await
        })
        .await
}

/// A review step (submit, return, approve, publish, withdraw); publication is dated today.
pub async fn act(ctx: &Ctx<'_>, id: i64, action: &Action) -> Result<Status> {
    ctx.db
        .write(async |tx| act_in(tx, ctx, id, action).await)
        .await
}

pub async fn act_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, action: &Action) -> Result<Status> {
    let mut w = documents::working(tx, id).await?;
    // Withdrawal takes the published version off the site even while a correction of it is
    // being drafted; every other action moves the working version.
    if matches!(action, Action::Withdraw { .. })
        && w.status != Status::Published
        && let Some(public) = documents::public_version(tx, id).await?
        && public.status == Status::Published
    {
        w = public;
    }
    let t = transition(
        w.status,
        action,
        &ctx.principal,
        w.agency_id,
        w.attribute.as_ref(),
    )?;
    if t.to == Status::Published {
        let n = interpretations::count_for(tx, id).await?;
        check_published_together(
            w.needs_interpretation,
            usize::try_from(n).unwrap_or(usize::MAX),
            w.waiver.as_deref(),
        )?;
    }
    documents::apply(tx, &ctx.actor, &w, action, &t, ctx.today()).await?;
    Ok(t.to)
}

/// The document with 索引号 `index_no`, which a form names.
async fn named(tx: &mut Tx, index_no: &str) -> Result<i64> {
    documents::id_by_index(tx, index_no).await?.ok_or_else(|| {
        DomainError::invalid(
            Field::new("index_no", "索引号"),
            format!("索引号“{}”不存在", index_no.trim()),
        )
    })
}

/// Records that document `id` amends, replaces or repeals the one with 索引号 `index_no`.
pub async fn relate(ctx: &Ctx<'_>, id: i64, index_no: &str, kind: RelationKind) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let target = named(tx, index_no).await?;
            relate_in(tx, ctx, Link::new(id, target)?, kind).await
        })
        .await
}

/// Records that `link.from` amends, replaces or repeals `link.to`, on the version of
/// `link.from` being drafted.
pub async fn relate_in(tx: &mut Tx, ctx: &Ctx<'_>, link: Link, kind: RelationKind) -> Result<()> {
    let w = documents::working(tx, link.from).await?;
    let to = documents::working(tx, link.to).await?;
    let approval = relation::check_record(&ctx.principal, w.agency_id, w.status, to.agency_id)?;
    documents::relate(tx, &ctx.actor, &w, link.to, kind, approval).await
}

/// Records a relation between two documents brought in by an import, in effect at once: only
/// the office may (its recording is the review), and the source must be public.
pub async fn import_relation_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    link: Link,
    kind: RelationKind,
) -> Result<()> {
    relation::check_import(&ctx.principal)?;
    let source = documents::public_version(tx, link.from)
        .await?
        .ok_or(DomainError::conflict(
            None,
            "只能为已发布的文件导入关联关系",
        ))?;
    documents::working(tx, link.to).await?;
    let by = ctx.principal.user_id;
    documents::import_relation(tx, &ctx.actor, &source, link.to, kind, by).await
}

/// The disclosure office approves a relation to another agency's document.
pub async fn approve_relation(ctx: &Ctx<'_>, from: i64, to: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            relation::check_approve(&ctx.principal)?;
            let link = Link { from, to };
            let (_, standing) = documents::relation(tx, link).await?;
            relation::check_approvable(standing)?;
            documents::approve_relation(tx, &ctx.actor, link, ctx.principal.user_id).await
        })
        .await
}

/// The source agency or the office withdraws a relation, undoing its effect on the target.
pub async fn withdraw_relation(ctx: &Ctx<'_>, from: i64, to: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let source = documents::working(tx, from).await?;
            relation::check_withdraw(&ctx.principal, source.agency_id)?;
            let link = Link { from, to };
            let was = documents::relation(tx, link).await?;
            relation::check_withdrawable(was.1)?;
            let by = ctx.principal.user_id;
            documents::withdraw_relation(tx, &ctx.actor, link, was, by).await
        })
        .await
}

/// Records why a policy needing an interpretation is published without one.
pub async fn waive_interpretation(ctx: &Ctx<'_>, id: i64, reason: &str) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let w = documents::working(tx, id).await?;
            let reason = document::check_waiver(&ctx.principal, w.agency_id, reason)?;
            documents::waive_interpretation(tx, &ctx.actor, &w, &reason).await
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
