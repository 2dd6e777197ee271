//! Information requests (依申请公开): intake with a tracking code and secret key, the
//! handling steps with their clock events, and the views of staff and applicant.
//!
//! The clock is never stored: it is recomputed from the events and the current calendar, so a
//! calendar correction moves every deadline at once.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::request::applicant::{ApplicantKind, IdType, mask_id};
use gongkai_domain::request::clock::{self, Channel, Clock, ClockEvent, PauseKind, Receipt};
use gongkai_domain::request::intake::{DeliveryChannel, DeliveryForm, RequestDraft};
use gongkai_domain::request::notice::{self, NoticeInput};
use gongkai_domain::request::outcome::Outcome;
use gongkai_domain::request::transfer;
use gongkai_domain::request::workflow::{Reply, Status, Step, transition};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::secret;

const NOT_FOUND: DomainError = DomainError::NotFound { what: "申请" };

/// What the applicant gets once the application is committed.
#[derive(Clone, Debug, Serialize)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: String,
    pub key: String,
}

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

    fn receipt(&self) -> Receipt {
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
    pub step: String,
    pub clock: Option<ClockEvent>,
    /// Staff only.
    pub note: Option<String>,
    /// Shown to the applicant.
    pub public_note: Option<String>,
}

impl Event {
    /// The step's name in the office timeline.
    pub fn step_label(&self) -> &str {
        match self.step.as_str() {
            "submit" => "提交",
            "register" => "登记",
            "confirm_receipt" => "确认收到",
            "assign" => "分办",
            "request_correction" => "补正告知",
            "receive_correction" => "收到补正",
            "start_consultation" => "开始征求意见",
            "end_consultation" => "征求意见结束",
            "notice_fee" => "收费通知",
            "receive_payment" => "缴费",
            "extend" => "延期",
            "draft_reply" => "拟答复",
            "return_draft" => "退回修改",
            "approve" => "审核通过",
            "deliver" => "送达",
            "withdraw" => "撤回",
            "archive" => "归档",
            "transfer" => "转交",
            "transfer_in" => "转交收到",
            "convert" => "转为主动公开",
            other => other,
        }
    }
}

const COLUMNS: &str = "r.id, r.tracking_code, r.agency_id, a.name AS agency_name, r.status, r.channel, \
    r.submitted_on, r.arrived_on, r.confirmed_on, r.received_on, r.applicant_kind, r.applicant_name, \
    r.id_type, r.id_number, r.phone, r.email, r.address, r.description, r.doc_reference, r.purpose, \
    r.delivery_form, r.delivery_channel, r.assignee_id, r.outcome, r.reply_text, r.withheld_note, \
    r.referred_to, r.referred_agency_id, r.transferred_from, r.transferred_to, r.replied_on, \
    r.delivered_how, r.created_at";

fn stored<T>(r: std::result::Result<T, DomainError>, what: &str) -> Result<T> {
    r.map_err(|e| DomainError::internal_from(format!("stored {what}"), e))
}

fn request(r: &Row) -> Result<Request> {
    Ok(Request {
        id: r.get("id")?,
        tracking_code: r.get("tracking_code")?,
        agency_id: r.get("agency_id")?,
        agency_name: r.get("agency_name")?,
        status: stored(Status::parse(&r.get::<String>("status")?), "status")?,
        channel: stored(Channel::parse(&r.get::<String>("channel")?), "channel")?,
        submitted_on: r.get("submitted_on")?,
        arrived_on: r.get("arrived_on")?,
        confirmed_on: r.get("confirmed_on")?,
        received_on: r.get("received_on")?,
        applicant_kind: stored(
            ApplicantKind::parse(&r.get::<String>("applicant_kind")?),
            "applicant kind",
        )?,
        applicant_name: r.get("applicant_name")?,
        id_type: stored(IdType::parse(&r.get::<String>("id_type")?), "id type")?,
        id_number: r.get("id_number")?,
        phone: r.get("phone")?,
        email: r.get("email")?,
        address: r.get("address")?,
        description: r.get("description")?,
        doc_reference: r.get("doc_reference")?,
        purpose: r.get("purpose")?,
        delivery_form: stored(
            DeliveryForm::parse(&r.get::<String>("delivery_form")?),
            "delivery form",
        )?,
        delivery_channel: stored(
            DeliveryChannel::parse(&r.get::<String>("delivery_channel")?),
            "delivery channel",
        )?,
        assignee_id: r.get("assignee_id")?,
        outcome: r
            .get::<Option<String>>("outcome")?
            .map(|o| stored(Outcome::parse(&o), "outcome"))
            .transpose()?,
        reply_text: r.get("reply_text")?,
        withheld_note: r.get("withheld_note")?,
        referred_to: r.get("referred_to")?,
        referred_agency_id: r.get("referred_agency_id")?,
        transferred_from: r.get("transferred_from")?,
        transferred_to: r.get("transferred_to")?,
        replied_on: r.get("replied_on")?,
        delivered_how: r.get("delivered_how")?,
        created_at: r.get("created_at")?,
    })
}

