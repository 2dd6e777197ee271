//! 留言 / 网上咨询: messages from the public and their handling. A message is committed before
//! its tracking code is shown; every step and the publication (选登) are audited; a published
//! message is announced to the search indexers.

use chrono::NaiveDate;
use gongkai_domain::message::{
    self, BoxKind, MessageDraft, Publication, PublicationInput, Rating, Status, Step,
};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::messages::{self, Change, Destination, SUBMIT_LIMIT};
use gongkai_store::{Tx, audit, secret, throttle};
use serde::Serialize;
use serde_json::json;

use crate::Ctx;

const NOT_FOUND: DomainError = DomainError::NotFound { what: "留言" };

/// A filed message: its code, the key shown once, and the day a reply is due.
#[derive(Clone, Debug)]
pub struct Filed {
    pub id: i64,
    pub tracking_code: String,
    pub key: String,
    pub due_on: NaiveDate,
}

/// Sets a box's reply limit (1–20 working days) for an agency the principal acts for.
pub async fn set_reply_workdays(
    ctx: &Ctx<'_>,
    agency_id: i64,
    kind: BoxKind,
    days: u32,
) -> Result<()> {
    ctx.principal.require_agency(agency_id)?;
    if !(1..=20).contains(&days) {
        return Err(DomainError::invalid(
            Field::new("reply_workdays", "答复时限"),
            "答复时限应为 1 至 20 个工作日",
        ));
    }
    ctx.db
        .write(async |tx| {
            let before = messages::reply_workdays(tx, agency_id, kind).await?;
            messages::set_reply_workdays(tx, agency_id, kind, days).await?;
            audit::record(
                tx,
                &ctx.actor,
                "message_box.update",
                ("message_box", &format!("{agency_id}:{}", kind.as_str())),
                Some(&json!({"reply_workdays": before})),
                Some(&json!({"reply_workdays": days})),
            )
            .await
        })
        .await
}

/// Stores a message received on `received_on`, due after its box's limit; returns its id,
/// code and due day.
async fn file(
    tx: &mut Tx,
    to: Destination,
    d: &MessageDraft,
    received_on: NaiveDate,
    key_hash: &str,
    transferred_from: Option<i64>,
) -> Result<(i64, String, NaiveDate)> {
    let limit = messages::reply_workdays(tx, to.agency_id, to.box_kind).await?;
    let calendar = gongkai_store::calendar::work_calendar(tx).await?;
    let due = message::due_on(&calendar, received_on, limit)?;
    let filing = messages::Filing {
        received_on,
        due,
        key_hash,
        transferred_from,
    };
    let (id, code) = messages::insert(tx, to, d, filing).await?;
    Ok((id, code, due))
}

/// Files a message from the public, rate-limited per client. A 政策留言 must name a public
/// document of the agency.
pub async fn submit(
    ctx: &Ctx<'_>,
    to: Destination,
    d: &MessageDraft,
    client: &str,
) -> Result<Filed> {
    ctx.db
        .write(async |tx| submit_in(tx, ctx, to, d, client).await)
        .await
}

pub async fn submit_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    to: Destination,
    d: &MessageDraft,
    client: &str,
) -> Result<Filed> {
    let attempt = throttle::reserve(tx, "message", client, ctx.now, SUBMIT_LIMIT).await?;
    let document = Field::new("document", "所涉政策");
    match (to.box_kind, to.document_id) {
        (BoxKind::Policy, Some(doc)) => {
            let public = gongkai_store::documents::public_get(tx, doc).await?;
            let ok = public
                .is_some_and(|p| p.withdrawn_at.is_none() && p.summary.agency_id == to.agency_id);
            if !ok {
                return Err(DomainError::invalid(
                    document,
                    "政策留言须针对本机关已公开的政策文件",
                ));
            }
        }
        (BoxKind::Policy, None) => {
            return Err(DomainError::invalid(document, "政策留言须针对一份政策文件"));
        }
        _ => {}
    }
    let key = secret::random_token(12)?;
    let received_on = ctx.today();
    let (id, code, due) = file(tx, to, d, received_on, &secret::hash_token(&key), None).await?;
    throttle::succeeded(tx, attempt).await?;
    audit::record(
        tx,
        &ctx.actor,
        "message.submit",
        ("message", &id.to_string()),
        None,
        Some(&json!({"tracking_code": code, "box": to.box_kind.as_str(), "document_id": to.document_id, "due_on": due})),
    )
    .await?;
    Ok(Filed {
        id,
        tracking_code: code,
        key,
        due_on: due,
    })
}

