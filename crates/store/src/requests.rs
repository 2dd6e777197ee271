//! Information requests (依申请公开): intake with a tracking code and secret key, the
//! handling steps with their clock events, and the views of staff and applicant.
//!
//! The clock is never stored: it is recomputed from the events and the current calendar, so a
//! calendar correction moves every deadline at once.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::request::appeal::{AppealDraft, AppealResult};
use gongkai_domain::request::applicant::{ApplicantKind, IdType, mask_id};
use gongkai_domain::request::clock::{self, Channel, Clock, ClockEvent, Receipt};
use gongkai_domain::request::intake::{DeliveryChannel, DeliveryForm, RequestDraft};
use gongkai_domain::request::outcome::Outcome;
use gongkai_domain::request::workflow::{EventKind, Reply, Status};
use gongkai_domain::user::Principal;
use serde::Serialize;
use serde_json::json;

use crate::audit::Actor;
use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::secret;

const NOT_FOUND: DomainError = DomainError::NotFound { what: "申请" };

#[derive(Clone, Debug, Serialize)]
pub struct Request {
    pub id: i64,
    pub tracking_code: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub status: Status,
    pub channel: Channel,
    pub submitted_on: NaiveDate,
    pub arrived_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub applicant_kind: ApplicantKind,
    pub applicant_name: String,
    pub id_type: IdType,
    /// Never serialised: pages show [`Request::masked_id`].
    #[serde(skip)]
    pub id_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub description: String,
    pub doc_reference: Option<String>,
    pub purpose: Option<String>,
    pub delivery_form: DeliveryForm,
    pub delivery_channel: DeliveryChannel,
    pub assignee_id: Option<i64>,
    pub outcome: Option<Outcome>,
    pub reply_text: Option<String>,
    pub withheld_note: Option<String>,
    /// The competent agency and its contact, when the information is another agency's.
    pub referred_to: Option<String>,
    /// That agency, when it is on the platform (the application can be handed over).
    pub referred_agency_id: Option<i64>,
    /// 转交: the application this one was handed over from, or to.
    pub transferred_from: Option<i64>,
    pub transferred_to: Option<i64>,
    pub replied_on: Option<NaiveDate>,
    pub delivered_how: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Request {
    pub fn masked_id(&self) -> String {
        mask_id(&self.id_number)
    }

    pub fn receipt(&self) -> Receipt {
        Receipt {
            channel: self.channel,
            submitted_on: self.submitted_on,
            arrived_on: self.arrived_on,
            confirmed_on: self.confirmed_on,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub on_date: NaiveDate,
    pub step: EventKind,
    pub clock: Option<ClockEvent>,
    /// Staff only.
    pub note: Option<String>,
    /// Shown to the applicant.
    pub public_note: Option<String>,
}

const COLUMNS: &str = "r.id, r.tracking_code, r.agency_id, a.name AS agency_name, r.status, r.channel, \
    r.submitted_on, r.arrived_on, r.confirmed_on, r.received_on, r.applicant_kind, r.applicant_name, \
    r.id_type, r.id_number, r.phone, r.email, r.address, r.description, r.doc_reference, r.purpose, \
    r.delivery_form, r.delivery_channel, r.assignee_id, r.outcome, r.reply_text, r.withheld_note, \
    r.referred_to, r.referred_agency_id, r.transferred_from, r.transferred_to, r.replied_on, \
    r.delivered_how, r.created_at";

fn request(r: &Row) -> Result<Request> {
    Ok(from_row!(r => Request {
        id,
        tracking_code,
        agency_id,
        agency_name,
        status: code,
        channel: code,
        submitted_on,
        arrived_on,
        confirmed_on,
        received_on,
        applicant_kind: code,
        applicant_name,
        id_type: code,
        id_number,
        phone,
        email,
        address,
        description,
        doc_reference,
        purpose,
        delivery_form: code,
        delivery_channel: code,
        assignee_id,
        outcome: code_opt,
        reply_text,
        withheld_note,
        referred_to,
        referred_agency_id,
        transferred_from,
        transferred_to,
        replied_on,
        delivered_how,
        created_at,
    }))
}

fn event(r: &Row) -> Result<Event> {
    Ok(from_row!(r => Event {
        at,
        on_date,
        step: code,
        clock = r
        .get::<Option<String>>("clock")?
        .map(|c| {
        serde_json::from_str(&c)
        .map_err(|e| DomainError::internal_from("stored clock event", e))
        })
        .transpose()?,
        note,
        public_note,
    }))
}

/// The audit view of a request: no personal data.
pub fn audit_view(r: &Request) -> serde_json::Value {
    json!({
        "tracking_code": r.tracking_code,
        "status": r.status.as_str(),
        "received_on": r.received_on,
        "outcome": r.outcome.map(|o| o.code()),
        "applicant_kind": r.applicant_kind.as_str(),
    })
}

async fn tracking_code(tx: &mut Tx, year: i32) -> Result<String> {
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO request_sequences (year, last_seq) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_seq = request_sequences.last_seq + 1 \
                 RETURNING last_seq",
            )
            .bind(i64::from(year)),
        )
        .await?;
    let seq: i64 = row.get("last_seq")?;
    Ok(format!("YSQ{year}-{seq:06}"))
}

/// A step to record: its date, name, clock event and notes.
pub struct NewEvent<'a> {
    pub on: NaiveDate,
    pub step: EventKind,
    pub clock: Option<&'a ClockEvent>,
    pub note: Option<&'a str>,
    pub public_note: Option<&'a str>,
}

