//! The agency tree.

use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyCode, AgencyDraft, AgencyKind, DisclosureRules};
use gongkai_domain::document::DEFAULT_PUBLICATION_LIMIT;
use gongkai_domain::index_number::{DEFAULT_PATTERN, IndexPattern};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: AgencyKind,
    pub parent_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub office_hours: Option<String>,
    pub fax: Option<String>,
    /// The agency's own additions to its 政府信息公开指南 (Markdown).
    pub guide_note: Option<String>,
    pub sort_order: i64,
    /// 索引号 pattern; `None` means the default.
    pub index_pattern: Option<String>,
    /// Publication limit in working days; `None` means 20.
    pub publication_limit: Option<i64>,
}

impl Agency {
    pub fn index_pattern(&self) -> Result<IndexPattern> {
        IndexPattern::parse(self.index_pattern.as_deref().unwrap_or(DEFAULT_PATTERN))
    }

    pub fn publication_limit(&self) -> u32 {
        self.publication_limit
            .and_then(|l| u32::try_from(l).ok())
            .unwrap_or(DEFAULT_PUBLICATION_LIMIT)
    }
}

const COLUMNS: &str = "id, code, name, short_name, kind, parent_id, phone, email, address, \
                       postcode, office_hours, fax, guide_note, sort_order, index_pattern, \
                       publication_limit";

fn from_row(r: &Row) -> Result<Agency> {
    Ok(from_row!(r => Agency {
        id,
        code,
        name,
        short_name,
        kind: code,
        parent_id,
        phone,
        email,
        address,
        postcode,
        office_hours,
        fax,
        guide_note,
        sort_order,
        index_pattern,
        publication_limit,
    }))
}

fn json(a: &Agency) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or_default()
}

/// Binds the editable fields, in the order both statements below expect ($1..$10).
fn bind_fields(sql: Sql, d: &AgencyDraft, parent_id: Option<i64>) -> Sql {
    sql.bind(&d.name)
        .bind(&d.short_name)
        .bind(d.kind.as_str())
        .bind(parent_id)
        .bind(d.phone.as_ref())
        .bind(d.email.as_ref())
        .bind(d.address.as_ref())
        .bind(d.postcode.as_ref())
        .bind(d.office_hours.as_ref())
        .bind(d.fax.as_ref())
}

/// Adds an agency under `parent` (found and checked against the draft by the caller).
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    draft: &AgencyDraft,
    parent: Option<&Agency>,
) -> Result<Agency> {
    let parent_id = parent.map(|p| p.id);
    let now = tx.now();
    let row = tx
        .fetch_one(
            bind_fields(
                sql_once!(
                    "INSERT INTO agencies (name, short_name, kind, parent_id, phone, email, \
                     address, postcode, office_hours, fax, code, sort_order, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                       (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM agencies), $12, $12) \
                     RETURNING {COLUMNS}"
                ),
                draft,
                parent_id,
            )
            .bind(draft.code.as_str())
            .bind(now),
        )
        .await
        .map_err(|e| match e {
            DomainError::Conflict { .. } => DomainError::conflict(
                Some(AgencyCode::FIELD),
                format!("机构代码“{}”已被使用", draft.code),
            ),
            other => other,
        })?;
    let agency = from_row(&row)?;
    let id = agency.id.to_string();
    audit::record(
        tx,
        actor,
        "agency.create",
        ("agency", &id),
        None,
        Some(&json(&agency)),
    )
    .await?;
    audit::announce(tx, "agency.changed", ("agency", &id)).await?;
    Ok(agency)
}

/// Updates everything but the code, which is baked into 索引号 already issued; `before` is
/// the agency as stored and `parent` its new parent, both checked by the caller.
pub async fn update(
    tx: &mut Tx,
    actor: &Actor,
    before: &Agency,
    draft: &AgencyDraft,
    parent: Option<&Agency>,
) -> Result<Agency> {
    let parent_id = parent.map(|p| p.id);
    let now = tx.now();
    let row = tx
        .fetch_one(
            bind_fields(
                sql_once!(
                    "UPDATE agencies SET name = $1, short_name = $2, kind = $3, parent_id = $4, \
                 phone = $5, email = $6, address = $7, postcode = $8, office_hours = $9, \
                 fax = $10, updated_at = $11 WHERE id = $12 RETURNING {COLUMNS}"
                ),
                draft,
                parent_id,
            )
            .bind(now)
            .bind(before.id),
        )
        .await?;
    let after = from_row(&row)?;
    let id = after.id.to_string();
    audit::record(
        tx,
        actor,
        "agency.update",
        ("agency", &id),
        Some(&json(before)),
        Some(&json(&after)),
    )
    .await?;
    audit::announce(tx, "agency.changed", ("agency", &id)).await?;
    Ok(after)
}

