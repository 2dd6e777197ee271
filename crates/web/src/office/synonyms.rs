//! 检索同义词: the disclosure office's colloquial → official terms for search, beside the list
//! shipped with the project. A saved entry takes effect at the next search on every node,
//! without rebuilding the index.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::synonym::Synonym;
use gongkai_search::synonyms::Synonyms;
use gongkai_store::search_synonyms::Row;
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::{after_post, page};
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

#[derive(Template)]
#[template(path = "office/synonyms.html")]
struct SynonymsPage {
    chrome: Chrome,
    entries: Vec<Row>,
    shipped: Vec<(String, String)>,
    term: String,
    official: String,
    error: Option<String>,
    error_field: String,
}

/// Only the office and admins see or change the entries; a department's staff learn
/// nothing from the page.
fn require_office(staff: &Staff) -> Result<(), AppError> {
    if staff.user.principal().role.sees_all_agencies() {
        Ok(())
    } else {
        Err(AppError(DomainError::Forbidden))
    }
}

async fn synonyms_page(
    state: &AppState,
    staff: &Staff,
    form: &SynonymForm,
    error: Option<DomainError>,
) -> Result<SynonymsPage, AppError> {
    let shipped = Synonyms::shipped();
    Ok(SynonymsPage {
        chrome: staff.chrome("检索同义词"),
        entries: gongkai_app::search_synonyms::all(&state.db).await?,
        shipped: shipped
            .entries()
            .into_iter()
            .map(|(t, o)| (t.to_string(), o.join("、")))
            .collect(),
        term: form.term.clone(),
        official: form.official.clone(),
        error_field: match &error {
            Some(DomainError::Invalid { field, .. }) => field.name.to_string(),
            _ => String::new(),
        },
        error: error.map(|e| e.to_string()),
    })
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    require_office(&staff)?;
    let p = synonyms_page(&state, &staff, &SynonymForm::default(), None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize, Default)]
pub struct SynonymForm {
    #[serde(default)]
    term: String,
    #[serde(default)]
    official: String,
}

/// Adds an entry, or replaces the official terms of its term (audited).
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(f): CsrfForm<SynonymForm>,
) -> AppResult<Response> {
    require_office(&staff)?;
    let ctx = staff.ctx(&state.db);
    let result = async {
        let s = Synonym::parse(&f.term, &f.official)?;
        gongkai_app::search_synonyms::save(&ctx, &s).await
    }
    .await;
    after_post(
        result,
        |_| "/office/search/synonyms".to_string(),
        async |e| synonyms_page(&state, &staff, &f, Some(e)).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct RemoveForm {
    term: String,
}

/// Removes an entry (audited).
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> AppResult<Response> {
    require_office(&staff)?;
    gongkai_app::search_synonyms::remove(&staff.ctx(&state.db), &f.term).await?;
    Ok(crate::shared::render::redirect("/office/search/synonyms").into_response())
}

use axum::response::IntoResponse;
