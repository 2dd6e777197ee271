//! 意见征集: the rows of consultations, their versions, comments, opinion groups and the
//! frozen feedback report, and their typed writes. The rules and the audit are in
//! `gongkai_app::consultations`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::consultation::{
    self, CommentDraft, ConsultationDraft, Disposition, DispositionDraft, FeedbackReport, Identity,
    Phase,
};
use gongkai_domain::user::Principal;
use serde::Serialize;

use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::throttle::Limit;

const WHAT: &str = "意见征集";

/// Comments from one client: 20 an hour across all consultations.
pub const COMMENT_LIMIT: Limit = Limit {
    window: Duration::hours(1),
    max: 20,
    failures_only: false,
};

#[derive(Clone, Debug, Serialize)]
pub struct Consultation {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub title: String,
    pub explanation: String,
    pub basis: String,
    pub draft: String,
    pub version: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub short_reason: Option<String>,
    pub channels: String,
    pub name_rule: Identity,
    pub contact_rule: Identity,
    pub published_at: Option<DateTime<Utc>>,
    pub decided_on: Option<NaiveDate>,
    pub decision_document_id: Option<i64>,
    pub report_due_on: Option<NaiveDate>,
    pub report: Option<FeedbackReport>,
    pub report_note: Option<String>,
    pub report_published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Consultation {
    pub fn phase(&self, today: NaiveDate) -> Phase {
        Phase::on(self.opens_on, self.closes_on, today)
    }

    pub fn article_numbers(&self) -> Vec<u32> {
        consultation::articles(&self.draft)
            .iter()
            .map(|a| a.number)
            .collect()
    }
}

const COLUMNS: &str = "c.id, c.agency_id, a.code AS agency_code, a.name AS agency_name, c.title, \
    c.explanation, c.basis, c.draft, c.version, c.opens_on, c.closes_on, c.short_reason, c.channels, \
    c.name_rule, c.contact_rule, c.published_at, c.decided_on, c.decision_document_id, \
    c.report_due_on, c.report_json, c.report_note, c.report_published_at, c.updated_at";

fn from_row(r: &Row) -> Result<Consultation> {
    let report: Option<String> = r.get("report_json")?;
    Ok(from_row!(r => Consultation {
        id,
        agency_id,
        agency_code,
        agency_name,
        title,
        explanation,
        basis,
        draft,
        version,
        opens_on,
        closes_on,
        short_reason,
        channels,
        name_rule: code,
        contact_rule: code,
        published_at,
        decided_on,
        decision_document_id,
        report_due_on,
        report = report
        .map(|j| serde_json::from_str(&j))
        .transpose()
        .map_err(|e| DomainError::internal_from("report_json", e))?,
        report_note,
        report_published_at,
        updated_at,
    }))
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Consultation>> {
    let row = e
        .fetch_optional(
            sql_once!(
                "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1"
            )
            .bind(id),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A published consultation, for the public.
pub async fn public_get(e: &mut impl Exec, id: i64) -> Result<Option<Consultation>> {
    Ok(get(e, id).await?.filter(|c| c.published_at.is_some()))
}

/// The consultation `who` may act on, or not found (another agency's is not shown to exist).
pub async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Consultation> {
    get(e, id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or(DomainError::NotFound { what: WHAT })
}

/// Published consultations, newest period first; `agency` narrows to one agency's.
pub async fn public_list(e: &mut impl Exec, agency: Option<i64>) -> Result<Vec<Consultation>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id \
                 WHERE c.published_at IS NOT NULL AND ($1 = 0 OR c.agency_id = $1) \
                 ORDER BY c.opens_on DESC, c.id DESC"
            )
            .bind(agency.unwrap_or(0)),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// Consultations `who` may manage, newest first.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Consultation>> {
    let rows = e
        .fetch_all(sql_once!(
            "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id \
             ORDER BY c.updated_at DESC, c.id DESC"
        ))
        .await?;
    let all: Vec<Consultation> = rows.iter().map(from_row).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| who.may_act_for(c.agency_id))
        .collect())
}

pub async fn insert(tx: &mut Tx, agency_id: i64, d: &ConsultationDraft) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO consultations (agency_id, title, explanation, basis, draft, version, \
             opens_on, closes_on, short_reason, channels, name_rule, contact_rule, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(agency_id)
        .bind(d.title.as_str())
        .bind(d.explanation.as_str())
        .bind(d.basis.as_str())
        .bind(d.draft.as_str())
        .bind(d.opens_on)
        .bind(d.closes_on)
        .bind(d.short_reason.clone())
        .bind(d.channels.as_str())
        .bind(d.name_rule.as_str())
        .bind(d.contact_rule.as_str())
        .bind(now),
    )
    .await?
    .get("id")
}

