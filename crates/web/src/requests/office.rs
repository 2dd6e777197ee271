//! The office's side of 依申请公开: the queue with each request's clock, registration of
//! applications received on paper, by post, fax or in person, and the request page where
//! every handling step is taken.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_app::requests::Action;
use gongkai_domain::calendar::parse_date;
use gongkai_domain::request::applicant::{ApplicantKind, IdType};
use gongkai_domain::request::clock::{Alert, Channel, Clock, PauseKind};
use gongkai_domain::request::intake::{DeliveryChannel, DeliveryForm, RequestDraft, RequestInput};
use gongkai_domain::request::letter::{Letter, LetterInput, reply_letter};
use gongkai_domain::request::outcome::Outcome;
use gongkai_domain::request::workflow::EventKind;
use gongkai_domain::{Code, DomainError, Field};
use gongkai_store::requests::{self, Event, Queued, Request};
use gongkai_store::{agencies, db, users};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::Choice;
use crate::shared::render::page;
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;
use gongkai_domain::request::queue::QueueView;

pub struct Row {
    pub q: Queued,
    pub due: String,
    pub alert: Option<Alert>,
    pub urgent: bool,
}

#[derive(Template)]
#[template(path = "office/requests.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<Row>,
    view: QueueView,
    views: Vec<(QueueView, usize)>,
    /// Per agency, for the disclosure office: open, overdue, due soon, unconfirmed, in review.
    overview: Vec<(String, [usize; 6])>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    view: String,
}

/// Whether an open request belongs in a queue view (also counted on the office home).
pub(crate) fn in_view(view: QueueView, q: &Queued, me: i64) -> bool {
    let alert = q.clock.as_ref().and_then(|c| c.alert);
    view.holds(q.request.status, alert.as_ref(), q.request.assignee_id, me)
}

