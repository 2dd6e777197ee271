//! 意见征集: consultations on drafts, their comments and the ledger of dispositions, and the
//! feedback report frozen from it. Changes are audited and announced to the search indexers;
//! a comment is committed before the commenter is told it was received.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::consultation::{
    self, CommentDraft, ConsultationDraft, Disposition, DispositionDraft, FeedbackReport, Identity,
    Opinion, OpinionGroup, Phase,
};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::throttle::{self, Limit};

const WHAT: &str = "意见征集";

/// Comments from one client: 20 an hour across all consultations.
pub const COMMENT_LIMIT: Limit = Limit {
    window: Duration::hours(1),
    max: 20,
    failures_only: false,
};

/// The same text from the same client within this long is a double submission.
const DUPLICATE_WINDOW_SECS: i64 = 120;

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
    Ok(Consultation {
        id: r.get("id")?,
        agency_id: r.get("agency_id")?,
        agency_code: r.get("agency_code")?,
        agency_name: r.get("agency_name")?,
        title: r.get("title")?,
        explanation: r.get("explanation")?,
        basis: r.get("basis")?,
        draft: r.get("draft")?,
        version: r.get("version")?,
        opens_on: r.get("opens_on")?,
        closes_on: r.get("closes_on")?,
        short_reason: r.get("short_reason")?,
        channels: r.get("channels")?,
        name_rule: Identity::parse(&r.get::<String>("name_rule")?)?,
        contact_rule: Identity::parse(&r.get::<String>("contact_rule")?)?,
        published_at: r.get("published_at")?,
        decided_on: r.get("decided_on")?,
        decision_document_id: r.get("decision_document_id")?,
        report_due_on: r.get("report_due_on")?,
        report: report
            .map(|j| serde_json::from_str(&j))
            .transpose()
            .map_err(|e| DomainError::internal_from("report_json", e))?,
        report_note: r.get("report_note")?,
        report_published_at: r.get("report_published_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn view(d: &ConsultationDraft) -> serde_json::Value {
    json!({
        "title": d.title, "explanation": d.explanation, "basis": d.basis, "draft": d.draft,
        "opens_on": d.opens_on, "closes_on": d.closes_on, "short_reason": d.short_reason,
        "channels": d.channels, "name_rule": d.name_rule.as_str(), "contact_rule": d.contact_rule.as_str(),
    })
}

fn of(c: &Consultation) -> serde_json::Value {
    json!({
        "title": c.title, "explanation": c.explanation, "basis": c.basis, "draft": c.draft,
        "opens_on": c.opens_on, "closes_on": c.closes_on, "short_reason": c.short_reason,
        "channels": c.channels, "name_rule": c.name_rule.as_str(), "contact_rule": c.contact_rule.as_str(),
        "version": c.version,
    })
}

async fn changed(tx: &mut Tx, id: i64) -> Result<()> {
    audit::announce(
        tx,
        "consultation.changed",
        ("consultation", &id.to_string()),
    )
    .await
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Consultation>> {
    let row = e
        .fetch_optional(
            Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1"
            ))
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
async fn for_staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Consultation> {
    get(e, id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or(DomainError::NotFound { what: WHAT })
}

/// Published consultations, newest period first; `agency` narrows to one agency's.
pub async fn public_list(e: &mut impl Exec, agency: Option<i64>) -> Result<Vec<Consultation>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id \
                 WHERE c.published_at IS NOT NULL AND ($1 = 0 OR c.agency_id = $1) \
                 ORDER BY c.opens_on DESC, c.id DESC"
            ))
            .bind(agency.unwrap_or(0)),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// Consultations `who` may manage, newest first.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Consultation>> {
    let rows = e
        .fetch_all(Sql::dynamic(format!(
            "SELECT {COLUMNS} FROM consultations c JOIN agencies a ON a.id = c.agency_id \
             ORDER BY c.updated_at DESC, c.id DESC"
        )))
        .await?;
    let all: Vec<Consultation> = rows.iter().map(from_row).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| who.may_act_for(c.agency_id))
        .collect())
}

pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    agency_id: i64,
    d: &ConsultationDraft,
) -> Result<i64> {
    who.require_agency(agency_id)?;
    let now = tx.now();
    let id: i64 = tx
        .fetch_one(
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
        .get("id")?;
    audit::record(
        tx,
        actor,
        "consultation.create",
        ("consultation", &id.to_string()),
        None,
        Some(&view(d)),
    )
    .await?;
    Ok(id)
}

/// Changes a consultation. Once published, a changed wording is a new version (comments keep
/// the version they were made on) and the period may be extended but not cut short.
pub async fn update(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    d: &ConsultationDraft,
) -> Result<()> {
    let before = for_staff_get(tx, who, id).await?;
    if before.report_published_at.is_some() {
        return Err(DomainError::conflict(None, "反馈报告已发布,不能再修改征集"));
    }
    let mut version = before.version;
    if before.published_at.is_some() {
        if d.opens_on != before.opens_on || d.closes_on < before.closes_on {
            return Err(DomainError::invalid(
                Field::new("closes_on", "截止日期"),
                "已发布的征集不能更改开始日期或提前截止,只能延长",
            ));
        }
        let reworded = d.draft != before.draft
            || d.explanation != before.explanation
            || d.basis != before.basis;
        if reworded {
            version += 1;
            tx.execute(
                Sql::new(
                    "INSERT INTO consultation_versions (consultation_id, version, explanation, basis, draft, published_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(version)
                .bind(d.explanation.as_str())
                .bind(d.basis.as_str())
                .bind(d.draft.as_str())
                .bind(tx.now()),
            )
            .await?;
        }
    }
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
        .bind(tx.now())
        .bind(id),
    )
    .await?;
    let mut after = view(d);
    after["version"] = json!(version);
    audit::record(
        tx,
        actor,
        "consultation.update",
        ("consultation", &id.to_string()),
        Some(&of(&before)),
        Some(&after),
    )
    .await?;
    if before.published_at.is_some() {
        changed(tx, id).await?;
    }
    Ok(())
}

/// Puts the draft before the public: from now on it is listed, searchable and (within its
/// period) open for comment.
pub async fn publish(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    today: NaiveDate,
) -> Result<()> {
    let c = for_staff_get(tx, who, id).await?;
    if c.published_at.is_some() {
        return Err(DomainError::conflict(None, "该征集已经发布"));
    }
    consultation::check_publishable(c.closes_on, today)?;
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE consultations SET published_at = $1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id),
    )
    .await?;
    tx.execute(
        Sql::new(
            "INSERT INTO consultation_versions (consultation_id, version, explanation, basis, draft, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(c.version)
        .bind(c.explanation.as_str())
        .bind(c.basis.as_str())
        .bind(c.draft.as_str())
        .bind(now),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "consultation.publish",
        ("consultation", &id.to_string()),
        None,
        Some(&json!({"published_at": now, "version": c.version})),
    )
    .await?;
    changed(tx, id).await
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
    let disposition: Option<String> = r.get("disposition")?;
    Ok(Comment {
        id: r.get("id")?,
        consultation_id: r.get("consultation_id")?,
        version: r.get("version")?,
        article: r.get::<Option<i64>>("article")?.map(|a| a as u32),
        body: r.get("body")?,
        name: r.get("name")?,
        contact: r.get("contact")?,
        show_name: r.get("show_name")?,
        channel: r.get("channel")?,
        received_at: r.get("received_at")?,
        hidden_reason: r.get("hidden_reason")?,
        group_id: r.get("group_id")?,
        disposition: disposition.as_deref().map(Disposition::parse).transpose()?,
        reason: r.get("reason")?,
    })
}