pub async fn add_event(tx: &mut Tx, actor: &Actor, id: i64, e: NewEvent<'_>) -> Result<()> {
    let NewEvent {
        on,
        step,
        clock,
        note,
        public_note,
    } = e;
    let now = tx.now();
    let clock = clock
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| DomainError::internal_from("clock event", e))?;
    tx.execute(
        Sql::new(
            "INSERT INTO request_events (request_id, at, on_date, step, clock, note, public_note, actor_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(now)
        .bind(on)
        .bind(step.as_str())
        .bind(clock)
        .bind(note)
        .bind(public_note)
        .bind(actor.user_id),
    )
    .await?;
    Ok(())
}

/// Stores a new application with a fresh tracking code; returns its id and code.
pub async fn insert(
    tx: &mut Tx,
    agency_id: i64,
    d: &RequestDraft,
    status: Status,
    received: Option<NaiveDate>,
    key_hash: &str,
) -> Result<(i64, String)> {
    let code = tracking_code(tx, chrono::Datelike::year(&d.receipt.submitted_on)).await?;
    let now = tx.now();
    let a = &d.applicant;
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO requests (tracking_code, key_hash, agency_id, status, channel, submitted_on, \
                 arrived_on, confirmed_on, received_on, applicant_kind, applicant_name, id_type, id_number, \
                 phone, email, address, description, doc_reference, purpose, delivery_form, delivery_channel, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                 $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id",
            )
            .bind(code.as_str())
            .bind(key_hash)
            .bind(agency_id)
            .bind(status.as_str())
            .bind(d.receipt.channel.as_str())
            .bind(d.receipt.submitted_on)
            .bind(d.receipt.arrived_on)
            .bind(d.receipt.confirmed_on)
            .bind(received)
            .bind(a.kind.as_str())
            .bind(a.name.as_str())
            .bind(a.id_type.as_str())
            .bind(a.id_number.as_str())
            .bind(a.phone.as_ref())
            .bind(a.email.as_ref())
            .bind(a.address.as_ref())
            .bind(d.description.as_str())
            .bind(d.doc_reference.as_ref())
            .bind(d.purpose.as_ref())
            .bind(d.delivery_form.as_str())
            .bind(d.delivery_channel.as_str())
            .bind(now),
        )
        .await?;
    let id: i64 = row.get("id")?;
    Ok((id, code))
}

