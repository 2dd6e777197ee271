//! Documents under proactive disclosure. A document has an identity (索引号, agency, validity)
//! and versions; the working version moves through review, the public sees the latest
//! published version, and a published version is never changed in place.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::document::relation::Link;
use gongkai_domain::document::{
    Action, Attribute, DisclosureMode, DocKind, DocumentDraft, RelationKind, Revision, Status,
    Transition, Validity, relation,
};
use gongkai_domain::index_number::IndexPattern;
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::agencies::Agency;
use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx, Value};

const NOT_FOUND: DomainError = DomainError::NotFound { what: "文件" };

/// A line in a public list.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub index_no: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub kind: DocKind,
    pub topic: Option<String>,
    pub formed_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub validity: Validity,
}

/// One version with all its metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    pub id: i64,
    pub version_no: i64,
    pub status: Status,
    pub co_issuers: Vec<String>,
    pub keywords: Vec<String>,
    pub effective_on: Option<NaiveDate>,
    pub is_normative: bool,
    pub needs_interpretation: bool,
    pub body: String,
    pub attribute: Option<Attribute>,
    pub return_reason: Option<String>,
    pub change_note: Option<String>,
    pub interpretation_waiver: Option<String>,
}

/// A document as the public sees it.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    #[serde(flatten)]
    pub version: Version,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdraw_reason: Option<String>,
}

pub(crate) const SUMMARY: &str = "d.id, d.agency_id, a.code AS agency_code, a.name AS agency_name, d.index_no, v.title, v.doc_number, \
                       v.kind, v.topic, v.formed_on, v.published_on, d.validity";
const VERSION: &str = "v.id AS version_id, v.version_no, v.status, v.co_issuers, v.keywords, \
                       v.effective_on, v.is_normative, v.needs_interpretation, v.body, \
                       v.disclosure_mode, v.disclosure_scope, v.withhold_ground, v.attribute_note, \
                       v.return_reason, v.change_note, v.interpretation_waiver";

pub(crate) fn summary(r: &Row) -> Result<DocumentSummary> {
    Ok(from_row!(r => DocumentSummary {
        id,
        agency_id,
        agency_code,
        agency_name,
        index_no,
        title,
        doc_number,
        kind: code,
        topic,
        formed_on,
        published_on,
        validity: code,
    }))
}

fn split(list: String) -> Vec<String> {
    list.split('、')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn version(r: &Row) -> Result<Version> {
    let attribute = match r.get::<Option<String>>("disclosure_mode")? {
        None => None,
        Some(mode) => Some(Attribute {
            mode: crate::db::decode("disclosure_mode", &mode)?,
            scope: r.code_opt("disclosure_scope")?,
            ground: r.code_opt("withhold_ground")?,
            note: r.get("attribute_note")?,
        }),
    };
    Ok(from_row!(r => Version {
        id: get "version_id",
        version_no,
        status: code,
        co_issuers = split(r.get("co_issuers")?),
        keywords = split(r.get("keywords")?),
        effective_on,
        is_normative,
        needs_interpretation,
        body,
        attribute = attribute,
        return_reason,
        change_note,
        interpretation_waiver,
    }))
}

fn document(r: &Row) -> Result<Document> {
    Ok(from_row!(r => Document {
        summary = summary(r)?,
        version = version(r)?,
        withdrawn_at,
        withdraw_reason,
    }))
}

/// Issues the next 索引号 of an agency, or reserves a given one (imports, seeds) so that its
/// sequence number is never issued again.
async fn assign_index(
    tx: &mut Tx,
    agency: &Agency,
    formed_on: NaiveDate,
    given: Option<&str>,
) -> Result<String> {
    let pattern: IndexPattern = agency.index_pattern()?;
    if let Some(index) = given {
        let index = gongkai_domain::text::bounded(index, Field::new("index_no", "索引号"), 3, 60)?;
        if let Some(parts) = pattern
            .read(&index)
            .filter(|p| p.agency_code == agency.code)
        {
            tx.execute(
                Sql::new(
                    "INSERT INTO index_sequences (agency_id, year, last_seq) VALUES ($1, $2, $3) \
                     ON CONFLICT (agency_id, year) DO UPDATE SET last_seq = \
                     CASE WHEN index_sequences.last_seq < $3 THEN $3 ELSE index_sequences.last_seq END",
                )
                .bind(agency.id)
                .bind(i64::from(parts.year))
                .bind(i64::from(parts.seq)),
            )
            .await?;
        }
        return Ok(index);
    }
    let year = pattern.sequence_year(formed_on);
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO index_sequences (agency_id, year, last_seq) VALUES ($1, $2, 1) \
                 ON CONFLICT (agency_id, year) DO UPDATE SET last_seq = index_sequences.last_seq + 1 \
                 RETURNING last_seq",
            )
            .bind(agency.id)
            .bind(i64::from(year)),
        )
        .await?;
    let seq: i64 = row.get("last_seq")?;
    let seq = u32::try_from(seq).map_err(|_| DomainError::internal("index sequence overflow"))?;
    Ok(pattern.render(&agency.code, formed_on, seq))
}

