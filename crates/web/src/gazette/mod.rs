//! 政府公报: the public archive by year, each issue's page, and the office's compile form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::gazette::{IssueDraft, IssueInput};
use gongkai_store::attachments::{self, Attachment};
use gongkai_store::db;
use gongkai_store::documents::DocumentSummary;
use gongkai_store::gazette::{self, Issue};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult, status_of};
use crate::shared::form::CsrfForm;
use crate::shared::render::page;
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/gazette", axum::routing::get(archive))
        .route("/gazette/{id}", axum::routing::get(issue))
        .route(
            "/office/gazette",
            axum::routing::get(compile_form).post(compile),
        )
        .route(
            "/office/gazette/{id}",
            axum::routing::get(edit_form).post(update),
        )
}

#[derive(Template)]
#[template(path = "gazette.html")]
struct ArchivePage {
    chrome: Chrome,
    years: Vec<i64>,
    current: String,
    issues: Vec<Issue>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

pub async fn archive(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let years = gazette::years(&mut c).await?;
    let year = q
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| years.contains(y))
        .or(years.first().copied());
    let issues = match year {
        Some(y) => gazette::by_year(&mut c, y).await?,
        None => Vec::new(),
    };
    let current = year.map(|y| y.to_string()).unwrap_or_default();
    page(
        &ArchivePage {
            chrome: visitor.chrome("政府公报"),
            years,
            current,
            issues,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "gazette_issue.html")]
struct IssuePage {
    chrome: Chrome,
    issue: Issue,
    documents: Vec<DocumentSummary>,
    pdf: Option<Attachment>,
}

pub async fn issue(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || AppError(DomainError::NotFound { what: "公报" });
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut c = state.db.conn().await?;
    let (issue, documents) = gazette::get(&mut c, id).await?.ok_or_else(not_found)?;
    let pdf = attachments::for_gazette(&mut c, id)
        .await?
        .into_iter()
        .next();
    let title = format!("政府公报 {}", issue.label());
    page(
        &IssuePage {
            chrome: visitor.chrome(&title),
            issue,
            documents,
            pdf,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/gazette.html")]
struct CompilePage {
    chrome: Chrome,
    form: IssueInput,
    error: Option<String>,
    error_field: String,
    /// The issue being corrected, with its PDF; `None` when compiling a new one.
    editing: Option<(Issue, Option<Attachment>)>,
    issues: Vec<Issue>,
    max_upload: String,
}

async fn compile_page(
    state: &AppState,
    staff: &Staff,
    form: IssueInput,
    error: Option<DomainError>,
    editing: Option<Issue>,
) -> AppResult<CompilePage> {
    if !staff.user.role.sees_all_agencies() {
        return Err(AppError(DomainError::Forbidden));
    }
    let (error, error_field) = crate::shared::render::split_error(error);
    let mut c = state.db.conn().await?;
    let editing = match editing {
        Some(issue) => {
            let pdf = attachments::for_gazette(&mut c, issue.id)
                .await?
                .into_iter()
                .next();
            Some((issue, pdf))
        }
        None => None,
    };
    Ok(CompilePage {
        chrome: staff.chrome(match editing {
            Some(_) => "修改政府公报",
            None => "编辑政府公报",
        }),
        form,
        error_field,
        error,
        editing,
        issues: gazette::all(&mut c, 200).await?,
        max_upload: gongkai_domain::attachment::human_size(state.config.max_upload_bytes),
    })
}

pub async fn compile_form(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let p = compile_page(&state, &staff, IssueInput::default(), None, None).await?;
    page(&p, StatusCode::OK, None)
}

async fn issue_for_editing(state: &AppState, id: i64) -> AppResult<(Issue, IssueInput)> {
    let (issue, indexes) = gazette::for_editing(&mut state.db.conn().await?, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: "公报" }))?;
    let input = IssueInput {
        year: issue.year.to_string(),
        number: issue.number.to_string(),
        issued_on: issue.issued_on.to_string(),
        documents: indexes.join("\n"),
    };
    Ok((issue, input))
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (issue, input) =
        issue_for_editing(&state, crate::shared::error::id_or_404(&id, "公报")?).await?;
    let p = compile_page(&state, &staff, input, None, Some(issue)).await?;
    page(&p, StatusCode::OK, None)
}

/// The edit page again with the message of a rejected change (e.g. a PDF upload).
pub async fn edit_with_error(
    state: &AppState,
    staff: &Staff,
    id: i64,
    e: DomainError,
) -> AppResult<Response> {
    let status = status_of(&e);
    let (issue, input) = issue_for_editing(state, id).await?;
    let p = compile_page(state, staff, input, Some(e), Some(issue)).await?;
    page(&p, status, None)
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CompileForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "公报")?;
    let result = match IssueDraft::parse(&form.input, db::now().date_naive()) {
        Ok(d) => gongkai_app::publishing::update_gazette_issue(&staff.ctx(&state.db), id, &d).await,
        Err(e) => Err(e),
    };
    crate::shared::render::after_post(
        result,
        |()| format!("/office/gazette/{id}"),
        async |e| {
            let (issue, _) = issue_for_editing(&state, id).await?;
            compile_page(&state, &staff, form.input, Some(e), Some(issue)).await
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct CompileForm {
    #[serde(flatten)]
    input: IssueInput,
}

pub async fn compile(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<CompileForm>,
) -> AppResult<Response> {
    let result = match IssueDraft::parse(&form.input, db::now().date_naive()) {
        Ok(d) => gongkai_app::publishing::create_gazette_issue(&staff.ctx(&state.db), &d).await,
        Err(e) => Err(e),
    };
    crate::shared::render::after_post(
        result,
        |id| format!("/gazette/{id}"),
        async |e| compile_page(&state, &staff, form.input, Some(e), None).await,
    )
    .await
}
