//! Public documents and interpretations: the filtered list, a document's page with its
//! versions, relations and files, and the interpretations list.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::document::{DocKind, Validity};
use gongkai_domain::rich_text;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::attachments::{self, Attachment};
use gongkai_store::documents::{self, Document, DocumentSummary, HistoryEntry, Related};
use gongkai_store::interpretations::{self, Interpretation};

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::page;
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;
use gongkai_app::doc_query::DocumentQuery;

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    doc: Document,
    body_html: String,
    attachments: Vec<Attachment>,
    history: Vec<HistoryEntry>,
    replaced_by: Vec<Related>,
    acts_on: Vec<Related>,
    interpretations: Vec<Interpretation>,
    /// Published 政策留言 about this document.
    messages: Vec<gongkai_store::messages::Message>,
}

pub async fn document(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || AppError(DomainError::NotFound { what: "文件" });
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut c = state.db.conn().await?;
    let doc = documents::public_get(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    // A withdrawn document keeps its page with the notice, but not its text or files.
    let (body_html, attachments) = if doc.withdrawn_at.is_some() {
        (String::new(), Vec::new())
    } else {
        (
            rich_text::to_html(&doc.version.body),
            attachments::for_version(&mut c, id, doc.version.version_no).await?,
        )
    };
    let history = documents::history(&mut c, id).await?;
    let interpretations = if doc.withdrawn_at.is_some() {
        Vec::new()
    } else {
        gongkai_store::interpretations::for_document(&mut c, id).await?
    };
    let (acts_on, replaced_by) = documents::relations(&mut c, id)
        .await?
        .into_iter()
        .partition(|r| r.outgoing);
    let messages = gongkai_store::messages::published(&mut c, None, Some(id), 20).await?;
    let title = doc.summary.title.clone();
    page(
        &DocumentPage {
            chrome: visitor.chrome(&title),
            doc,
            body_html,
            attachments,
            history,
            replaced_by,
            acts_on,
            interpretations,
            messages,
        },
        StatusCode::OK,
        None,
    )
}

use crate::shared::render::Choice;

#[derive(Template)]
#[template(path = "documents.html")]
struct ListPage {
    chrome: Chrome,
    q: DocumentQuery,
    rows: Vec<DocumentSummary>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    error: Option<String>,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    validities: Vec<Choice>,
}

/// 政策文件: every public document, filtered by plain links and a GET form (no script).
pub async fn document_list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<DocumentQuery>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let (rows, total, page_no, per_page, error, status) = match q.parse(&mut c).await {
        Ok(p) => {
            let (rows, total) =
                documents::public_list(&mut c, &p.filter, p.page, p.per_page).await?;
            (rows, total, p.page, p.per_page, None, StatusCode::OK)
        }
        // A bad filter shows the form again with the message, and no results.
        Err(e) if e.is_input_error() || matches!(e, DomainError::NotFound { .. }) => (
            Vec::new(),
            0,
            1,
            20,
            Some(e.to_string()),
            crate::shared::error::status_of(&e),
        ),
        Err(e) => return Err(AppError(e)),
    };
    let pages = ((total + per_page - 1) / per_page).max(1);
    let choice = |value: &str, label: &str| Choice {
        value: value.into(),
        label: label.into(),
    };
    let agencies = agencies::tree_order(agencies::list(&mut c).await?)
        .into_iter()
        .map(|(depth, a)| choice(&a.code, &format!("{}{}", "\u{3000}".repeat(depth), a.name)))
        .collect();
    let topics = gongkai_domain::topics::all()
        .iter()
        .map(|g| choice(&g.name, &g.name))
        .collect();
    page(
        &ListPage {
            chrome: visitor.chrome("政策文件"),
            prev: (page_no > 1).then(|| q.with_page(page_no - 1)),
            next: (page_no < pages).then(|| q.with_page(page_no + 1)),
            q,
            rows,
            total,
            page: page_no,
            pages,
            error,
            agencies,
            kinds: choices!(DocKind),
            topics,
            validities: choices!(Validity),
        },
        status,
        None,
    )
}

#[derive(Template)]
#[template(path = "interpretation.html")]
struct InterpretationPage {
    chrome: Chrome,
    item: Interpretation,
    body_html: String,
    policies: Vec<(i64, String)>,
}

pub async fn interpretation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || {
        AppError(DomainError::NotFound {
            what: "政策解读"
        })
    };
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut c = state.db.conn().await?;
    let (item, policies) = gongkai_store::interpretations::public_get(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    let body_html = rich_text::to_html(&item.body);
    let title = item.title.clone();
    page(
        &InterpretationPage {
            chrome: visitor.chrome(&title),
            item,
            body_html,
            policies,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(serde::Deserialize, Default)]
pub struct InterpretationQuery {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    page: String,
}

impl InterpretationQuery {
    fn href(&self, page: i64) -> String {
        let mut parts = Vec::new();
        for (k, v) in [("agency", &self.agency), ("form", &self.form)] {
            if !v.trim().is_empty() {
                parts.push(format!(
                    "{k}={}",
                    crate::shared::form::percent_encode(v.trim(), b"")
                ));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/interpretations".into()
        } else {
            format!("/interpretations?{}", parts.join("&"))
        }
    }
}

#[derive(Template)]
#[template(path = "interpretations.html")]
struct InterpretationList {
    chrome: Chrome,
    agency: Option<Agency>,
    q_form: String,
    forms: Vec<Choice>,
    rows: Vec<interpretations::Listed>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
}

const INTERPRETATIONS_PER_PAGE: i64 = 20;

/// 政策解读: every public interpretation, by agency and form, in pages.
pub async fn interpretation_list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<InterpretationQuery>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = match q.agency.trim() {
        "" => None,
        code => Some(crate::shared::render::agency_or_404(&mut c, code).await?),
    };
    let form = match q.form.trim() {
        "" => None,
        f => Some(gongkai_domain::interpretation::Form::parse(f)?),
    };
    let page_no = q.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = interpretations::public_list(
        &mut c,
        agency.as_ref().map(|a| a.id),
        form,
        page_no,
        INTERPRETATIONS_PER_PAGE,
    )
    .await?;
    let pages = ((total + INTERPRETATIONS_PER_PAGE - 1) / INTERPRETATIONS_PER_PAGE).max(1);
    let title = match &agency {
        Some(a) => format!("{} 政策解读", a.short_name),
        None => "政策解读".to_string(),
    };
    page(
        &InterpretationList {
            chrome: visitor.chrome(&title),
            forms: choices!(gongkai_domain::interpretation::Form),
            prev: (page_no > 1).then(|| q.href(page_no - 1)),
            next: (page_no < pages).then(|| q.href(page_no + 1)),
            q_form: q.form.trim().to_string(),
            agency,
            rows,
            total,
            page: page_no,
            pages,
        },
        StatusCode::OK,
        None,
    )
}
