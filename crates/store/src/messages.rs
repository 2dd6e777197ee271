//! 留言 / 网上咨询: the rows of messages from the public and their typed writes. The rules
//! (who may do which step, the reply limits, publication and rating) are in
//! `gongkai_app::messages`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::message::{
    self, BoxKind, DueState, HandledMessage, MessageDraft, Publication, Rating, Status,
};
use gongkai_domain::user::Principal;
use serde::Serialize;

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
    Ok(from_row!(r => Message {
        id,
        tracking_code,
        agency_id,
        agency_code,
        agency_name,
        box_kind: code "box",
        document_id,
        title,
        body,
        name,
        phone,
        email,
        consent,
        status: code,
        simple,
        received_on,
        due_on,
        assignee_id,
        triage_note,
        transferred_from,
        transferred_to,
        reply,
        replied_on,
        supervised,
        supervise_note,
        public_title,
        public_body,
        public_reply,
        published_at,
        rating: code_opt,
        rating_note,
    }))
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

/// A message for the staff of its agency (and the office); not found for anyone else.
pub async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Message> {
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
    match row {
        Some(r) => u32::try_from(r.get::<i64>("reply_workdays")?)
            .map_err(|e| DomainError::internal_from("stored reply_workdays", e)),
        None => Ok(message::DEFAULT_REPLY_WORKDAYS),
    }
}

/// Stores a box's reply limit.
pub async fn set_reply_workdays(
    tx: &mut Tx,
    agency_id: i64,
    kind: BoxKind,
    days: u32,
) -> Result<()> {
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
    Ok(())
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

/// How a message is filed: the day it was received, its deadline, the hash of the key its
/// sender holds, and the message it was transferred from (if any).
pub struct Filing<'a> {
    pub received_on: NaiveDate,
    pub due: NaiveDate,
    pub key_hash: &'a str,
    pub transferred_from: Option<i64>,
}

/// Stores a new message with a fresh tracking code; returns its id and code.
pub async fn insert(
    tx: &mut Tx,
    to: Destination,
    d: &MessageDraft,
    filing: Filing<'_>,
) -> Result<(i64, String)> {
    let Filing {
        received_on,
        due,
        key_hash,
        transferred_from,
    } = filing;
    let code = tracking_code(tx, chrono::Datelike::year(&received_on)).await?;
    let now = tx.now();
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO messages (tracking_code, key_hash, agency_id, box, document_id, title, body, \
                 name, phone, email, consent, status, simple, received_on, due_on, transferred_from, \
                 supervised, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, FALSE, $13, $14, $15, FALSE, $16, $16) \
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
            .bind(Status::Received.as_str())
            .bind(received_on)
            .bind(due)
            .bind(transferred_from)
            .bind(now),
        )
        .await?
        .get("id")?;
    Ok((id, code))
}

/// The hash of a message's key (a transfer keeps it).
pub async fn key_hash(tx: &mut Tx, id: i64) -> Result<String> {
    tx.fetch_one(Sql::new("SELECT key_hash FROM messages WHERE id = $1").bind(id))
        .await?
        .get("key_hash")
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

/// What a handling step records on the message row.
pub enum Change<'a> {
    Accepted {
        status: Status,
        simple: bool,
        due: NaiveDate,
    },
    /// Invalid or duplicate, with the reason.
    Triaged {
        status: Status,
        note: &'a str,
    },
    Transferred {
        status: Status,
        note: &'a str,
        to: i64,
    },
    Replied {
        status: Status,
        text: &'a str,
        on: NaiveDate,
    },
    Assignee(i64),
    /// The due day counted again after the calendar changed.
    Due(NaiveDate),
    /// 督办 with its note, or lifted (`None`).
    Supervision(Option<&'a str>),
    Published(&'a Publication),
    Unpublished,
    Rated {
        rating: Rating,
        note: Option<&'a str>,
    },
}

/// Writes one [`Change`] to message `id`, marking it updated.
pub async fn record(tx: &mut Tx, id: i64, change: Change<'_>) -> Result<()> {
    let now = tx.now();
    let set = |columns: &str| Sql::update_touching("messages", columns, now);
    let sql = match change {
        Change::Accepted {
            status,
            simple,
            due,
        } => set("status = $2, simple = $3, due_on = $4")
            .bind(status.as_str())
            .bind(simple)
            .bind(due),
        Change::Triaged { status, note } => set("status = $2, triage_note = $3")
            .bind(status.as_str())
            .bind(note),
        Change::Transferred { status, note, to } => {
            set("status = $2, triage_note = $3, transferred_to = $4")
                .bind(status.as_str())
                .bind(note)
                .bind(to)
        }
        Change::Replied { status, text, on } => set("status = $2, reply = $3, replied_on = $4")
            .bind(status.as_str())
            .bind(text)
            .bind(on),
        Change::Assignee(user) => set("assignee_id = $2").bind(user),
        Change::Due(day) => set("due_on = $2").bind(day),
        Change::Supervision(note) => set("supervised = $2, supervise_note = $3")
            .bind(note.is_some())
            .bind(note.map(str::to_owned)),
        Change::Published(p) => {
            set("public_title = $2, public_body = $3, public_reply = $4, published_at = $5")
                .bind(p.title.as_str())
                .bind(p.body.as_str())
                .bind(p.reply.as_str())
                .bind(now)
        }
        Change::Unpublished => {
            Sql::new("UPDATE messages SET updated_at = $1, published_at = NULL WHERE id = $2")
                .bind(now)
        }
        Change::Rated { rating, note } => set("rating = $2, rating_note = $3")
            .bind(rating.as_str())
            .bind(note.map(str::to_owned)),
    };
    tx.execute(sql.bind(id)).await?;
    Ok(())
}

/// Messages still waiting for a reply, across all agencies: what a calendar change recounts.
pub async fn awaiting_reply(e: &mut impl Exec) -> Result<Vec<Message>> {
    let rows = e
        .fetch_all(Sql::dynamic(select(
            "WHERE m.status IN ('received', 'accepted') ORDER BY m.id",
        )))
        .await?;
    rows.iter().map(from_row).collect()
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
