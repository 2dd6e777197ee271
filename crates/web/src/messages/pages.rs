//! 留言 / 网上咨询 / 领导信箱: the public form (for an agency's box, or about one policy), the
//! receipt with code and key, tracking and rating, the published messages; the office queue
//! with figures per agency, and the handling page (triage, transfer, assign, reply, 督办, 选登).

use crate::shared::form::CsrfForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::message::{
    self, BoxKind, BoxStats, DueState, MessageDraft, MessageInput, PublicationInput, Rating,
    Status, Step,
};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::messages::{self, Destination, Message};
use gongkai_store::{calendar, db, documents, users};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult, status_of};
use crate::shared::render::{Choice, page};
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

const WHAT: &str = "留言";

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    document: String,
    #[serde(default, rename = "box")]
    box_kind: String,
    /// Prefilled from a search that found little: the question the person typed.
    #[serde(default)]
    title: String,
}

/// Where the form sends the message, as shown to the asker.
struct Target {
    agency: Agency,
    box_kind: BoxKind,
    /// (id, title) of the policy a 政策留言 is about.
    document: Option<(i64, String)>,
    reply_workdays: u32,
}

async fn target(state: &AppState, q: &NewQuery) -> Result<Target, DomainError> {
    let field = gongkai_domain::Field::new("agency", "留言机关");
    let mut conn = state.db.conn().await?;
    if let Ok(doc) = q.document.trim().parse::<i64>() {
        let d = documents::public_get(&mut conn, doc)
            .await?
            .filter(|d| d.withdrawn_at.is_none())
            .ok_or(DomainError::NotFound {
                what: "政策文件"
            })?;
        let agency = agencies::by_id(&mut conn, d.summary.agency_id)
            .await?
            .ok_or(DomainError::NotFound { what: "机构" })?;
        let reply_workdays =
            messages::reply_workdays(&mut conn, agency.id, BoxKind::Policy).await?;
        return Ok(Target {
            agency,
            box_kind: BoxKind::Policy,
            document: Some((doc, d.summary.title)),
            reply_workdays,
        });
    }
    let agency = gongkai_app::agencies::chosen(&state.db, &q.agency, field).await?;
    let box_kind = gongkai_domain::input::choice(
        &q.box_kind,
        gongkai_domain::Field::new("box", "留言类型"),
        &[
            ("", BoxKind::Consultation),
            ("consultation", BoxKind::Consultation),
            ("leader", BoxKind::Leader),
        ],
        "未知的留言类型",
    )?;
    let reply_workdays = messages::reply_workdays(&mut conn, agency.id, box_kind).await?;
    Ok(Target {
        agency,
        box_kind,
        document: None,
        reply_workdays,
    })
}

