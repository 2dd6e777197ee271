//! 意见征集: consultations on drafts, their comments and the ledger of dispositions, and the
//! feedback report frozen from it. Changes are audited and announced to the search indexers;
//! a comment is committed before the commenter is told it was received.

use chrono::{Duration, NaiveDate};
use gongkai_domain::consultation::{
    self, CommentDraft, ConsultationDraft, DispositionDraft, FeedbackReport, Opinion, OpinionGroup,
};
use gongkai_domain::{DomainError, Field};
use gongkai_store::consultations::{self, COMMENT_LIMIT, Comment, Consultation};
use gongkai_store::db::Result;
use gongkai_store::{Exec, Tx, audit, secret, throttle};
use serde_json::json;

use crate::Ctx;

/// The same text from the same client within this long is a double submission.
const DUPLICATE_WINDOW_SECS: i64 = 120;

const FROZEN: &str = "反馈报告已发布,意见台账不能再修改";

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

/// Tells the search indexers the public view of consultation `id` changed.
async fn changed(tx: &mut Tx, id: i64) -> Result<()> {
    audit::announce(
        tx,
        "consultation.changed",
        ("consultation", &id.to_string()),
    )
    .await
}

pub async fn create(ctx: &Ctx<'_>, agency_id: i64, d: &ConsultationDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| create_in(tx, ctx, agency_id, d).await)
        .await
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    d: &ConsultationDraft,
) -> Result<i64> {
    ctx.principal.require_agency(agency_id)?;
    let id = consultations::insert(tx, agency_id, d).await?;
    audit::record(
        tx,
        &ctx.actor,
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
pub async fn update(ctx: &Ctx<'_>, id: i64, d: &ConsultationDraft) -> Result<()> {
    ctx.db
        .write(async |tx| update_in(tx, ctx, id, d).await)
        .await
}

pub async fn update_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, d: &ConsultationDraft) -> Result<()> {
    let before = consultations::staff_get(tx, &ctx.principal, id).await?;
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
            let now = tx.now();
            let text = consultations::Wording {
                explanation: &d.explanation,
                basis: &d.basis,
                draft: &d.draft,
            };
            consultations::insert_version(tx, id, version, text, now).await?;
        }
    }
    consultations::update(tx, id, d, version).await?;
    let mut after = view(d);
    after["version"] = json!(version);
    audit::record(
        tx,
        &ctx.actor,
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
pub async fn publish(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    ctx.db.write(async |tx| publish_in(tx, ctx, id).await).await
}

pub async fn publish_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64) -> Result<()> {
    let c = consultations::staff_get(tx, &ctx.principal, id).await?;
    if c.published_at.is_some() {
        return Err(DomainError::conflict(None, "该征集已经发布"));
    }
    consultation::check_publishable(c.closes_on, ctx.today())?;
    let now = tx.now();
    consultations::set_published(tx, id, now).await?;
    let text = consultations::Wording {
        explanation: &c.explanation,
        basis: &c.basis,
        draft: &c.draft,
    };
    consultations::insert_version(tx, id, c.version, text, now).await?;
    audit::record(
        tx,
        &ctx.actor,
        "consultation.publish",
        ("consultation", &id.to_string()),
        None,
        Some(&json!({"published_at": now, "version": c.version})),
    )
    .await?;
    changed(tx, id).await
}

/// A comment from the public on a published, open consultation. Rate-limited per client;
/// the same text twice within two minutes is refused as a double submission.
pub async fn comment(ctx: &Ctx<'_>, id: i64, d: &CommentDraft, client: &str) -> Result<i64> {
    ctx.db
        .write(async |tx| comment_in(tx, ctx, id, d, client).await)
        .await
}

