//! 公开目录: an agency's catalogue of what it discloses, as a tree of items (columns), and the
//! documents filed under them. Staff keep their own agency's items; a parent stays inside the
//! agency and never below the item itself; only the agency's own documents are filed. Every
//! change is audited and announced to the indexers in the same transaction.

use gongkai_domain::catalogue::ItemDraft;
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::{Tx, audit, catalogue, documents};
use serde_json::json;

use crate::Ctx;

const NOT_FOUND: DomainError = DomainError::NotFound {
    what: "目录事项"
};
const PARENT: Field = Field::new("parent", "上级事项");
/// Deeper than any real catalogue; a guard against a loop already stored.
const MAX_DEPTH: usize = 64;

async fn check_parent(tx: &mut Tx, parent: i64, agency_id: i64) -> Result<()> {
    if catalogue::agency_of(tx, parent).await? != Some(agency_id) {
        return Err(DomainError::invalid(PARENT, "上级事项不存在或不属于本机构"));
    }
    Ok(())
}

pub async fn create_column(ctx: &Ctx<'_>, agency_id: i64, d: &ItemDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| create_column_in(tx, ctx, agency_id, d).await)
        .await
}

pub async fn create_column_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    d: &ItemDraft,
) -> Result<i64> {
    ctx.principal.require_agency(agency_id)?;
    if let Some(p) = d.parent {
        check_parent(tx, p, agency_id).await?;
    }
    let id = catalogue::insert_item(tx, agency_id, d).await?;
    let key = id.to_string();
    let after =
        serde_json::to_value(d).map_err(|e| DomainError::internal_from("item as JSON", e))?;
    audit::record(
        tx,
        &ctx.actor,
        "catalogue.item.create",
        ("catalogue_item", &key),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "catalogue.changed", ("catalogue_item", &key)).await?;
    Ok(id)
}

/// Changes an item's fields. Its parent must stay within the agency and may not be the item
/// itself or one of its descendants.
pub async fn update_column(ctx: &Ctx<'_>, item_id: i64, d: &ItemDraft) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let before = catalogue::item_by_id(tx, item_id).await?.ok_or(NOT_FOUND)?;
            ctx.principal.require_agency(before.agency_id)?;
            if let Some(p) = d.parent {
                check_parent(tx, p, before.agency_id).await?;
                // Walk up from the new parent: meeting the item itself would close a loop.
                let mut at = Some(p);
                for _ in 0..MAX_DEPTH {
                    let Some(id) = at else { break };
                    if id == item_id {
                        return Err(DomainError::invalid(
                            PARENT,
                            "上级事项不能是本事项或其下级事项",
                        ));
                    }
                    at = catalogue::parent_of(tx, id).await?;
                }
            }
            catalogue::save_item(tx, item_id, d).await?;
            let key = item_id.to_string();
            let as_json = |v: serde_json::Result<serde_json::Value>| {
                v.map_err(|e| DomainError::internal_from("item as JSON", e))
            };
            let old = as_json(serde_json::to_value(&before))?;
            let new = as_json(serde_json::to_value(d))?;
            audit::record(
                tx,
                &ctx.actor,
                "catalogue.item.update",
                ("catalogue_item", &key),
                Some(&old),
                Some(&new),
            )
            .await?;
            audit::announce(tx, "catalogue.changed", ("catalogue_item", &key)).await
        })
        .await
}

/// Files the agency's document with 索引号 `index_no` under a column.
pub async fn file_in_column(ctx: &Ctx<'_>, item_id: i64, index_no: &str) -> Result<()> {
    ctx.db
        .write(async |tx| file_in_column_in(tx, ctx, item_id, index_no).await)
        .await
}

pub async fn file_in_column_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    item_id: i64,
    index_no: &str,
) -> Result<()> {
    let agency = catalogue::agency_of(tx, item_id).await?.ok_or(NOT_FOUND)?;
    ctx.principal.require_agency(agency)?;
    let field = Field::new("index_no", "索引号");
    let doc = documents::id_by_index(tx, index_no)
        .await?
        .ok_or_else(|| DomainError::invalid(field, format!("索引号“{}”不存在", index_no.trim())))?;
    if documents::agency_of(tx, doc).await? != Some(agency) {
        return Err(DomainError::invalid(field, "只能归入本机构的文件"));
    }
    catalogue::insert_filing(tx, item_id, doc).await?;
    let key = item_id.to_string();
    audit::record(
        tx,
        &ctx.actor,
        "catalogue.file",
        ("catalogue_item", &key),
        None,
        Some(&json!({"document": doc})),
    )
    .await?;
    audit::announce(tx, "catalogue.changed", ("catalogue_item", &key)).await
}