/// Stores an agency's checked publication rules and guide note (see
/// [`gongkai_domain::agency::DisclosureRules`]).
pub async fn set_disclosure_rules(
    tx: &mut Tx,
    actor: &Actor,
    code: &AgencyCode,
    rules: &DisclosureRules,
) -> Result<Agency> {
    let before = by_code(tx, code)
        .await?
        .ok_or(DomainError::NotFound { what: "机构" })?;
    let now = tx.now();
    let row = tx
        .fetch_one(
            sql_once!(
                "UPDATE agencies SET index_pattern = $1, publication_limit = $2, guide_note = $3, \
                 updated_at = $4 WHERE id = $5 RETURNING {COLUMNS}"
            )
            .bind(rules.pattern.as_ref().map(|p| p.as_str().to_string()))
            .bind(rules.limit.map(i64::from))
            .bind(rules.guide_note.as_deref())
            .bind(now)
            .bind(before.id),
        )
        .await?;
    let after = from_row(&row)?;
    let id = after.id.to_string();
    audit::record(
        tx,
        actor,
        "agency.disclosure_rules",
        ("agency", &id),
        Some(&json(&before)),
        Some(&json(&after)),
    )
    .await?;
    Ok(after)
}

/// Is `candidate` (a prospective parent) inside the subtree of `root`?
/// `id` and the agencies above it, nearest first. The tree is shallow (government → town →
/// village); the bound guards against a cycle that could only exist in corrupted data.
pub async fn lineage(e: &mut impl Exec, id: i64) -> Result<Vec<i64>> {
    let mut chain = Vec::new();
    let mut cursor = Some(id);
    while let Some(at) = cursor {
        if chain.len() >= 64 || chain.contains(&at) {
            return Err(DomainError::internal(format!(
                "agency {id}: a cycle above it"
            )));
        }
        chain.push(at);
        cursor = by_id(e, at).await?.and_then(|a| a.parent_id);
    }
    Ok(chain)
}

pub async fn by_code(e: &mut impl Exec, code: &AgencyCode) -> Result<Option<Agency>> {
    let row = e
        .fetch_optional(
            sql_once!("SELECT {COLUMNS} FROM agencies WHERE code = $1").bind(code.as_str()),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(e: &mut impl Exec, id: i64) -> Result<Option<Agency>> {
    let row = e
        .fetch_optional(sql_once!("SELECT {COLUMNS} FROM agencies WHERE id = $1").bind(id))
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The agency at the top of the tree (the government the site belongs to), if any: the first
/// without a parent in the tree's order.
pub async fn root(e: &mut impl Exec) -> Result<Option<Agency>> {
    let row = e
        .fetch_optional(sql_once!(
            "SELECT {COLUMNS} FROM agencies WHERE parent_id IS NULL ORDER BY sort_order, id LIMIT 1"
        ))
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(e: &mut impl Exec) -> Result<Vec<Agency>> {
    let rows = e
        .fetch_all(sql_once!(
            "SELECT {COLUMNS} FROM agencies ORDER BY sort_order, id"
        ))
        .await?;
    rows.iter().map(from_row).collect()
}

/// The agencies in tree order (each parent before its children), with their depth.
pub fn tree_order(agencies: Vec<Agency>) -> Vec<(usize, Agency)> {
    fn walk(parent: Option<i64>, depth: usize, all: &[Agency], out: &mut Vec<(usize, Agency)>) {
        for a in all.iter().filter(|a| a.parent_id == parent) {
            out.push((depth, a.clone()));
            walk(Some(a.id), depth + 1, all, out);
        }
    }
    let mut out = Vec::with_capacity(agencies.len());
    walk(None, 0, &agencies, &mut out);
    out
}