fn version_insert(
    document_id: i64,
    version_no: i64,
    d: &DocumentDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Sql {
    version_insert_as(document_id, version_no, d, actor, now, None)
}

/// A new version row: a draft, or (for imports) already published on the given date.
fn version_insert_as(
    document_id: i64,
    version_no: i64,
    d: &DocumentDraft,
    actor: &Actor,
    now: DateTime<Utc>,
    published_on: Option<NaiveDate>,
) -> Sql {
    Sql::rows(
        VERSION_INSERT,
        vec![version_values(
            document_id,
            version_no,
            d,
            actor,
            now,
            published_on,
        )],
        "RETURNING id",
    )
}

pub(crate) const VERSION_INSERT: &str = "INSERT INTO document_versions (document_id, version_no, \
     title, doc_number, doc_issuer, doc_year, doc_seq, co_issuers, kind, topic, keywords, formed_on, \
     effective_on, is_normative, needs_interpretation, body, disclosure_mode, disclosure_scope, \
     withhold_ground, attribute_note, created_by, created_at, updated_at, status, published_on) VALUES";

/// The number of values in a version row.
pub(crate) const VERSION_WIDTH: usize = 25;

/// The values of one version row, in [`VERSION_INSERT`]'s column order.
pub(crate) fn version_values(
    document_id: i64,
    version_no: i64,
    d: &DocumentDraft,
    actor: &Actor,
    now: DateTime<Utc>,
    published_on: Option<NaiveDate>,
) -> Vec<Value> {
    let a = d.attribute.as_ref();
    let status = if published_on.is_some() {
        Status::Published
    } else {
        Status::Draft
    };
    vec![
        document_id.into(),
        version_no.into(),
        (&d.title).into(),
        d.doc_number.as_ref().map(|n| n.to_string()).into(),
        d.doc_number.as_ref().map(|n| n.issuer.clone()).into(),
        d.doc_number
            .as_ref()
            .and_then(|n| n.year)
            .map(i64::from)
            .into(),
        d.doc_number.as_ref().map(|n| i64::from(n.seq)).into(),
        d.co_issuers.join("、").into(),
        d.kind.as_str().into(),
        d.topic.as_ref().into(),
        d.keywords.join("、").into(),
        d.formed_on.into(),
        d.effective_on.into(),
        d.is_normative.into(),
        d.needs_interpretation.into(),
        (&d.body).into(),
        a.map(|a| a.mode.as_str()).into(),
        a.and_then(|a| a.scope).map(|s| s.as_str()).into(),
        a.and_then(|a| a.ground).map(|g| g.as_str()).into(),
        a.map(|a| a.note.clone()).unwrap_or_default().into(),
        actor.user_id.into(),
        now.into(),
        now.into(),
        status.as_str().into(),
        published_on.into(),
    ]
}

fn draft_json(d: &DocumentDraft) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap_or_default();
    // The body can be long; the log keeps its size, the version table keeps the text.
    v["body"] = json!({"chars": d.body.chars().count()});
    v
}

/// Registers a new document as a draft of `agency`, issuing its 索引号 (or keeping a given
/// one, for imports). Returns the document id.
pub async fn register(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    draft: &DocumentDraft,
    index_no: Option<&str>,
) -> Result<i64> {
    let origin = Origin {
        index_no,
        published_on: None,
    };
    let (id, index) = insert_document(tx, actor, agency, draft, origin).await?;
    let mut after = draft_json(draft);
    after["index_no"] = json!(index);
    after["status"] = json!(Status::Draft);
    audit::record(
        tx,
        actor,
        "document.register",
        ("document", &id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

/// How a document enters gongkai: with its own 索引号 if it already has one, and its
/// publication day if it was published before (imports).
#[derive(Clone, Copy, Debug)]
struct Origin<'a> {
    index_no: Option<&'a str>,
    published_on: Option<NaiveDate>,
}

/// A document published before it came into gongkai: when, and under which 索引号 (a new one is
/// issued when `None`).
#[derive(Clone, Copy, Debug)]
pub struct Earlier<'a> {
    pub index_no: Option<&'a str>,
    pub published_on: NaiveDate,
}

/// Inserts a document with its first version — a draft, or already published on
/// `published_on` (imports) — and returns its id and 索引号. The caller writes the audit entry.
async fn insert_document(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    draft: &DocumentDraft,
    origin: Origin<'_>,
) -> Result<(i64, String)> {
    let Origin {
        index_no,
        published_on,
    } = origin;
    let agency_id = agency.id;
    let index = assign_index(tx, agency, draft.formed_on, index_no).await?;
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO documents (agency_id, index_no, created_at, updated_at) \
                 VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(agency_id)
            .bind(&index)
            .bind(now),
        )
        .await
        .map_err(|e| match e {
            DomainError::Conflict { .. } => DomainError::conflict(
                Some(Field::new("index_no", "索引号")),
                format!("索引号“{index}”已被使用"),
            ),
            other => other,
        })?;
    let id: i64 = row.get("id")?;
    let v = tx
        .fetch_one(version_insert_as(id, 1, draft, actor, now, published_on))
        .await?;
    let version_id: i64 = v.get("id")?;
    tx.execute(
        Sql::new(
            "UPDATE documents SET working_version_id = $1, \
             public_version_id = CASE WHEN $2 THEN $1 ELSE NULL END WHERE id = $3",
        )
        .bind(version_id)
        .bind(published_on.is_some())
        .bind(id),
    )
    .await?;
    Ok((id, index))
}