fn event(r: &Row) -> Result<Event> {
    Ok(Event {
        at: r.get("at")?,
        on_date: r.get("on_date")?,
        step: r.get("step")?,
        clock: r
            .get::<Option<String>>("clock")?
            .map(|c| {
                serde_json::from_str(&c)
                    .map_err(|e| DomainError::internal_from("stored clock event", e))
            })
            .transpose()?,
        note: r.get("note")?,
        public_note: r.get("public_note")?,
    })
}

/// The audit view of a request: no personal data.
fn audit_view(r: &Request) -> serde_json::Value {
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
struct NewEvent<'a> {
    on: NaiveDate,
    step: &'a str,
    clock: Option<&'a ClockEvent>,
    note: Option<&'a str>,
    public_note: Option<&'a str>,
}

async fn add_event(tx: &mut Tx, actor: &Actor, id: i64, e: NewEvent<'_>) -> Result<()> {
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
        .bind(step)
        .bind(clock)
        .bind(note)
        .bind(public_note)
        .bind(actor.user_id),
    )
    .await?;
    Ok(())
}

/// Queues the applicant's e-mail for a step they can see, when they gave an address. In the
/// step's transaction: the notice is sent if and only if the step is committed.
async fn notify(tx: &mut Tx, id: i64, public_note: Option<&str>, today: NaiveDate) -> Result<()> {
    let (r, events) = load(tx, id).await?.ok_or(NOT_FOUND)?;
    let Some(to) = r.email.as_deref() else {
        return Ok(());
    };
    let cal = crate::calendar::work_calendar(tx).await?;
    let due = clock_of(&cal, &r, &events, today)?.and_then(|c| c.due);
    let site = crate::settings::get(tx, "public_url").await?;
    let input = NoticeInput {
        to,
        agency: &r.agency_name,
        applicant: &r.applicant_name,
        tracking_code: &r.tracking_code,
        status: r.status,
        due_on: due,
        site: site.as_deref(),
    };
    let mail = match public_note {
        Some(note) => notice::progress(&input, note),
        None => notice::filed(&input, r.received_on.is_none()),
    };
    crate::mail::enqueue(tx, Some(id), &mail).await?;
    Ok(())
}

/// Stores a new application with a fresh tracking code; returns its id and code.
async fn insert(
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

/// Files an application for `agency_id`. Committed by the caller's transaction before the
/// code and key are shown to anyone.
pub async fn submit(
    tx: &mut Tx,
    actor: &Actor,
    agency_id: i64,
    d: &RequestDraft,
) -> Result<Submitted> {
    crate::agencies::by_id(tx, agency_id)
        .await?
        .ok_or_else(|| DomainError::invalid(Field::new("agency", "受理机关"), "受理机关不存在"))?;
    let received = d.receipt.received_on()?.map(|(on, _)| on);
    let status = if received.is_some() {
        Status::Registered
    } else {
        Status::Pending
    };
    let key = secret::random_token(12)?;
    let (id, code) = insert(
        tx,
        agency_id,
        d,
        status,
        received,
        &secret::hash_token(&key),
    )
    .await?;
    add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: d.receipt.submitted_on,
            step: "submit",
            clock: None,
            note: None,
            public_note: Some("申请已提交"),
        },
    )
    .await?;
    if let Some(on) = received {
        add_event(
            tx,
            actor,
            id,
            NewEvent {
                on,
                step: "register",
                clock: None,
                note: None,
                public_note: Some("已登记,开始计算答复期限"),
            },
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        "request.submit",
        ("request", &id.to_string()),
        None,
        Some(&json!({"tracking_code": code, "status": status.as_str(), "channel": d.receipt.channel.as_str(), "received_on": received})),
    )
    .await?;
    notify(tx, id, None, d.receipt.submitted_on).await?;
    Ok(Submitted {
        id,
        tracking_code: code,
        key,
    })
}