/// A request with its events, whoever asks (callers check visibility).
pub async fn load(e: &mut impl Exec, id: i64) -> Result<Option<(Request, Vec<Event>)>> {
    let Some(row) = e
        .fetch_optional(
            sql_once!(
                "SELECT {COLUMNS} FROM requests r JOIN agencies a ON a.id = r.agency_id WHERE r.id = $1"
            )
            .bind(id),
        )
        .await?
    else {
        return Ok(None);
    };
    let events = e
        .fetch_all(
            Sql::new(
                "SELECT at, on_date, step, clock, note, public_note FROM request_events \
                 WHERE request_id = $1 ORDER BY id",
            )
            .bind(id),
        )
        .await?;
    Ok(Some((
        request(&row)?,
        events.iter().map(event).collect::<Result<_>>()?,
    )))
}

/// A request for its agency's staff (and the disclosure office); others learn nothing.
pub async fn staff_get(
    e: &mut impl Exec,
    who: &Principal,
    id: i64,
) -> Result<(Request, Vec<Event>)> {
    let (r, events) = load(e, id).await?.ok_or(NOT_FOUND)?;
    if !who.may_act_for(r.agency_id) {
        return Err(NOT_FOUND);
    }
    Ok((r, events))
}

/// The applicant's view, given the tracking code and the key; `None` for any mismatch,
/// without saying which part was wrong.
pub async fn track(
    e: &mut impl Exec,
    code: &str,
    key: &str,
) -> Result<Option<(Request, Vec<Event>)>> {
    let row = e
        .fetch_optional(
            Sql::new("SELECT id, key_hash FROM requests WHERE tracking_code = $1")
                .bind(code.trim().to_uppercase()),
        )
        .await?;
    let expected = secret::hash_token(key.trim());
    // Compare against a dummy hash when the code is unknown, so both failures take as long.
    let (id, stored) = match &row {
        Some(r) => (Some(r.get::<i64>("id")?), r.get::<String>("key_hash")?),
        None => (None, secret::hash_token("no such request")),
    };
    if !secret::constant_time_eq(&stored, &expected) {
        return Ok(None);
    }
    match id {
        Some(id) => load(e, id).await,
        None => Ok(None),
    }
}

/// The clock events recorded so far, in order.
pub fn clock_events(events: &[Event]) -> Vec<ClockEvent> {
    events.iter().filter_map(|e| e.clock).collect()
}

/// The request's clock as of `today`; `None` before its receipt date is known.
pub fn clock_of(
    cal: &WorkCalendar,
    r: &Request,
    events: &[Event],
    today: NaiveDate,
) -> Result<Option<Clock>> {
    match r.received_on {
        None => Ok(None),
        Some(received) => clock::compute(cal, received, &clock_events(events), today).map(Some),
    }
}

/// The SQL condition for the unfinished requests a principal may handle ($1: sees all agencies,
/// $2: own agency); the statuses come from [`Status::is_unfinished`].
fn unfinished() -> String {
    let statuses: Vec<String> = Status::ALL
        .iter()
        .filter(|s| s.is_unfinished())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!(
        "($1 OR r.agency_id = $2) AND r.status IN ({})",
        statuses.join(", ")
    )
}

/// A line in the office queue.
#[derive(Clone, Debug, Serialize)]
pub struct Queued {
    pub request: Request,
    pub clock: Option<Clock>,
}