/// The version of a document that a workflow step acts on, with what the rules need to know.
#[derive(Clone, Debug)]
pub struct Working {
    pub document_id: i64,
    pub agency_id: i64,
    pub version_id: i64,
    pub version_no: i64,
    pub status: Status,
    pub attribute: Option<Attribute>,
    pub needs_interpretation: bool,
    pub waiver: Option<String>,
}

#[derive(Clone, Copy)]
enum Which {
    Working,
    Public,
}

/// The version being worked on (the latest one).
pub async fn working(tx: &mut Tx, id: i64) -> Result<Working> {
    version_of(tx, id, Which::Working).await?.ok_or(NOT_FOUND)
}

/// The version the public sees, if one was ever published.
pub async fn public_version(tx: &mut Tx, id: i64) -> Result<Option<Working>> {
    version_of(tx, id, Which::Public).await
}

/// The working or the public version, as `which` says.
async fn version_of(tx: &mut Tx, id: i64, which: Which) -> Result<Option<Working>> {
    let sql = match which {
        Which::Working => sql_once!(
            "SELECT d.id AS document_id, d.agency_id, {VERSION} FROM documents d \
             JOIN document_versions v ON v.id = d.working_version_id WHERE d.id = $1"
        ),
        Which::Public => sql_once!(
            "SELECT d.id AS document_id, d.agency_id, {VERSION} FROM documents d \
             JOIN document_versions v ON v.id = d.public_version_id WHERE d.id = $1"
        ),
    };
    let Some(row) = tx.fetch_optional(sql.bind(id)).await? else {
        return Ok(None);
    };
    let v = version(&row)?;
    Ok(Some(Working {
        document_id: row.get("document_id")?,
        agency_id: row.get("agency_id")?,
        version_id: v.id,
        version_no: v.version_no,
        status: v.status,
        attribute: v.attribute,
        needs_interpretation: v.needs_interpretation,
        waiver: v.interpretation_waiver,
    }))
}

/// Keeps a change to document `w`: a draft or returned version is replaced in place; otherwise
/// a new version is added (with the files of the one before), leaving the published one
/// untouched. Which of the two, and whether at all, is `gongkai_domain::document::revision`.
pub async fn revise(
    tx: &mut Tx,
    actor: &Actor,
    w: &Working,
    draft: &DocumentDraft,
    how: &Revision,
) -> Result<()> {
    let id = w.document_id;
    let now = tx.now();
    let vid: i64 = match how {
        Revision::InPlace => {
            tx.execute(Sql::new("DELETE FROM document_versions WHERE id = $1").bind(w.version_id))
                .await?;
            tx.fetch_one(version_insert(id, w.version_no, draft, actor, now))
                .await?
                .get("id")?
        }
        Revision::NewVersion { note } => {
            let vid: i64 = tx
                .fetch_one(version_insert(id, w.version_no + 1, draft, actor, now))
                .await?
                .get("id")?;
            crate::attachments::carry_over(tx, id, w.version_no, w.version_no + 1).await?;
            tx.execute(
                Sql::new("UPDATE document_versions SET change_note = $1 WHERE id = $2")
                    .bind(note.as_str())
                    .bind(vid),
            )
            .await?;
            vid
        }
    };
    tx.execute(
        Sql::new("UPDATE documents SET working_version_id = $1, updated_at = $2 WHERE id = $3")
            .bind(vid)
            .bind(now)
            .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "document.revise",
        ("document", &id.to_string()),
        None,
        Some(&draft_json(draft)),
    )
    .await
}

/// Records workflow step `action` on version `w`, moving it as `t` says
/// (`gongkai_domain::document::transition`). Publication dates are set here, from `today`, never
/// typed: a forged publication date fails a site inspection outright.
pub async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    w: &Working,
    action: &Action,
    t: &Transition,
    today: NaiveDate,
) -> Result<()> {
    let id = w.document_id;
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE document_versions SET status = $1, return_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(t.to.as_str())
            .bind(if t.to == Status::Returned { t.reason.clone() } else { None })
            .bind(now)
            .bind(w.version_id),
    )
    .await?;
    match t.to {
        Status::Published => {
            tx.execute(
                Sql::new("UPDATE document_versions SET published_on = $1 WHERE id = $2")
                    .bind(today)
                    .bind(w.version_id),
            )
            .await?;
            tx.execute(
                Sql::new("UPDATE documents SET public_version_id = $1, withdrawn_at = NULL, withdraw_reason = NULL, updated_at = $2 WHERE id = $3")
                    .bind(w.version_id)
                    .bind(now)
                    .bind(id),
            )
            .await?;
            apply_relations(tx, actor, id).await?;
        }
        Status::Withdrawn => {
            tx.execute(
                Sql::new("UPDATE documents SET withdrawn_at = $1, withdraw_reason = $2, updated_at = $1 WHERE id = $3")
                    .bind(now)
                    .bind(t.reason.clone())
                    .bind(id),
            )
            .await?;
        }
        _ => {}
    }
    let key = id.to_string();
    let before = json!({"status": w.status.as_str(), "version": w.version_no});
    let after = json!({"status": t.to.as_str(), "version": w.version_no, "reason": t.reason});
    audit::record(
        tx,
        actor,
        &format!("document.{}", action.name()),
        ("document", &key),
        Some(&before),
        Some(&after),
    )
    .await?;
    if matches!(t.to, Status::Published | Status::Withdrawn) {
        audit::announce(tx, "document.changed", ("document", &key)).await?;
    }
    Ok(())
}

