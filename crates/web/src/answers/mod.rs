//! 一网通答: the public page of a Q&A entry, and the office list and form where staff keep
//! their agency's entries.

use crate::shared::form::CsrfForm;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::answer::{AnswerDraft, AnswerInput};
use gongkai_store::agencies;
use gongkai_store::answers::{self, Answer};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::{Choice, page};
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/answers/{id}", axum::routing::get(public))
        .route("/office/answers", axum::routing::get(office).post(create))
        .route(
            "/office/answers/{id}",
            axum::routing::get(edit_form).post(update),
        )
}

#[derive(Template)]
#[template(path = "answer.html")]
struct AnswerPage {
    chrome: Chrome,
    a: Answer,
    paragraphs: Vec<String>,
}

pub async fn public(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "问答")?;
    let a = answers::public_get(&mut state.db.conn().await?, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: "问答" }))?;
    page(
        &AnswerPage {
            chrome: visitor.chrome(&a.question),
            paragraphs: a
                .answer
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from)
                .collect(),
            a,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/answers.html")]
struct OfficePage {
    chrome: Chrome,
    entries: Vec<Answer>,
    form: AnswerInput,
    agency: String,
    agencies: Vec<Choice>,
    editing: Option<i64>,
    error: Option<String>,
    error_field: String,
}

async fn office_page(
    state: &AppState,
    staff: &Staff,
    form: AnswerInput,
    agency: String,
    editing: Option<i64>,
    error: Option<DomainError>,
) -> AppResult<OfficePage> {
    let (error, error_field) = crate::shared::render::split_error(error);
    let who = staff.user.principal();
    let mut c = state.db.conn().await?;
    let agencies = agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| who.may_act_for(a.id))
        .map(|a| Choice {
            value: a.code,
            label: a.name,
        })
        .collect();
    Ok(OfficePage {
        chrome: staff.chrome("一网通答"),
        entries: answers::for_staff(&mut c, &who).await?,
        form,
        agency,
        agencies,
        editing,
        error,
        error_field,
    })
}

pub async fn office(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let p = office_page(
        &state,
        &staff,
        AnswerInput::default(),
        String::new(),
        None,
        None,
    )
    .await?;
    page(&p, StatusCode::OK, None)
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "问答")?;
    let a = answers::get(&mut state.db.conn().await?, id)
        .await?
        .filter(|a| staff.user.principal().may_act_for(a.agency_id))
        .ok_or(AppError(DomainError::NotFound { what: "问答" }))?;
    let input = AnswerInput {
        question: a.question.clone(),
        answer: a.answer.clone(),
        documents: a
            .documents
            .iter()
            .map(|d| d.1.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        published: if a.published {
            "on".into()
        } else {
            String::new()
        },
    };
    let p = office_page(&state, &staff, input, a.agency_code, Some(id), None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    agency: String,
    #[serde(flatten)]
    input: AnswerInput,
}

/// Creates an entry (`id` empty) or saves one.
async fn save(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: AnswerForm,
) -> AppResult<Response> {
    let result = async {
        let d = AnswerDraft::parse(&form.input)?;
        match id {
            Some(id) => {
                gongkai_app::answers::update(&staff.ctx(&state.db), id, &d).await?;
                Ok(id)
            }
            None => {
                let code = gongkai_domain::agency::AgencyCode::parse(&form.agency)?;
                let agency = agencies::by_code(&mut state.db.conn().await?, &code)
                    .await?
                    .ok_or(DomainError::NotFound { what: "机构" })?;
                gongkai_app::answers::create(&staff.ctx(&state.db), agency.id, &d).await
            }
        }
    }
    .await;
    crate::shared::render::after_post(
        result,
        |id| format!("/office/answers/{id}"),
        async |e| office_page(state, staff, form.input, form.agency, id, Some(e)).await,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    save(&state, &staff, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "问答")?;
    save(&state, &staff, Some(id), form).await
}