/// A comment from the public on a published, open consultation. Rate-limited per client;
/// the same text twice within two minutes is refused as a double submission.
pub async fn comment(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    d: &CommentDraft,
    client: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let c = public_get(tx, id)
        .await?
        .ok_or(DomainError::NotFound { what: WHAT })?;
    // The caller checked the phase it saw; it is checked again on the row read in the
    // storing transaction.
    c.phase(now.date_naive()).check_open()?;
    let attempt = throttle::reserve(tx, "comment", client, now, COMMENT_LIMIT).await?;
    let client_hash = crate::secret::hash_token(client);
    let dup = tx
        .fetch_optional(
            Sql::new(
                "SELECT id FROM consultation_comments WHERE consultation_id = $1 AND client_hash = $2 \
                 AND body = $3 AND received_at > $4",
            )
            .bind(id)
            .bind(client_hash.as_str())
            .bind(d.body.as_str())
            .bind(now - Duration::seconds(DUPLICATE_WINDOW_SECS)),
        )
        .await?;
    if dup.is_some() {
        return Err(DomainError::conflict(
            Some(Field::new("body", "意见内容")),
            "这条意见刚刚已经提交过,请勿重复提交",
        ));
    }
    let cid = insert_comment(tx, &c, d, "website", &client_hash, now).await?;
    throttle::succeeded(tx, attempt).await?;
    audit::record(
        tx,
        actor,
        "consultation.comment",
        ("consultation_comment", &cid.to_string()),
        None,
        Some(&json!({"consultation_id": id, "article": d.article, "version": c.version})),
    )
    .await?;
    Ok(cid)
}

/// An opinion received by another channel (letter, e-mail, meeting), entered by staff so
/// that the ledger and the report hold every opinion.
pub async fn enter_comment(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    d: &CommentDraft,
    channel: &str,
) -> Result<i64> {
    let c = for_staff_get(tx, who, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, "反馈报告已发布,不能再录入意见"));
    }
    let channel = gongkai_domain::text::bounded(channel, Field::new("channel", "收到渠道"), 2, 20)?;
    let cid = insert_comment(tx, &c, d, &channel, "staff", tx.now()).await?;
    audit::record(
        tx,
        actor,
        "consultation.comment.enter",
        ("consultation_comment", &cid.to_string()),
        None,
        Some(&json!({"consultation_id": id, "article": d.article, "channel": channel})),
    )
    .await?;
    Ok(cid)
}

async fn insert_comment(
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
    for_staff_get(e, who, id).await?;
    all_comments(e, id).await
}

async fn all_comments(e: &mut impl Exec, id: i64) -> Result<Vec<Comment>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE consultation_id = $1 ORDER BY id"
            ))
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

async fn staff_comment(
    tx: &mut Tx,
    who: &Principal,
    comment_id: i64,
) -> Result<(Consultation, Comment)> {
    let row = tx
        .fetch_optional(
            Sql::dynamic(format!(
                "SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE id = $1"
            ))
            .bind(comment_id),
        )
        .await?
        .ok_or(DomainError::NotFound { what: "意见" })?;
    let comment = comment_from_row(&row)?;
    let c = for_staff_get(tx, who, comment.consultation_id)
        .await
        .map_err(|_| DomainError::NotFound { what: "意见" })?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(
            None,
            "反馈报告已发布,意见台账不能再修改",
        ));
    }
    Ok((c, comment))
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

/// Hides a comment from the public page (abuse, advertising, personal data), with the reason;
/// an empty reason shows it again. Both are audited.
pub async fn moderate(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    comment_id: i64,
    reason: Option<&str>,
) -> Result<()> {
    let (c, before) = staff_comment(tx, who, comment_id).await?;
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(gongkai_domain::text::bounded(
            r,
            Field::new("hidden_reason", "隐藏理由"),
            2,
            200,
        )?),
        None => None,
    };
    tx.execute(
        Sql::new("UPDATE consultation_comments SET hidden_reason = $1 WHERE id = $2")
            .bind(reason.clone())
            .bind(comment_id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        if reason.is_some() {
            "consultation.comment.hide"
        } else {
            "consultation.comment.show"
        },
        ("consultation_comment", &comment_id.to_string()),
        Some(&json!({"hidden_reason": before.hidden_reason})),
        Some(&json!({"hidden_reason": reason})),
    )
    .await?;
    changed(tx, c.id).await
}