/// Sets the validity of every document that the published document `from` amends, replaces or
/// repeals, for each relation recorded on a version now public and approved where it needs to
/// be.
async fn apply_relations(tx: &mut Tx, actor: &Actor, from: i64) -> Result<()> {
    let published: Option<i64> = tx
        .fetch_one(Sql::new("SELECT public_version_id FROM documents WHERE id = $1").bind(from))
        .await?
        .get("public_version_id")?;
    let rows = tx
        .fetch_all(
            Sql::new(
                "SELECT r.to_id, r.kind, r.recorded_version, r.needs_approval, r.approved_at, d.validity \
                 FROM document_relations r JOIN documents d ON d.id = r.to_id \
                 WHERE r.from_id = $1 AND r.effective_at IS NULL AND r.withdrawn_at IS NULL",
            )
            .bind(from),
        )
        .await?;
    let now = tx.now();
    for r in rows {
        let to: i64 = r.get("to_id")?;
        let recorded: Option<i64> = r.get("recorded_version")?;
        let approved = !r.get::<bool>("needs_approval")?
            || r.get::<Option<DateTime<Utc>>>("approved_at")?.is_some();
        if !relation::takes_effect(recorded.unwrap_or(0), published, approved) {
            continue;
        }
        let kind: RelationKind = r.code("kind")?;
        let before: String = r.get("validity")?;
        tx.execute(
            Sql::new(
                "UPDATE document_relations SET effective_at = $1, target_validity_before = $2 \
                 WHERE from_id = $3 AND to_id = $4",
            )
            .bind(now)
            .bind(before.clone())
            .bind(from)
            .bind(to),
        )
        .await?;
        let validity = kind.target_validity();
        set_validity(tx, actor, to, &before, validity, from).await?;
    }
    Ok(())
}

async fn set_validity(
    tx: &mut Tx,
    actor: &Actor,
    to: i64,
    before: &str,
    validity: Validity,
    by: i64,
) -> Result<()> {
    if before == validity.as_str() {
        return Ok(());
    }
    tx.execute(
        Sql::new("UPDATE documents SET validity = $1 WHERE id = $2")
            .bind(validity.as_str())
            .bind(to),
    )
    .await?;
    let key = to.to_string();
    audit::record(
        tx,
        actor,
        "document.validity",
        ("document", &key),
        Some(&json!({"validity": before})),
        Some(&json!({"validity": validity.as_str(), "by": by})),
    )
    .await?;
    audit::announce(tx, "document.changed", ("document", &key)).await
}

/// Records that `w`'s document amends, replaces or repeals `to`, on version `w` (being
/// drafted). It takes effect on `to` when that version is published after review and, when
/// `approval` says so, once the disclosure office approves (`relation::check_record`).
pub async fn relate(
    tx: &mut Tx,
    actor: &Actor,
    w: &Working,
    to: i64,
    kind: RelationKind,
    approval: relation::Approval,
) -> Result<()> {
    let from = w.document_id;
    let needs_approval = approval == relation::Approval::Office;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO document_relations (from_id, to_id, kind, created_at, recorded_version, needs_approval) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (from_id, to_id) DO UPDATE SET kind = $3, created_at = $4, recorded_version = $5, \
             needs_approval = $6, approved_by = NULL, approved_at = NULL, effective_at = NULL, \
             target_validity_before = NULL, withdrawn_at = NULL, withdrawn_by = NULL",
        )
        .bind(from)
        .bind(to)
        .bind(kind.as_str())
        .bind(now)
        .bind(w.version_id)
        .bind(needs_approval),
    )
    .await?;
    let after = json!({"to": to, "kind": kind.as_str(), "version": w.version_no, "needs_approval": needs_approval});
    audit::record(
        tx,
        actor,
        "document.relate",
        ("document", &from.to_string()),
        None,
        Some(&after),
    )
    .await
}

/// Records a relation from the public version `source` to `to`, both brought in by an import,
/// in effect at once: the office's recording (`by`) is its review (`relation::check_import`).
pub async fn import_relation(
    tx: &mut Tx,
    actor: &Actor,
    source: &Working,
    to: i64,
    kind: RelationKind,
    by: i64,
) -> Result<()> {
    let from = source.document_id;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO document_relations (from_id, to_id, kind, created_at, recorded_version, needs_approval, approved_by, approved_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6, $4)",
        )
        .bind(from)
        .bind(to)
        .bind(kind.as_str())
        .bind(now)
        .bind(source.version_id)
        .bind(by),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "document.relate",
        ("document", &from.to_string()),
        None,
        Some(&json!({"to": to, "kind": kind.as_str(), "imported": true})),
    )
    .await?;
    apply_relations(tx, actor, from).await
}

/// A recorded relation between the two documents, and where it stands.
pub async fn relation(tx: &mut Tx, link: Link) -> Result<(RelationKind, relation::Standing)> {
    let r = tx
        .fetch_optional(
            Sql::new(
                "SELECT kind, needs_approval, approved_at, effective_at, withdrawn_at \
                 FROM document_relations WHERE from_id = $1 AND to_id = $2",
            )
            .bind(link.from)
            .bind(link.to),
        )
        .await?
        .ok_or(DomainError::NotFound {
            what: "关联关系"
        })?;
    let set = |c: &str| Ok::<_, DomainError>(r.get::<Option<DateTime<Utc>>>(c)?.is_some());
    Ok((
        r.code("kind")?,
        relation::Standing {
            needs_approval: r.get("needs_approval")?,
            approved: set("approved_at")?,
            effective: set("effective_at")?,
            withdrawn: set("withdrawn_at")?,
        },
    ))
}

