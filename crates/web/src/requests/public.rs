//! 依申请公开 for the public: the application form with a confirmation step, the receipt with
//! the tracking code and key (shown only after the application is committed), and tracking.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::request::applicant::{ApplicantKind, IdType, mask_id};
use gongkai_domain::request::clock::Clock;
use gongkai_domain::request::intake::{DeliveryChannel, DeliveryForm, RequestDraft, RequestInput};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db;
use gongkai_store::documents::{self, DocumentSummary};
use gongkai_store::requests::{self, Event, Request};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult, status_of};
use crate::shared::form::CsrfForm;
use crate::shared::render::Choice;
use crate::shared::render::page;
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

#[derive(Template)]
#[template(path = "request_form.html")]
struct FormPage {
    chrome: Chrome,
    form: RequestInput,
    error: Option<String>,
    error_field: String,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    id_types: Vec<Choice>,
    forms: Vec<Choice>,
    channels: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    form: RequestInput,
    error: Option<DomainError>,
) -> AppResult<FormPage> {
    let (error, error_field) = crate::shared::render::split_error(error);
    let mut c = state.db.conn().await?;
    let agencies = agencies::tree_order(agencies::list(&mut c).await?)
        .into_iter()
        .filter(|(_, a)| a.kind.as_str() != "village")
        .map(|(depth, a)| Choice {
            value: a.code.clone(),
            label: format!("{}{}", "\u{3000}".repeat(depth), a.name),
        })
        .collect();
    Ok(FormPage {
        chrome: visitor.chrome("申请政府信息公开"),
        form,
        error,
        error_field,
        agencies,
        kinds: choices!(ApplicantKind),
        id_types: choices!(IdType),
        forms: choices!(DeliveryForm),
        channels: choices!(DeliveryChannel),
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    agency: String,
    /// Prefilled from a search that found little: what the person was looking for.
    #[serde(default)]
    description: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let cookie = visitor.ensure_session().await?;
    let form = RequestInput {
        agency: q.agency.trim().to_uppercase(),
        description: q.description.trim().chars().take(200).collect(),
        applicant_kind: gongkai_domain::request::ApplicantKind::Person
            .as_str()
            .into(),
        id_type: gongkai_domain::request::IdType::ResidentId.as_str().into(),
        delivery_form: gongkai_domain::request::intake::DeliveryForm::Electronic
            .as_str()
            .into(),
        delivery_channel: gongkai_domain::request::intake::DeliveryChannel::Online
            .as_str()
            .into(),
        ..Default::default()
    };
    let p = form_page(&state, &visitor, form, None).await?;
    page(&p, StatusCode::OK, cookie)
}

#[derive(Template)]
#[template(path = "request_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    /// The typed fields, carried to the final submission unchanged.
    hidden: Vec<(&'static str, String)>,
    agency: Agency,
    draft: RequestDraft,
    masked_id: String,
    similar: Vec<DocumentSummary>,
}

#[derive(Template)]
#[template(path = "request_receipt.html")]
struct ReceiptPage {
    chrome: Chrome,
    agency: Agency,
    tracking_code: String,
    key: String,
}

#[derive(Deserialize)]
pub struct SubmitForm {
    /// `preview` (show the confirmation page), `edit` (back to the form) or `confirm`.
    #[serde(default)]
    step: String,
    #[serde(flatten)]
    input: RequestInput,
}

fn hidden_fields(i: &RequestInput) -> Vec<(&'static str, String)> {
    [
        ("agency", &i.agency),
        ("applicant_kind", &i.applicant_kind),
        ("name", &i.name),
        ("id_type", &i.id_type),
        ("id_number", &i.id_number),
        ("phone", &i.phone),
        ("email", &i.email),
        ("address", &i.address),
        ("description", &i.description),
        ("doc_reference", &i.doc_reference),
        ("purpose", &i.purpose),
        ("delivery_form", &i.delivery_form),
        ("delivery_channel", &i.delivery_channel),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.clone()))
    .collect()
}

/// Words to look for among published documents: the 文号/name the applicant gave and
/// four-character pieces of the description.
fn search_terms(d: &RequestDraft) -> Vec<String> {
    let mut terms: Vec<String> = d.doc_reference.iter().cloned().collect();
    let chars: Vec<char> = d
        .description
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for chunk in chars.chunks(4) {
        if chunk.len() == 4 && chunk.iter().all(|c| c.is_alphanumeric()) {
            terms.push(chunk.iter().collect());
        }
    }
    terms.truncate(12);
    terms
}

async fn agency_of(state: &AppState, code: &str) -> Result<Agency, DomainError> {
    let field = gongkai_domain::Field::new("agency", "受理机关");
    gongkai_app::agencies::chosen(&state.db, code, field).await
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> AppResult<Response> {
    let today = db::now().date_naive();
    let checked = async {
        let agency = agency_of(&state, &form.input.agency).await?;
        let draft = RequestDraft::parse_online(&form.input, today)?;
        Ok::<_, DomainError>((agency, draft))
    }
    .await;
    let (agency, draft) = match checked {
        Ok(v) if form.step != "edit" => v,
        Ok(_) => {
            let p = form_page(&state, &visitor, form.input, None).await?;
            return page(&p, StatusCode::OK, None);
        }
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            let p = form_page(&state, &visitor, form.input, Some(e)).await?;
            return page(&p, status, None);
        }
        Err(e) => return Err(AppError(e)),
    };
    if form.step != "confirm" {
        let similar =
            documents::similar(&mut state.db.conn().await?, &search_terms(&draft), 5).await?;
        let p = ConfirmPage {
            chrome: visitor.chrome("确认申请内容"),
            masked_id: mask_id(&draft.applicant.id_number),
            hidden: hidden_fields(&form.input),
            agency,
            draft,
            similar,
        };
        return page(&p, StatusCode::OK, None);
    }
    // The receipt is committed before the code is shown: the page below is rendered only
    // after the use case returned.
    let ctx = visitor.ctx(&state.db);
    let submitted =
        gongkai_app::requests::submit_online(&ctx, agency.id, &draft, &visitor.client).await?;
    let p = ReceiptPage {
        chrome: visitor.chrome("申请已提交"),
        agency,
        tracking_code: submitted.tracking_code,
        key: submitted.key,
    };
    page(&p, StatusCode::CREATED, None)
}

#[derive(Template)]
#[template(path = "request_track.html")]
struct TrackPage {
    chrome: Chrome,
    code: String,
    /// Echoed into the withdrawal form only, after a successful lookup.
    key: String,
    error: Option<String>,
    found: Option<Tracked>,
}

pub struct Tracked {
    /// Once the reply is sent.
    pub letter: Option<gongkai_domain::request::letter::Letter>,
    pub request: Request,
    pub masked_id: String,
    pub clock: Option<Clock>,
    pub events: Vec<Event>,
}

pub async fn track_form(mut visitor: Visitor) -> AppResult<Response> {
    let cookie = visitor.ensure_session().await?;
    let p = TrackPage {
        chrome: visitor.chrome("查询申请办理进度"),
        code: String::new(),
        key: String::new(),
        error: None,
        found: None,
    };
    page(&p, StatusCode::OK, cookie)
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    key: String,
}

/// Looks a request up by code and key. A POST, so the key never lands in a URL or a log.
pub async fn track(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let found = requests::lookup(&mut c, &form.code, &form.key, &visitor.client, db::now()).await?;
    tracking_page(&state, &visitor, &form, found, None).await
}

/// The reply letter as a PDF, for the applicant (code and key in the form, as for tracking).
pub async fn letter_pdf(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let found = requests::lookup(&mut c, &form.code, &form.key, &visitor.client, db::now()).await?;
    let letter = found.as_ref().and_then(|(r, _)| {
        r.status
            .was_replied()
            .then(|| crate::requests::office::letter_of(r))
            .flatten()
    });
    match letter {
        Some(letter) => Ok(crate::requests::office::pdf_response(
            gongkai_formats::pdf::letter(state.pdf_font.as_deref(), &letter),
        )),
        None => {
            let notice = found.is_some().then(|| "答复书尚未送达".to_string());
            tracking_page(&state, &visitor, &form, found, notice).await
        }
    }
}

/// The applicant withdraws their own application (with the code and key).
pub async fn withdraw(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    let now = db::now();
    let found = requests::lookup(
        &mut state.db.conn().await?,
        &form.code,
        &form.key,
        &visitor.client,
        now,
    )
    .await?;
    let Some((request, _)) = found else {
        return tracking_page(&state, &visitor, &form, None, None).await;
    };
    let ctx = visitor.ctx(&state.db).at(now);
    let result = gongkai_app::requests::withdraw_by_applicant(&ctx, request.id).await;
    let notice = match result {
        Ok(_) => None,
        Err(e) if e.is_input_error() => Some(e.to_string()),
        Err(e) => return Err(AppError(e)),
    };
    // Shown as it is now; the key was checked above.
    let found = requests::track(&mut state.db.conn().await?, &form.code, &form.key).await?;
    tracking_page(&state, &visitor, &form, found, notice).await
}

/// The tracking page for what a lookup found (or the “not found” message).
async fn tracking_page(
    state: &AppState,
    visitor: &Visitor,
    form: &TrackForm,
    found: Option<(Request, Vec<Event>)>,
    notice: Option<String>,
) -> AppResult<Response> {
    let today = db::now().date_naive();
    let (status, error, found) = match found {
        None => (
            StatusCode::NOT_FOUND,
            Some("查询码或查询密钥不正确,请核对后重试".to_string()),
            None,
        ),
        Some((request, events)) => {
            let cal = gongkai_store::calendar::work_calendar(&mut state.db.conn().await?).await?;
            let clock = requests::clock_of(&cal, &request, &events, today)?;
            (
                StatusCode::OK,
                None,
                Some(Tracked {
                    letter: request
                        .status
                        .was_replied()
                        .then(|| crate::requests::office::letter_of(&request))
                        .flatten(),
                    masked_id: request.masked_id(),
                    // Staff notes never reach the applicant.
                    events: events
                        .into_iter()
                        .filter(|e| e.public_note.is_some())
                        .collect(),
                    request,
                    clock,
                }),
            )
        }
    };
    let p = TrackPage {
        chrome: visitor.chrome("查询申请办理进度"),
        code: form.code.trim().to_uppercase(),
        key: if found.is_some() {
            form.key.trim().to_string()
        } else {
            String::new()
        },
        error: notice.or(error),
        found,
    };
    page(&p, status, None)
}