/// Writes the consultation's fields and its current version number.
pub async fn update(tx: &mut Tx, id: i64, d: &ConsultationDraft, version: i64) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE consultations SET title = $1, explanation = $2, basis = $3, draft = $4, version = $5, \
             opens_on = $6, closes_on = $7, short_reason = $8, channels = $9, name_rule = $10, \
             contact_rule = $11, updated_at = $12 WHERE id = $13",
        )
        .bind(d.title.as_str())
        .bind(d.explanation.as_str())
        .bind(d.basis.as_str())
        .bind(d.draft.as_str())
        .bind(version)
        .bind(d.opens_on)
        .bind(d.closes_on)
        .bind(d.short_reason.clone())
        .bind(d.channels.as_str())
        .bind(d.name_rule.as_str())
        .bind(d.contact_rule.as_str())
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// The wording of a published version.
pub struct Wording<'a> {
    pub explanation: &'a str,
    pub basis: &'a str,
    pub draft: &'a str,
}

pub async fn insert_version(
    tx: &mut Tx,
    id: i64,
    version: i64,
    w: Wording<'_>,
    published_at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        Sql::new(
            "INSERT INTO consultation_versions (consultation_id, version, explanation, basis, draft, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(w.explanation)
        .bind(w.basis)
        .bind(w.draft)
        .bind(published_at),
    )
    .await?;
    Ok(())
}

pub async fn set_published(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE consultations SET published_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct Version {
    pub version: i64,
    pub published_at: DateTime<Utc>,
}

/// The published wordings, oldest first.
pub async fn versions(e: &mut impl Exec, id: i64) -> Result<Vec<Version>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT version, published_at FROM consultation_versions WHERE consultation_id = $1 ORDER BY version",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Version {
                version: r.get("version")?,
                published_at: r.get("published_at")?,
            })
        })
        .collect()
}

/// The text of one published version: (explanation, basis, draft).
pub async fn version_text(
    e: &mut impl Exec,
    id: i64,
    version: i64,
) -> Result<Option<(String, String, String)>> {
    let row = e
        .fetch_optional(
            Sql::new(
                "SELECT explanation, basis, draft FROM consultation_versions WHERE consultation_id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version),
        )
        .await?;
    row.map(|r| Ok((r.get("explanation")?, r.get("basis")?, r.get("draft")?)))
        .transpose()
}

#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    pub id: i64,
    pub consultation_id: i64,
    pub version: i64,
    pub article: Option<u32>,
    pub body: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub show_name: bool,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub hidden_reason: Option<String>,
    pub group_id: Option<i64>,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
}

const COMMENT_COLUMNS: &str = "id, consultation_id, version, article, body, name, contact, show_name, \
    channel, received_at, hidden_reason, group_id, disposition, reason";

fn comment_from_row(r: &Row) -> Result<Comment> {
    Ok(from_row!(r => Comment {
        id,
        consultation_id,
        version,
        article = r.get::<Option<i64>>("article")?.map(|a| a as u32),
        body,
        name,
        contact,
        show_name,
        channel,
        received_at,
        hidden_reason,
        group_id,
        disposition: code_opt,
        reason,
    }))
}

