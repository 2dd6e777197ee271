//! Interpretations (政策解读) and their links to policies. An interpretation is public when a
//! policy it explains is public.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::interpretation::{Coverage, Form, InterpretationDraft};
use serde::Serialize;

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
    Ok(from_row!(r => Interpretation {
        id,
        agency_id,
        title,
        form: code,
        body,
        link,
        created_at,
    }))
}

/// Stores an interpretation of `agency_id` linked to `document_ids` (checked by the caller).
pub async fn insert(
    tx: &mut Tx,
    agency_id: i64,
    created_by: Option<i64>,
    d: &InterpretationDraft,
    document_ids: &[i64],
) -> Result<i64> {
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
            .bind(created_by)
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
            sql_once!(
                "SELECT {COLUMNS} FROM interpretations i JOIN interpretation_links l ON l.interpretation_id = i.id \
                 WHERE l.document_id = $1 ORDER BY i.id"
            )
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
            sql_once!("SELECT {COLUMNS} FROM interpretations i WHERE i.id = $1").bind(id),
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

/// A line in the public list of interpretations.
#[derive(Clone, Debug, Serialize)]
pub struct Listed {
    pub id: i64,
    pub title: String,
    pub form: Form,
    pub agency_code: String,
    pub agency_name: String,
    /// When the first of its policies went public: an interpretation is published with its
    /// policy (三同步), never before.
    pub published_on: Option<NaiveDate>,
}

/// Public interpretations (those with at least one public policy), newest first, optionally of
/// one agency and one form; a page of them and their number.
pub async fn public_list(
    e: &mut impl Exec,
    agency_id: Option<i64>,
    form: Option<Form>,
    page: i64,
    per_page: i64,
) -> Result<(Vec<Listed>, i64)> {
    const FROM: &str = "FROM interpretations i JOIN agencies a ON a.id = i.agency_id \
        JOIN (SELECT l.interpretation_id, MIN(v.published_on) AS published_on \
              FROM interpretation_links l JOIN documents d ON d.id = l.document_id \
              JOIN document_versions v ON v.id = d.public_version_id \
              WHERE d.withdrawn_at IS NULL GROUP BY l.interpretation_id) p \
          ON p.interpretation_id = i.id \
        WHERE ($1 OR i.agency_id = $2) AND ($3 OR i.form = $4)";
    let per_page = per_page.clamp(1, crate::documents::MAX_PAGE_SIZE);
    let bind = |sql: Sql| {
        sql.bind(agency_id.is_none())
            .bind(agency_id.unwrap_or(0))
            .bind(form.is_none())
            .bind(form.map(|f| f.as_str()).unwrap_or(""))
    };
    let total: i64 = e
        .fetch_one(bind(sql_once!("SELECT COUNT(*) AS n {FROM}")))
        .await?
        .get("n")?;
    let rows = e
        .fetch_all(
            bind(sql_once!(
                "SELECT i.id, i.title, i.form, a.code AS agency_code, a.name AS agency_name, \
                 p.published_on {FROM} ORDER BY p.published_on DESC NULLS LAST, i.id DESC LIMIT $5 OFFSET $6"
            ))
            .bind(per_page)
            .bind((page.max(1) - 1) * per_page),
        )
        .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(from_row!(r => Listed {
                id,
                title,
                form: code,
                agency_code,
                agency_name,
                published_on,
            }))
        })
        .collect::<Result<_>>()?;
    Ok((list, total))
}

/// Interpretations linked to a document: their visibility follows its publication.
pub async fn ids_for_document(e: &mut impl Exec, document_id: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT interpretation_id AS id FROM interpretation_links WHERE document_id = $1 \
                 ORDER BY interpretation_id",
            )
            .bind(document_id),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// All interpretation ids after `after`, in id order (public or not: the caller checks).
pub async fn ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id FROM interpretations WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