/// Open requests `who` may handle (pending confirmation included), oldest first, with their
/// clocks as of `today`. Bounded: an office has hundreds open, not millions.
pub async fn queue(
    e: &mut impl Exec,
    who: &Principal,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<Queued>> {
    // Two queries whatever the queue's length: the open requests, then all their events.
    let open = unfinished();
    let bind = |sql: Sql| sql.bind(who.role.sees_all_agencies()).bind(who.agency_id);
    let rows = e
        .fetch_all(
            bind(Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM requests r JOIN agencies a ON a.id = r.agency_id \
                 WHERE {open} ORDER BY r.submitted_on, r.id LIMIT $3"
            )))
            .bind(limit.clamp(1, 1000)),
        )
        .await?;
    let requests: Vec<Request> = rows.iter().map(request).collect::<Result<_>>()?;
    let Some(first) = requests.iter().map(|r| r.id).min() else {
        return Ok(Vec::new());
    };
    let events = e
        .fetch_all(
            bind(Sql::dynamic(format!(
                "SELECT e.request_id, e.at, e.on_date, e.step, e.clock, e.note, e.public_note \
                 FROM request_events e JOIN requests r ON r.id = e.request_id \
                 WHERE {open} AND r.id >= $3 ORDER BY e.request_id, e.id"
            )))
            .bind(first),
        )
        .await?;
    let mut by_request: std::collections::HashMap<i64, Vec<Event>> =
        std::collections::HashMap::new();
    for row in &events {
        by_request
            .entry(row.get("request_id")?)
            .or_default()
            .push(event(row)?);
    }
    let cal = crate::calendar::work_calendar(e).await?;
    requests
        .into_iter()
        .map(|request| {
            let events = by_request.remove(&request.id).unwrap_or_default();
            let clock = clock_of(&cal, &request, &events, today)?;
            Ok(Queued { request, clock })
        })
        .collect()
}

/// An open request's deadline as of `today`: its agency and clock (`None` until receipt is
/// confirmed), without the applicant's data.
pub struct OpenClock {
    pub agency_id: i64,
    pub tracking_code: String,
    pub clock: Option<Clock>,
}

/// The clocks of every open request `who` may handle, for counting what is overdue or due
/// soon. Two lean queries (ids and dates, then the clock events only) however many are open:
/// the dashboard counts all of them, not a page of them.
pub async fn open_clocks(
    e: &mut impl Exec,
    who: &Principal,
    today: NaiveDate,
) -> Result<Vec<OpenClock>> {
    let cal = crate::calendar::work_calendar(e).await?;
    open_clocks_on(e, who, today, &cal).await
}

/// [`open_clocks`] on a given calendar: to compare deadlines before and after it changes.
pub async fn open_clocks_on(
    e: &mut impl Exec,
    who: &Principal,
    today: NaiveDate,
    cal: &gongkai_domain::calendar::WorkCalendar,
) -> Result<Vec<OpenClock>> {
    let open = unfinished();
    let bind = |sql: Sql| sql.bind(who.role.sees_all_agencies()).bind(who.agency_id);
    let rows = e
        .fetch_all(bind(Sql::dynamic(format!(
            "SELECT r.id, r.agency_id, r.tracking_code, r.received_on FROM requests r WHERE {open} ORDER BY r.id"
        ))))
        .await?;
    let events = e
        .fetch_all(bind(Sql::dynamic(format!(
            "SELECT e.request_id, e.clock FROM request_events e JOIN requests r ON r.id = e.request_id \
             WHERE {open} AND e.clock IS NOT NULL ORDER BY e.request_id, e.id"
        ))))
        .await?;
    let mut by_request: std::collections::HashMap<i64, Vec<ClockEvent>> =
        std::collections::HashMap::new();
    for row in &events {
        let json: String = row.get("clock")?;
        let event = serde_json::from_str(&json)
            .map_err(|e| DomainError::internal_from("stored clock event", e))?;
        by_request
            .entry(row.get("request_id")?)
            .or_default()
            .push(event);
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get("id")?;
            let received: Option<NaiveDate> = row.get("received_on")?;
            let clock = match received {
                None => None,
                Some(on) => {
                    let events = by_request.remove(&id).unwrap_or_default();
                    Some(clock::compute(cal, on, &events, today)?)
                }
            };
            Ok(OpenClock {
                agency_id: row.get("agency_id")?,
                tracking_code: row.get("tracking_code")?,
                clock,
            })
        })
        .collect()
}