/// Open requests, the most urgent first: overdue, then by due date; those not yet confirmed
/// (no clock) on top, since their clock cannot start until someone confirms them.
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<QueueQuery>,
) -> AppResult<Response> {
    let today = db::now().date_naive();
    let mut c = state.db.conn().await?;
    let queued = requests::queue(&mut c, &staff.user.principal(), today, 500).await?;
    let mut rows: Vec<Row> = queued
        .into_iter()
        .map(|q| {
            let alert = q.clock.as_ref().and_then(|c| c.alert);
            Row {
                due: match &q.clock {
                    None => "待确认收到".into(),
                    Some(c) => c.due_label(),
                },
                urgent: matches!(
                    alert,
                    Some(
                        Alert::Overdue { .. }
                            | Alert::DueToday
                            | Alert::DueTomorrow
                            | Alert::CorrectionLapsed { .. }
                            | Alert::FeeLapsed { .. }
                    )
                ),
                alert,
                q,
            }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            r.q.clock.is_some(),
            r.q.clock
                .as_ref()
                .and_then(|c| c.due)
                .unwrap_or(chrono::NaiveDate::MAX),
        )
    });
    let me = staff.user.id;
    let view = QueueView::or_all(&q.view);
    let views = QueueView::ALL
        .iter()
        .map(|v| (*v, rows.iter().filter(|r| in_view(*v, &r.q, me)).count()))
        .collect();
    let mut overview: Vec<(String, [usize; 6])> = Vec::new();
    if staff.user.role.sees_all_agencies() {
        for r in &rows {
            let name = &r.q.request.agency_name;
            let i = match overview.iter().position(|(n, _)| n == name) {
                Some(i) => i,
                None => {
                    overview.push((name.clone(), [0; 6]));
                    overview.len() - 1
                }
            };
            let counts = &mut overview[i].1;
            counts[0] += 1;
            for (k, v) in [
                QueueView::Overdue,
                QueueView::DueSoon,
                QueueView::Pending,
                QueueView::Review,
                QueueView::ToClose,
            ]
            .into_iter()
            .enumerate()
            {
                if in_view(v, &r.q, me) {
                    counts[k + 1] += 1;
                }
            }
        }
    }
    rows.retain(|r| in_view(view, &r.q, me));
    page(
        &QueuePage {
            chrome: staff.chrome("依申请公开"),
            rows,
            view,
            views,
            overview,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/request_new.html")]
struct NewPage {
    chrome: Chrome,
    form: RequestInput,
    error: Option<String>,
    error_field: String,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    id_types: Vec<Choice>,
    forms: Vec<Choice>,
    delivery: Vec<Choice>,
    channels: Vec<Choice>,
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    form: RequestInput,
    error: Option<DomainError>,
) -> AppResult<NewPage> {
    let (error, error_field) = crate::shared::render::split_error(error);
    let principal = staff.user.principal();
    let agencies = agencies::list(&mut state.db.conn().await?)
        .await?
        .into_iter()
        .filter(|a| principal.may_act_for(a.id))
        .map(|a| Choice {
            value: a.code,
            label: a.name,
        })
        .collect();
    Ok(NewPage {
        chrome: staff.chrome("登记政府信息公开申请"),
        form,
        error,
        error_field,
        agencies,
        kinds: choices!(ApplicantKind),
        id_types: choices!(IdType),
        forms: choices!(DeliveryForm),
        delivery: choices!(DeliveryChannel),
        channels: choices!(Channel),
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let today = db::now().date_naive().to_string();
    let form = RequestInput {
        channel: gongkai_domain::request::Channel::InPerson.as_str().into(),
        submitted_on: today,
        applicant_kind: gongkai_domain::request::ApplicantKind::Person
            .as_str()
            .into(),
        id_type: gongkai_domain::request::IdType::ResidentId.as_str().into(),
        delivery_form: gongkai_domain::request::intake::DeliveryForm::Paper
            .as_str()
            .into(),
        delivery_channel: gongkai_domain::request::intake::DeliveryChannel::Post
            .as_str()
            .into(),
        ..Default::default()
    };
    let p = new_page(&state, &staff, form, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(flatten)]
    input: RequestInput,
}

pub async fn register(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<NewForm>,
) -> AppResult<Response> {
    let principal = staff.user.principal();
    let ctx = staff.ctx(&state.db);
    let result = async {
        let field = Field::new("agency", "受理机关");
        let agency = gongkai_app::agencies::chosen(&state.db, &form.input.agency, field).await?;
        principal.require_agency(agency.id)?;
        let draft = RequestDraft::parse_registered(&form.input, ctx.today())?;
        gongkai_app::requests::submit(&ctx, agency.id, &draft).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |s| format!("/office/requests/{}", s.id),
        async |e| new_page(&state, &staff, form.input, Some(e)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "office/request.html")]
struct DetailPage {
    chrome: Chrome,
    r: Request,
    events: Vec<Event>,
    clock: Option<Clock>,
    error: Option<String>,
    today: String,
    can_review: bool,
    colleagues: Vec<Choice>,
    outcomes: Vec<Choice>,
    pauses: Vec<Choice>,
    /// This request's place in its applicant's month, and its 按件计收 rate.
    nth: i64,
    item_fee: u32,
    repeated: Vec<(String, gongkai_domain::request::workflow::Status)>,
    can_convert: bool,
    appeals: Vec<requests::Appeal>,
    appeal_kinds: Vec<Choice>,
    appeal_results: Vec<Choice>,
    mails: Vec<gongkai_store::mail::Sent>,
    /// Agencies a 本机关不掌握 reply may name (all but this one).
    other_agencies: Vec<Choice>,
    can_transfer: bool,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    error: Option<String>,
) -> AppResult<DetailPage> {
    let today = db::now().date_naive();
    let mut c = state.db.conn().await?;
    let (r, events) = requests::staff_get(&mut c, &staff.user.principal(), id).await?;
    let cal = gongkai_store::calendar::work_calendar(&mut c).await?;
    let clock = requests::clock_of(&cal, &r, &events, today)?;
    let colleagues = users::list(&mut c)
        .await?
        .into_iter()
        .filter(|u| u.agency_id == r.agency_id && u.active)
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.display_name,
        })
        .collect();
    let nth = requests::nth_in_month(&mut c, &r).await?;
    let repeated = requests::repeated(&mut c, &r).await?;
    let appeals = requests::appeals(&mut c, r.id).await?;
    let mails = gongkai_store::mail::for_request(&mut c, r.id).await?;
    let other_agencies = gongkai_store::agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| a.id != r.agency_id)
        .map(|a| Choice {
            value: a.code,
            label: a.name,
        })
        .collect();
    let can_transfer = gongkai_domain::request::transfer::check_transferable(
        r.status,
        r.referred_agency_id,
        r.transferred_to,
    )
    .is_ok();
    let role = staff.user.role;
    use gongkai_domain::request::appeal::{AppealKind, AppealResult};
    Ok(DetailPage {
        appeals,
        mails,
        other_agencies,
        can_transfer,
        appeal_kinds: choices!(AppealKind),
        appeal_results: choices!(AppealResult),
        item_fee: gongkai_domain::fees::item_rate(u32::try_from(nth).unwrap_or(u32::MAX)),
        nth,
        repeated,
        can_convert: gongkai_domain::request::workflow::check_convertible(r.status, r.outcome)
            .is_ok(),
        chrome: staff.chrome(&format!("申请 {}", r.tracking_code)),
        r,
        events,
        clock,
        error,
        today: today.to_string(),
        can_review: role.sees_all_agencies() || role == gongkai_domain::user::Role::Reviewer,
        colleagues,
        outcomes: Outcome::all()
            .into_iter()
            .map(|o| Choice {
                value: o.code(),
                label: o.label(),
            })
            .collect(),
        pauses: [PauseKind::ThirdParty, PauseKind::OtherAgency]
            .into_iter()
            .map(|p| Choice {
                value: match p {
                    PauseKind::ThirdParty => "third_party".into(),
                    _ => "other_agency".into(),
                },
                label: p.label().into(),
            })
            .collect(),
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let p = detail_page(
        &state,
        &staff,
        crate::shared::error::id_or_404(&id, "申请")?,
        None,
    )
    .await?;
    page(&p, StatusCode::OK, None)
}

/// A handling step as a form (or JSON body) carries it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    pub action: String,
    on: String,
    deadline: String,
    what: String,
    pause: String,
    note: String,
    basis: String,
    pages: String,
    days: String,
    reason: String,
    outcome: String,
    text: String,
    withheld_note: String,
    referred_to: String,
    /// For 本机关不掌握: the code of the competent agency, when it is on the platform.
    referred_agency: String,
    how: String,
    user: String,
}

impl ActionForm {
    /// The step named by the form's `action` (the timeline's own codes), if any.
    pub fn step(&self) -> Option<EventKind> {
        EventKind::from_code(self.action.trim())
    }
}

fn number<T: std::str::FromStr>(s: &str, field: Field) -> Result<T, DomainError> {
    gongkai_domain::input::number(s, field, format!("{field}应为整数"))
}

/// Reads the form into a step; dates left empty mean today.
pub(crate) fn action_of(f: &ActionForm, today: chrono::NaiveDate) -> Result<Action, DomainError> {
    let date = |s: &str, field: Field| -> Result<chrono::NaiveDate, DomainError> {
        if s.trim().is_empty() {
            Ok(today)
        } else {
            parse_date(s, field)
        }
    };
    let on = date(&f.on, Field::new("on", "日期"))?;
    let pause = || {
        gongkai_domain::input::choice(
            &f.pause,
            Field::new("pause", "征求意见对象"),
            &[
                ("third_party", PauseKind::ThirdParty),
                ("other_agency", PauseKind::OtherAgency),
            ],
            "请选择征求第三方或其他机关的意见",
        )
    };
    let step = f.step().ok_or_else(gongkai_domain::input::unknown_action)?;
    Ok(match step {
        EventKind::ConfirmReceipt => Action::ConfirmReceipt {
            on,
            reason: f.reason.clone(),
        },
        EventKind::Assign => Action::Assign {
            user_id: number(&f.user, Field::new("user", "承办人"))?,
        },
        EventKind::RequestCorrection => Action::RequestCorrection {
            on,
            deadline: parse_date(&f.deadline, Field::new("deadline", "补正期限"))?,
            what: f.what.clone(),
        },
        EventKind::ReceiveCorrection => Action::ReceiveCorrection { on },
        EventKind::StartConsultation => Action::StartConsultation {
            on,
            pause: pause()?,
            note: f.note.clone(),
        },
        EventKind::EndConsultation => Action::EndConsultation {
            on,
            pause: pause()?,
            note: f.note.clone(),
        },
        EventKind::NoticeFee => Action::NoticeFee {
            on,
            basis: gongkai_domain::fees::FeeBasis::parse(&f.basis, &f.pages)?,
        },
        EventKind::ReceivePayment => Action::ReceivePayment { on },
        EventKind::Extend => Action::Extend {
            on,
            days: number(&f.days, Field::new("days", "延长天数"))?,
            reason: f.reason.clone(),
        },
        EventKind::DraftReply => Action::DraftReply {
            outcome: Outcome::parse(&f.outcome)?,
            text: f.text.clone(),
            withheld_note: f.withheld_note.clone(),
            referred_to: f.referred_to.clone(),
            referred_agency: f.referred_agency.clone(),
        },
        EventKind::ReturnDraft => Action::ReturnDraft {
            reason: f.reason.clone(),
        },
        EventKind::Approve => Action::Approve,
        EventKind::Deliver => Action::Deliver {
            on,
            how: f.how.clone(),
        },
        EventKind::Archive => Action::Archive,
        // Filing, transfers and conversion have their own operations; an applicant withdraws
        // on the tracking page.
        EventKind::Submit
        | EventKind::Register
        | EventKind::Withdraw
        | EventKind::Transfer
        | EventKind::TransferIn
        | EventKind::Convert => return Err(gongkai_domain::input::unknown_action()),
    })
}

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "申请")?;
    let ctx = staff.ctx(&state.db);
    let result = if form.step() == Some(EventKind::Transfer) {
        gongkai_app::requests::transfer(&ctx, id).await.map(drop)
    } else {
        match action_of(&form, ctx.today()) {
            Ok(action) => gongkai_app::requests::act(&ctx, id, &action)
                .await
                .map(drop),
            Err(e) => Err(e),
        }
    };
    back_to(&state, &staff, id, result).await
}

/// The reply letter of a request whose reply is drafted, approved or sent.
pub fn letter_of(r: &Request) -> Option<Letter> {
    let outcome = r.outcome?;
    Some(reply_letter(&LetterInput {
        agency: &r.agency_name,
        applicant: &r.applicant_name,
        tracking_code: &r.tracking_code,
        received_on: r.received_on,
        description: &r.description,
        outcome,
        reply_text: r.reply_text.as_deref().unwrap_or(""),
        withheld_note: r.withheld_note.as_deref(),
        referred_to: r.referred_to.as_deref(),
        dated: r.replied_on.unwrap_or_else(|| db::now().date_naive()),
    }))
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    chrome: Chrome,
    letter: Letter,
    back: String,
    pdf: String,
}

async fn staff_letter(state: &AppState, staff: &Staff, id: &str) -> AppResult<Letter> {
    let (r, _) = requests::staff_get(
        &mut state.db.conn().await?,
        &staff.user.principal(),
        crate::shared::error::id_or_404(id, "申请")?,
    )
    .await?;
    letter_of(&r).ok_or(AppError(DomainError::NotFound { what: "答复书" }))
}

/// The letter as a printable page (print CSS hides the site's chrome).
pub async fn letter(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let letter = staff_letter(&state, &staff, &id).await?;
    page(
        &LetterPage {
            chrome: staff.chrome(&letter.title),
            back: format!("/office/requests/{id}"),
            pdf: format!("/office/requests/{id}/letter.pdf"),
            letter,
        },
        StatusCode::OK,
        None,
    )
}

pub async fn letter_pdf(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let letter = staff_letter(&state, &staff, &id).await?;
    Ok(pdf_response(gongkai_formats::pdf::letter(
        state.pdf_font.as_deref(),
        &letter,
    )))
}

/// A letter for download: never cached, since it names the applicant.
pub fn pdf_response(bytes: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/pdf"),
    );
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    res
}

