//! 一网通答: the rows of question-and-answer entries and their linked documents. The rules
//! (who may edit, which documents may be cited, audit and announcement) are in
//! `gongkai_app::answers`.

use chrono::{DateTime, Utc};
use gongkai_domain::answer::AnswerDraft;
use gongkai_domain::user::Principal;
use serde::Serialize;

use crate::db::{Exec, Result, Row, Sql, Tx};

#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub question: String,
    pub answer: String,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
    /// Linked documents that are public: (id, 索引号, title).
    pub documents: Vec<(i64, String, String)>,
}

const COLUMNS: &str = "q.id, q.agency_id, a.code AS agency_code, a.name AS agency_name, q.question, \
    q.answer, q.published, q.updated_at";

fn from_row(r: &Row) -> Result<Answer> {
    Ok(from_row!(r => Answer {
        id,
        agency_id,
        agency_code,
        agency_name,
        question,
        answer,
        published,
        updated_at,
        documents = Vec::new(),
    }))
}

async fn save_links(tx: &mut Tx, id: i64, documents: &[i64]) -> Result<()> {
    tx.execute(Sql::new("DELETE FROM answer_links WHERE answer_id = $1").bind(id))
        .await?;
    for d in documents {
        tx.execute(
            Sql::new("INSERT INTO answer_links (answer_id, document_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*d),
        )
        .await?;
    }
    Ok(())
}

/// A new entry of `agency_id` resting on `documents` (ids already checked).
pub async fn insert(
    tx: &mut Tx,
    agency_id: i64,
    d: &AnswerDraft,
    documents: &[i64],
) -> Result<i64> {
    let now = tx.now();
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO answers (agency_id, question, answer, published, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(agency_id)
            .bind(d.question.as_str())
            .bind(d.answer.as_str())
            .bind(d.published)
            .bind(now),
        )
        .await?
        .get("id")?;
    save_links(tx, id, documents).await?;
    Ok(id)
}

/// Replaces an entry's text, publication and documents.
pub async fn save(tx: &mut Tx, id: i64, d: &AnswerDraft, documents: &[i64]) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE answers SET question = $1, answer = $2, published = $3, updated_at = $4 WHERE id = $5")
            .bind(d.question.as_str())
            .bind(d.answer.as_str())
            .bind(d.published)
            .bind(tx.now())
            .bind(id),
    )
    .await?;
    save_links(tx, id, documents).await
}

/// An entry, published or not, with its public documents.
pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Answer>> {
    let Some(row) = e
        .fetch_optional(
            sql_once!(
                "SELECT {COLUMNS} FROM answers q JOIN agencies a ON a.id = q.agency_id WHERE q.id = $1"
            )
            .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    let mut a = from_row(&row)?;
    let docs = e
        .fetch_all(
            Sql::new(
                "SELECT d.id, d.index_no, v.title FROM answer_links l JOIN documents d ON d.id = l.document_id \
                 JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE l.answer_id = $1 AND d.withdrawn_at IS NULL ORDER BY d.id",
            )
            .bind(id),
        )
        .await?;
    a.documents = docs
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("index_no")?, r.get("title")?)))
        .collect::<Result<_>>()?;
    Ok(Some(a))
}

/// A published entry, for the public.
pub async fn public_get(e: &mut impl Exec, id: i64) -> Result<Option<Answer>> {
    Ok(get(e, id).await?.filter(|a| a.published))
}

/// Entries `who` may edit, newest first.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Answer>> {
    let rows = e
        .fetch_all(sql_once!(
            "SELECT {COLUMNS} FROM answers q JOIN agencies a ON a.id = q.agency_id ORDER BY q.updated_at DESC, q.id DESC"
        ))
        .await?;
    rows.iter()
        .map(from_row)
        .filter(|a| a.as_ref().map_or(true, |a| who.may_act_for(a.agency_id)))
        .collect()
}

/// All entry ids after `after` (for a search rebuild; the caller checks publication).
pub async fn ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id FROM answers WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// Entries resting on a document: their public page follows its publication.
pub async fn ids_for_document(e: &mut impl Exec, document_id: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT answer_id AS id FROM answer_links WHERE document_id = $1 ORDER BY answer_id")
                .bind(document_id),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
