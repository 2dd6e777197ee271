//! The portal's home page: the columns, the newest documents and the topics, no account needed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::agency::AgencyKind;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::documents::{self, DocumentSummary};
use gongkai_store::interpretations::{self};

use crate::shared::error::AppResult;
use crate::shared::render::{TreeRow, page};
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/", axum::routing::get(home))
}

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
                    crate::shared::form::percent_encode(&g.name, b"")
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
            tree: crate::shared::render::tree_rows_counted(&tree, &counts),
            recent,
            topics,
            interpretations,
            root,
        },
        StatusCode::OK,
        None,
    )
}
