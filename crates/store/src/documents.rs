//! Published documents as the foundation holds them: title, 文号, date and body. The
//! proactive-disclosure work extends these records with full metadata and review.

use chrono::NaiveDate;
use gongkai_domain::{DomainError, Field, text};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

#[derive(Clone, Debug, Serialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub published_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Document {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    pub body: String,
}

/// Validated input for a document record.
pub struct DocumentDraft {
    pub agency_id: i64,
    pub title: String,
    pub doc_number: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub body: String,
}

impl DocumentDraft {
    pub fn new(
        agency_id: i64,
        title: &str,
        doc_number: Option<&str>,
        published_on: Option<NaiveDate>,
        body: &str,
    ) -> Result<Self> {
        Ok(DocumentDraft {
            agency_id,
            title: text::bounded(title, Field::new("title", "标题"), 2, 300)?,
            doc_number: match doc_number {
                Some(n) => text::optional(n, Field::new("doc_number", "文号"), 60)?,
                None => None,
            },
            published_on,
            body: text::bounded_multiline(body, Field::new("body", "正文"), 1, 2_000_000)?,
        })
    }
}

const SUMMARY: &str =
    "d.id, d.agency_id, a.name AS agency_name, d.title, d.doc_number, d.published_on";

fn summary(r: &Row) -> Result<DocumentSummary> {
    Ok(DocumentSummary {
        id: r.get("id")?,
        agency_id: r.get("agency_id")?,
        agency_name: r.get("agency_name")?,
        title: r.get("title")?,
        doc_number: r.get("doc_number")?,
        published_on: r.get("published_on")?,
    })
}

pub async fn create(tx: &mut Tx, actor: &Actor, d: &DocumentDraft) -> Result<i64> {
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO documents (agency_id, title, doc_number, published_on, body, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(d.agency_id)
            .bind(&d.title)
            .bind(d.doc_number.as_ref())
            .bind(d.published_on)
            .bind(&d.body)
            .bind(now),
        )
        .await
        .map_err(|e| match e {
            DomainError::Unavailable { detail }
                if detail.contains("FOREIGN KEY") || detail.contains("foreign key") =>
            {
                DomainError::invalid(Field::new("agency", "发布机构"), "发布机构不存在")
            }
            other => other,
        })?;
    let id: i64 = row.get("id")?;
    let after = serde_json::json!({
        "agency_id": d.agency_id, "title": d.title, "doc_number": d.doc_number,
        "published_on": d.published_on, "body_chars": d.body.chars().count(),
    });
    let key = id.to_string();
    audit::record(
        tx,
        actor,
        "document.create",
        ("document", &key),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "document.changed", ("document", &key)).await?;
    Ok(id)
}

pub async fn recent(e: &mut impl Exec, limit: i64) -> Result<Vec<DocumentSummary>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "SELECT {SUMMARY} FROM documents d JOIN agencies a ON a.id = d.agency_id \
                 ORDER BY d.published_on DESC, d.id DESC LIMIT $1"
            ))
            .bind(limit),
        )
        .await?;
    rows.iter().map(summary).collect()
}

pub async fn by_agency(e: &mut impl Exec, agency_id: i64) -> Result<Vec<DocumentSummary>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "SELECT {SUMMARY} FROM documents d JOIN agencies a ON a.id = d.agency_id \
                 WHERE d.agency_id = $1 ORDER BY d.published_on DESC, d.id DESC"
            ))
            .bind(agency_id),
        )
        .await?;
    rows.iter().map(summary).collect()
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Document>> {
    let row = e
        .fetch_optional(
            Sql::dynamic(format!(
                "SELECT {SUMMARY}, d.body FROM documents d JOIN agencies a ON a.id = d.agency_id \
                 WHERE d.id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.map(|r| {
        Ok(Document {
            summary: summary(&r)?,
            body: r.get("body")?,
        })
    })
    .transpose()
}

pub async fn count(e: &mut impl Exec) -> Result<i64> {
    e.fetch_one(Sql::new("SELECT COUNT(*) AS n FROM documents"))
        .await?
        .get("n")
}
