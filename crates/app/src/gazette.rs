//! 政府公报 issues. Only the disclosure office compiles them, and only from public documents;
//! every change is audited and announced to the indexers.

use gongkai_domain::gazette::IssueDraft;
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::{Tx, audit, gazette};
use serde_json::json;

use crate::Ctx;

const DOCUMENTS: Field = Field::new("documents", "收录文件");

pub async fn create(ctx: &Ctx<'_>, d: &IssueDraft) -> Result<i64> {
    ctx.db.write(async |tx| save(tx, ctx, None, d).await).await
}

pub async fn create_in(tx: &mut Tx, ctx: &Ctx<'_>, d: &IssueDraft) -> Result<i64> {
    save(tx, ctx, None, d).await
}

/// Corrects an issue: its number, date or table of contents.
pub async fn update(ctx: &Ctx<'_>, id: i64, d: &IssueDraft) -> Result<()> {
    ctx.db
        .write(async |tx| save(tx, ctx, Some(id), d).await.map(drop))
        .await
}

async fn save(tx: &mut Tx, ctx: &Ctx<'_>, existing: Option<i64>, d: &IssueDraft) -> Result<i64> {
    if !ctx.principal.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
    let mut ids = Vec::with_capacity(d.index_numbers.len());
    for index in &d.index_numbers {
        let id = gazette::public_document_id(tx, index)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(DOCUMENTS, format!("索引号“{index}”不是已发布的文件"))
            })?;
        ids.push(id);
    }
    let duplicate = |e| match e {
        DomainError::Conflict { .. } => DomainError::conflict(
            Some(Field::new("number", "期号")),
            format!("{}已存在", d.label()),
        ),
        other => other,
    };
    let (id, before) = match existing {
        None => (gazette::insert_issue(tx, d).await.map_err(duplicate)?, None),
        Some(id) => {
            let (old, docs) = gazette::get_any(tx, id)
                .await?
                .ok_or(DomainError::NotFound { what: "公报" })?;
            gazette::update_issue(tx, id, d).await.map_err(duplicate)?;
            let before =
                json!({"issue": old.label(), "issued_on": old.issued_on, "documents": docs});
            (id, Some(before))
        }
    };
    gazette::set_items(tx, id, &ids).await?;
    let after = json!({"issue": d.label(), "issued_on": d.issued_on, "documents": ids});
    let action = if existing.is_some() {
        "gazette.update"
    } else {
        "gazette.create"
    };
    let key = id.to_string();
    audit::record(
        tx,
        &ctx.actor,
        action,
        ("gazette_issue", &key),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    audit::announce(tx, "gazette.changed", ("gazette_issue", &key)).await?;
    Ok(id)
}