#[derive(Template)]
#[template(path = "message_form.html")]
struct FormPage {
    chrome: Chrome,
    t: Target,
    form: MessageInput,
    error: Option<String>,
    error_field: String,
    published: Vec<Message>,
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    t: Target,
    form: MessageInput,
    error: Option<DomainError>,
) -> AppResult<FormPage> {
    let (error, error_field) = crate::shared::render::split_error(error);
    let published = messages::published(
        &mut state.db.conn().await?,
        Some(t.agency.id),
        t.document.as_ref().map(|d| d.0),
        20,
    )
    .await?;
    Ok(FormPage {
        chrome: visitor.chrome(&format!("{} {}", t.agency.name, t.box_kind.label())),
        t,
        form,
        error,
        error_field,
        published,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let t = target(&state, &q).await?;
    let cookie = visitor.ensure_session().await?;
    let input = MessageInput {
        title: q.title.trim().chars().take(60).collect(),
        ..MessageInput::default()
    };
    let p = form_page(&state, &visitor, t, input, None).await?;
    page(&p, StatusCode::OK, cookie)
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    document: String,
    #[serde(default, rename = "box")]
    box_kind: String,
    #[serde(flatten)]
    input: MessageInput,
}

#[derive(Template)]
#[template(path = "message_receipt.html")]
struct ReceiptPage {
    chrome: Chrome,
    agency: Agency,
    code: String,
    key: String,
    due_on: chrono::NaiveDate,
}

/// Files a message. The code and key are shown only after the message is committed.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> AppResult<Response> {
    let q = NewQuery {
        agency: form.agency.clone(),
        document: form.document.clone(),
        box_kind: form.box_kind.clone(),
        title: String::new(),
    };
    let t = target(&state, &q).await?;
    let ctx = visitor.ctx(&state.db);
    let result = async {
        let d = MessageDraft::parse(&form.input)?;
        let to = Destination {
            agency_id: t.agency.id,
            box_kind: t.box_kind,
            document_id: t.document.as_ref().map(|d| d.0),
        };
        gongkai_app::messages::submit(&ctx, to, &d, &visitor.client).await
    }
    .await;
    match result {
        Ok(filed) => {
            let p = ReceiptPage {
                chrome: visitor.chrome("留言已提交"),
                agency: t.agency,
                code: filed.tracking_code,
                key: filed.key,
                due_on: filed.due_on,
            };
            page(&p, StatusCode::CREATED, None)
        }
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            let p = form_page(&state, &visitor, t, form.input, Some(e)).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "message_track.html")]
struct TrackPage {
    chrome: Chrome,
    code: String,
    key: String,
    error: Option<String>,
    found: Option<Message>,
    /// The new code when the message was transferred.
    transferred_code: Option<String>,
    ratings: Vec<Choice>,
}

pub async fn track_form(
    State(_state): State<AppState>,
    mut visitor: Visitor,
) -> AppResult<Response> {
    let cookie = visitor.ensure_session().await?;
    let p = TrackPage {
        chrome: visitor.chrome("留言查询"),
        code: String::new(),
        key: String::new(),
        error: None,
        found: None,
        transferred_code: None,
        ratings: choices!(Rating),
    };
    page(&p, StatusCode::OK, cookie)
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    key: String,
    /// Present when the asker rates the reply.
    #[serde(default)]
    rating: String,
    #[serde(default)]
    rating_note: String,
}

/// Looks a message up by code and key (POST, so the key never sits in a URL or a log); with a
/// rating, records it.
pub async fn track(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    let now = db::now();
    let found = messages::track(
        &mut state.db.conn().await?,
        &form.code,
        &form.key,
        &visitor.client,
        now,
    )
    .await?;
    let mut error = None;
    let mut found = found;
    if let Some(m) = &found
        && !form.rating.trim().is_empty()
    {
        let ctx = visitor.ctx(&state.db);
        let id = m.id;
        let rated = async {
            let rating = Rating::parse(&form.rating)?;
            gongkai_app::messages::rate(&ctx, id, rating, &form.rating_note).await
        }
        .await;
        match rated {
            Ok(()) => found = messages::get(&mut state.db.conn().await?, id).await?,
            Err(e) if e.is_input_error() => error = Some(e.to_string()),
            Err(e) => return Err(AppError(e)),
        }
    }
    if found.is_none() {
        error = Some("查询码或查询密钥不正确".into());
    }
    let transferred_code = match found.as_ref().and_then(|m| m.transferred_to) {
        Some(to) => messages::get(&mut state.db.conn().await?, to)
            .await?
            .map(|m| m.tracking_code),
        None => None,
    };
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let p = TrackPage {
        chrome: visitor.chrome("留言查询"),
        code: form.code.trim().to_string(),
        key: if found.is_some() {
            form.key.trim().to_string()
        } else {
            String::new()
        },
        error,
        found,
        transferred_code,
        ratings: choices!(Rating),
    };
    page(&p, status, None)
}

#[derive(Template)]
#[template(path = "messages.html")]
struct PublicList {
    chrome: Chrome,
    agency: Option<Agency>,
    rows: Vec<Message>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    agency: String,
}

pub async fn public_list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.db.conn().await?;
    let agency = match q.agency.trim() {
        "" => None,
        code => Some(crate::shared::render::agency_or_404(&mut conn, code).await?),
    };
    let rows = messages::published(&mut conn, agency.as_ref().map(|a| a.id), None, 100).await?;
    page(
        &PublicList {
            chrome: visitor.chrome("留言选登"),
            agency,
            rows,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "message.html")]
struct PublicPage {
    chrome: Chrome,
    m: Message,
    body: Vec<String>,
    reply: Vec<String>,
}

pub async fn public(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let m = messages::public_get(&mut state.db.conn().await?, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))?;
    page(
        &PublicPage {
            chrome: visitor.chrome(m.public_title.as_deref().unwrap_or(&m.title)),
            body: crate::shared::render::paragraphs(m.public_body.as_deref().unwrap_or_default()),
            reply: crate::shared::render::paragraphs(m.public_reply.as_deref().unwrap_or_default()),
            m,
        },
        StatusCode::OK,
        None,
    )
}

