//! Files attached to document versions and gazette issues. Callers pass bytes already checked
//! by [`gongkai_domain::attachment::check`]; here they are stored once per content hash and
//! linked to their owner, with the rules of the owner: a document's files change only while
//! its working version is a draft (or returned), like the rest of its text.

use chrono::{DateTime, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::attachment::{self, FileKind, Upload};
use gongkai_domain::document::Status;
use gongkai_domain::user::Principal;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

const NOT_FOUND: DomainError = DomainError::NotFound { what: "附件" };

#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub position: i64,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl Attachment {
    pub fn size_label(&self) -> String {
        gongkai_domain::attachment::human_size(usize::try_from(self.size).unwrap_or(0))
    }
}

const COLUMNS: &str = "id, position, file_name, kind, size, sha256, created_at";

fn attachment(r: &Row) -> Result<Attachment> {
    Ok(from_row!(r => Attachment {
        id,
        position,
        file_name,
        kind: code,
        size,
        sha256,
        created_at,
    }))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores the bytes unless the same content is already there; returns their hash.
/// The stored bytes with this hash.
pub(crate) async fn blob_content(e: &mut impl Exec, sha256: &str) -> Result<Vec<u8>> {
    e.fetch_one(Sql::new("SELECT content FROM blobs WHERE sha256 = $1").bind(sha256))
        .await?
        .get("content")
}

pub(crate) async fn put_blob(tx: &mut Tx, bytes: &[u8]) -> Result<String> {
    let sha = hex(&Sha256::digest(bytes));
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha.as_str())
        .bind(bytes.len() as i64)
        .bind(bytes.to_vec())
        .bind(now),
    )
    .await?;
    Ok(sha)
}

/// A document's agency and its working version, whose files may change while it is a draft.
pub struct WorkingVersion {
    pub agency_id: i64,
    pub version_no: i64,
    pub status: Status,
}

pub async fn working_version(tx: &mut Tx, document_id: i64) -> Result<Option<WorkingVersion>> {
    let row = tx
        .fetch_optional(
            Sql::new(
                "SELECT d.agency_id, v.version_no, v.status FROM documents d \
                 JOIN document_versions v ON v.id = d.working_version_id WHERE d.id = $1",
            )
            .bind(document_id),
        )
        .await?;
    row.map(|r| {
        Ok(from_row!(r => WorkingVersion {
            agency_id,
            version_no,
            status: code,
        }))
    })
    .transpose()
}

async fn next_position(tx: &mut Tx, owner: Owner) -> Result<i64> {
    let row =
        tx.fetch_one(owner.filter(
            "SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS p FROM attachments WHERE",
        ))
        .await?;
    // Read where the row is written, in the same transaction, so two uploads cannot both
    // take the last place.
    attachment::check_room(row.get("n")?)?;
    Ok(row.get::<i64>("p")? + 1)
}

#[derive(Clone, Copy)]
enum Owner {
    Version { document_id: i64, version_no: i64 },
    Gazette(i64),
}

impl Owner {
    /// `prefix` ends in `WHERE`; the owner's condition is appended.
    fn filter(self, prefix: &str) -> Sql {
        match self {
            Owner::Version {
                document_id,
                version_no,
            } => Sql::dynamic(format!("{prefix} document_id = $1 AND version_no = $2"))
                .bind(document_id)
                .bind(version_no),
            Owner::Gazette(id) => Sql::dynamic(format!("{prefix} gazette_issue_id = $1")).bind(id),
        }
    }
}

async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    owner: Owner,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    let sha = put_blob(tx, bytes).await?;
    let position = next_position(tx, owner).await?;
    let (document_id, version_no, issue_id) = match owner {
        Owner::Version {
            document_id,
            version_no,
        } => (Some(document_id), Some(version_no), None),
        Owner::Gazette(id) => (None, None, Some(id)),
    };
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO attachments (document_id, version_no, gazette_issue_id, position, \
                 file_name, kind, size, sha256, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(document_id)
            .bind(version_no)
            .bind(issue_id)
            .bind(position)
            .bind(upload.file_name.as_str())
            .bind(upload.kind.as_str())
            .bind(upload.size as i64)
            .bind(sha.as_str())
            .bind(actor.user_id)
            .bind(now),
        )
        .await?;
    row.get("id")
}

fn described(upload: &Upload, id: i64) -> serde_json::Value {
    json!({"attachment": id, "file_name": upload.file_name, "kind": upload.kind, "size": upload.size})
}

