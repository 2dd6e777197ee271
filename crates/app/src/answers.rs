//! 一网通答: an agency's question-and-answer entries. An entry may rest only on documents that
//! are public now (another agency's policy included); its staff edit it; every change is
//! audited and announced to the search indexers in the same transaction.

use gongkai_domain::answer::AnswerDraft;
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::{Tx, answers, audit, documents};
use serde_json::json;

use crate::Ctx;

const NOT_FOUND: DomainError = DomainError::NotFound { what: "问答" };

/// The documents named by 索引号, each public and not withdrawn, without repeats.
async fn cited(tx: &mut Tx, index_numbers: &[String]) -> Result<Vec<i64>> {
    let field = Field::new("documents", "依据文件");
    let mut ids = Vec::new();
    for n in index_numbers {
        let id = documents::id_by_index(tx, n)
            .await?
            .ok_or_else(|| DomainError::invalid(field, format!("没有索引号为“{n}”的文件")))?;
        let public = documents::public_get(tx, id)
            .await?
            .is_some_and(|d| d.withdrawn_at.is_none());
        if !public {
            return Err(DomainError::invalid(
                field,
                format!("索引号为“{n}”的文件尚未公开,不能作为依据"),
            ));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn view(d: &AnswerDraft, documents: &[i64]) -> serde_json::Value {
    json!({"question": d.question, "answer": d.answer, "published": d.published, "documents": documents})
}

pub async fn create(ctx: &Ctx<'_>, agency_id: i64, d: &AnswerDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| create_in(tx, ctx, agency_id, d).await)
        .await
}

pub async fn create_in(tx: &mut Tx, ctx: &Ctx<'_>, agency_id: i64, d: &AnswerDraft) -> Result<i64> {
    ctx.principal.require_agency(agency_id)?;
    let documents = cited(tx, &d.documents).await?;
    let id = answers::insert(tx, agency_id, d, &documents).await?;
    let key = id.to_string();
    let after = view(d, &documents);
    audit::record(
        tx,
        &ctx.actor,
        "answer.create",
        ("answer", &key),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "answer.changed", ("answer", &key)).await?;
    Ok(id)
}

pub async fn update(ctx: &Ctx<'_>, id: i64, d: &AnswerDraft) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let before = answers::get(tx, id).await?.ok_or(NOT_FOUND)?;
            // Another agency's entry is "not found", not "forbidden": its existence is not
            // the caller's business.
            if !ctx.principal.may_act_for(before.agency_id) {
                return Err(NOT_FOUND);
            }
            let documents = cited(tx, &d.documents).await?;
            answers::save(tx, id, d, &documents).await?;
            let key = id.to_string();
            let old = json!({"question": before.question, "answer": before.answer,
                "published": before.published,
                "documents": before.documents.iter().map(|d| d.0).collect::<Vec<_>>()});
            let after = view(d, &documents);
            audit::record(
                tx,
                &ctx.actor,
                "answer.update",
                ("answer", &key),
                Some(&old),
                Some(&after),
            )
            .await?;
            audit::announce(tx, "answer.changed", ("answer", &key)).await
        })
        .await
}