// ---- office ----

pub struct QueueLine {
    pub m: Message,
    pub due: DueState,
    pub stale: bool,
}

pub struct AgencyFigures {
    pub agency: String,
    pub stats: BoxStats,
}

/// One box's reply limit, as the office page shows and edits it.
pub struct BoxLimit {
    pub agency_code: String,
    pub agency_name: String,
    pub box_kind: BoxKind,
    pub workdays: u32,
}

#[derive(Template)]
#[template(path = "office/messages.html")]
struct Queue {
    chrome: Chrome,
    view: message::QueueView,
    views: &'static [message::QueueView],
    lines: Vec<QueueLine>,
    figures: Vec<AgencyFigures>,
    limits: Vec<BoxLimit>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    view: String,
}

pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let cal = calendar::work_calendar(&mut conn).await?;
    let today = db::now().date_naive();
    let all = messages::for_staff(&mut conn, &who).await?;
    let mut figures = Vec::new();
    let mut limits = Vec::new();
    for a in agencies::list(&mut conn).await? {
        if !who.may_act_for(a.id) {
            continue;
        }
        for kind in BoxKind::ALL {
            limits.push(BoxLimit {
                agency_code: a.code.clone(),
                agency_name: a.name.clone(),
                box_kind: *kind,
                workdays: messages::reply_workdays(&mut conn, a.id, *kind).await?,
            });
        }
        let handled: Vec<_> = all
            .iter()
            .filter(|m| m.agency_id == a.id)
            .map(Message::handled)
            .collect();
        if handled.is_empty() {
            continue;
        }
        figures.push(AgencyFigures {
            agency: a.name,
            stats: message::box_stats(&cal, &handled, today)?,
        });
    }
    let view = message::QueueView::or_open(&q.view);
    let mut lines = Vec::new();
    for m in all {
        let due = m.due_state(&cal, today)?;
        let stale = message::is_stale(m.status, m.received_on, today);
        if view.holds(m.status, due, stale) {
            lines.push(QueueLine { m, due, stale });
        }
    }
    page(
        &Queue {
            chrome: staff.chrome("留言办理"),
            view,
            views: message::QueueView::ALL,
            lines,
            figures,
            limits,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Deserialize)]
pub struct LimitForm {
    agency: String,
    #[serde(rename = "box")]
    box_kind: String,
    workdays: String,
}