/// A triage or reply step by staff of the message's agency; `transfer_to` names the agency a
/// transfer goes to.
pub async fn act(ctx: &Ctx<'_>, id: i64, step: &Step, transfer_to: Option<i64>) -> Result<()> {
    ctx.db
        .write(async |tx| act_in(tx, ctx, id, step, transfer_to).await)
        .await
}

pub async fn act_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    step: &Step,
    transfer_to: Option<i64>,
) -> Result<()> {
    let today = ctx.today();
    let m = messages::staff_get(tx, &ctx.principal, id).await?;
    let next = message::transition(m.status, step)?;
    let mut after = json!({"status": next.as_str()});
    match step {
        Step::Accept { simple } => {
            // A simple question gets the one-day limit from its receipt.
            let due = if *simple {
                let calendar = gongkai_store::calendar::work_calendar(tx).await?;
                message::due_on(&calendar, m.received_on, message::SIMPLE_REPLY_WORKDAYS)?
                    .min(m.due_on)
            } else {
                m.due_on
            };
            after["simple"] = json!(simple);
            after["due_on"] = json!(due);
            let change = Change::Accepted {
                status: next,
                simple: *simple,
                due,
            };
            messages::record(tx, id, change).await?;
        }
        Step::Invalid { reason } | Step::Duplicate { reason } => {
            after["note"] = json!(reason);
            let change = Change::Triaged {
                status: next,
                note: reason,
            };
            messages::record(tx, id, change).await?;
        }
        Step::Transfer { reason } => {
            let field = Field::new("to_agency", "转办机关");
            let target =
                transfer_to.ok_or_else(|| DomainError::invalid(field, "请选择转办的机关"))?;
            if target == m.agency_id {
                return Err(DomainError::invalid(field, "不能转办给本机关"));
            }
            let draft = MessageDraft {
                title: m.title.clone(),
                body: m.body.clone(),
                name: m.name.clone(),
                phone: m.phone.clone(),
                email: m.email.clone(),
                consent: m.consent,
            };
            // The same key follows the message: the asker tracks it with the new code.
            let hash = messages::key_hash(tx, id).await?;
            let box_kind = if m.box_kind == BoxKind::Policy {
                BoxKind::Consultation
            } else {
                m.box_kind
            };
            let to = Destination {
                agency_id: target,
                box_kind,
                document_id: None,
            };
            let (new_id, code, due) = file(tx, to, &draft, today, &hash, Some(id)).await?;
            after["note"] = json!(reason);
            after["transferred_to"] = json!(new_id);
            after["new_code"] = json!(code);
            let change = Change::Transferred {
                status: next,
                note: reason,
                to: new_id,
            };
            messages::record(tx, id, change).await?;
            audit::record(
                tx,
                &ctx.actor,
                "message.transfer.receive",
                ("message", &new_id.to_string()),
                None,
                Some(&json!({"tracking_code": code, "transferred_from": id, "due_on": due})),
            )
            .await?;
        }
        Step::Reply { text } => {
            after["reply"] = json!(text);
            after["replied_on"] = json!(today);
            let change = Change::Replied {
                status: next,
                text,
                on: today,
            };
            messages::record(tx, id, change).await?;
        }
    }
    audit::record(
        tx,
        &ctx.actor,
        &format!("message.{}", step.name()),
        ("message", &id.to_string()),
        Some(&json!({"status": m.status.as_str()})),
        Some(&after),
    )
    .await
}

/// Hands the message to a member of staff of its agency.
pub async fn assign(ctx: &Ctx<'_>, id: i64, assignee: i64) -> Result<()> {
    ctx.db
        .write(async |tx| assign_in(tx, ctx, id, assignee).await)
        .await
}

pub async fn assign_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, assignee: i64) -> Result<()> {
    let m = messages::staff_get(tx, &ctx.principal, id).await?;
    if !m.status.awaits_reply() {
        return Err(DomainError::conflict(
            None,
            format!("留言当前为“{}”,不能分派", m.status.label()),
        ));
    }
    let user = gongkai_store::users::by_id(tx, assignee)
        .await?
        .filter(|u| u.active && u.agency_id == m.agency_id)
        .ok_or_else(|| {
            DomainError::invalid(
                Field::new("assignee", "承办人"),
                "承办人须为本机关在职工作人员",
            )
        })?;
    messages::record(tx, id, Change::Assignee(user.id)).await?;
    audit::record(
        tx,
        &ctx.actor,
        "message.assign",
        ("message", &id.to_string()),
        Some(&json!({"assignee_id": m.assignee_id})),
        Some(&json!({"assignee_id": user.id})),
    )
    .await
}