/// Whether this client said exactly this about consultation `id` since `since`.
pub async fn said_since(
    tx: &mut Tx,
    id: i64,
    client_hash: &str,
    body: &str,
    since: DateTime<Utc>,
) -> Result<bool> {
    Ok(tx
        .fetch_optional(
            Sql::new(
                "SELECT id FROM consultation_comments WHERE consultation_id = $1 AND client_hash = $2 \
                 AND body = $3 AND received_at > $4",
            )
            .bind(id)
            .bind(client_hash)
            .bind(body)
            .bind(since),
        )
        .await?
        .is_some())
}

/// Stores a comment on the consultation's current version.
pub async fn insert_comment(
    tx: &mut Tx,
    c: &Consultation,
    d: &CommentDraft,
    channel: &str,
    client_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.fetch_one(
        Sql::new(
            "INSERT INTO consultation_comments (consultation_id, version, article, body, name, contact, \
             show_name, channel, client_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id",
        )
        .bind(c.id)
        .bind(c.version)
        .bind(d.article.map(i64::from))
        .bind(d.body.as_str())
        .bind(d.name.clone())
        .bind(d.contact.clone())
        .bind(d.show_name)
        .bind(channel)
        .bind(client_hash)
        .bind(now),
    )
    .await?
    .get("id")
}

/// Every comment, for staff of the agency.
pub async fn comments(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Vec<Comment>> {
    staff_get(e, who, id).await?;
    all_comments(e, id).await
}

/// Every comment, hidden ones included (callers check who may see them).
pub async fn all_comments(e: &mut impl Exec, id: i64) -> Result<Vec<Comment>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE consultation_id = $1 ORDER BY id"
            )
            .bind(id),
        )
        .await?;
    rows.iter().map(comment_from_row).collect()
}

/// The comments as the public sees them: not hidden, the name only where the commenter chose
/// to show it, never the contact.
pub async fn public_comments(e: &mut impl Exec, id: i64) -> Result<Vec<Comment>> {
    Ok(all_comments(e, id)
        .await?
        .into_iter()
        .filter(|c| c.hidden_reason.is_none())
        .map(|mut c| {
            // What the commenter typed about themselves, and anyone's ID, mobile or card
            // number, however written, is starred in the text shown.
            // The name stays where the commenter chose to show it.
            let hidden_name = if c.show_name { None } else { c.name.as_deref() };
            let known = gongkai_domain::personal::Known::new()
                .name(hidden_name.unwrap_or(""))
                .phone(c.contact.as_deref())
                .email(c.contact.as_deref());
            c.body = gongkai_domain::personal::mask_known(&c.body, &known);
            if !c.show_name {
                c.name = None;
            }
            c.contact = None;
            c
        })
        .collect())
}

pub async fn comment_by_id(e: &mut impl Exec, comment_id: i64) -> Result<Option<Comment>> {
    e.fetch_optional(
        sql_once!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE id = $1")
            .bind(comment_id),
    )
    .await?
    .as_ref()
    .map(comment_from_row)
    .transpose()
}

/// The consultation a comment belongs to.
pub async fn comment_consultation(e: &mut impl Exec, comment_id: i64) -> Result<Option<i64>> {
    let row = e
        .fetch_optional(
            Sql::new("SELECT consultation_id FROM consultation_comments WHERE id = $1")
                .bind(comment_id),
        )
        .await?;
    row.map(|r| r.get("consultation_id")).transpose()
}

pub async fn set_hidden(tx: &mut Tx, comment_id: i64, reason: Option<&str>) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE consultation_comments SET hidden_reason = $1 WHERE id = $2")
            .bind(reason.map(str::to_owned))
            .bind(comment_id),
    )
    .await?;
    Ok(())
}