/// Records the office's approval (by user `by`) of a relation; it takes effect now if the
/// version it was recorded on is already public.
pub async fn approve_relation(tx: &mut Tx, actor: &Actor, link: Link, by: i64) -> Result<()> {
    let Link { from, to } = link;
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE document_relations SET approved_by = $1, approved_at = $2 WHERE from_id = $3 AND to_id = $4")
            .bind(by)
            .bind(now)
            .bind(from)
            .bind(to),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "document.relation_approve",
        ("document", &from.to_string()),
        None,
        Some(&json!({"to": to})),
    )
    .await?;
    apply_relations(tx, actor, from).await
}

/// Withdraws a relation (by user `by`). If it had taken effect, the target's validity becomes
/// what the relations still in effect on it give, or what it was before.
pub async fn withdraw_relation(
    tx: &mut Tx,
    actor: &Actor,
    link: Link,
    was: (RelationKind, relation::Standing),
    by: i64,
) -> Result<()> {
    let Link { from, to } = link;
    let (kind, standing) = was;
    let was_effective = standing.effective;
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE document_relations SET withdrawn_at = $1, withdrawn_by = $2 WHERE from_id = $3 AND to_id = $4")
            .bind(now)
            .bind(by)
            .bind(from)
            .bind(to),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "document.relation_withdraw",
        ("document", &from.to_string()),
        Some(&json!({"to": to, "kind": kind.as_str(), "effective": was_effective})),
        None,
    )
    .await?;
    if !was_effective {
        return Ok(());
    }
    // The earliest validity recorded by a relation on the target is what it had before any.
    let rows = tx
        .fetch_all(
            Sql::new(
                "SELECT kind, target_validity_before, withdrawn_at FROM document_relations \
                 WHERE to_id = $1 AND effective_at IS NOT NULL ORDER BY effective_at",
            )
            .bind(to),
        )
        .await?;
    let mut original = None;
    let mut in_effect = Vec::new();
    for row in &rows {
        if original.is_none() {
            original = row.code_opt("target_validity_before")?;
        }
        if row.get::<Option<DateTime<Utc>>>("withdrawn_at")?.is_none() {
            in_effect.push(row.code("kind")?);
        }
    }
    let original = original.unwrap_or(Validity::Current);
    let current: String = tx
        .fetch_one(Sql::new("SELECT validity FROM documents WHERE id = $1").bind(to))
        .await?
        .get("validity")?;
    let validity = relation::validity_after(&in_effect, original);
    set_validity(tx, actor, to, &current, validity, from).await
}

/// Public filters; every list is paged.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub agency_id: Option<i64>,
    pub kind: Option<DocKind>,
    /// A first-level topic, or `一级\二级`.
    pub topic: Option<String>,
    pub year: Option<i32>,
    pub validity: Option<Validity>,
}

pub const MAX_PAGE_SIZE: i64 = 100;