/// The office's supervision flag (督办), with a note; `None` or a blank note lifts it.
pub async fn supervise(ctx: &Ctx<'_>, id: i64, note: Option<&str>) -> Result<()> {
    if !ctx.principal.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
    let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(gongkai_domain::text::bounded(
            n,
            Field::new("supervise_note", "督办意见"),
            2,
            300,
        )?),
        None => None,
    };
    ctx.db
        .write(async |tx| {
            let m = messages::staff_get(tx, &ctx.principal, id).await?;
            messages::record(tx, id, Change::Supervision(note.as_deref())).await?;
            audit::record(
                tx,
                &ctx.actor,
                "message.supervise",
                ("message", &id.to_string()),
                Some(&json!({"supervised": m.supervised, "note": m.supervise_note})),
                Some(&json!({"supervised": note.is_some(), "note": note})),
            )
            .await
        })
        .await
}

/// 选登: publishes the edited copy of a replied message whose asker consented.
pub async fn publish(ctx: &Ctx<'_>, id: i64, p: &PublicationInput) -> Result<()> {
    ctx.db
        .write(async |tx| publish_in(tx, ctx, id, p).await)
        .await
}

pub async fn publish_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, p: &PublicationInput) -> Result<()> {
    let m = messages::staff_get(tx, &ctx.principal, id).await?;
    let pb = Publication::parse(
        p,
        m.status,
        m.consent,
        &m.name,
        m.phone.as_deref(),
        m.email.as_deref(),
    )?;
    messages::record(tx, id, Change::Published(&pb)).await?;
    audit::record(
        tx,
        &ctx.actor,
        "message.publish",
        ("message", &id.to_string()),
        Some(&json!({"public_title": m.public_title, "published_at": m.published_at})),
        Some(&json!({"public_title": pb.title, "public_body": pb.body, "public_reply": pb.reply})),
    )
    .await?;
    audit::announce(tx, "message.changed", ("message", &id.to_string())).await
}

/// Takes a published message off the public pages.
pub async fn unpublish(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let m = messages::staff_get(tx, &ctx.principal, id).await?;
            if m.published_at.is_none() {
                return Ok(());
            }
            messages::record(tx, id, Change::Unpublished).await?;
            audit::record(
                tx,
                &ctx.actor,
                "message.unpublish",
                ("message", &id.to_string()),
                Some(&json!({"published_at": m.published_at})),
                Some(&json!({"published_at": null})),
            )
            .await?;
            audit::announce(tx, "message.changed", ("message", &id.to_string())).await
        })
        .await
}

/// The asker rates the reply, once (found by code and key, so `ctx` is the public).
pub async fn rate(ctx: &Ctx<'_>, id: i64, rating: Rating, note: &str) -> Result<()> {
    ctx.db
        .write(async |tx| rate_in(tx, ctx, id, rating, note).await)
        .await
}

pub async fn rate_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    rating: Rating,
    note: &str,
) -> Result<()> {
    let m = messages::get(tx, id).await?.ok_or(NOT_FOUND)?;
    if m.status != Status::Replied {
        return Err(DomainError::conflict(None, "答复后才能评价"));
    }
    if m.rating.is_some() {
        return Err(DomainError::conflict(None, "已经评价过了"));
    }
    let nf = Field::new("rating_note", "评价意见");
    let note = gongkai_domain::text::bounded_multiline(note, nf, 0, 500)?;
    gongkai_domain::text::reject_active_markup(&note, nf)?;
    let change = Change::Rated {
        rating,
        note: (!note.is_empty()).then_some(note.as_str()),
    };
    messages::record(tx, id, change).await?;
    audit::record(
        tx,
        &ctx.actor,
        "message.rate",
        ("message", &id.to_string()),
        None,
        Some(&json!({"rating": rating.as_str()})),
    )
    .await
}

/// A published message as the public sees it: the published wording only, never the
/// original text or the writer's contact.
#[derive(Serialize)]
pub struct Published {
    id: i64,
    agency: String,
    agency_name: String,
    #[serde(rename = "box")]
    box_kind: BoxKind,
    document_id: Option<i64>,
    title: String,
    body: String,
    reply: String,
    received_on: NaiveDate,
    replied_on: Option<NaiveDate>,
    href: String,
}

impl From<messages::Message> for Published {
    fn from(m: messages::Message) -> Self {
        Published {
            id: m.id,
            agency: m.agency_code,
            agency_name: m.agency_name,
            box_kind: m.box_kind,
            document_id: m.document_id,
            title: m.public_title.unwrap_or_default(),
            body: m.public_body.unwrap_or_default(),
            reply: m.public_reply.unwrap_or_default(),
            received_on: m.received_on,
            replied_on: m.replied_on,
            href: format!("/messages/{}", m.id),
        }
    }
}