async fn load(e: &mut impl Exec, id: i64) -> Result<Option<(Request, Vec<Event>)>> {
    let Some(row) = e
        .fetch_optional(
            Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM requests r JOIN agencies a ON a.id = r.agency_id WHERE r.id = $1"
            ))
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

/// What staff do; each maps to a workflow step and, for the clock, an event.
#[derive(Clone, Debug)]
pub enum Action {
    ConfirmReceipt {
        on: NaiveDate,
    },
    Assign {
        user_id: i64,
    },
    RequestCorrection {
        on: NaiveDate,
        deadline: NaiveDate,
        what: String,
    },
    ReceiveCorrection {
        on: NaiveDate,
    },
    StartConsultation {
        on: NaiveDate,
        pause: PauseKind,
        note: String,
    },
    EndConsultation {
        on: NaiveDate,
        pause: PauseKind,
        note: String,
    },
    NoticeFee {
        on: NaiveDate,
        basis: gongkai_domain::fees::FeeBasis,
    },
    ReceivePayment {
        on: NaiveDate,
    },
    Extend {
        on: NaiveDate,
        days: u32,
        reason: String,
    },
    DraftReply {
        outcome: Outcome,
        text: String,
        withheld_note: String,
        /// For 本机关不掌握: the competent agency and its contact, if known.
        referred_to: String,
        /// The code of that agency when it is on the platform; its contact fills an empty
        /// `referred_to`.
        referred_agency: String,
    },
    ReturnDraft {
        reason: String,
    },
    Approve,
    Deliver {
        on: NaiveDate,
        how: String,
    },
    Withdraw {
        on: NaiveDate,
    },
    Archive,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::ConfirmReceipt { .. } => "confirm_receipt",
            Action::Assign { .. } => "assign",
            Action::RequestCorrection { .. } => "request_correction",
            Action::ReceiveCorrection { .. } => "receive_correction",
            Action::StartConsultation { .. } => "start_consultation",
            Action::EndConsultation { .. } => "end_consultation",
            Action::NoticeFee { .. } => "notice_fee",
            Action::ReceivePayment { .. } => "receive_payment",
            Action::Extend { .. } => "extend",
            Action::DraftReply { .. } => "draft_reply",
            Action::ReturnDraft { .. } => "return_draft",
            Action::Approve => "approve",
            Action::Deliver { .. } => "deliver",
            Action::Withdraw { .. } => "withdraw",
            Action::Archive => "archive",
        }
    }
}

fn text(value: &str, field: Field, min: usize, max: usize) -> Result<String> {
    let v = gongkai_domain::text::bounded_multiline(value, field, min, max)?;
    gongkai_domain::text::reject_active_markup(&v, field)?;
    Ok(v)
}