/// Sets one box's reply limit (staff of the agency, the office, administrators).
pub async fn set_limit(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<LimitForm>,
) -> AppResult<Response> {
    let ctx = staff.ctx(&state.db);
    let field = gongkai_domain::Field::new("reply_workdays", "答复时限");
    let result: Result<(), DomainError> = async {
        let code = gongkai_domain::agency::AgencyCode::parse(&form.agency)?;
        let a = agencies::by_code(&mut state.db.conn().await?, &code)
            .await?
            .ok_or(DomainError::NotFound { what: "机构" })?;
        let kind = BoxKind::parse(&form.box_kind)?;
        let days =
            gongkai_domain::input::number(&form.workdays, field, "答复时限应为 1 至 20 个工作日")?;
        gongkai_app::messages::set_reply_workdays(&ctx, a.id, kind, days).await
    }
    .await;
    match result {
        Ok(()) => Ok(crate::shared::render::redirect("/office/messages#limits").into_response()),
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "office/message.html")]
struct Detail {
    chrome: Chrome,
    m: Message,
    due: DueState,
    stale: bool,
    document_title: Option<String>,
    agencies: Vec<Choice>,
    colleagues: Vec<Choice>,
    transferred_from: Option<String>,
    transferred_to: Option<String>,
    sees_all: bool,
    publication: PublicationInput,
    error: Option<String>,
    error_field: String,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    publication: Option<PublicationInput>,
    error: Option<DomainError>,
) -> AppResult<Detail> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let m = messages::get(&mut conn, id)
        .await?
        .filter(|m| who.may_act_for(m.agency_id))
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))?;
    let cal = calendar::work_calendar(&mut conn).await?;
    let today = db::now().date_naive();
    let document_title = match m.document_id {
        Some(d) => documents::public_get(&mut conn, d)
            .await?
            .map(|d| d.summary.title),
        None => None,
    };
    let agencies = agencies::list(&mut conn)
        .await?
        .into_iter()
        .filter(|a| a.id != m.agency_id)
        .map(|a| Choice {
            value: a.code,
            label: a.name,
        })
        .collect();
    let colleagues = users::list(&mut conn)
        .await?
        .into_iter()
        .filter(|u| u.active && u.agency_id == m.agency_id)
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.display_name,
        })
        .collect();
    let code_of =
        async |conn: &mut gongkai_store::db::Conn, id: Option<i64>| -> AppResult<Option<String>> {
            Ok(match id {
                Some(i) => messages::get(conn, i).await?.map(|m| m.tracking_code),
                None => None,
            })
        };
    let transferred_from = code_of(&mut conn, m.transferred_from).await?;
    let transferred_to = code_of(&mut conn, m.transferred_to).await?;
    let publication = publication.unwrap_or_else(|| PublicationInput {
        public_title: m.public_title.clone().unwrap_or_else(|| m.title.clone()),
        public_body: m.public_body.clone().unwrap_or_else(|| m.body.clone()),
        public_reply: m
            .public_reply
            .clone()
            .or_else(|| m.reply.clone())
            .unwrap_or_default(),
    });
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(Detail {
        chrome: staff.chrome(&m.title),
        due: m.due_state(&cal, today)?,
        stale: message::is_stale(m.status, m.received_on, today),
        m,
        document_title,
        agencies,
        colleagues,
        transferred_from,
        transferred_to,
        sees_all: who.role.sees_all_agencies(),
        publication,
        error,
        error_field,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let p = detail_page(&state, &staff, id, None, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    simple: String,
    #[serde(default)]
    to_agency: String,
    #[serde(default)]
    assignee: String,
    #[serde(flatten)]
    publication: PublicationInput,
}

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let ctx = staff.ctx(&state.db);
    let result: Result<(), DomainError> = async {
        match form.action.as_str() {
            "assign" => {
                let assignee = gongkai_domain::input::number(
                    &form.assignee,
                    gongkai_domain::Field::new("assignee", "承办人"),
                    "请选择承办人",
                )?;
                gongkai_app::messages::assign(&ctx, id, assignee).await
            }
            "supervise" | "unsupervise" => {
                let note = (form.action == "supervise").then_some(form.text.as_str());
                gongkai_app::messages::supervise(&ctx, id, note).await
            }
            "publish" => gongkai_app::messages::publish(&ctx, id, &form.publication).await,
            "unpublish" => gongkai_app::messages::unpublish(&ctx, id).await,
            name => {
                let step = Step::parse(name, &form.text, form.simple == "on")?;
                let transfer_to = if matches!(step, Step::Transfer { .. }) {
                    let a = gongkai_app::agencies::chosen(
                        &state.db,
                        &form.to_agency,
                        gongkai_domain::Field::new("to_agency", "转办机关"),
                    )
                    .await?;
                    Some(a.id)
                } else {
                    None
                };
                gongkai_app::messages::act(&ctx, id, &step, transfer_to).await
            }
        }
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/messages/{id}"),
        async |e| detail_page(&state, &staff, id, Some(form.publication), Some(e)).await,
    )
    .await
}