/// Attaches a file to version `version_no` of a document (its working version, checked to be
/// editable by the caller).
pub async fn add_to_version(
    tx: &mut Tx,
    actor: &Actor,
    document_id: i64,
    version_no: i64,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    let owner = Owner::Version {
        document_id,
        version_no,
    };
    let id = insert(tx, actor, owner, upload, bytes).await?;
    let mut after = described(upload, id);
    after["version"] = json!(version_no);
    audit::record(
        tx,
        actor,
        "document.attach",
        ("document", &document_id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

/// Removes a file from version `version_no` of a document (its working version, checked to be
/// editable by the caller). Earlier versions keep theirs.
pub async fn remove_from_version(
    tx: &mut Tx,
    actor: &Actor,
    document_id: i64,
    version_no: i64,
    attachment_id: i64,
) -> Result<()> {
    let row = tx
        .fetch_optional(
            sql_once!(
                "SELECT {COLUMNS} FROM attachments WHERE id = $1 AND document_id = $2 AND version_no = $3"
            )
            .bind(attachment_id)
            .bind(document_id)
            .bind(version_no),
        )
        .await?
        .ok_or(NOT_FOUND)?;
    let a = attachment(&row)?;
    tx.execute(Sql::new("DELETE FROM attachments WHERE id = $1").bind(attachment_id))
        .await?;
    audit::record(
        tx,
        actor,
        "document.detach",
        ("document", &document_id.to_string()),
        Some(&json!({"attachment": a.id, "file_name": a.file_name, "sha256": a.sha256, "version": version_no})),
        None,
    )
    .await
}

/// A new version starts with its predecessor's files (the bytes are shared, not copied).
pub async fn carry_over(
    tx: &mut Tx,
    document_id: i64,
    from_version: i64,
    to_version: i64,
) -> Result<()> {
    tx.execute(
        Sql::new(
            "INSERT INTO attachments (document_id, version_no, position, file_name, kind, size, \
             sha256, created_by, created_at) SELECT document_id, $3, position, file_name, kind, \
             size, sha256, created_by, created_at FROM attachments \
             WHERE document_id = $1 AND version_no = $2",
        )
        .bind(document_id)
        .bind(from_version)
        .bind(to_version),
    )
    .await?;
    Ok(())
}

async fn list(e: &mut impl Exec, owner: Owner) -> Result<Vec<Attachment>> {
    let rows = e
        .fetch_all(owner.filter(&format!("SELECT {COLUMNS} FROM attachments WHERE")))
        .await?;
    let mut out: Vec<Attachment> = rows.iter().map(attachment).collect::<Result<_>>()?;
    out.sort_by_key(|a| a.position);
    Ok(out)
}

pub async fn for_version(
    e: &mut impl Exec,
    document_id: i64,
    version_no: i64,
) -> Result<Vec<Attachment>> {
    list(
        e,
        Owner::Version {
            document_id,
            version_no,
        },
    )
    .await
}

pub async fn for_gazette(e: &mut impl Exec, issue_id: i64) -> Result<Vec<Attachment>> {
    list(e, Owner::Gazette(issue_id)).await
}

async fn content(e: &mut impl Exec, a: Attachment) -> Result<(Attachment, Vec<u8>)> {
    let row = e
        .fetch_one(Sql::new("SELECT content FROM blobs WHERE sha256 = $1").bind(a.sha256.as_str()))
        .await?;
    Ok((a, row.get("content")?))
}

/// A file as the public may fetch it: attached to the public version of a published, not
/// withdrawn document, or to a gazette issue. Anything else is `None`.
pub async fn public_file(
    e: &mut impl Exec,
    attachment_id: i64,
) -> Result<Option<(Attachment, Vec<u8>)>> {
    let row = e
        .fetch_optional(
            sql_once!(
                "SELECT {} FROM attachments t \
                 LEFT JOIN documents d ON d.id = t.document_id \
                 LEFT JOIN document_versions v ON v.id = d.public_version_id \
                 WHERE t.id = $1 AND (t.gazette_issue_id IS NOT NULL OR \
                 (d.withdrawn_at IS NULL AND v.version_no = t.version_no))",
                qualified("t")
            )
            .bind(attachment_id),
        )
        .await?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(content(e, attachment(&r)?).await?)),
    }
}

/// A file of any version, for the owning agency's staff and the office.
pub async fn staff_file(
    e: &mut impl Exec,
    who: &Principal,
    attachment_id: i64,
) -> Result<(Attachment, Vec<u8>)> {
    let row = e
        .fetch_optional(
            sql_once!(
                "SELECT {}, d.agency_id FROM attachments t \
                 LEFT JOIN documents d ON d.id = t.document_id WHERE t.id = $1",
                qualified("t")
            )
            .bind(attachment_id),
        )
        .await?
        .ok_or(NOT_FOUND)?;
    if let Some(agency) = row.get::<Option<i64>>("agency_id")?
        && !who.may_act_for(agency)
    {
        return Err(NOT_FOUND);
    }
    content(e, attachment(&row)?).await
}

fn qualified(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets (or replaces) a gazette issue's PDF (checked by [`attachment::check_gazette_pdf`], by
/// the office: [`attachment::check_gazette_editor`]).
pub async fn set_gazette_pdf(
    tx: &mut Tx,
    actor: &Actor,
    issue_id: i64,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    tx.fetch_optional(Sql::new("SELECT id FROM gazette_issues WHERE id = $1").bind(issue_id))
        .await?
        .ok_or(DomainError::NotFound { what: "公报" })?;
    let before = list(tx, Owner::Gazette(issue_id)).await?;
    tx.execute(Sql::new("DELETE FROM attachments WHERE gazette_issue_id = $1").bind(issue_id))
        .await?;
    let id = insert(tx, actor, Owner::Gazette(issue_id), upload, bytes).await?;
    audit::record(
        tx,
        actor,
        "gazette.attach",
        ("gazette_issue", &issue_id.to_string()),
        before
            .first()
            .map(|a| json!({"attachment": a.id, "file_name": a.file_name, "sha256": a.sha256}))
            .as_ref(),
        Some(&described(upload, id)),
    )
    .await?;
    audit::announce(
        tx,
        "gazette.changed",
        ("gazette_issue", &issue_id.to_string()),
    )
    .await?;
    Ok(id)
}
