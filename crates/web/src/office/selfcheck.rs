//! The website self-check: crawls the portal through its own router (every page rendered by
//! the real handlers, as a visitor would get it, without opening a socket), starting from the
//! home page and sitemap.xml, and reports the links that do not load; adds the columns that are
//! stale or empty and the messages unanswered for over three months from the records; and
//! judges the result by the national inspection indicators ([`gongkai_domain::selfcheck`]).

use std::collections::{BTreeSet, HashMap, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_domain::message::is_stale;
use gongkai_domain::selfcheck::{self, ColumnState, Facts, Verdict};
use gongkai_domain::user::Principal;
use gongkai_store::{agencies, catalogue, documents, messages};
use serde::Serialize;
use tower::ServiceExt;

use crate::shared::state::AppState;

#[derive(Clone, Debug, Serialize)]
pub struct BrokenLink {
    pub url: String,
    pub status: u16,
    /// The page the link was found on (`sitemap.xml` for the sitemap's own entries).
    pub found_on: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ColumnFinding {
    pub agency: String,
    pub column: String,
    pub state: ColumnState,
    pub latest: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SiteReport {
    pub today: NaiveDate,
    /// Search pages were crawled (the server's own index was there).
    pub searched: bool,
    pub pages: usize,
    /// The crawl stopped at the page limit before visiting every link.
    pub truncated: bool,
    pub broken: Vec<BrokenLink>,
    pub columns: Vec<ColumnFinding>,
    pub stale_messages: Vec<(String, String, NaiveDate)>,
    pub facts: Facts,
    pub verdicts: Vec<Verdict>,
}

impl SiteReport {
    pub fn vetoed(&self) -> bool {
        self.verdicts.iter().any(|v| v.veto && v.failed)
    }
}

/// Links of a page: `href` and `src` values that stay on the site, without fragments, with
/// the entities templates write for `&` decoded.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let Some(raw) = part.split('"').next() else {
                continue;
            };
            let url = raw.replace("&amp;", "&").replace("&#38;", "&");
            let url = url.split('#').next().unwrap_or("");
            if url.starts_with('/') && !url.starts_with("//") {
                out.push(url.to_string());
            }
        }
    }
    out
}

/// The paths of sitemap.xml's `<loc>` entries.
fn sitemap_paths(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|p| p.split("</loc>").next())
        .filter_map(|loc| {
            let rest = loc.split_once("://").map_or(loc, |(_, r)| r);
            rest.find('/').map(|i| rest[i..].replace("&amp;", "&"))
        })
        .collect()
}

/// Where a visitor may go: the office, login and logout are not part of the public site.
fn public_path(path: &str) -> bool {
    !(path.starts_with("/office") || path.starts_with("/logout") || path.starts_with("/login"))
}

async fn get(router: &axum::Router, path: &str) -> (StatusCode, Option<String>) {
    let req = match Request::get(path).body(Body::empty()) {
        Ok(r) => r,
        Err(_) => return (StatusCode::BAD_REQUEST, None),
    };
    let res = match router.clone().oneshot(req).await {
        Ok(r) => r,
        Err(e) => match e {},
    };
    let status = res.status();
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.contains("xml"));
    if !html {
        return (status, None);
    }
    let body = axum::body::to_bytes(res.into_body(), 8 << 20).await;
    (
        status,
        body.ok().map(|b| String::from_utf8_lossy(&b).into_owned()),
    )
}

struct Crawl {
    pages: usize,
    truncated: bool,
    broken: Vec<BrokenLink>,
}

async fn crawl(router: &axum::Router, searchable: bool, max_pages: usize) -> Crawl {
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut c = Crawl {
        pages: 0,
        truncated: false,
        broken: Vec::new(),
    };
    let (_, sitemap) = get(router, "/sitemap.xml").await;
    for start in std::iter::once("/".to_string())
        .chain(sitemap.as_deref().map(sitemap_paths).unwrap_or_default())
    {
        if seen.insert(start.clone()) {
            queue.push_back((start, "sitemap.xml".into()));
        }
    }
    while let Some((path, from)) = queue.pop_front() {
        if c.pages >= max_pages {
            c.truncated = true;
            break;
        }
        c.pages += 1;
        let (status, body) = get(router, &path).await;
        if status.is_client_error() || status.is_server_error() {
            c.broken.push(BrokenLink {
                url: path.clone(),
                status: status.as_u16(),
                found_on: from,
            });
            continue;
        }
        for link in body.as_deref().map(links).unwrap_or_default() {
            if public_path(&link)
                && (searchable || !link.starts_with("/search"))
                && seen.insert(link.clone())
            {
                queue.push_back((link, path.clone()));
            }
        }
    }
    c
}

