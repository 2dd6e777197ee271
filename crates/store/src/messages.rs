//! 留言 / 网上咨询: messages from the public and their handling. A message is committed before
//! its tracking code is shown; every step and the publication (选登) are audited; a published
//! message is announced to the search indexers.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::message::{
    self, BoxKind, DueState, HandledMessage, MessageDraft, Publication, Rating, Status, Step,
};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::throttle::{self, Limit};

const WHAT: &str = "留言";

/// Messages from one client: 5 an hour.
pub const SUBMIT_LIMIT: Limit = Limit {
    window: Duration::hours(1),
    max: 5,
    failures_only: false,
};

#[derive(Clone, Debug, Serialize)]
pub struct Message {
    pub id: i64,
    pub tracking_code: String,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub box_kind: BoxKind,
    pub document_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub consent: bool,
    pub status: Status,
    pub simple: bool,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub assignee_id: Option<i64>,
    pub triage_note: Option<String>,
    pub transferred_from: Option<i64>,
    pub transferred_to: Option<i64>,
    pub reply: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub supervised: bool,
    pub supervise_note: Option<String>,
    pub public_title: Option<String>,
    pub public_body: Option<String>,
    pub public_reply: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub rating: Option<Rating>,
    pub rating_note: Option<String>,
}

impl Message {
    pub fn handled(&self) -> HandledMessage {
        HandledMessage {
            status: self.status,
            received_on: self.received_on,
            due_on: self.due_on,
            replied_on: self.replied_on,
        }
    }

    pub fn due_state(&self, calendar: &WorkCalendar, today: NaiveDate) -> Result<DueState> {
        message::due_state(calendar, self.status, self.due_on, self.replied_on, today)
    }
}

const COLUMNS: &str = "m.id, m.tracking_code, m.agency_id, a.code AS agency_code, a.name AS agency_name, \
    m.box, m.document_id, m.title, m.body, m.name, m.phone, m.email, m.consent, m.status, m.simple, \
    m.received_on, m.due_on, m.assignee_id, m.triage_note, m.transferred_from, m.transferred_to, \
    m.reply, m.replied_on, m.supervised, m.supervise_note, m.public_title, m.public_body, \
    m.public_reply, m.published_at, m.rating, m.rating_note";

fn from_row(r: &Row) -> Result<Message> {
    let rating: Option<String> = r.get("rating")?;
    Ok(Message {
        id: r.get("id")?,
        tracking_code: r.get("tracking_code")?,
        agency_id: r.get("agency_id")?,
        agency_code: r.get("agency_code")?,
        agency_name: r.get("agency_name")?,
        box_kind: BoxKind::parse(&r.get::<String>("box")?)?,
        document_id: r.get("document_id")?,
        title: r.get("title")?,
        body: r.get("body")?,
        name: r.get("name")?,
        phone: r.get("phone")?,
        email: r.get("email")?,
        consent: r.get("consent")?,
        status: Status::parse(&r.get::<String>("status")?)?,
        simple: r.get("simple")?,
        received_on: r.get("received_on")?,
        due_on: r.get("due_on")?,
        assignee_id: r.get("assignee_id")?,
        triage_note: r.get("triage_note")?,
        transferred_from: r.get("transferred_from")?,
        transferred_to: r.get("transferred_to")?,
        reply: r.get("reply")?,
        replied_on: r.get("replied_on")?,
        supervised: r.get("supervised")?,
        supervise_note: r.get("supervise_note")?,
        public_title: r.get("public_title")?,
        public_body: r.get("public_body")?,
        public_reply: r.get("public_reply")?,
        published_at: r.get("published_at")?,
        rating: rating.as_deref().map(Rating::parse).transpose()?,
        rating_note: r.get("rating_note")?,
    })
}

