//! 一网通查: the search page (works without JavaScript; filters are links) and its JSON twin.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_search::{Kind, Results, Search};
use gongkai_store::agencies;

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::page;
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;
use gongkai_search::params::SearchParams;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/search", axum::routing::get(search_page))
        .route("/api/v1/search", axum::routing::get(api))
}

/// A facet value as a link that applies (or, when active, removes) the filter.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

pub struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    p: SearchParams,
    error: Option<String>,
    results: Option<Results>,
    /// 一网通答: entries answering the typed question, shown above the results.
    answers: Vec<gongkai_search::Hit>,
    /// 热门检索.
    popular: Vec<(String, String)>,
    facets: Vec<FacetGroup>,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    by_date: String,
    by_relevance: String,
    kind_labels: Vec<(String, String)>,
    /// When search finds little: the two channels that answer what it cannot, with the query
    /// filled in (申请公开, 网上咨询/留言).
    ask: Option<(String, String)>,
}

/// Fewer results than this, and the page offers to ask instead.
const FEW: usize = 3;

fn unavailable() -> AppError {
    AppError(DomainError::unavailable("检索服务正在启动,请稍后再试"))
}

/// Runs a search on this node's index.
pub fn run(state: &AppState, search: &Search) -> Result<Results, AppError> {
    let node = state.search.as_ref().ok_or_else(unavailable)?;
    node.search(search).map_err(AppError)
}

async fn facet_groups(
    state: &AppState,
    p: &SearchParams,
    results: &Results,
) -> Result<Vec<FacetGroup>, AppError> {
    let names: std::collections::HashMap<String, String> =
        agencies::list(&mut state.db.conn().await?)
            .await?
            .into_iter()
            .map(|a| (a.code, a.name))
            .collect();
    let mut groups = Vec::new();
    for (name, values) in &results.facets {
        let (title, param, current) = match name.as_str() {
            "kind" => ("类别", "kind", &p.kind),
            "agency" => ("发布机构", "agency", &p.agency),
            "year" => ("年份", "year", &p.year),
            "topic" => ("主题", "topic", &p.topic),
            _ => continue,
        };
        let links = values
            .iter()
            .take(12)
            .map(|(value, count)| {
                let label = match param {
                    "kind" => Kind::parse(value).map_or(value.clone(), |k| k.label().to_string()),
                    "agency" => names.get(value).cloned().unwrap_or_else(|| value.clone()),
                    "year" => format!("{value}年"),
                    _ => value.clone(),
                };
                let active = current.trim() == value;
                FacetLink {
                    label,
                    count: *count,
                    href: format!("/search?{}", p.with(param, if active { "" } else { value })),
                    active,
                }
            })
            .collect::<Vec<_>>();
        if !links.is_empty() {
            groups.push(FacetGroup { title, links });
        }
    }
    Ok(groups)
}

pub async fn search_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(p): Query<SearchParams>,
) -> AppResult<Response> {
    let title = if p.q.trim().is_empty() {
        "一网通查".to_string()
    } else {
        format!(
            "“{}”的检索结果",
            p.q.trim().chars().take(40).collect::<String>()
        )
    };
    // The bare page shows the form; only a submitted query is checked.
    let outcome = if p.q.trim().is_empty() && p.page.is_empty() {
        Ok(None)
    } else {
        p.parse().and_then(|s| match run(&state, &s) {
            Ok(r) => Ok(Some((s, r))),
            Err(AppError(e)) => Err(e),
        })
    };
    let (status, error, found) = match outcome {
        Ok(found) => (StatusCode::OK, None, found),
        Err(e) if e.is_input_error() => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string()), None)
        }
        Err(e) => return Err(AppError(e)),
    };
    if let (Some((s, r)), Some(node)) = (&found, state.search.as_ref())
        && r.total > 0
        && s.page == 1
    {
        node.note_query(&s.parsed.text);
    }
    let popular = match state.search.as_ref() {
        // Related searches first: someone who found little may find it by another's words.
        Some(node) => {
            let terms = node.popular().await?;
            match &found {
                Some((s, _)) => gongkai_search::question::related(&s.parsed.text, &terms),
                None => terms,
            }
        }
        None => Vec::new(),
    };
    let popular = popular
        .into_iter()
        .map(|t| {
            let href = format!(
                "/search?{}",
                serde_urlencoded::to_string([("q", &t)]).unwrap_or_default()
            );
            (t, href)
        })
        .collect();
    // Answers are offered on the first page of an unfiltered search.
    let answers = match (&found, state.search.as_ref()) {
        (Some((s, _)), Some(node)) if s.page == 1 && s.kind.is_none() => {
            node.index().answers(&s.parsed.text, 2)?
        }
        _ => Vec::new(),
    };
    let (page_no, pages, facets, results) = match found {
        Some((s, r)) => {
            let pages = r
                .total
                .min(gongkai_search::index::MAX_DEPTH)
                .div_ceil(s.per_page)
                .max(1);
            let facets = facet_groups(&state, &p, &r).await?;
            (s.page, pages, facets, Some(r))
        }
        None => (1, 1, Vec::new(), None),
    };
    let ask = match results.as_ref().filter(|r| r.total < FEW) {
        Some(_) => {
            // A message goes to the agency searched within, or to the government at the top.
            let agency = match p.agency.trim() {
                "" => gongkai_store::agencies::root(&mut state.db.conn().await?)
                    .await?
                    .map(|a| a.code)
                    .unwrap_or_default(),
                code => code.to_uppercase(),
            };
            let q = p.q.trim();
            let apply = [("agency", p.agency.trim()), ("description", q)];
            let message = [("agency", agency.as_str()), ("title", q)];
            Some((
                format!(
                    "/requests/new?{}",
                    serde_urlencoded::to_string(apply).unwrap_or_default()
                ),
                format!(
                    "/messages/new?{}",
                    serde_urlencoded::to_string(message).unwrap_or_default()
                ),
            ))
        }
        None => None,
    };
    let chrome = visitor.chrome(&title);
    page(
        &SearchPage {
            chrome,
            ask,
            prev: (page_no > 1 && results.is_some())
                .then(|| p.with("page", &(page_no - 1).to_string())),
            next: (page_no < pages && results.is_some())
                .then(|| p.with("page", &(page_no + 1).to_string())),
            by_date: p.with("sort", "date"),
            by_relevance: p.with("sort", ""),
            kind_labels: Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.label().to_string()))
                .collect(),
            p,
            error,
            results,
            answers,
            popular,
            facets,
            page: page_no,
            pages,
        },
        status,
        None,
    )
}

/// `GET /api/v1/search`: the same search as JSON.
pub async fn api(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> AppResult<Json<serde_json::Value>> {
    let s = p.parse()?;
    let r = run(&state, &s)?;
    Ok(Json(serde_json::json!({
        "query": s.parsed.text,
        "total": r.total,
        "relaxed": r.relaxed,
        "answer": r.answer,
        "page": s.page,
        "per_page": s.per_page,
        "hits": r.hits,
        "facets": r.facets.iter().map(|(name, values)| {
            (name.clone(), serde_json::Value::Array(values.iter().map(|(v, n)| serde_json::json!({"value": v, "count": n})).collect()))
        }).collect::<serde_json::Map<String, serde_json::Value>>(),
    })))
}
