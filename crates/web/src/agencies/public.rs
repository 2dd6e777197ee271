//! The public agency pages: the list of agencies as a tree, an agency's page, and its
//! 政府信息公开指南.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::rich_text;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::documents::{self, DocumentSummary};

use crate::shared::error::AppResult;
use crate::shared::render::{TreeRow, page, tree_rows};
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

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
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
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
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
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