fn select(filter: &str) -> String {
    format!("SELECT {COLUMNS} FROM messages m JOIN agencies a ON a.id = m.agency_id {filter}")
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Message>> {
    let row = e
        .fetch_optional(Sql::dynamic(select("WHERE m.id = $1")).bind(id))
        .await?;
    row.as_ref().map(from_row).transpose()
}

async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Message> {
    get(e, id)
        .await?
        .filter(|m| who.may_act_for(m.agency_id))
        .ok_or(DomainError::NotFound { what: WHAT })
}

/// The reply limit of an agency's box, in working days.
pub async fn reply_workdays(e: &mut impl Exec, agency_id: i64, kind: BoxKind) -> Result<u32> {
    let row = e
        .fetch_optional(
            Sql::new("SELECT reply_workdays FROM message_boxes WHERE agency_id = $1 AND box = $2")
                .bind(agency_id)
                .bind(kind.as_str()),
        )
        .await?;
    Ok(match row {
        Some(r) => u32::try_from(r.get::<i64>("reply_workdays")?)
            .unwrap_or(message::DEFAULT_REPLY_WORKDAYS),
        None => message::DEFAULT_REPLY_WORKDAYS,
    })
}

/// Sets a box's reply limit (1–20 working days).
pub async fn set_reply_workdays(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    agency_id: i64,
    kind: BoxKind,
    days: u32,
) -> Result<()> {
    who.require_agency(agency_id)?;
    if !(1..=20).contains(&days) {
        return Err(DomainError::invalid(
            Field::new("reply_workdays", "答复时限"),
            "答复时限应为 1 至 20 个工作日",
        ));
    }
    let before = reply_workdays(tx, agency_id, kind).await?;
    tx.execute(
        Sql::new(
            "INSERT INTO message_boxes (agency_id, box, reply_workdays) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_id, box) DO UPDATE SET reply_workdays = $3",
        )
        .bind(agency_id)
        .bind(kind.as_str())
        .bind(i64::from(days)),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message_box.update",
        ("message_box", &format!("{agency_id}:{}", kind.as_str())),
        Some(&json!({"reply_workdays": before})),
        Some(&json!({"reply_workdays": days})),
    )
    .await
}

async fn tracking_code(tx: &mut Tx, year: i32) -> Result<String> {
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO message_sequences (year, last_seq) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_seq = message_sequences.last_seq + 1 \
                 RETURNING last_seq",
            )
            .bind(i64::from(year)),
        )
        .await?;
    let seq: i64 = row.get("last_seq")?;
    Ok(format!("LY{year}-{seq:06}"))
}

/// Where a new message goes.
#[derive(Clone, Copy, Debug)]
pub struct Destination {
    pub agency_id: i64,
    pub box_kind: BoxKind,
    pub document_id: Option<i64>,
}

/// A filed message: its code and the key shown once.
#[derive(Clone, Debug)]
pub struct Filed {
    pub id: i64,
    pub tracking_code: String,
    pub key: String,
    pub due_on: NaiveDate,
}

async fn insert(
    tx: &mut Tx,
    to: Destination,
    d: &MessageDraft,
    received_on: NaiveDate,
    key_hash: &str,
    calendar: &WorkCalendar,
    transferred_from: Option<i64>,
) -> Result<(i64, String, NaiveDate)> {
    let limit = reply_workdays(tx, to.agency_id, to.box_kind).await?;
    let due = message::due_on(calendar, received_on, limit)?;
    let code = tracking_code(tx, chrono::Datelike::year(&received_on)).await?;
    let now = tx.now();
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO messages (tracking_code, key_hash, agency_id, box, document_id, title, body, \
                 name, phone, email, consent, status, simple, received_on, due_on, transferred_from, \
                 supervised, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', FALSE, $12, $13, $14, FALSE, $15, $15) \
                 RETURNING id",
            )
            .bind(code.as_str())
            .bind(key_hash)
            .bind(to.agency_id)
            .bind(to.box_kind.as_str())
            .bind(to.document_id)
            .bind(d.title.as_str())
            .bind(d.body.as_str())
            .bind(d.name.as_str())
            .bind(d.phone.clone())
            .bind(d.email.clone())
            .bind(d.consent)
            .bind(received_on)
            .bind(due)
            .bind(transferred_from)
            .bind(now),
        )
        .await?
        .get("id")?;
    Ok((id, code, due))
}