pub async fn set_disposition(tx: &mut Tx, comment_id: i64, d: &DispositionDraft) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE consultation_comments SET disposition = $1, reason = $2 WHERE id = $3")
            .bind(d.disposition.as_str())
            .bind(d.reason.clone())
            .bind(comment_id),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub id: i64,
    pub summary: String,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
}

pub async fn groups(e: &mut impl Exec, id: i64) -> Result<Vec<Group>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, summary, disposition, reason FROM opinion_groups WHERE consultation_id = $1 ORDER BY id",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => Group {
                id,
                summary,
                disposition: code_opt,
                reason,
            }))
        })
        .collect()
}

/// Stores a 集中意见 of consultation `id`; returns its id.
pub async fn insert_group(
    tx: &mut Tx,
    id: i64,
    summary: &str,
    d: &DispositionDraft,
) -> Result<i64> {
    tx.fetch_one(
        Sql::new(
            "INSERT INTO opinion_groups (consultation_id, summary, disposition, reason) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(summary)
        .bind(d.disposition.as_str())
        .bind(d.reason.clone()),
    )
    .await?
    .get("id")
}

/// Puts a visible comment of consultation `id` into group `gid`, clearing its own
/// disposition; false when there is no such comment.
pub async fn join_group(tx: &mut Tx, gid: i64, comment_id: i64, id: i64) -> Result<bool> {
    let n = tx
        .execute(
            Sql::new(
                "UPDATE consultation_comments SET group_id = $1, disposition = NULL, reason = NULL \
                 WHERE id = $2 AND consultation_id = $3 AND hidden_reason IS NULL",
            )
            .bind(gid)
            .bind(comment_id)
            .bind(id),
        )
        .await?;
    Ok(n > 0)
}

pub async fn leave_group(tx: &mut Tx, comment_id: i64) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE consultation_comments SET group_id = NULL WHERE id = $1").bind(comment_id),
    )
    .await?;
    Ok(())
}

pub async fn set_decision(
    tx: &mut Tx,
    id: i64,
    decided_on: NaiveDate,
    document: Option<i64>,
    report_due_on: NaiveDate,
) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE consultations SET decided_on = $1, decision_document_id = $2, report_due_on = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(decided_on)
        .bind(document)
        .bind(report_due_on)
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// Freezes the feedback report (its JSON) with the staff's note.
pub async fn set_report(
    tx: &mut Tx,
    id: i64,
    json: &str,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        Sql::new(
            "UPDATE consultations SET report_json = $1, report_note = $2, report_published_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(json)
        .bind(note.map(str::to_owned))
        .bind(at)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// A feedback report due or overdue: decided, not yet reported.
#[derive(Clone, Debug, Serialize)]
pub struct ReportDue {
    pub id: i64,
    pub agency_id: i64,
    pub title: String,
    pub agency_name: String,
    pub decided_on: NaiveDate,
    pub due_on: NaiveDate,
}

pub async fn reports_due(e: &mut impl Exec, who: &Principal) -> Result<Vec<ReportDue>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT c.id, c.agency_id, c.title, a.name AS agency_name, c.decided_on, c.report_due_on \
             FROM consultations c JOIN agencies a ON a.id = c.agency_id \
             WHERE c.report_due_on IS NOT NULL AND c.report_published_at IS NULL ORDER BY c.report_due_on, c.id",
        ))
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let agency_id: i64 = r.get("agency_id")?;
        if who.may_act_for(agency_id) {
            out.push(ReportDue {
                id: r.get("id")?,
                agency_id,
                title: r.get("title")?,
                agency_name: r.get("agency_name")?,
                decided_on: r.get("decided_on")?,
                due_on: r.get("report_due_on")?,
            });
        }
    }
    Ok(out)
}

/// All consultation ids after `after` (for a search rebuild; the caller checks publication).
pub async fn ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id FROM consultations WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