/// The id of the request with this tracking code.
pub async fn id_by_code(e: &mut impl Exec, code: &str) -> Result<Option<i64>> {
    e.fetch_optional(
        Sql::new("SELECT id FROM requests WHERE tracking_code = $1")
            .bind(code.trim().to_uppercase()),
    )
    .await?
    .map(|r| r.get("id"))
    .transpose()
}

/// Which request of its applicant this is within its calendar month at this agency (1-based),
/// for the 按件计收 fee bands (国办函〔2020〕109号 第四条).
pub async fn nth_in_month(e: &mut impl Exec, r: &Request) -> Result<i64> {
    use chrono::Datelike;
    let first = r.submitted_on.with_day(1).unwrap_or(r.submitted_on);
    e.fetch_one(
        Sql::new(
            "SELECT COUNT(*) AS n FROM requests WHERE agency_id = $1 AND id_number = $2 \
             AND submitted_on >= $3 AND (submitted_on < $4 OR (submitted_on = $4 AND id <= $5))",
        )
        .bind(r.agency_id)
        .bind(r.id_number.as_str())
        .bind(first)
        .bind(r.submitted_on)
        .bind(r.id),
    )
    .await?
    .get("n")
}

/// Other applicants' requests to the same agency for the same information (same 文号/name, or
/// the same description): a sign it should be published proactively (条例第四十四条).
pub async fn repeated(e: &mut impl Exec, r: &Request) -> Result<Vec<(String, Status)>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT tracking_code, status FROM requests WHERE agency_id = $1 AND id <> $2 \
                 AND id_number <> $3 AND (description = $4 OR (doc_reference IS NOT NULL AND doc_reference = $5)) \
                 ORDER BY id DESC LIMIT 20",
            )
            .bind(r.agency_id)
            .bind(r.id)
            .bind(r.id_number.as_str())
            .bind(r.description.as_str())
            .bind(r.doc_reference.as_ref()),
        )
        .await?;
    rows.iter()
        .map(|row| Ok((row.get("tracking_code")?, row.code("status")?)))
        .collect()
}

/// A 复议 or 诉讼 about a request.
#[derive(Clone, Debug, Serialize)]
pub struct Appeal {
    pub id: i64,
    pub kind: gongkai_domain::request::appeal::AppealKind,
    pub filed_on: NaiveDate,
    pub result: gongkai_domain::request::appeal::AppealResult,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
}

pub async fn appeals(e: &mut impl Exec, id: i64) -> Result<Vec<Appeal>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, kind, filed_on, result, decided_on, note FROM request_appeals \
                 WHERE request_id = $1 ORDER BY id",
            )
            .bind(id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => Appeal {
                id,
                kind: code,
                filed_on,
                result: code,
                decided_on,
                note,
            }))
        })
        .collect()
}

/// The applicant's lookup by code and key, rate-limited per client: too many failures and the
/// client is refused for a while; each attempt is counted.
pub async fn lookup(
    e: &mut impl Exec,
    code: &str,
    key: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Request, Vec<Event>)>> {
    use crate::throttle;
    let attempt = throttle::reserve(e, "track", client, now, throttle::TRACK).await?;
    let found = track(e, code, key).await?;
    if found.is_some() {
        throttle::succeeded(e, attempt).await?;
    }
    Ok(found)
}

/// The facts a handling step records on the request row; each is one column group.
pub enum Change<'a> {
    Receipt {
        confirmed_on: NaiveDate,
        arrived_on: Option<NaiveDate>,
        received_on: Option<NaiveDate>,
    },
    Assignee(i64),
    Fee {
        yuan: i64,
        basis: &'a str,
    },
    FeePaid(NaiveDate),
    Reply {
        reply: &'a Reply,
        referred_agency: Option<i64>,
    },
    Delivered {
        on: NaiveDate,
        how: &'a str,
    },
    Withdrawn(NaiveDate),
    /// 转交: the application this one was handed over from.
    TransferredFrom(i64),
    /// 转交: the competent agency's new application.
    TransferredTo(i64),
}