#[derive(Deserialize)]
pub struct ConvertForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// 依申请转主动: drafts a document from the reply, refusing the applicant's personal data.
pub async fn convert(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConvertForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "申请")?;
    let ctx = staff.ctx(&state.db);
    let result = gongkai_app::requests::convert(&ctx, id, &form.title, &form.body).await;
    crate::shared::render::after_post(
        result,
        |doc| format!("/office/documents/{doc}"),
        async |e| detail_page(&state, &staff, id, Some(e.to_string())).await,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AppealForm {
    kind: String,
    filed_on: String,
    result: String,
    decided_on: String,
    note: String,
}

/// Records a 复议 or 诉讼 about a replied request (annual report table 四).
pub async fn add_appeal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<AppealForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "申请")?;
    let ctx = staff.ctx(&state.db);
    let result = match gongkai_domain::request::appeal::AppealDraft::parse(
        &form.kind,
        &form.filed_on,
        &form.result,
        &form.decided_on,
        &form.note,
        ctx.today(),
    ) {
        Ok(d) => gongkai_app::requests::add_appeal(&ctx, id, &d)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    back_to(&state, &staff, id, result).await
}

/// The request page after a change, or again with the message.
async fn back_to(
    state: &AppState,
    staff: &Staff,
    id: i64,
    result: Result<(), DomainError>,
) -> AppResult<Response> {
    crate::shared::render::after_post(
        result,
        |()| format!("/office/requests/{id}"),
        async |e| detail_page(state, staff, id, Some(e.to_string())).await,
    )
    .await
}

pub async fn decide_appeal(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, appeal)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<AppealForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "申请")?;
    let appeal = crate::shared::error::id_or_404(&appeal, "复议或诉讼记录")?;
    let ctx = staff.ctx(&state.db);
    let result = async {
        let r = gongkai_domain::request::appeal::AppealResult::parse(&form.result)?;
        let on = parse_date(&form.decided_on, Field::new("decided_on", "审结日期"))?;
        gongkai_app::requests::decide_appeal(&ctx, appeal, r, on).await
    }
    .await;
    back_to(&state, &staff, id, result).await
}