/// Files a message from the public. A 政策留言 must name a public document of the agency.
pub async fn submit(
    tx: &mut Tx,
    actor: &Actor,
    to: Destination,
    d: &MessageDraft,
    client: &str,
    now: DateTime<Utc>,
    calendar: &WorkCalendar,
) -> Result<Filed> {
    let attempt = throttle::reserve(tx, "message", client, now, SUBMIT_LIMIT).await?;
    match (to.box_kind, to.document_id) {
        (BoxKind::Policy, Some(doc)) => {
            let public = crate::documents::public_get(tx, doc).await?;
            let ok = public
                .is_some_and(|p| p.withdrawn_at.is_none() && p.summary.agency_id == to.agency_id);
            if !ok {
                return Err(DomainError::invalid(
                    Field::new("document", "所涉政策"),
                    "政策留言须针对本机关已公开的政策文件",
                ));
            }
        }
        (BoxKind::Policy, None) => {
            return Err(DomainError::invalid(
                Field::new("document", "所涉政策"),
                "政策留言须针对一份政策文件",
            ));
        }
        _ => {}
    }
    let key = crate::secret::random_token(12)?;
    let (id, code, due) = insert(
        tx,
        to,
        d,
        now.date_naive(),
        &crate::secret::hash_token(&key),
        calendar,
        None,
    )
    .await?;
    throttle::succeeded(tx, attempt).await?;
    audit::record(
        tx,
        actor,
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

/// The asker's lookup by code and key; wrong pairs count against the client.
pub async fn track(
    e: &mut impl Exec,
    code: &str,
    key: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Option<Message>> {
    let attempt = throttle::reserve(e, "message-track", client, now, throttle::TRACK).await?;
    let row = e
        .fetch_optional(
            Sql::dynamic(select("WHERE m.tracking_code = $1")).bind(code.trim().to_uppercase()),
        )
        .await?;
    let found = match row {
        Some(r) => {
            let hash: String = e
                .fetch_one(
                    Sql::new("SELECT key_hash FROM messages WHERE id = $1")
                        .bind(r.get::<i64>("id")?),
                )
                .await?
                .get("key_hash")?;
            let m = from_row(&r)?;
            crate::secret::constant_time_eq(&hash, &crate::secret::hash_token(key.trim()))
                .then_some(m)
        }
        None => None,
    };
    if found.is_some() {
        throttle::succeeded(e, attempt).await?;
    }
    Ok(found)
}

/// A triage or reply step by staff of the message's agency; `transfer_to` names the agency a
/// transfer goes to.
#[allow(clippy::too_many_arguments)] // the step's inputs, the day and its calendar
pub async fn act(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    step: &Step,
    transfer_to: Option<i64>,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<()> {
    let m = staff_get(tx, who, id).await?;
    let next = message::transition(m.status, step)?;
    let now = tx.now();
    let mut after = json!({"status": next.as_str()});
    match step {
        Step::Accept { simple } => {
            // A simple question gets the one-day limit from its receipt.
            let due = if *simple {
                message::due_on(calendar, m.received_on, message::SIMPLE_REPLY_WORKDAYS)?
                    .min(m.due_on)
            } else {
                m.due_on
            };
            after["simple"] = json!(simple);
            after["due_on"] = json!(due);
            tx.execute(
                Sql::new("UPDATE messages SET status = $1, simple = $2, due_on = $3, updated_at = $4 WHERE id = $5")
                    .bind(next.as_str())
                    .bind(*simple)
                    .bind(due)
                    .bind(now)
                    .bind(id),
            )
            .await?;
        }
        Step::Invalid { reason } | Step::Duplicate { reason } => {
            after["note"] = json!(reason);
            tx.execute(
                Sql::new("UPDATE messages SET status = $1, triage_note = $2, updated_at = $3 WHERE id = $4")
                    .bind(next.as_str())
                    .bind(reason.as_str())
                    .bind(now)
                    .bind(id),
            )
            .await?;
        }
        Step::Transfer { reason } => {
            let target = transfer_to.ok_or_else(|| {
                DomainError::invalid(Field::new("to_agency", "转办机关"), "请选择转办的机关")
            })?;
            if target == m.agency_id {
                return Err(DomainError::invalid(
                    Field::new("to_agency", "转办机关"),
                    "不能转办给本机关",
                ));
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
            let hash: String = tx
                .fetch_one(Sql::new("SELECT key_hash FROM messages WHERE id = $1").bind(id))
                .await?
                .get("key_hash")?;
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
            let (new_id, code, due) =
                insert(tx, to, &draft, today, &hash, calendar, Some(id)).await?;
            after["note"] = json!(reason);
            after["transferred_to"] = json!(new_id);
            after["new_code"] = json!(code);
            tx.execute(
                Sql::new(
                    "UPDATE messages SET status = $1, triage_note = $2, transferred_to = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(next.as_str())
                .bind(reason.as_str())
                .bind(new_id)
                .bind(now)
                .bind(id),
            )
            .await?;
            audit::record(
                tx,
                actor,
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
            tx.execute(
                Sql::new("UPDATE messages SET status = $1, reply = $2, replied_on = $3, updated_at = $4 WHERE id = $5")
                    .bind(next.as_str())
                    .bind(text.as_str())
                    .bind(today)
                    .bind(now)
                    .bind(id),
            )
            .await?;
        }
    }
    audit::record(
        tx,
        actor,
        &format!("message.{}", step.name()),
        ("message", &id.to_string()),
        Some(&json!({"status": m.status.as_str()})),
        Some(&after),
    )
    .await
}

/// Hands the message to a member of staff of its agency.
pub async fn assign(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    assignee: i64,
) -> Result<()> {
    let m = staff_get(tx, who, id).await?;
    if !m.status.awaits_reply() {
        return Err(DomainError::conflict(
            None,
            format!("留言当前为“{}”,不能分派", m.status.label()),
        ));
    }
    let user = crate::users::by_id(tx, assignee)
        .await?
        .filter(|u| u.active && u.agency_id == m.agency_id)
        .ok_or_else(|| {
            DomainError::invalid(
                Field::new("assignee", "承办人"),
                "承办人须为本机关在职工作人员",
            )
        })?;
    tx.execute(
        Sql::new("UPDATE messages SET assignee_id = $1, updated_at = $2 WHERE id = $3")
            .bind(user.id)
            .bind(tx.now())
            .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message.assign",
        ("message", &id.to_string()),
        Some(&json!({"assignee_id": m.assignee_id})),
        Some(&json!({"assignee_id": user.id})),
    )
    .await
}

/// The office's supervision flag (督办), with a note; `None` lifts it.
pub async fn supervise(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    note: Option<&str>,
) -> Result<()> {
    if !who.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
    let m = staff_get(tx, who, id).await?;
    let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(gongkai_domain::text::bounded(
            n,
            Field::new("supervise_note", "督办意见"),
            2,
            300,
        )?),
        None => None,
    };
    tx.execute(
        Sql::new("UPDATE messages SET supervised = $1, supervise_note = $2, updated_at = $3 WHERE id = $4")
            .bind(note.is_some())
            .bind(note.clone())
            .bind(tx.now())
            .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message.supervise",
        ("message", &id.to_string()),
        Some(&json!({"supervised": m.supervised, "note": m.supervise_note})),
        Some(&json!({"supervised": note.is_some(), "note": note})),
    )
    .await
}

/// 选登: publishes the edited copy of a replied message whose asker consented.
pub async fn publish(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    p: &gongkai_domain::message::PublicationInput,
) -> Result<()> {
    let m = staff_get(tx, who, id).await?;
    let pb = Publication::parse(
        p,
        m.status,
        m.consent,
        &m.name,
        m.phone.as_deref(),
        m.email.as_deref(),
    )?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE messages SET public_title = $1, public_body = $2, public_reply = $3, published_at = $4, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(pb.title.as_str())
        .bind(pb.body.as_str())
        .bind(pb.reply.as_str())
        .bind(now)
        .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message.publish",
        ("message", &id.to_string()),
        Some(&json!({"public_title": m.public_title, "published_at": m.published_at})),
        Some(&json!({"public_title": pb.title, "public_body": pb.body, "public_reply": pb.reply})),
    )
    .await?;
    audit::announce(tx, "message.changed", ("message", &id.to_string())).await
}

/// Takes a published message off the public pages.
pub async fn unpublish(tx: &mut Tx, actor: &Actor, who: &Principal, id: i64) -> Result<()> {
    let m = staff_get(tx, who, id).await?;
    if m.published_at.is_none() {
        return Ok(());
    }
    tx.execute(
        Sql::new("UPDATE messages SET published_at = NULL, updated_at = $1 WHERE id = $2")
            .bind(tx.now())
            .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message.unpublish",
        ("message", &id.to_string()),
        Some(&json!({"published_at": m.published_at})),
        Some(&json!({"published_at": null})),
    )
    .await?;
    audit::announce(tx, "message.changed", ("message", &id.to_string())).await
}

/// The asker rates the reply (once).
pub async fn rate(tx: &mut Tx, actor: &Actor, id: i64, rating: Rating, note: &str) -> Result<()> {
    let m = get(tx, id)
        .await?
        .ok_or(DomainError::NotFound { what: WHAT })?;
    if m.status != Status::Replied {
        return Err(DomainError::conflict(None, "答复后才能评价"));
    }
    if m.rating.is_some() {
        return Err(DomainError::conflict(None, "已经评价过了"));
    }
    let nf = Field::new("rating_note", "评价意见");
    let note = gongkai_domain::text::bounded_multiline(note, nf, 0, 500)?;
    gongkai_domain::text::reject_active_markup(&note, nf)?;
    tx.execute(
        Sql::new(
            "UPDATE messages SET rating = $1, rating_note = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(rating.as_str())
        .bind((!note.is_empty()).then_some(note.clone()))
        .bind(tx.now())
        .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "message.rate",
        ("message", &id.to_string()),
        None,
        Some(&json!({"rating": rating.as_str()})),
    )
    .await
}

/// Messages `who` may handle, oldest receipt first.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Message>> {
    let rows = e
        .fetch_all(Sql::dynamic(select("ORDER BY m.received_on, m.id")))
        .await?;
    let all: Vec<Message> = rows.iter().map(from_row).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|m| who.may_act_for(m.agency_id))
        .collect())
}

/// An agency's messages, for its figures.
pub async fn of_agency(e: &mut impl Exec, agency_id: i64) -> Result<Vec<Message>> {
    let rows = e
        .fetch_all(Sql::dynamic(select("WHERE m.agency_id = $1 ORDER BY m.id")).bind(agency_id))
        .await?;
    rows.iter().map(from_row).collect()
}

/// Published messages, newest first: of one agency, or about one document.
pub async fn published(
    e: &mut impl Exec,
    agency_id: Option<i64>,
    document_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Message>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(select(
                "WHERE m.published_at IS NOT NULL AND ($1 = 0 OR m.agency_id = $1) \
                 AND ($2 = 0 OR m.document_id = $2) ORDER BY m.published_at DESC, m.id DESC LIMIT $3",
            ))
            .bind(agency_id.unwrap_or(0))
            .bind(document_id.unwrap_or(0))
            .bind(limit),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// A published message, for the public.
pub async fn public_get(e: &mut impl Exec, id: i64) -> Result<Option<Message>> {
    Ok(get(e, id).await?.filter(|m| m.published_at.is_some()))
}

/// All message ids after `after` (for a search rebuild; the caller checks publication).
pub async fn ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id FROM messages WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
