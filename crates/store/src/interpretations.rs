//! Interpretations (政策解读) and their links to policies. An interpretation is public when a
//! policy it explains is public.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::interpretation::{Coverage, Form, InterpretationDraft};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

#[derive(Clone, Debug, Serialize)]
pub struct Interpretation {
    pub id: i64,
    pub agency_id: i64,
    pub title: String,
    pub form: Form,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "i.id, i.agency_id, i.title, i.form, i.body, i.link, i.created_at";

fn from_row(r: &Row) -> Result<Interpretation> {
    let form: String = r.get("form")?;
    Ok(Interpretation {
        id: r.get("id")?,
        agency_id: r.get("agency_id")?,
        title: r.get("title")?,
        form: Form::parse(&form)
            .map_err(|_| DomainError::unavailable(format!("stored form {form:?}")))?,
        body: r.get("body")?,
        link: r.get("link")?,
        created_at: r.get("created_at")?,
    })
}

/// Adds an interpretation of the given policies (all of agencies `who` may act for).
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
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
        let row = tx
            .fetch_optional(Sql::new("SELECT agency_id FROM documents WHERE id = $1").bind(*id))
            .await?
            .ok_or(DomainError::NotFound { what: "文件" })?;
        let a: i64 = row.get("agency_id")?;
        who.require_agency(a)?;
        agency_id.get_or_insert(a);
    }
    let agency_id =
        agency_id.ok_or_else(|| DomainError::invalid(field, "请选择被解读的政策文件"))?;
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO interpretations (agency_id, title, form, body, link, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(agency_id)
            .bind(&d.title)
            .bind(d.form.as_str())
            .bind(&d.body)
            .bind(d.link.as_ref())
            .bind(actor.user_id)
            .bind(now),
        )
        .await?;
    let id: i64 = row.get("id")?;
    for doc in document_ids {
        tx.execute(
            Sql::new("INSERT INTO interpretation_links (interpretation_id, document_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(*doc),
        )
        .await?;
    }
    let after = json!({"title": d.title, "form": d.form.as_str(), "documents": document_ids});
    audit::record(
        tx,
        actor,
        "interpretation.create",
        ("interpretation", &id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(
        tx,
        "interpretation.changed",
        ("interpretation", &id.to_string()),
    )
    .await?;
    Ok(id)
}

pub async fn count_for(e: &mut impl Exec, document_id: i64) -> Result<i64> {
    e.fetch_one(
        Sql::new("SELECT COUNT(*) AS n FROM interpretation_links WHERE document_id = $1")
            .bind(document_id),
    )
    .await?
    .get("n")
}

/// Interpretations of one policy, oldest first. Callers check the policy's visibility.
pub async fn for_document(e: &mut impl Exec, document_id: i64) -> Result<Vec<Interpretation>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM interpretations i JOIN interpretation_links l ON l.interpretation_id = i.id \
                 WHERE l.document_id = $1 ORDER BY i.id"
            ))
            .bind(document_id),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// A public interpretation with the public policies it explains; `None` unless at least one of
/// them is public.
pub async fn public_get(
    e: &mut impl Exec,
    id: i64,
) -> Result<Option<(Interpretation, Vec<(i64, String)>)>> {
    let Some(row) = e
        .fetch_optional(
            Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM interpretations i WHERE i.id = $1"
            ))
            .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT d.id, v.title FROM interpretation_links l JOIN documents d ON d.id = l.document_id \
                 JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE l.interpretation_id = $1 AND d.withdrawn_at IS NULL ORDER BY d.id",
            )
            .bind(id),
        )
        .await?;
    let policies: Vec<(i64, String)> = rows
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("title")?)))
        .collect::<Result<_>>()?;
    if policies.is_empty() {
        return Ok(None);
    }
    Ok(Some((from_row(&row)?, policies)))
}

/// Per agency: published policies of `year` that needed interpretation, how many have one, and
/// how many have one in a non-text form. Counted by the database, not by loading records.
pub async fn coverage(e: &mut impl Exec, year: i32) -> Result<Vec<(i64, String, Coverage)>> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year + 1, 1, 1),
    );
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT a.id, a.name, COUNT(*) AS policies, \
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM interpretation_links l WHERE l.document_id = d.id) THEN 1 ELSE 0 END) AS interpreted, \
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM interpretation_links l JOIN interpretations i ON i.id = l.interpretation_id \
                        WHERE l.document_id = d.id AND i.form <> 'text') THEN 1 ELSE 0 END) AS diverse \
                 FROM documents d JOIN document_versions v ON v.id = d.public_version_id JOIN agencies a ON a.id = d.agency_id \
                 WHERE v.needs_interpretation = TRUE AND v.published_on >= $1 AND v.published_on < $2 \
                 GROUP BY a.id, a.name ORDER BY a.id",
            )
            .bind(from)
            .bind(to),
        )
        .await?;
    rows.iter()
        .map(|r| {
            let n = |c: &str| -> Result<u64> { Ok(u64::try_from(r.get::<i64>(c)?).unwrap_or(0)) };
            Ok((
                r.get("id")?,
                r.get("name")?,
                Coverage {
                    policies: n("policies")?,
                    interpreted: n("interpreted")?,
                    diverse: n("diverse")?,
                },
            ))
        })
        .collect()
}
