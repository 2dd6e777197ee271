//! 政府公报 issues. Only the disclosure office compiles them, and only from public documents.

use chrono::NaiveDate;
use gongkai_domain::gazette::IssueDraft;
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
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

const FIELD: Field = Field::new("documents", "收录文件");

pub async fn create(tx: &mut Tx, actor: &Actor, who: &Principal, d: &IssueDraft) -> Result<i64> {
    save(tx, actor, who, None, d).await
}

/// Corrects an issue: its number, date or table of contents.
pub async fn update(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    d: &IssueDraft,
) -> Result<()> {
    save(tx, actor, who, Some(id), d).await.map(|_| ())
}

async fn document_ids(tx: &mut Tx, d: &IssueDraft) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(d.index_numbers.len());
    for index in &d.index_numbers {
        let row = tx
            .fetch_optional(
                Sql::new("SELECT id FROM documents WHERE index_no = $1 AND public_version_id IS NOT NULL AND withdrawn_at IS NULL")
                    .bind(index.as_str()),
            )
            .await?
            .ok_or_else(|| DomainError::invalid(FIELD, format!("索引号“{index}”不是已发布的文件")))?;
        ids.push(row.get::<i64>("id")?);
    }
    Ok(ids)
}

async fn save(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    existing: Option<i64>,
    d: &IssueDraft,
) -> Result<i64> {
    if !who.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
    let ids = document_ids(tx, d).await?;
    let duplicate = |e| match e {
        DomainError::Conflict { .. } => DomainError::conflict(
            Some(Field::new("number", "期号")),
            format!("{}已存在", d.label()),
        ),
        other => other,
    };
    let (id, before) = match existing {
        None => {
            let now = tx.now();
            let row = tx
                .fetch_one(
                    Sql::new("INSERT INTO gazette_issues (year, number, issued_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(i64::from(d.year))
                        .bind(i64::from(d.number))
                        .bind(d.issued_on)
                        .bind(now),
                )
                .await
                .map_err(duplicate)?;
            (row.get::<i64>("id")?, None)
        }
        Some(id) => {
            let (old, docs) = get_any(tx, id)
                .await?
                .ok_or(DomainError::NotFound { what: "公报" })?;
            tx.execute(
                Sql::new("UPDATE gazette_issues SET year = $1, number = $2, issued_on = $3 WHERE id = $4")
                    .bind(i64::from(d.year))
                    .bind(i64::from(d.number))
                    .bind(d.issued_on)
                    .bind(id),
            )
            .await
            .map_err(duplicate)?;
            tx.execute(Sql::new("DELETE FROM gazette_items WHERE issue_id = $1").bind(id))
                .await?;
            let before =
                json!({"issue": old.label(), "issued_on": old.issued_on, "documents": docs});
            (id, Some(before))
        }
    };
    for (pos, doc) in ids.iter().enumerate() {
        tx.execute(
            Sql::new(
                "INSERT INTO gazette_items (issue_id, document_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(*doc)
            .bind(pos as i64 + 1),
        )
        .await?;
    }
    let after = json!({"issue": d.label(), "issued_on": d.issued_on, "documents": ids});
    let action = if existing.is_some() {
        "gazette.update"
    } else {
        "gazette.create"
    };
    audit::record(
        tx,
        actor,
        action,
        ("gazette_issue", &id.to_string()),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    audit::announce(tx, "gazette.changed", ("gazette_issue", &id.to_string())).await?;
    Ok(id)
}

/// An issue with the ids of every document it lists, withdrawn or not (for the office).
async fn get_any(e: &mut impl Exec, id: i64) -> Result<Option<(Issue, Vec<i64>)>> {
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
    Ok(Issue {
        id: r.get("id")?,
        year: r.get("year")?,
        number: r.get("number")?,
        issued_on: r.get("issued_on")?,
    })
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