/// A page of public documents, newest first, and the total count.
pub async fn public_list(
    e: &mut impl Exec,
    f: &Filter,
    page: i64,
    per_page: i64,
) -> Result<(Vec<DocumentSummary>, i64)> {
    let per_page = per_page.clamp(1, MAX_PAGE_SIZE);
    let page = page.clamp(1, 10_000);
    let mut cond = String::from("d.public_version_id IS NOT NULL AND d.withdrawn_at IS NULL");
    let mut args: Vec<crate::db::Value> = Vec::new();
    let mut add = |clause: &str, v: crate::db::Value| {
        args.push(v);
        cond.push_str(&clause.replace("$?", &format!("${}", args.len())));
    };
    if let Some(a) = f.agency_id {
        add(" AND d.agency_id = $?", a.into());
    }
    if let Some(k) = f.kind {
        add(" AND v.kind = $?", k.as_str().into());
    }
    if let Some(t) = &f.topic {
        if t.contains('\\') {
            add(" AND v.topic = $?", t.as_str().into());
        } else {
            add(" AND (v.topic = $? ", t.as_str().into());
            add(" OR v.topic LIKE $? ESCAPE '!')", format!("{t}\\%").into());
        }
    }
    if let Some(y) = f.year {
        add(
            " AND v.formed_on >= $?",
            NaiveDate::from_ymd_opt(y, 1, 1).into(),
        );
        add(
            " AND v.formed_on < $?",
            NaiveDate::from_ymd_opt(y + 1, 1, 1).into(),
        );
    }
    if let Some(v) = f.validity {
        add(" AND d.validity = $?", v.as_str().into());
    }
    let from = "FROM documents d JOIN document_versions v ON v.id = d.public_version_id \
                JOIN agencies a ON a.id = d.agency_id";
    let mut count = Sql::dynamic(format!("SELECT COUNT(*) AS n {from} WHERE {cond}"));
    let n = args.len();
    let mut list = Sql::dynamic(format!(
        "SELECT {SUMMARY} {from} WHERE {cond} ORDER BY v.published_on DESC NULLS LAST, d.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    ));
    for a in args {
        count = count.bind(a.clone());
        list = list.bind(a);
    }
    let total: i64 = e.fetch_one(count).await?.get("n")?;
    let rows = e
        .fetch_all(list.bind(per_page).bind((page - 1) * per_page))
        .await?;
    Ok((rows.iter().map(summary).collect::<Result<_>>()?, total))
}

/// The newest public documents.
pub async fn recent(e: &mut impl Exec, limit: i64) -> Result<Vec<DocumentSummary>> {
    Ok(public_list(e, &Filter::default(), 1, limit).await?.0)
}

/// A document as the public may see it: published, possibly withdrawn (then its page shows the
/// notice and not the text). Anything never published is `None`, indistinguishable from a
/// document that does not exist.
pub async fn public_get(e: &mut impl Exec, id: i64) -> Result<Option<Document>> {
    let row = e
        .fetch_optional(
            sql_once!(
                "SELECT {SUMMARY}, {VERSION}, d.withdrawn_at, d.withdraw_reason FROM documents d \
                 JOIN document_versions v ON v.id = d.public_version_id \
                 JOIN agencies a ON a.id = d.agency_id WHERE d.id = $1"
            )
            .bind(id),
        )
        .await?;
    row.as_ref().map(document).transpose()
}

/// A document's working version, for its agency's staff (and the office).
pub async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Document> {
    let row = e
        .fetch_optional(
            sql_once!(
                "SELECT {SUMMARY}, {VERSION}, d.withdrawn_at, d.withdraw_reason FROM documents d \
                 JOIN document_versions v ON v.id = d.working_version_id \
                 JOIN agencies a ON a.id = d.agency_id WHERE d.id = $1"
            )
            .bind(id),
        )
        .await?
        .ok_or(NOT_FOUND)?;
    let doc = document(&row)?;
    // Another agency's staff learn nothing, not even that the record exists.
    if !who.may_act_for(doc.summary.agency_id) {
        return Err(NOT_FOUND);
    }
    Ok(doc)
}

/// Working versions visible to `who`, optionally in one status, newest first.
pub async fn staff_list(
    e: &mut impl Exec,
    who: &Principal,
    status: Option<Status>,
    limit: i64,
) -> Result<Vec<(DocumentSummary, Status)>> {
    let mut sql = format!(
        "SELECT {SUMMARY}, v.status FROM documents d JOIN document_versions v ON v.id = d.working_version_id \
         JOIN agencies a ON a.id = d.agency_id WHERE ($1 OR d.agency_id = $2)"
    );
    if status.is_some() {
        sql.push_str(" AND v.status = $4");
    }
    sql.push_str(" ORDER BY d.updated_at DESC, d.id DESC LIMIT $3");
    let mut q = Sql::dynamic(sql)
        .bind(who.role.sees_all_agencies())
        .bind(who.agency_id)
        .bind(limit.clamp(1, 1000));
    if let Some(s) = status {
        q = q.bind(s.as_str());
    }
    let rows = e.fetch_all(q).await?;
    rows.iter()
        .map(|r| Ok((summary(r)?, r.code("status")?)))
        .collect()
}

/// A published version in a document's history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    pub version_no: i64,
    pub title: String,
    pub published_on: Option<NaiveDate>,
    pub change_note: Option<String>,
}

/// Every version that was ever published, oldest first.
pub async fn history(e: &mut impl Exec, id: i64) -> Result<Vec<HistoryEntry>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT version_no, title, published_on, change_note FROM document_versions \
                 WHERE document_id = $1 AND published_on IS NOT NULL ORDER BY version_no",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => HistoryEntry {
                version_no,
                title,
                published_on,
                change_note,
            }))
        })
        .collect()
}

/// A relation seen from one document: `outgoing` when this document acts on the other.
#[derive(Clone, Debug, Serialize)]
pub struct Related {
    pub id: i64,
    pub title: String,
    pub kind: RelationKind,
    pub outgoing: bool,
}

/// Relations in effect on both sides, limited to public documents.
pub async fn relations(e: &mut impl Exec, id: i64) -> Result<Vec<Related>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT r.to_id AS other, r.kind, TRUE AS outgoing, v.title FROM document_relations r \
                 JOIN documents d ON d.id = r.to_id JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE r.from_id = $1 AND r.effective_at IS NOT NULL AND r.withdrawn_at IS NULL \
                 UNION ALL \
                 SELECT r.from_id AS other, r.kind, FALSE AS outgoing, v.title FROM document_relations r \
                 JOIN documents d ON d.id = r.from_id JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE r.to_id = $1 AND r.effective_at IS NOT NULL AND r.withdrawn_at IS NULL",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => Related {
                id: get "other",
                title,
                kind: code,
                outgoing,
            }))
        })
        .collect()
}

/// A relation this document records, as staff see it.
#[derive(Clone, Debug, Serialize)]
pub struct RecordedRelation {
    pub to_id: i64,
    pub to_title: String,
    pub to_index_no: String,
    pub to_agency_name: String,
    pub kind: RelationKind,
    pub recorded_version_no: Option<i64>,
    pub needs_approval: bool,
    pub approved: bool,
    pub effective: bool,
    pub withdrawn: bool,
}