/// Records what became of one opinion.
pub async fn dispose(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    comment_id: i64,
    d: &DispositionDraft,
) -> Result<()> {
    let (_, before) = staff_comment(tx, who, comment_id).await?;
    if before.group_id.is_some() {
        return Err(DomainError::conflict(
            Some(Field::new("disposition", "采纳情况")),
            "该意见已归入集中意见,按集中意见填写采纳情况",
        ));
    }
    tx.execute(
        Sql::new("UPDATE consultation_comments SET disposition = $1, reason = $2 WHERE id = $3")
            .bind(d.disposition.as_str())
            .bind(d.reason.clone())
            .bind(comment_id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "consultation.comment.dispose",
        ("consultation_comment", &comment_id.to_string()),
        Some(&json!({"disposition": before.disposition.map(|d| d.as_str()), "reason": before.reason})),
        Some(&json!({"disposition": d.disposition.as_str(), "reason": d.reason})),
    )
    .await
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
            let d: Option<String> = r.get("disposition")?;
            Ok(Group {
                id: r.get("id")?,
                summary: r.get("summary")?,
                disposition: d.as_deref().map(Disposition::parse).transpose()?,
                reason: r.get("reason")?,
            })
        })
        .collect()
}

/// A 集中意见 summarising several opinions, with its disposition; `members` join it.
pub async fn create_group(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    summary: &str,
    d: &DispositionDraft,
    members: &[i64],
) -> Result<i64> {
    let c = for_staff_get(tx, who, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(
            None,
            "反馈报告已发布,意见台账不能再修改",
        ));
    }
    let summary =
        gongkai_domain::text::bounded(summary, Field::new("summary", "集中意见概述"), 4, 300)?;
    gongkai_domain::text::reject_active_markup(&summary, Field::new("summary", "集中意见概述"))?;
    if members.len() < 2 {
        return Err(DomainError::invalid(
            Field::new("members", "意见"),
            "集中意见至少包含 2 条意见",
        ));
    }
    let gid: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO opinion_groups (consultation_id, summary, disposition, reason) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(summary.as_str())
            .bind(d.disposition.as_str())
            .bind(d.reason.clone()),
        )
        .await?
        .get("id")?;
    for m in members {
        let n = tx
            .execute(
                Sql::new(
                    "UPDATE consultation_comments SET group_id = $1, disposition = NULL, reason = NULL \
                     WHERE id = $2 AND consultation_id = $3 AND hidden_reason IS NULL",
                )
                .bind(gid)
                .bind(*m)
                .bind(id),
            )
            .await?;
        if n == 0 {
            return Err(DomainError::invalid(
                Field::new("members", "意见"),
                format!("意见 #{m} 不属于本次征集或已被隐藏"),
            ));
        }
    }
    audit::record(
        tx,
        actor,
        "consultation.group.create",
        ("opinion_group", &gid.to_string()),
        None,
        Some(&json!({"consultation_id": id, "summary": summary, "disposition": d.disposition.as_str(),
            "reason": d.reason, "members": members})),
    )
    .await?;
    Ok(gid)
}