/// Takes a step on a request. The workflow decides whether the step is allowed now and for
/// `who`; a clock event is checked by recomputing the clock with it; nothing is written if
/// either refuses.
pub async fn act(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    action: &Action,
    today: NaiveDate,
) -> Result<Status> {
    let (r, events) = load(tx, id).await?.ok_or(NOT_FOUND)?;
    if !who.may_act_for(r.agency_id) && !matches!(action, Action::Withdraw { .. }) {
        return Err(NOT_FOUND);
    }
    let cal = crate::calendar::work_calendar(tx).await?;
    let current = clock_of(&cal, &r, &events, today)?;
    let (step, clock_event): (Step, Option<ClockEvent>) = match action {
        Action::ConfirmReceipt { .. } => (Step::ConfirmReceipt, None),
        Action::Assign { .. } => (Step::Assign, None),
        Action::RequestCorrection { on, deadline, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::CorrectionRequested {
                on: *on,
                deadline: *deadline,
            }),
        ),
        Action::ReceiveCorrection { on } => (
            Step::Clock { extension: false },
            Some(ClockEvent::CorrectionReceived { on: *on }),
        ),
        Action::StartConsultation { on, pause, .. } | Action::EndConsultation { on, pause, .. }
            if *pause == PauseKind::Fee =>
        {
            let _ = on;
            return Err(DomainError::invalid(
                Field::new("pause", "征求意见对象"),
                "请选择征求第三方或其他机关的意见",
            ));
        }
        Action::StartConsultation { on, pause, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseStarted {
                on: *on,
                pause: *pause,
            }),
        ),
        Action::EndConsultation { on, pause, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseEnded {
                on: *on,
                pause: *pause,
            }),
        ),
        Action::NoticeFee { on, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseStarted {
                on: *on,
                pause: PauseKind::Fee,
            }),
        ),
        Action::ReceivePayment { on } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseEnded {
                on: *on,
                pause: PauseKind::Fee,
            }),
        ),
        Action::Extend { on, days, .. } => (
            Step::Clock { extension: true },
            Some(ClockEvent::Extended {
                on: *on,
                days: *days,
            }),
        ),
        Action::DraftReply { outcome, .. } => (Step::DraftReply { outcome: *outcome }, None),
        Action::ReturnDraft { reason } => (
            Step::ReturnDraft {
                reason: reason.clone(),
            },
            None,
        ),
        Action::Approve => (Step::Approve, None),
        Action::Deliver { on, .. } => (Step::Deliver, Some(ClockEvent::Closed { on: *on })),
        Action::Withdraw { on } => (
            Step::Withdraw,
            r.received_on.map(|_| ClockEvent::Closed { on: *on }),
        ),
        Action::Archive => (Step::Archive, None),
    };
    let to = transition(r.status, &step, who, r.agency_id)?;
    if let Some(ev) = &clock_event {
        if ev.on() > today {
            return Err(DomainError::invalid(
                Field::new("on", "日期"),
                format!("日期 {} 晚于今天", ev.on()),
            ));
        }
        let received = r
            .received_on
            .ok_or_else(|| DomainError::conflict(None, "尚未确认收到申请,答复期限还未开始计算"))?;
        let mut all = clock_events(&events);
        all.push(*ev);
        clock::compute(&cal, received, &all, today)?;
    }
    let key = id.to_string();
    let now = tx.now();
    let on_date = clock_event.map_or(today, |e| e.on());
    let (note, public_note): (Option<String>, Option<String>) = match action {
        Action::ConfirmReceipt { on } => {
            if *on > today || *on < r.submitted_on {
                return Err(DomainError::invalid(
                    Field::new("on", "确认日期"),
                    "确认日期应在提交日期与今天之间",
                ));
            }
            let receipt = Receipt {
                confirmed_on: Some(*on),
                ..r.receipt()
            };
            let received = receipt.received_on()?.map(|(d, _)| d);
            tx.execute(
                Sql::new("UPDATE requests SET confirmed_on = $1, received_on = $2 WHERE id = $3")
                    .bind(*on)
                    .bind(received)
                    .bind(id),
            )
            .await?;
            (None, Some(format!("已确认收到申请,收到申请之日为 {on}")))
        }
        Action::Assign { user_id } => {
            let row = tx
                .fetch_optional(
                    Sql::new("SELECT agency_id FROM users WHERE id = $1 AND active").bind(*user_id),
                )
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(Field::new("user", "承办人"), "承办人不存在")
                })?;
            let agency: i64 = row.get("agency_id")?;
            if agency != r.agency_id {
                return Err(DomainError::invalid(
                    Field::new("user", "承办人"),
                    "承办人须为本机关工作人员",
                ));
            }
            tx.execute(
                Sql::new("UPDATE requests SET assignee_id = $1 WHERE id = $2")
                    .bind(*user_id)
                    .bind(id),
            )
            .await?;
            (None, Some("已分办,正在办理".into()))
        }
        Action::RequestCorrection { deadline, what, .. } => {
            let what = text(what, Field::new("what", "需要补正的事项"), 2, 2000)?;
            (None, Some(format!("请于 {deadline} 前补正:{what}")))
        }
        Action::ReceiveCorrection { on } => (
            None,
            Some(format!("{on} 收到补正后的申请,答复期限重新计算")),
        ),
        Action::StartConsultation { pause, note, .. } => (
            Some(text(note, Field::new("note", "说明"), 0, 2000)?),
            Some(format!("开始{},所需时间不计入答复期限", pause.label())),
        ),
        Action::EndConsultation { pause, note, .. } => (
            Some(text(note, Field::new("note", "说明"), 0, 2000)?),
            Some(format!("{}结束", pause.label())),
        ),
        Action::NoticeFee { basis, .. } => {
            let nth = u32::try_from(nth_in_month(tx, &r).await?).unwrap_or(u32::MAX);
            let fee = gongkai_domain::fees::assess(*basis, nth)?;
            tx.execute(
                Sql::new("UPDATE requests SET fee_yuan = $1, fee_basis = $2 WHERE id = $3")
                    .bind(i64::try_from(fee.yuan).unwrap_or(i64::MAX))
                    .bind(match basis {
                        gongkai_domain::fees::FeeBasis::ByItem => "by_item",
                        gongkai_domain::fees::FeeBasis::ByPages { .. } => "by_pages",
                    })
                    .bind(id),
            )
            .await?;
            (
                None,
                Some(format!(
                    "收费通知:{},合计 {} 元,请于收到通知次日起 20 个工作日内缴纳",
                    fee.explanation, fee.yuan
                )),
            )
        }
        Action::ReceivePayment { on } => {
            tx.execute(
                Sql::new("UPDATE requests SET fee_paid_on = $1 WHERE id = $2")
                    .bind(*on)
                    .bind(id),
            )
            .await?;
            (None, Some(format!("{on} 已缴费,继续办理")))
        }
        Action::Extend { days, reason, .. } => {
            let reason = text(reason, Field::new("reason", "延期理由"), 2, 1000)?;
            (
                Some(reason),
                Some(format!(
                    "经政府信息公开工作机构负责人同意,答复期限延长 {days} 个工作日"
                )),
            )
        }
        Action::DraftReply {
            outcome,
            text: body,
            withheld_note,
            referred_to,
            referred_agency,
        } => {
            let mut referred_to = referred_to.clone();
            let referred = match referred_agency.trim() {
                "" => None,
                code => {
                    let field = Field::new("referred_agency", "负责公开的机关");
                    let code = gongkai_domain::agency::AgencyCode::parse(code)?;
                    let a = crate::agencies::by_code(tx, &code)
                        .await?
                        .ok_or_else(|| DomainError::invalid(field, "负责公开的机关不存在"))?;
                    transfer::check_referral(*outcome, r.agency_id, a.id)?;
                    if referred_to.trim().is_empty() {
                        referred_to = transfer::referral(
                            &a.name,
                            a.address.as_deref(),
                            a.postcode.as_deref(),
                            a.phone.as_deref(),
                        );
                    }
                    Some(a.id)
                }
            };
            let reply = Reply::parse(
                *outcome,
                body,
                withheld_note,
                &referred_to,
                current.as_ref().map(|c| &c.state),
            )?;
            tx.execute(
                Sql::new("UPDATE requests SET outcome = $1, reply_text = $2, withheld_note = $3, referred_to = $4, referred_agency_id = $5 WHERE id = $6")
                    .bind(reply.outcome.code())
                    .bind(reply.text)
                    .bind(reply.withheld_note)
                    .bind(reply.referred_to)
                    .bind(referred)
                    .bind(id),
            )
            .await?;
            (Some(format!("拟答复:{}", outcome.label())), None)
        }
        Action::ReturnDraft { reason } => (Some(reason.clone()), None),
        Action::Approve => (None, Some("答复已审核".into())),
        Action::Deliver { on, how } => {
            let how = text(how, Field::new("how", "送达方式"), 2, 200)?;
            tx.execute(
                Sql::new("UPDATE requests SET replied_on = $1, delivered_how = $2 WHERE id = $3")
                    .bind(*on)
                    .bind(how.as_str())
                    .bind(id),
            )
            .await?;
            (None, Some(format!("{on} 已答复({how})")))
        }
        Action::Withdraw { on } => {
            tx.execute(
                Sql::new("UPDATE requests SET withdrawn_on = $1 WHERE id = $2")
                    .bind(*on)
                    .bind(id),
            )
            .await?;
            (None, Some(format!("{on} 申请人撤回申请")))
        }
        Action::Archive => (None, Some("已归档".into())),
    };
    tx.execute(
        Sql::new("UPDATE requests SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(to.as_str())
            .bind(now)
            .bind(id),
    )
    .await?;
    add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: on_date,
            step: action.name(),
            clock: clock_event.as_ref(),
            note: note.as_deref(),
            public_note: public_note.as_deref(),
        },
    )
    .await?;
    let mut after = audit_view(&r);
    after["status"] = json!(to.as_str());
    after["step"] = json!(action.name());
    after["clock"] = json!(clock_event);
    audit::record(
        tx,
        actor,
        &format!("request.{}", action.name()),
        ("request", &key),
        Some(&audit_view(&r)),
        Some(&after),
    )
    .await?;
    if public_note.is_some() {
        notify(tx, id, public_note.as_deref(), today).await?;
    }
    Ok(to)
}

