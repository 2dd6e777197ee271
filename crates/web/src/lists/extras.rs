//! The parts of a record page that only some kinds have: a dataset's resources, an event's
//! places and registration form, a budget's checks, a fee item's yearly amounts.

use gongkai_domain::lists::extras::{self, QUESTIONS};
use gongkai_domain::lists::{ListKind, kinds};
use gongkai_store::Exec;
use gongkai_store::list_extras::Signup;
use gongkai_store::list_extras::{self, Collection, Resource};
use gongkai_store::lists::Record;

use crate::shared::error::AppResult;
use crate::shared::state::AppState;

/// A question of the event questionnaire as the form shows it.
pub struct Question {
    pub key: &'static str,
    pub label: &'static str,
    pub options: &'static [&'static str],
}

#[derive(Default)]
pub struct Extra {
    pub resources: Vec<Resource>,
    /// An event: places left, and why registration is closed if it is.
    pub event: Option<(i64, Option<String>)>,
    pub questions: Vec<Question>,
    pub problems: Vec<String>,
    pub collections: Vec<Collection>,
    /// A service guide's sample and blank forms.
    pub forms: Vec<list_extras::Form>,
}

pub async fn for_record(_state: &AppState, c: &mut impl Exec, r: &Record) -> AppResult<Extra> {
    let mut x = Extra::default();
    match r.kind {
        ListKind::Dataset => x.resources = list_extras::resources(c, r.agency_id, &r.key).await?,
        ListKind::Event => {
            let taken = list_extras::registrations_count(c, r.agency_id, &r.key).await?;
            let capacity: i64 = r.value("capacity").parse().unwrap_or(0);
            let today = gongkai_store::db::now().date_naive();
            let closed = extras::registration_open(&r.values, taken, today)
                .err()
                .map(|e| e.to_string());
            x.event = Some(((capacity - taken).max(0), closed));
            x.questions = QUESTIONS
                .iter()
                .map(|(key, label, options)| Question {
                    key,
                    label,
                    options,
                })
                .collect();
        }
        ListKind::Guide => x.forms = list_extras::forms(c, r.agency_id, &r.key).await?,
        ListKind::Budget => {
            x.problems = extras::budget_problems(&r.values, r.effective_from, r.due_on);
        }
        ListKind::Fees if r.value("category") == kinds::ADMIN_FEE => {
            x.collections = list_extras::collections(c, r.agency_id, &r.key).await?;
        }
        _ => {}
    }
    Ok(x)
}

// ---- public actions: event registration, dataset downloads ----

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use std::collections::HashMap;

use crate::shared::error::AppError;
use crate::shared::form::{CsrfForm, percent_encode};
use crate::shared::session::Visitor;
use crate::shared::views::Chrome;

#[derive(Template)]
#[template(path = "event_receipt.html")]
struct Receipt {
    chrome: Chrome,
    record_id: i64,
    theme: String,
    held_on: String,
    place: String,
    code: Option<String>,
    error: Option<String>,
}

/// Registration for an open event. The confirmation code is shown only after the
/// registration is committed.
pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "活动")?;
    let today = gongkai_store::db::now().date_naive();
    let event = {
        let mut c = state.db.conn().await?;
        gongkai_store::lists::public_get(&mut c, id, today)
            .await?
            .filter(|r| r.kind == ListKind::Event)
            .ok_or(AppError(DomainError::NotFound { what: "活动" }))?
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (name, phone) = (get("name"), get("phone"));
    let ctx = visitor.ctx(&state.db);
    let signup = Signup {
        name: &name,
        phone: &phone,
        answer: get,
    };
    let result = gongkai_app::lists::register(&ctx, &visitor.client, id, signup).await;
    let (code, error, status) = match result {
        Ok(code) => (Some(code), None, StatusCode::OK),
        Err(e) if e.is_input_error() => {
            let s = crate::shared::error::status_of(&e);
            (None, Some(e.to_string()), s)
        }
        Err(e) => return Err(AppError(e)),
    };
    crate::shared::render::page(
        &Receipt {
            chrome: visitor.chrome(if code.is_some() {
                "报名成功"
            } else {
                "报名未成功"
            }),
            record_id: id,
            theme: event.value("theme").to_string(),
            held_on: event.value("held_on").to_string(),
            place: event.value("place").to_string(),
            code,
            error,
        },
        status,
        None,
    )
}

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "数据资源")?;
    let today = gongkai_store::db::now().date_naive();
    let res = gongkai_app::lists::public_resource(&state.db, id, today).await?;
    let mut c = state.db.conn().await?;
    if let Some(url) = &res.url {
        list_extras::count_download(&mut c, id).await?;
        return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, url.clone())]).into_response());
    }
    let bytes = list_extras::resource_bytes(&mut c, &res).await?;
    list_extras::count_download(&mut c, id).await?;
    let name = res
        .file_name
        .clone()
        .unwrap_or_else(|| format!("resource-{id}"));
    Ok((
        [
            (header::CONTENT_TYPE, res.format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"resource-{id}.{}\"; filename*=UTF-8''{}",
                    res.format.as_str(),
                    percent_encode(&name, b"")
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A service guide's form, while its guide is public.
pub async fn form_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || AppError(DomainError::NotFound { what: "表格" });
    let id = crate::shared::error::id_or_404(&id, "表格")?;
    let mut c = state.db.conn().await?;
    let f = list_extras::form_by_id(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    let today = gongkai_store::db::now().date_naive();
    let public =
        gongkai_store::lists::published(&mut c, ListKind::Guide, f.agency_id, &f.record_key, today)
            .await?;
    if !public {
        return Err(not_found());
    }
    let bytes = list_extras::form_bytes(&mut c, &f).await?;
    Ok((
        [
            (header::CONTENT_TYPE, f.file_kind.mime().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"form-{id}.{}\"; filename*=UTF-8''{}",
                    f.file_kind.as_str(),
                    percent_encode(&f.file_name, b"")
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
