//! 重大行政决策事项目录: an agency's catalogue per year, its entries and the stages of each.
//! A catalogue is public once published, and only then (pages and API alike); every change is
//! audited.

use gongkai_domain::agency::AgencyCode;
use gongkai_domain::decision::{EntryDraft, Link, StageDraft, StageKind};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::decisions::{self, Catalogue, Entry, Stage};
use gongkai_store::{Db, Exec, Tx, audit};
use serde_json::json;

use crate::Ctx;

const NO_CATALOGUE: DomainError = DomainError::NotFound {
    what: "决策事项目录",
};
const NO_ENTRY: DomainError = DomainError::NotFound {
    what: "决策事项"
};

// ---- the public ----

/// An agency's published catalogues, newest first as stored, each with its entries.
pub async fn published_catalogues(db: &Db, agency_id: i64) -> Result<Vec<(Catalogue, Vec<Entry>)>> {
    let mut c = db.conn().await?;
    let mut out = Vec::new();
    for catalogue in decisions::catalogues_of(&mut c, agency_id).await? {
        if catalogue.published_at.is_some() {
            let entries = decisions::entries(&mut c, catalogue.id).await?;
            out.push((catalogue, entries));
        }
    }
    Ok(out)
}

/// An entry of a published catalogue with its stages; not found for anything else.
pub async fn published_entry(db: &Db, id: i64) -> Result<(Catalogue, Entry, Vec<Stage>)> {
    let mut c = db.conn().await?;
    let e = decisions::entry(&mut c, id).await?.ok_or(NO_ENTRY)?;
    let catalogue = decisions::catalogue(&mut c, e.catalogue_id)
        .await?
        .filter(|c| c.published_at.is_some())
        .ok_or(NO_ENTRY)?;
    let stages = decisions::stages(&mut c, id).await?;
    Ok((catalogue, e, stages))
}

// ---- the agencies ----

/// A catalogue the principal may act for, or not found (another agency's does not exist for
/// them).
async fn own_catalogue(e: &mut impl Exec, ctx: &Ctx<'_>, id: i64) -> Result<Catalogue> {
    decisions::catalogue(e, id)
        .await?
        .filter(|c| ctx.principal.may_act_for(c.agency_id))
        .ok_or(NO_CATALOGUE)
}

/// Starts the catalogue of `agency` for `year`; one per agency and year.
pub async fn create_catalogue(ctx: &Ctx<'_>, agency: &AgencyCode, year: i32) -> Result<i64> {
    ctx.db
        .write(async |tx| create_catalogue_in(tx, ctx, agency, year).await)
        .await
}

pub async fn create_catalogue_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency: &AgencyCode,
    year: i32,
) -> Result<i64> {
    let agency_id = gongkai_store::agencies::by_code(tx, agency)
        .await?
        .ok_or(DomainError::NotFound { what: "机构" })?
        .id;
    ctx.principal.require_agency(agency_id)?;
    if decisions::catalogue_exists(tx, agency_id, year).await? {
        return Err(DomainError::conflict(
            Some(Field::new("year", "年度")),
            format!("本机关 {year} 年度的决策事项目录已经存在"),
        ));
    }
    let id = decisions::insert_catalogue(tx, agency_id, year).await?;
    audit::record(
        tx,
        &ctx.actor,
        "decision_catalogue.create",
        ("decision_catalogue", &id.to_string()),
        None,
        Some(&json!({"agency_id": agency_id, "year": year})),
    )
    .await?;
    Ok(id)
}

/// Publishes a catalogue that has at least one entry; once.
pub async fn publish_catalogue(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    ctx.db
        .write(async |tx| publish_catalogue_in(tx, ctx, id).await)
        .await
}

pub async fn publish_catalogue_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64) -> Result<()> {
    let c = own_catalogue(tx, ctx, id).await?;
    if c.published_at.is_some() {
        return Err(DomainError::conflict(None, "目录已经发布"));
    }
    let n = decisions::entry_count(tx, id).await?;
    if n == 0 {
        return Err(DomainError::conflict(None, "目录还没有决策事项,不能发布"));
    }
    let now = tx.now();
    decisions::set_published(tx, id, now).await?;
    audit::record(
        tx,
        &ctx.actor,
        "decision_catalogue.publish",
        ("decision_catalogue", &id.to_string()),
        None,
        Some(&json!({"published_at": now, "entries": n})),
    )
    .await
}