/// Writes one [`Change`] to request `id`, marking the row updated.
pub async fn record(tx: &mut Tx, id: i64, change: Change<'_>) -> Result<()> {
    let now = tx.now();
    let set = |columns: &str| Sql::update_touching("requests", columns, now);
    let sql = match change {
        Change::Receipt {
            confirmed_on,
            arrived_on,
            received_on,
        } => set("confirmed_on = $2, arrived_on = $3, received_on = $4")
            .bind(confirmed_on)
            .bind(arrived_on)
            .bind(received_on),
        Change::Assignee(user) => set("assignee_id = $2").bind(user),
        Change::Fee { yuan, basis } => set("fee_yuan = $2, fee_basis = $3").bind(yuan).bind(basis),
        Change::FeePaid(on) => set("fee_paid_on = $2").bind(on),
        Change::Reply {
            reply,
            referred_agency,
        } => set(
            "outcome = $2, reply_text = $3, withheld_note = $4, referred_to = $5, referred_agency_id = $6",
        )
        .bind(reply.outcome.code())
        .bind(reply.text.clone())
        .bind(reply.withheld_note.clone())
        .bind(reply.referred_to.clone())
        .bind(referred_agency),
        Change::Delivered { on, how } => set("replied_on = $2, delivered_how = $3").bind(on).bind(how),
        Change::Withdrawn(on) => set("withdrawn_on = $2").bind(on),
        Change::TransferredFrom(from) => set("transferred_from = $2").bind(from),
        Change::TransferredTo(to) => set("transferred_to = $2").bind(to),
    };
    tx.execute(sql.bind(id)).await?;
    Ok(())
}

/// Moves request `id` to `status`.
pub async fn set_status(tx: &mut Tx, id: i64, status: Status) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE requests SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// The hash of a request's secret key (a hand-over keeps it).
pub async fn key_hash(tx: &mut Tx, id: i64) -> Result<String> {
    tx.fetch_one(Sql::new("SELECT key_hash FROM requests WHERE id = $1").bind(id))
        .await?
        .get("key_hash")
}

/// Stores a 复议 or 诉讼 about request `id`; returns its id.
pub async fn insert_appeal(tx: &mut Tx, id: i64, d: &AppealDraft) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO request_appeals (request_id, kind, filed_on, result, decided_on, note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(id)
        .bind(d.kind.as_str())
        .bind(d.filed_on)
        .bind(d.result.as_str())
        .bind(d.decided_on)
        .bind(d.note.as_str())
        .bind(now),
    )
    .await?
    .get("id")
}

/// An appeal as a decision on it needs it.
pub struct AppealState {
    pub request_id: i64,
    pub result: AppealResult,
    pub filed_on: NaiveDate,
}

pub async fn appeal_state(e: &mut impl Exec, appeal_id: i64) -> Result<Option<AppealState>> {
    let Some(row) = e
        .fetch_optional(
            Sql::new("SELECT request_id, result, filed_on FROM request_appeals WHERE id = $1")
                .bind(appeal_id),
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(AppealState {
        request_id: row.get("request_id")?,
        result: row.code("result")?,
        filed_on: row.get("filed_on")?,
    }))
}

pub async fn set_appeal_result(
    tx: &mut Tx,
    appeal_id: i64,
    result: AppealResult,
    decided_on: NaiveDate,
) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE request_appeals SET result = $1, decided_on = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(result.as_str())
        .bind(decided_on)
        .bind(now)
        .bind(appeal_id),
    )
    .await?;
    Ok(())
}

/// The agency of `user_id` when that user is active.
pub async fn active_user_agency(tx: &mut Tx, user_id: i64) -> Result<Option<i64>> {
    tx.fetch_optional(
        Sql::new("SELECT agency_id FROM users WHERE id = $1 AND active").bind(user_id),
    )
    .await?
    .map(|r| r.get("agency_id"))
    .transpose()
}