pub async fn comment_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    d: &CommentDraft,
    client: &str,
) -> Result<i64> {
    let now = ctx.now;
    let c = consultations::public_get(tx, id)
        .await?
        .ok_or(DomainError::NotFound {
            what: "意见征集"
        })?;
    // The caller checked the phase it saw; it is checked again on the row read in the
    // storing transaction.
    c.phase(now.date_naive()).check_open()?;
    let attempt = throttle::reserve(tx, "comment", client, now, COMMENT_LIMIT).await?;
    let client_hash = secret::hash_token(client);
    let since = now - Duration::seconds(DUPLICATE_WINDOW_SECS);
    if consultations::said_since(tx, id, &client_hash, &d.body, since).await? {
        return Err(DomainError::conflict(
            Some(Field::new("body", "意见内容")),
            "这条意见刚刚已经提交过,请勿重复提交",
        ));
    }
    let cid = consultations::insert_comment(tx, &c, d, "website", &client_hash, now).await?;
    throttle::succeeded(tx, attempt).await?;
    audit::record(
        tx,
        &ctx.actor,
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
pub async fn enter_comment(ctx: &Ctx<'_>, id: i64, d: &CommentDraft, channel: &str) -> Result<i64> {
    ctx.db
        .write(async |tx| enter_comment_in(tx, ctx, id, d, channel).await)
        .await
}

pub async fn enter_comment_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    d: &CommentDraft,
    channel: &str,
) -> Result<i64> {
    let c = consultations::staff_get(tx, &ctx.principal, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, "反馈报告已发布,不能再录入意见"));
    }
    let channel = gongkai_domain::text::bounded(channel, Field::new("channel", "收到渠道"), 2, 20)?;
    let now = tx.now();
    let cid = consultations::insert_comment(tx, &c, d, &channel, "staff", now).await?;
    audit::record(
        tx,
        &ctx.actor,
        "consultation.comment.enter",
        ("consultation_comment", &cid.to_string()),
        None,
        Some(&json!({"consultation_id": id, "article": d.article, "channel": channel})),
    )
    .await?;
    Ok(cid)
}

/// A comment of a consultation the principal may act on, while the ledger is open.
async fn open_comment(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    comment_id: i64,
) -> Result<(Consultation, Comment)> {
    let not_found = DomainError::NotFound { what: "意见" };
    let comment = consultations::comment_by_id(tx, comment_id)
        .await?
        .ok_or(not_found.clone())?;
    let c = consultations::staff_get(tx, &ctx.principal, comment.consultation_id)
        .await
        .map_err(|_| not_found)?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, FROZEN));
    }
    Ok((c, comment))
}

/// Hides a comment from the public page (abuse, advertising, personal data), with the reason;
/// an empty reason shows it again. Both are audited.
pub async fn moderate(ctx: &Ctx<'_>, comment_id: i64, reason: Option<&str>) -> Result<()> {
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(gongkai_domain::text::bounded(
            r,
            Field::new("hidden_reason", "隐藏理由"),
            2,
            200,
        )?),
        None => None,
    };
    ctx.db
        .write(async |tx| {
            let (c, before) = open_comment(tx, ctx, comment_id).await?;
            consultations::set_hidden(tx, comment_id, reason.as_deref()).await?;
            let action = if reason.is_some() {
                "consultation.comment.hide"
            } else {
                "consultation.comment.show"
            };
            audit::record(
                tx,
                &ctx.actor,
                action,
                ("consultation_comment", &comment_id.to_string()),
                Some(&json!({"hidden_reason": before.hidden_reason})),
                Some(&json!({"hidden_reason": reason})),
            )
            .await?;
            changed(tx, c.id).await
        })
        .await
}

/// Records what became of one opinion.
pub async fn dispose(ctx: &Ctx<'_>, comment_id: i64, d: &DispositionDraft) -> Result<()> {
    ctx.db
        .write(async |tx| dispose_in(tx, ctx, comment_id, d).await)
        .await
}

pub async fn dispose_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    comment_id: i64,
    d: &DispositionDraft,
) -> Result<()> {
    let (_, before) = open_comment(tx, ctx, comment_id).await?;
    if before.group_id.is_some() {
        return Err(DomainError::conflict(
            Some(Field::new("disposition", "采纳情况")),
            "该意见已归入集中意见,按集中意见填写采纳情况",
        ));
    }
    consultations::set_disposition(tx, comment_id, d).await?;
    audit::record(
        tx,
        &ctx.actor,
        "consultation.comment.dispose",
        ("consultation_comment", &comment_id.to_string()),
        Some(&json!({"disposition": before.disposition.map(|d| d.as_str()), "reason": before.reason})),
        Some(&json!({"disposition": d.disposition.as_str(), "reason": d.reason})),
    )
    .await
}

/// A 集中意见 summarising several opinions, with its disposition; `members` join it.
pub async fn create_group(
    ctx: &Ctx<'_>,
    id: i64,
    summary: &str,
    d: &DispositionDraft,
    members: &[i64],
) -> Result<i64> {
    ctx.db
        .write(async |tx| create_group_in(tx, ctx, id, summary, d, members).await)
        .await
}