/// The agency an entry names as responsible; it must be on the platform.
async fn responsible(tx: &mut Tx, code: &str) -> Result<i64> {
    let f = Field::new("responsible", "承办单位");
    let code = AgencyCode::parse(code).map_err(|_| DomainError::invalid(f, "请选择承办单位"))?;
    Ok(gongkai_store::agencies::by_code(tx, &code)
        .await?
        .ok_or_else(|| DomainError::invalid(f, "承办单位不存在"))?
        .id)
}

pub async fn add_entry(ctx: &Ctx<'_>, catalogue_id: i64, d: &EntryDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| add_entry_in(tx, ctx, catalogue_id, d).await)
        .await
}

pub async fn add_entry_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    catalogue_id: i64,
    d: &EntryDraft,
) -> Result<i64> {
    own_catalogue(tx, ctx, catalogue_id).await?;
    let agency = responsible(tx, &d.responsible).await?;
    let id = decisions::insert_entry(tx, catalogue_id, d, agency).await?;
    audit::record(
        tx,
        &ctx.actor,
        "decision_entry.create",
        ("decision_entry", &id.to_string()),
        None,
        Some(&json!(d)),
    )
    .await?;
    Ok(id)
}

/// Changes an entry (its status as it moves on, or 调出目录 with the reason).
pub async fn update_entry(ctx: &Ctx<'_>, id: i64, d: &EntryDraft) -> Result<()> {
    ctx.db
        .write(async |tx| update_entry_in(tx, ctx, id, d).await)
        .await
}

pub async fn update_entry_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, d: &EntryDraft) -> Result<()> {
    let before = decisions::entry(tx, id).await?.ok_or(NO_ENTRY)?;
    own_catalogue(tx, ctx, before.catalogue_id).await?;
    let agency = responsible(tx, &d.responsible).await?;
    decisions::update_entry(tx, id, d, agency).await?;
    audit::record(
        tx,
        &ctx.actor,
        "decision_entry.update",
        ("decision_entry", &id.to_string()),
        Some(&json!(before)),
        Some(&json!(d)),
    )
    .await
}

/// Records a stage. What it rests on must exist and be public: a published consultation (its
/// feedback report published, for the feedback stage), a public document. The entry moves on
/// as [`gongkai_domain::decision::EntryStatus::after_stage`] says.
pub async fn add_stage(ctx: &Ctx<'_>, entry_id: i64, d: &StageDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| add_stage_in(tx, ctx, entry_id, d).await)
        .await
}

pub async fn add_stage_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    entry_id: i64,
    d: &StageDraft,
) -> Result<i64> {
    let e = decisions::entry(tx, entry_id).await?.ok_or(NO_ENTRY)?;
    own_catalogue(tx, ctx, e.catalogue_id).await?;
    let consultation = match d.consultation {
        Some(cid) => {
            let field = Field::new("consultation", "意见征集");
            let c = gongkai_store::consultations::public_get(tx, cid)
                .await?
                .ok_or_else(|| DomainError::invalid(field, "所选意见征集不存在或未发布"))?;
            if d.kind == StageKind::Feedback && c.report_published_at.is_none() {
                return Err(DomainError::invalid(
                    field,
                    "该意见征集的采纳情况反馈尚未发布",
                ));
            }
            Some(c.id)
        }
        None => None,
    };
    let field = Field::new("document", "文件索引号");
    let document = match &d.document {
        Some(n) => {
            let id = gongkai_store::documents::id_by_index(tx, n)
                .await?
                .ok_or_else(|| DomainError::invalid(field, format!("没有索引号为“{n}”的文件")))?;
            let public = gongkai_store::documents::public_get(tx, id)
                .await?
                .is_some_and(|p| p.withdrawn_at.is_none());
            if !public {
                return Err(DomainError::invalid(
                    field,
                    format!("索引号为“{n}”的文件尚未公开"),
                ));
            }
            Some(id)
        }
        None if d.kind.link() == Link::Document => {
            return Err(DomainError::invalid(field, "请填写文件索引号"));
        }
        None => None,
    };
    let id = decisions::insert_stage(tx, entry_id, d, document, consultation).await?;
    if let Some(status) = e.status.after_stage(d.kind) {
        decisions::set_entry_status(tx, entry_id, status).await?;
    }
    audit::record(
        tx,
        &ctx.actor,
        "decision_stage.create",
        ("decision_stage", &id.to_string()),
        None,
        Some(&json!({"entry_id": entry_id, "stage": d, "document_id": document, "consultation_id": consultation})),
    )
    .await?;
    Ok(id)
}