/// Takes an opinion out of its group (it then needs a disposition of its own).
pub async fn ungroup(tx: &mut Tx, actor: &Actor, who: &Principal, comment_id: i64) -> Result<()> {
    let (_, before) = staff_comment(tx, who, comment_id).await?;
    let Some(group) = before.group_id else {
        return Ok(());
    };
    tx.execute(
        Sql::new("UPDATE consultation_comments SET group_id = NULL WHERE id = $1").bind(comment_id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "consultation.comment.ungroup",
        ("consultation_comment", &comment_id.to_string()),
        Some(&json!({"group_id": group})),
        Some(&json!({"group_id": null})),
    )
    .await
}

/// Records the decision's publication; the feedback report is due 10 working days after it.
pub async fn record_decision(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    decided_on: NaiveDate,
    decision_index: Option<&str>,
    calendar: &WorkCalendar,
) -> Result<NaiveDate> {
    let c = for_staff_get(tx, who, id).await?;
    if c.published_at.is_none() {
        return Err(DomainError::conflict(None, "征集尚未发布"));
    }
    consultation::check_decision_date(decided_on, c.closes_on, tx.now().date_naive())?;
    let document = match decision_index.map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => Some(crate::documents::id_by_index(tx, n).await?.ok_or_else(|| {
            DomainError::invalid(
                Field::new("decision_index", "决策文件索引号"),
                format!("没有索引号为“{n}”的文件"),
            )
        })?),
        None => None,
    };
    let due = calendar
        .add_workdays(decided_on, consultation::REPORT_WORKDAYS)?
        .end;
    tx.execute(
        Sql::new(
            "UPDATE consultations SET decided_on = $1, decision_document_id = $2, report_due_on = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(decided_on)
        .bind(document)
        .bind(due)
        .bind(tx.now())
        .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "consultation.decision",
        ("consultation", &id.to_string()),
        Some(&json!({"decided_on": c.decided_on, "decision_document_id": c.decision_document_id})),
        Some(&json!({"decided_on": decided_on, "decision_document_id": document, "report_due_on": due})),
    )
    .await?;
    changed(tx, id).await?;
    Ok(due)
}

/// The report the ledger gives now (for review before publication).
pub async fn report_preview(e: &mut impl Exec, who: &Principal, id: i64) -> Result<FeedbackReport> {
    let c = for_staff_get(e, who, id).await?;
    ledger_report(e, &c).await
}

async fn ledger_report(e: &mut impl Exec, c: &Consultation) -> Result<FeedbackReport> {
    let comments = all_comments(e, c.id).await?;
    let groups = groups(e, c.id).await?;
    let opinions: Vec<Opinion> = comments
        .into_iter()
        .map(|m| Opinion {
            id: m.id,
            article: m.article,
            body: m.body,
            hidden: m.hidden_reason.is_some(),
            group: m.group_id,
            disposition: m.disposition,
            reason: m.reason,
        })
        .collect();
    let groups: Vec<OpinionGroup> = groups
        .into_iter()
        .map(|g| OpinionGroup {
            id: g.id,
            summary: g.summary,
            disposition: g.disposition,
            reason: g.reason,
        })
        .collect();
    consultation::feedback_report(&c.title, c.opens_on, c.closes_on, &opinions, &groups)
}

/// Publishes the feedback report computed from the ledger, which is frozen from then on.
pub async fn publish_report(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    note: &str,
    today: NaiveDate,
) -> Result<()> {
    let c = for_staff_get(tx, who, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, "反馈报告已经发布"));
    }
    consultation::check_report_publishable(
        c.published_at.is_some(),
        c.phase(today),
        c.decided_on.is_some(),
    )?;
    let nf = Field::new("note", "补充说明");
    let note = gongkai_domain::text::bounded_multiline(note, nf, 0, 5_000)?;
    gongkai_domain::text::reject_active_markup(&note, nf)?;
    let report = ledger_report(tx, &c).await?;
    let json =
        serde_json::to_string(&report).map_err(|e| DomainError::internal_from("report json", e))?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE consultations SET report_json = $1, report_note = $2, report_published_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(json)
        .bind((!note.is_empty()).then_some(note.clone()))
        .bind(now)
        .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "consultation.report.publish",
        ("consultation", &id.to_string()),
        None,
        Some(&json!({"report": report, "note": note})),
    )
    .await?;
    changed(tx, id).await
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