/// What a hand-over created: the competent agency's new application.
#[derive(Clone, Debug, Serialize)]
pub struct Transferred {
    pub id: i64,
    pub tracking_code: String,
    pub agency_name: String,
}

/// 转交: hands a request whose reply named another agency of the platform over to that
/// agency as a new application (same applicant, same key), waiting for its confirmation of
/// receipt. The original keeps its reply; both record the link, the applicant is told the new
/// code.
pub async fn transfer(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    today: NaiveDate,
) -> Result<Transferred> {
    let (r, _) = load(tx, id).await?.ok_or(NOT_FOUND)?;
    if !who.may_act_for(r.agency_id) {
        return Err(NOT_FOUND);
    }
    let to = transfer::check_transferable(r.status, r.referred_agency_id, r.transferred_to)?;
    let target = crate::agencies::by_id(tx, to)
        .await?
        .ok_or_else(|| DomainError::conflict(None, "负责公开的机关已不存在"))?;
    let key_hash: String = tx
        .fetch_one(Sql::new("SELECT key_hash FROM requests WHERE id = $1").bind(id))
        .await?
        .get("key_hash")?;
    let d = RequestDraft {
        applicant: gongkai_domain::request::Applicant {
            kind: r.applicant_kind,
            name: r.applicant_name.clone(),
            id_type: r.id_type,
            id_number: r.id_number.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            address: r.address.clone(),
        },
        description: transfer::transferred_description(
            &r.agency_name,
            &r.tracking_code,
            &r.description,
        ),
        doc_reference: r.doc_reference.clone(),
        purpose: r.purpose.clone(),
        delivery_form: r.delivery_form,
        delivery_channel: r.delivery_channel,
        // Received when the competent agency confirms it (第三十一条第(三)项).
        receipt: Receipt {
            channel: Channel::Other,
            submitted_on: today,
            arrived_on: None,
            confirmed_on: None,
        },
    };
    let (new_id, code) = insert(tx, to, &d, Status::Pending, None, &key_hash).await?;
    tx.execute(
        Sql::new("UPDATE requests SET transferred_from = $1 WHERE id = $2")
            .bind(id)
            .bind(new_id),
    )
    .await?;
    tx.execute(
        Sql::new("UPDATE requests SET transferred_to = $1, updated_at = $2 WHERE id = $3")
            .bind(new_id)
            .bind(tx.now())
            .bind(id),
    )
    .await?;
    let received_note = format!(
        "由{}转交(原查询码 {}),待本机关确认收到",
        r.agency_name, r.tracking_code
    );
    add_event(
        tx,
        actor,
        new_id,
        NewEvent {
            on: today,
            step: "transfer_in",
            clock: None,
            note: None,
            public_note: Some(&received_note),
        },
    )
    .await?;
    let note = format!(
        "已将申请转交{},新的查询码为 {code},查询密钥不变",
        target.name
    );
    add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: today,
            step: "transfer",
            clock: None,
            note: None,
            public_note: Some(&note),
        },
    )
    .await?;
    audit::record(
        tx,
        actor,
        "request.transfer",
        ("request", &id.to_string()),
        Some(&audit_view(&r)),
        Some(&json!({"transferred_to": new_id, "tracking_code": code, "agency": target.code})),
    )
    .await?;
    notify(tx, id, Some(&note), today).await?;
    Ok(Transferred {
        id: new_id,
        tracking_code: code,
        agency_name: target.name,
    })
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
    const OPEN: &str = "($1 OR r.agency_id = $2) \
        AND r.status IN ('pending', 'registered', 'in_progress', 'drafted', 'approved')";
    let bind = |sql: Sql| sql.bind(who.role.sees_all_agencies()).bind(who.agency_id);
    let rows = e
        .fetch_all(
            bind(Sql::dynamic(format!(
                "SELECT {COLUMNS} FROM requests r JOIN agencies a ON a.id = r.agency_id \
                 WHERE {OPEN} ORDER BY r.submitted_on, r.id LIMIT $3"
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
                 WHERE {OPEN} AND r.id >= $3 ORDER BY e.request_id, e.id"
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
        .map(|row| {
            Ok((
                row.get("tracking_code")?,
                stored(Status::parse(&row.get::<String>("status")?), "status")?,
            ))
        })
        .collect()
}

/// 依申请转主动 (条例第四十四条): drafts a document for proactive disclosure from a reply that
/// gave information out. The text is refused if it contains the applicant's personal data;
/// the draft then goes through the documents' own review.
pub async fn convert(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    title: &str,
    body: &str,
    today: NaiveDate,
) -> Result<i64> {
    let (r, _) = staff_get(tx, who, id).await?;
    gongkai_domain::request::workflow::check_convertible(r.status, r.outcome)?;
    let applicant = gongkai_domain::request::Applicant {
        kind: r.applicant_kind,
        name: r.applicant_name.clone(),
        id_type: r.id_type,
        id_number: r.id_number.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        address: r.address.clone(),
    };
    let text = format!("{title}\n{body}");
    gongkai_domain::request::applicant::check_no_personal_data(&text, &applicant)?;
    let input = gongkai_domain::document::DocumentInput {
        title: title.to_string(),
        kind: "other".into(),
        formed_on: r.replied_on.unwrap_or(today).to_string(),
        body: body.to_string(),
        disclosure_mode: "proactive".into(),
        disclosure_scope: "full".into(),
        ..Default::default()
    };
    let draft = gongkai_domain::document::DocumentDraft::parse(&input, today)?;
    let doc = crate::documents::register(tx, actor, who, r.agency_id, &draft, None).await?;
    add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: today,
            step: "convert",
            clock: None,
            note: Some(&format!("已起草主动公开文件(文件编号 {doc})")),
            public_note: None,
        },
    )
    .await?;
    audit::record(
        tx,
        actor,
        "request.convert",
        ("request", &id.to_string()),
        None,
        Some(&json!({"document": doc})),
    )
    .await?;
    Ok(doc)
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

/// Records a 复议 or 诉讼 about a replied request.
pub async fn add_appeal(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    d: &gongkai_domain::request::appeal::AppealDraft,
) -> Result<i64> {
    let (r, _) = staff_get(tx, who, id).await?;
    if !matches!(r.status, Status::Replied | Status::Archived) {
        return Err(DomainError::conflict(
            None,
            "只能为已答复的申请登记行政复议或行政诉讼",
        ));
    }
    if r.replied_on.is_some_and(|on| d.filed_on < on) {
        return Err(DomainError::invalid(
            Field::new("filed_on", "提起日期"),
            "提起日期早于答复日期",
        ));
    }
    let now = tx.now();
    let row = tx
        .fetch_one(
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
        .await?;
    let appeal: i64 = row.get("id")?;
    audit::record(
        tx,
        actor,
        "request.appeal",
        ("request", &id.to_string()),
        None,
        Some(&json!({"appeal": appeal, "kind": d.kind.as_str(), "result": d.result.as_str(), "filed_on": d.filed_on, "decided_on": d.decided_on})),
    )
    .await?;
    Ok(appeal)
}

/// Records the result of a pending appeal.
pub async fn decide_appeal(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    appeal_id: i64,
    result: gongkai_domain::request::appeal::AppealResult,
    decided_on: NaiveDate,
) -> Result<()> {
    use gongkai_domain::request::appeal::AppealResult;
    let row = tx
        .fetch_optional(
            Sql::new("SELECT request_id, result, filed_on FROM request_appeals WHERE id = $1")
                .bind(appeal_id),
        )
        .await?
        .ok_or(DomainError::NotFound {
            what: "复议或诉讼记录",
        })?;
    let request_id: i64 = row.get("request_id")?;
    staff_get(tx, who, request_id).await?;
    let before: String = row.get("result")?;
    let filed_on: NaiveDate = row.get("filed_on")?;
    if before != AppealResult::Pending.as_str() {
        return Err(DomainError::conflict(None, "该记录已审结"));
    }
    if result == AppealResult::Pending
        || decided_on < filed_on
        || decided_on > tx.now().date_naive()
    {
        return Err(DomainError::invalid(
            Field::new("decided_on", "审结日期"),
            "请选择审结结果,审结日期应在提起日期与今天之间",
        ));
    }
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE request_appeals SET result = $1, decided_on = $2, updated_at = $3 WHERE id = $4")
            .bind(result.as_str())
            .bind(decided_on)
            .bind(now)
            .bind(appeal_id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "request.appeal_decided",
        ("request", &request_id.to_string()),
        Some(&json!({"appeal": appeal_id, "result": before})),
        Some(&json!({"appeal": appeal_id, "result": result.as_str(), "decided_on": decided_on})),
    )
    .await
}

pub async fn appeals(e: &mut impl Exec, id: i64) -> Result<Vec<Appeal>> {
    use gongkai_domain::request::appeal::{AppealKind, AppealResult};
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
            Ok(Appeal {
                id: r.get("id")?,
                kind: stored(AppealKind::parse(&r.get::<String>("kind")?), "appeal kind")?,
                filed_on: r.get("filed_on")?,
                result: stored(
                    AppealResult::parse(&r.get::<String>("result")?),
                    "appeal result",
                )?,
                decided_on: r.get("decided_on")?,
                note: r.get("note")?,
            })
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

/// The applicant withdraws their own request (found by [`lookup`]); no staff principal.
pub async fn withdraw_by_applicant(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<Status> {
    let applicant = Principal {
        user_id: 0,
        role: gongkai_domain::user::Role::Staff,
        agency_id: 0,
    };
    act(
        tx,
        actor,
        &applicant,
        id,
        &Action::Withdraw { on: today },
        today,
    )
    .await
}

/// An application filed online by the public: rate-limited per client, counted in the same
/// transaction that stores it.
pub async fn submit_online(
    tx: &mut Tx,
    actor: &Actor,
    agency_id: i64,
    d: &RequestDraft,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Submitted> {
    use crate::throttle;
    let attempt = throttle::reserve(tx, "submit", client, now, throttle::SUBMIT).await?;
    let s = submit(tx, actor, agency_id, d).await?;
    throttle::succeeded(tx, attempt).await?;
    Ok(s)
}
