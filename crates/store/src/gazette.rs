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
    if !who.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
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
        .map_err(|e| match e {
            DomainError::Conflict { .. } => DomainError::conflict(Some(Field::new("number", "期号")), format!("{}已存在", d.label())),
            other => other,
        })?;
    let id: i64 = row.get("id")?;
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
    audit::record(
        tx,
        actor,
        "gazette.create",
        ("gazette_issue", &id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "gazette.changed", ("gazette_issue", &id.to_string())).await?;
    Ok(id)
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