impl RecordedRelation {
    pub fn state_label(&self) -> &'static str {
        if self.withdrawn {
            "已撤回"
        } else if self.effective {
            "已生效"
        } else if self.needs_approval && !self.approved {
            "待公开办审核(涉及其他机构的文件)"
        } else {
            "待本版本审核发布后生效"
        }
    }

    pub fn awaits_office(&self) -> bool {
        self.needs_approval && !self.approved && !self.withdrawn
    }
}

/// Every relation document `id` records, withdrawn ones included, for its staff page.
pub async fn recorded_relations(e: &mut impl Exec, id: i64) -> Result<Vec<RecordedRelation>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT r.to_id, r.kind, r.needs_approval, r.approved_at, r.effective_at, r.withdrawn_at, \
                 v.title, d.index_no, a.name AS agency_name, rv.version_no \
                 FROM document_relations r JOIN documents d ON d.id = r.to_id \
                 JOIN document_versions v ON v.id = COALESCE(d.public_version_id, d.working_version_id) \
                 JOIN agencies a ON a.id = d.agency_id \
                 LEFT JOIN document_versions rv ON rv.id = r.recorded_version \
                 WHERE r.from_id = $1 ORDER BY r.created_at",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => RecordedRelation {
                to_id,
                to_title: get "title",
                to_index_no: get "index_no",
                to_agency_name: get "agency_name",
                kind: code,
                recorded_version_no: get "version_no",
                needs_approval,
                approved = r.get::<Option<DateTime<Utc>>>("approved_at")?.is_some(),
                effective = r.get::<Option<DateTime<Utc>>>("effective_at")?.is_some(),
                withdrawn = r.get::<Option<DateTime<Utc>>>("withdrawn_at")?.is_some(),
            }))
        })
        .collect()
}

/// A proactive document not yet published, for the publication clock.
#[derive(Clone, Debug, Serialize)]
pub struct Unpublished {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub title: String,
    pub formed_on: NaiveDate,
    pub status: Status,
    pub publication_limit: Option<i64>,
}

/// Working versions not published yet whose attribute is proactive (or not decided).
pub async fn unpublished(e: &mut impl Exec, who: &Principal) -> Result<Vec<Unpublished>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT d.id, d.agency_id, a.name AS agency_name, v.title, v.formed_on, v.status, a.publication_limit \
                 FROM documents d JOIN document_versions v ON v.id = d.working_version_id \
                 JOIN agencies a ON a.id = d.agency_id \
                 WHERE d.public_version_id IS NULL AND v.status <> $3 \
                 AND (v.disclosure_mode IS NULL OR v.disclosure_mode = $4) \
                 AND ($1 OR d.agency_id = $2) ORDER BY v.formed_on, d.id LIMIT 1000",
            )
            .bind(who.role.sees_all_agencies())
            .bind(who.agency_id)
            .bind(Status::Published.as_str())
            .bind(DisclosureMode::Proactive.as_str()),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => Unpublished {
                id,
                agency_id,
                agency_name,
                title,
                formed_on,
                status: code,
                publication_limit,
            }))
        })
        .collect()
}

/// Public documents of one agency (its 政府信息公开 column), paged.
pub async fn by_agency(
    e: &mut impl Exec,
    agency_id: i64,
    page: i64,
    per_page: i64,
) -> Result<(Vec<DocumentSummary>, i64)> {
    public_list(
        e,
        &Filter {
            agency_id: Some(agency_id),
            ..Filter::default()
        },
        page,
        per_page,
    )
    .await
}

pub async fn count_public(e: &mut impl Exec, agency_id: i64) -> Result<i64> {
    Ok(by_agency(e, agency_id, 1, 1).await?.1)
}

/// Records a document that was published before it came into gongkai (imports, the demo): it
/// keeps its historical publication date and, if given, its own 索引号
/// (`gongkai_domain::document::check_importable` says which can).
pub async fn import_published(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    draft: &DocumentDraft,
    earlier: Earlier<'_>,
) -> Result<i64> {
    let Earlier {
        index_no,
        published_on,
    } = earlier;
    let origin = Origin {
        index_no,
        published_on: Some(published_on),
    };
    let (id, index) = insert_document(tx, actor, agency, draft, origin).await?;
    let key = id.to_string();
    let after = import_json(draft, &index, published_on);
    audit::record(
        tx,
        actor,
        "document.import",
        ("document", &key),
        None,
        Some(&after),
    )
    .await?;
    audit::announce(tx, "document.changed", ("document", &key)).await?;
    Ok(id)
}

/// The audit log's record of an imported document.
pub(crate) fn import_json(
    draft: &DocumentDraft,
    index: &str,
    published_on: NaiveDate,
) -> serde_json::Value {
    let mut after = draft_json(draft);
    after["index_no"] = json!(index);
    after["status"] = json!(Status::Published);
    after["published_on"] = json!(published_on);
    after
}

/// Every public, not withdrawn document's id and last publication date, newest first, up to
/// `limit` (for sitemap.xml).
pub async fn public_index(e: &mut impl Exec, limit: i64) -> Result<Vec<(i64, Option<NaiveDate>)>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT d.id, v.published_on FROM documents d JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE d.withdrawn_at IS NULL ORDER BY v.published_on DESC NULLS LAST, d.id DESC LIMIT $1",
            )
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("id")?, r.get("published_on")?)))
        .collect()
}

