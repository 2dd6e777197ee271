//! 政府公报: the public archive by year, each issue's page, and the office's compile form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::DomainError;
use gongkai_domain::gazette::{IssueDraft, IssueInput};
use gongkai_store::db;
use gongkai_store::documents::DocumentSummary;
use gongkai_store::gazette::{self, Issue};
use serde::Deserialize;

use super::page;
use crate::error::{AppError, AppResult, status_of};
use crate::form::Form;
use crate::session::{Staff, Visitor};
use crate::state::AppState;
use crate::views::Chrome;

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
}

pub async fn issue(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || AppError(DomainError::NotFound { what: "公报" });
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let (issue, documents) = gazette::get(&mut state.db.conn().await?, id)
        .await?
        .ok_or_else(not_found)?;
    let title = format!("政府公报 {}", issue.label());
    page(
        &IssuePage {
            chrome: visitor.chrome(&title),
            issue,
            documents,
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
}

fn compile_page(staff: &Staff, form: IssueInput, error: Option<DomainError>) -> CompilePage {
    let (error, error_field) = super::split_error(error);
    CompilePage {
        chrome: staff.chrome("编辑政府公报"),
        form,
        error_field,
        error,
    }
}

pub async fn compile_form(staff: Staff) -> AppResult<Response> {
    if !staff.user.role.sees_all_agencies() {
        return Err(AppError(DomainError::Forbidden));
    }
    page(
        &compile_page(&staff, IssueInput::default(), None),
        StatusCode::OK,
        None,
    )
}

#[derive(Deserialize)]
pub struct CompileForm {
    csrf: String,
    #[serde(flatten)]
    input: IssueInput,
}

pub async fn compile(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<CompileForm>,
) -> AppResult<Response> {
    staff.visitor.verify_csrf(&form.csrf)?;
    let principal = staff.user.principal();
    let actor = staff.actor();
    let result = match IssueDraft::parse(&form.input, db::now().date_naive()) {
        Ok(d) => {
            state
                .db
                .write(async |tx| gazette::create(tx, &actor, &principal, &d).await)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/gazette/{id}")).into_response()),
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            page(&compile_page(&staff, form.input, Some(e)), status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}