pub async fn create_group_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    summary: &str,
    d: &DispositionDraft,
    members: &[i64],
) -> Result<i64> {
    let c = consultations::staff_get(tx, &ctx.principal, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, FROZEN));
    }
    let field = Field::new("summary", "集中意见概述");
    let summary = gongkai_domain::text::bounded(summary, field, 4, 300)?;
    gongkai_domain::text::reject_active_markup(&summary, field)?;
    let members_field = Field::new("members", "意见");
    if members.len() < 2 {
        return Err(DomainError::invalid(
            members_field,
            "集中意见至少包含 2 条意见",
        ));
    }
    let gid = consultations::insert_group(tx, id, &summary, d).await?;
    for m in members {
        if !consultations::join_group(tx, gid, *m, id).await? {
            return Err(DomainError::invalid(
                members_field,
                format!("意见 #{m} 不属于本次征集或已被隐藏"),
            ));
        }
    }
    audit::record(
        tx,
        &ctx.actor,
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
pub async fn ungroup(ctx: &Ctx<'_>, comment_id: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let (_, before) = open_comment(tx, ctx, comment_id).await?;
            let Some(group) = before.group_id else {
                return Ok(());
            };
            consultations::leave_group(tx, comment_id).await?;
            audit::record(
                tx,
                &ctx.actor,
                "consultation.comment.ungroup",
                ("consultation_comment", &comment_id.to_string()),
                Some(&json!({"group_id": group})),
                Some(&json!({"group_id": null})),
            )
            .await
        })
        .await
}

/// Records the decision's publication; the feedback report is due 10 working days after it.
pub async fn record_decision(
    ctx: &Ctx<'_>,
    id: i64,
    decided_on: NaiveDate,
    decision_index: Option<&str>,
) -> Result<NaiveDate> {
    ctx.db
        .write(async |tx| record_decision_in(tx, ctx, id, decided_on, decision_index).await)
        .await
}

pub async fn record_decision_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    decided_on: NaiveDate,
    decision_index: Option<&str>,
) -> Result<NaiveDate> {
    let c = consultations::staff_get(tx, &ctx.principal, id).await?;
    if c.published_at.is_none() {
        return Err(DomainError::conflict(None, "征集尚未发布"));
    }
    consultation::check_decision_date(decided_on, c.closes_on, ctx.today())?;
    let document = match decision_index.map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => Some(
            gongkai_store::documents::id_by_index(tx, n)
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(
                        Field::new("decision_index", "决策文件索引号"),
                        format!("没有索引号为“{n}”的文件"),
                    )
                })?,
        ),
        None => None,
    };
    let calendar = gongkai_store::calendar::work_calendar(tx).await?;
    let due = calendar
        .add_workdays(decided_on, consultation::REPORT_WORKDAYS)?
        .end;
    consultations::set_decision(tx, id, decided_on, document, due).await?;
    audit::record(
        tx,
        &ctx.actor,
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
pub async fn report_preview(ctx: &Ctx<'_>, id: i64) -> Result<FeedbackReport> {
    let mut c = ctx.db.conn().await?;
    let consultation = consultations::staff_get(&mut c, &ctx.principal, id).await?;
    ledger_report(&mut c, &consultation).await
}

async fn ledger_report(e: &mut impl Exec, c: &Consultation) -> Result<FeedbackReport> {
    let comments = consultations::all_comments(e, c.id).await?;
    let groups = consultations::groups(e, c.id).await?;
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
pub async fn publish_report(ctx: &Ctx<'_>, id: i64, note: &str) -> Result<()> {
    ctx.db
        .write(async |tx| publish_report_in(tx, ctx, id, note).await)
        .await
}

pub async fn publish_report_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, note: &str) -> Result<()> {
    let c = consultations::staff_get(tx, &ctx.principal, id).await?;
    if c.report_published_at.is_some() {
        return Err(DomainError::conflict(None, "反馈报告已经发布"));
    }
    consultation::check_report_publishable(
        c.published_at.is_some(),
        c.phase(ctx.today()),
        c.decided_on.is_some(),
    )?;
    let nf = Field::new("note", "补充说明");
    let note = gongkai_domain::text::bounded_multiline(note, nf, 0, 5_000)?;
    gongkai_domain::text::reject_active_markup(&note, nf)?;
    let report = ledger_report(tx, &c).await?;
    let json =
        serde_json::to_string(&report).map_err(|e| DomainError::internal_from("report json", e))?;
    let now = tx.now();
    let note_kept = (!note.is_empty()).then_some(note.as_str());
    consultations::set_report(tx, id, &json, note_kept, now).await?;
    audit::record(
        tx,
        &ctx.actor,
        "consultation.report.publish",
        ("consultation", &id.to_string()),
        None,
        Some(&json!({"report": report, "note": note})),
    )
    .await?;
    changed(tx, id).await
}