/// A reviewer's reason for publishing a policy that needs interpretation without one (the
/// 三同步 exception), recorded on the working version `w` (`document::check_waiver`).
pub async fn waive_interpretation(
    tx: &mut Tx,
    actor: &Actor,
    w: &Working,
    reason: &str,
) -> Result<()> {
    let id = w.document_id;
    tx.execute(
        Sql::new("UPDATE document_versions SET interpretation_waiver = $1 WHERE id = $2")
            .bind(reason)
            .bind(w.version_id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "document.interpretation_waiver",
        ("document", &id.to_string()),
        None,
        Some(&json!({"reason": reason})),
    )
    .await
}

/// An already-registered document matching an import row: by 索引号 when given, else by the
/// agency and 文号, else by the agency, title and 成文日期. Makes re-running an import a no-op.
pub async fn find_existing(
    e: &mut impl Exec,
    agency_id: i64,
    index_no: Option<&str>,
    draft: &DocumentDraft,
) -> Result<Option<i64>> {
    // `+d.agency_id` keeps SQLite from driving the lookup through the agency index (which,
    // without statistics, it prefers) and scanning every document of the agency per row.
    let sql = match (index_no, &draft.doc_number) {
        (Some(i), _) => Sql::new("SELECT id FROM documents WHERE index_no = $1").bind(i.trim()),
        (None, Some(n)) => Sql::new(
            "SELECT d.id FROM document_versions v JOIN documents d \
             ON d.id = v.document_id AND d.working_version_id = v.id \
             WHERE v.doc_number = $2 AND +d.agency_id = $1",
        )
        .bind(agency_id)
        .bind(n.to_string()),
        (None, None) => Sql::new(
            "SELECT d.id FROM document_versions v JOIN documents d \
             ON d.id = v.document_id AND d.working_version_id = v.id \
             WHERE v.title = $2 AND v.formed_on = $3 AND +d.agency_id = $1",
        )
        .bind(agency_id)
        .bind(&draft.title)
        .bind(draft.formed_on),
    };
    e.fetch_optional(sql)
        .await?
        .map(|r| r.get("id"))
        .transpose()
}

/// The document with this 索引号, if any.
/// The agency of document `id`, if there is one.
pub async fn agency_of(e: &mut impl Exec, id: i64) -> Result<Option<i64>> {
    e.fetch_optional(Sql::new("SELECT agency_id FROM documents WHERE id = $1").bind(id))
        .await?
        .map(|r| r.get("agency_id"))
        .transpose()
}

pub async fn id_by_index(e: &mut impl Exec, index_no: &str) -> Result<Option<i64>> {
    e.fetch_optional(Sql::new("SELECT id FROM documents WHERE index_no = $1").bind(index_no.trim()))
        .await?
        .map(|r| r.get("id"))
        .transpose()
}

/// Public documents per topic (`一级\二级`, or a first-level name), for browsing by topic.
/// Counted by the database.
pub async fn topic_counts(e: &mut impl Exec) -> Result<Vec<(String, i64)>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT v.topic, COUNT(*) AS n FROM documents d \
             JOIN document_versions v ON v.id = d.public_version_id \
             WHERE d.withdrawn_at IS NULL AND v.topic IS NOT NULL GROUP BY v.topic",
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("topic")?, r.get("n")?)))
        .collect()
}

/// Public documents per agency id.
pub async fn agency_counts(e: &mut impl Exec) -> Result<Vec<(i64, i64)>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT d.agency_id, COUNT(*) AS n FROM documents d \
             WHERE d.public_version_id IS NOT NULL AND d.withdrawn_at IS NULL GROUP BY d.agency_id",
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("agency_id")?, r.get("n")?)))
        .collect()
}

/// Public documents whose title or 文号 contains one of `terms` (at most 12), newest first:
/// the “已经公开” suggestions shown before an application is filed. A plain substring match
/// until the search index can answer it.
pub async fn similar(
    e: &mut impl Exec,
    terms: &[String],
    limit: i64,
) -> Result<Vec<DocumentSummary>> {
    let terms: Vec<&String> = terms
        .iter()
        .filter(|t| t.chars().count() >= 2)
        .take(12)
        .collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Vec::with_capacity(terms.len());
    for i in 0..terms.len() {
        let n = i + 1;
        conditions.push(format!(
            "v.title LIKE ${n} ESCAPE '!' OR v.doc_number LIKE ${n} ESCAPE '!'"
        ));
    }
    let mut sql = Sql::dynamic(format!(
        "SELECT {SUMMARY} FROM documents d JOIN document_versions v ON v.id = d.public_version_id \
         JOIN agencies a ON a.id = d.agency_id WHERE d.withdrawn_at IS NULL AND ({}) \
         ORDER BY v.published_on DESC NULLS LAST, d.id DESC LIMIT ${}",
        conditions.join(" OR "),
        terms.len() + 1
    ));
    for t in &terms {
        let escaped = t.replace('!', "!!").replace('%', "!%").replace('_', "!_");
        sql = sql.bind(format!("%{escaped}%"));
    }
    let rows = e.fetch_all(sql.bind(limit.clamp(1, 20))).await?;
    rows.iter().map(summary).collect()
}

/// Ids of public, not withdrawn documents after `after`, in id order (for rebuilding the
/// search index in batches).
pub async fn public_ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id FROM documents WHERE public_version_id IS NOT NULL \
                 AND withdrawn_at IS NULL AND id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
