//! The public portal: no account needed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyKind;
use gongkai_domain::document::{DocKind, Validity};
use gongkai_domain::rich_text;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::attachments::{self, Attachment};
use gongkai_store::documents::{self, Document, DocumentSummary, HistoryEntry, Related};
use gongkai_store::interpretations::{self, Interpretation};

use super::{TreeRow, page, tree_rows};
use crate::error::{AppError, AppResult};
use crate::session::Visitor;
use crate::state::AppState;
use crate::views::Chrome;
use gongkai_app::doc_query::DocumentQuery;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    tree: Vec<TreeRow>,
    recent: Vec<DocumentSummary>,
    topics: Vec<TopicCount>,
    interpretations: Vec<interpretations::Listed>,
    /// The top-level government, whose guide and statutory content the home page links.
    root: Option<Agency>,
}

pub struct TopicCount {
    pub name: String,
    pub href: String,
    pub count: i64,
}

/// First-level topics in the taxonomy's order with their public documents (subtopics
/// included); topics without any are left out.
fn topic_counts(counts: &[(String, i64)]) -> Vec<TopicCount> {
    gongkai_domain::topics::all()
        .iter()
        .filter_map(|g| {
            let count: i64 = counts
                .iter()
                .filter(|(t, _)| {
                    t == &g.name
                        || t.strip_prefix(g.name.as_str())
                            .is_some_and(|rest| rest.starts_with('\\'))
                })
                .map(|(_, n)| n)
                .sum();
            (count > 0).then(|| TopicCount {
                href: format!(
                    "/documents?topic={}",
                    crate::form::percent_encode(&g.name, b"")
                ),
                name: g.name.clone(),
                count,
            })
        })
        .collect()
}

pub async fn home(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let all = agencies::list(&mut c).await?;
    let root = all
        .iter()
        .find(|a| a.parent_id.is_none() && a.kind == AgencyKind::Government)
        .cloned();
    let tree = agencies::tree_order(all);
    let counts = documents::agency_counts(&mut c).await?;
    let recent = documents::recent(&mut c, 12).await?;
    let topics = topic_counts(&documents::topic_counts(&mut c).await?);
    let (interpretations, _) = interpretations::public_list(&mut c, None, None, 1, 5).await?;
    page(
        &HomePage {
            chrome: visitor.chrome("首页"),
            tree: super::tree_rows_counted(&tree, &counts),
            recent,
            topics,
            interpretations,
            root,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct AgenciesPage {
    chrome: Chrome,
    tree: Vec<TreeRow>,
}

pub async fn agency_list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let tree = agencies::tree_order(agencies::list(&mut c).await?);
    page(
        &AgenciesPage {
            chrome: visitor.chrome("机构目录"),
            tree: tree_rows(&tree),
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyPage {
    chrome: Chrome,
    column: &'static str,
    agency: Agency,
    parent: Option<Agency>,
    children: Vec<Agency>,
    documents: Vec<DocumentSummary>,
    total: i64,
    /// The typed lists the agency keeps records in, with their current counts.
    lists: Vec<(gongkai_domain::lists::ListKind, i64)>,
}

/// The agency's page, which carries the basics of its 政府信息公开指南: who it is, where,
/// when it receives the public, and how to reach it.
pub async fn agency(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = super::agency_or_404(&mut c, &code).await?;
    let parent = match agency.parent_id {
        Some(id) => agencies::by_id(&mut c, id).await?,
        None => None,
    };
    let children = agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| a.parent_id == Some(agency.id))
        .collect();
    let (documents, total) = documents::by_agency(&mut c, agency.id, 1, 50).await?;
    let mut lists = Vec::new();
    let today = gongkai_store::db::now().date_naive();
    let mine = gongkai_store::lists::Filter {
        agency_id: Some(agency.id),
        ..Default::default()
    };
    for kind in gongkai_domain::lists::ListKind::ALL {
        let (_, n) = gongkai_store::lists::public_list(&mut c, *kind, &mine, today, 0, 0).await?;
        if n > 0 {
            lists.push((*kind, n));
        }
    }
    let title = agency.name.clone();
    page(
        &AgencyPage {
            chrome: visitor.chrome(&title),
            column: "home",
            agency,
            parent,
            children,
            documents,
            total,
            lists,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    chrome: Chrome,
    agency: Agency,
    column: &'static str,
    index_pattern: String,
    limit: u32,
    item_bands: Vec<(u32, u32, u32)>,
    page_bands: Vec<(u32, Option<u32>, u32)>,
    note_html: String,
}

/// 政府信息公开指南 (条例第十二条): built from the agency's own record (contacts, hours, its
/// 索引号 pattern and publication limit) and the rules, plus the agency's additions.
pub async fn guide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = super::agency_or_404(&mut c, &code).await?;
    let title = format!("{}政府信息公开指南", agency.name);
    page(
        &GuidePage {
            chrome: visitor.chrome(&title),
            column: "guide",
            index_pattern: agency.index_pattern()?.as_str().to_string(),
            limit: agency.publication_limit(),
            item_bands: gongkai_domain::fees::ITEM_BANDS.to_vec(),
            page_bands: gongkai_domain::fees::PAGE_BANDS.to_vec(),
            note_html: agency
                .guide_note
                .as_deref()
                .map(rich_text::to_html)
                .unwrap_or_default(),
            agency,
        },
        StatusCode::OK,
        None,
    )
}

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

pub use super::Choice;

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
            crate::error::status_of(&e),
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
                    crate::form::percent_encode(v.trim(), b"")
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
        code => Some(super::agency_or_404(&mut c, code).await?),
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