/// Runs the whole check as `who` (the office sees every agency's columns and messages).
pub async fn run(
    state: &AppState,
    who: &Principal,
    today: NaiveDate,
    max_pages: usize,
) -> Result<SiteReport, DomainError> {
    let router = crate::router(state.clone());
    // Without this node's search index (the CLI) search pages cannot answer; they are left
    // out rather than reported broken.
    let crawl = crawl(&router, state.search.is_some(), max_pages).await;
    let mut conn = state.db.conn().await?;
    let all = agencies::list(&mut conn).await?;
    let names: HashMap<i64, String> = all.iter().map(|a| (a.id, a.name.clone())).collect();
    let agency = |id: i64| names.get(&id).cloned().unwrap_or_default();

    let mut facts = Facts {
        home_latest: documents::recent(&mut conn, 1)
            .await?
            .first()
            .and_then(|d| d.published_on),
        broken_links: crawl.broken.len(),
        ..Facts::default()
    };
    let mut columns = Vec::new();
    let items = catalogue::all_items(&mut conn, who).await?;
    // Only leaves hold content; a heading item with sub-items is not a column of its own.
    let parents: BTreeSet<i64> = items.iter().filter_map(|i| i.parent_id).collect();
    for item in items.iter().filter(|i| !parents.contains(&i.id)) {
        let state = selfcheck::column_state(
            &item.name,
            item.refresh_days,
            item.filed,
            item.latest,
            today,
        );
        match &state {
            ColumnState::Fresh => continue,
            ColumnState::Empty => facts.empty += 1,
            ColumnState::Stale { cadence, .. } => {
                facts.stale_any += 1;
                if matches!(
                    cadence,
                    selfcheck::Cadence::News | selfcheck::Cadence::Policy
                ) {
                    facts.stale_news_or_policy += 1;
                }
            }
        }
        columns.push(ColumnFinding {
            agency: agency(item.agency_id),
            column: item.name.clone(),
            state,
            latest: item.latest,
        });
    }
    let mut stale_messages = Vec::new();
    for m in messages::for_staff(&mut conn, who).await? {
        if is_stale(m.status, m.received_on, today) {
            stale_messages.push((m.tracking_code.clone(), agency(m.agency_id), m.received_on));
        }
    }
    facts.stale_messages = stale_messages.len();
    // A 网上咨询 channel works when its form page loads for the agency.
    for a in &all {
        let (status, _) = get(&router, &format!("/messages/new?agency={}", a.code)).await;
        if status.is_success() {
            facts.consultation_channels += 1;
        }
    }
    let verdicts = selfcheck::verdicts(&facts, today);
    Ok(SiteReport {
        today,
        searched: state.search.is_some(),
        pages: crawl.pages,
        truncated: crawl.truncated,
        broken: crawl.broken,
        columns,
        stale_messages,
        facts,
        verdicts,
    })
}

/// The report as plain text, for `gongkai check site`.
pub fn text(r: &SiteReport) -> String {
    let mut out = format!(
        "网站自查({}):访问页面 {} 个{}\n",
        r.today,
        r.pages,
        if r.truncated {
            "(达到上限,未访问全部链接)"
        } else {
            ""
        }
    );
    if !r.searched {
        out.push_str("(未检查检索结果页:本命令不加载检索索引)\n");
    }
    for v in &r.verdicts {
        out.push_str(&format!(
            "{} {}{}:{}\n",
            if v.failed { "✗" } else { "✓" },
            v.item,
            if v.veto { "(单项否决)" } else { "" },
            v.detail
        ));
    }
    for b in &r.broken {
        out.push_str(&format!(
            "  不可用链接 {}(HTTP {}),见于 {}\n",
            b.url, b.status, b.found_on
        ));
    }
    for c in &r.columns {
        let what = match &c.state {
            ColumnState::Empty => "空白栏目".to_string(),
            ColumnState::Stale { days, cadence } => {
                format!("{} 天未更新,超过{}", days, cadence.label())
            }
            ColumnState::Fresh => continue,
        };
        out.push_str(&format!("  {} “{}”:{what}\n", c.agency, c.column));
    }
    for (code, agency, received) in &r.stale_messages {
        out.push_str(&format!(
            "  留言 {code}({agency},{received} 收到)超过 3 个月未回复\n"
        ));
    }
    out
}
