//! 政府公报 issues: their rows and typed writes. Who may compile them, and from what, is
//! `gongkai_app::gazette`.

use chrono::NaiveDate;
use gongkai_domain::gazette::IssueDraft;
use serde::Serialize;

use crate::db::{Exec, Result, Sql, Tx};
use crate::documents::{self, DocumentSummary};

#[derive(Clone, Debug, Serialize)]
pub struct Issue {
    pub id: i64,
    pub year: i64,
    pub number: i64,
    pub issued_on: NaiveDate,
}

impl Issue {
    pub fn label(&self) -> String {
        format!("{}年第{}期", self.year, self.number)
    }
}

/// The id of the public, not withdrawn document with 索引号 `index`.
pub async fn public_document_id(tx: &mut Tx, index: &str) -> Result<Option<i64>> {
    tx.fetch_optional(
        Sql::new(
            "SELECT id FROM documents WHERE index_no = $1 AND public_version_id IS NOT NULL \
             AND withdrawn_at IS NULL",
        )
        .bind(index),
    )
    .await?
    .map(|r| r.get("id"))
    .transpose()
}

/// Stores a new issue's number and date; a taken number is a conflict.
pub async fn insert_issue(tx: &mut Tx, d: &IssueDraft) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO gazette_issues (year, number, issued_on, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(i64::from(d.year))
        .bind(i64::from(d.number))
        .bind(d.issued_on)
        .bind(now),
    )
    .await?
    .get("id")
}

pub async fn update_issue(tx: &mut Tx, id: i64, d: &IssueDraft) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE gazette_issues SET year = $1, number = $2, issued_on = $3 WHERE id = $4")
            .bind(i64::from(d.year))
            .bind(i64::from(d.number))
            .bind(d.issued_on)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Replaces an issue's table of contents with `documents`, in order.
pub async fn set_items(tx: &mut Tx, id: i64, documents: &[i64]) -> Result<()> {
    tx.execute(Sql::new("DELETE FROM gazette_items WHERE issue_id = $1").bind(id))
        .await?;
    for (pos, doc) in (1_i64..).zip(documents) {
        tx.execute(
            Sql::new(
                "INSERT INTO gazette_items (issue_id, document_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(*doc)
            .bind(pos),
        )
        .await?;
    }
    Ok(())
}

/// An issue with the ids of every document it lists, withdrawn or not (for the office).
pub async fn get_any(e: &mut impl Exec, id: i64) -> Result<Option<(Issue, Vec<i64>)>> {
    let Some(row) = e
        .fetch_optional(
            Sql::new("SELECT id, year, number, issued_on FROM gazette_issues WHERE id = $1")
                .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    let items = e
        .fetch_all(
            Sql::new("SELECT document_id FROM gazette_items WHERE issue_id = $1 ORDER BY position")
                .bind(id),
        )
        .await?;
    let ids = items
        .iter()
        .map(|r| r.get("document_id"))
        .collect::<Result<Vec<i64>>>()?;
    Ok(Some((issue(&row)?, ids)))
}

/// The office's edit form for an issue: its fields as typed, the 索引号 in order.
pub async fn for_editing(e: &mut impl Exec, id: i64) -> Result<Option<(Issue, Vec<String>)>> {
    let Some((issue, ids)) = get_any(e, id).await? else {
        return Ok(None);
    };
    let mut indexes = Vec::with_capacity(ids.len());
    for doc in ids {
        let r = e
            .fetch_one(Sql::new("SELECT index_no FROM documents WHERE id = $1").bind(doc))
            .await?;
        indexes.push(r.get("index_no")?);
    }
    Ok(Some((issue, indexes)))
}

/// Every issue, newest first, for the office list (bounded by the number of issues a
/// government publishes: a few dozen a year).
pub async fn all(e: &mut impl Exec, limit: i64) -> Result<Vec<Issue>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id, year, number, issued_on FROM gazette_issues ORDER BY year DESC, number DESC LIMIT $1")
                .bind(limit),
        )
        .await?;
    rows.iter().map(issue).collect()
}

fn issue(r: &crate::db::Row) -> Result<Issue> {
    Ok(from_row!(r => Issue {
        id,
        year,
        number,
        issued_on,
    }))
}

/// Years that have issues, newest first.
pub async fn years(e: &mut impl Exec) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT DISTINCT year FROM gazette_issues ORDER BY year DESC",
        ))
        .await?;
    rows.iter().map(|r| r.get("year")).collect()
}

pub async fn by_year(e: &mut impl Exec, year: i64) -> Result<Vec<Issue>> {
    let rows = e
        .fetch_all(Sql::new("SELECT id, year, number, issued_on FROM gazette_issues WHERE year = $1 ORDER BY number").bind(year))
        .await?;
    rows.iter().map(issue).collect()
}

/// An issue with its documents in order; documents withdrawn since are left out.
pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<(Issue, Vec<DocumentSummary>)>> {
    let Some(row) = e
        .fetch_optional(
            Sql::new("SELECT id, year, number, issued_on FROM gazette_issues WHERE id = $1")
                .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    let items = e
        .fetch_all(
            Sql::new("SELECT document_id FROM gazette_items WHERE issue_id = $1 ORDER BY position")
                .bind(id),
        )
        .await?;
    let mut docs = Vec::with_capacity(items.len());
    for r in items {
        if let Some(d) = documents::public_get(e, r.get("document_id")?).await?
            && d.withdrawn_at.is_none()
        {
            docs.push(d.summary);
        }
    }
    Ok(Some((issue(&row)?, docs)))
}
