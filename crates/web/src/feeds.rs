//! Atom feeds (whole site and per agency) and sitemap.xml, built from the same public queries
//! as the pages: nothing unpublished or withdrawn appears.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_store::agencies;
use gongkai_store::documents::{self, DocumentSummary, Filter};

use crate::shared::error::{AppError, AppResult};
use crate::shared::state::AppState;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/feeds/documents.atom", axum::routing::get(site_feed))
        .route(
            "/feeds/interpretations.atom",
            axum::routing::get(interpretations_feed),
        )
        .route("/feeds/gazette.atom", axum::routing::get(gazette_feed))
        .route(
            "/agencies/{code}/feed.atom",
            axum::routing::get(agency_feed),
        )
        .route("/sitemap.xml", axum::routing::get(sitemap))
        .route("/documents/{id}/qr.svg", axum::routing::get(document_qr))
}

const FEED_ENTRIES: i64 = 50;
/// One sitemap file holds at most 50,000 URLs (sitemaps.org).
const SITEMAP_URLS: i64 = 49_000;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The site's absolute base URL: configured, or taken from the request's Host.
pub(crate) fn base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) fn xml(content_type: &'static str, body: String) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// One entry of a feed: a public page.
pub(crate) struct Entry {
    pub title: String,
    pub path: String,
    pub date: NaiveDate,
    pub author: String,
    pub summary: String,
}

impl From<&DocumentSummary> for Entry {
    fn from(d: &DocumentSummary) -> Self {
        Entry {
            title: d.title.clone(),
            path: format!("/documents/{}", d.id),
            date: d.published_on.unwrap_or(d.formed_on),
            author: d.agency_name.clone(),
            summary: match &d.doc_number {
                Some(n) => format!("{} {n} {}", d.agency_name, d.kind.label()),
                None => format!("{} {}", d.agency_name, d.kind.label()),
            },
        }
    }
}

/// A feed for the column at `page` (its HTML page) served at `self_path`.
pub(crate) fn atom(
    base: &str,
    title: &str,
    self_path: &str,
    page: &str,
    entries: &[Entry],
) -> String {
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n\
         <title>{}</title>\n<id>{base}{self_path}</id>\n<link rel=\"self\" href=\"{base}{self_path}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}{page}\"/>\n<updated>{updated}</updated>\n",
        escape(title)
    );
    for e in entries {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}{path}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}{path}\"/>\n\
             <updated>{date}T00:00:00Z</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            escape(&e.title),
            escape(&e.author),
            escape(&e.summary),
            path = e.path,
            date = e.date,
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn entries(docs: &[DocumentSummary]) -> Vec<Entry> {
    docs.iter().map(Entry::from).collect()
}

pub(crate) const ATOM: &str = "application/atom+xml; charset=utf-8";

/// 政策解读 column: the newest public interpretations.
pub async fn interpretations_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let (list, _) =
        gongkai_store::interpretations::public_list(&mut c, None, None, 1, FEED_ENTRIES).await?;
    let entries: Vec<Entry> = list
        .iter()
        .filter_map(|i| {
            Some(Entry {
                title: i.title.clone(),
                path: format!("/interpretations/{}", i.id),
                date: i.published_on?,
                author: i.agency_name.clone(),
                summary: format!("{} {}", i.agency_name, i.form.label()),
            })
        })
        .collect();
    let title = format!("{} · 政策解读", state.config.site_name);
    Ok(xml(
        ATOM,
        atom(
            &base(&state, &headers),
            &title,
            "/feeds/interpretations.atom",
            "/interpretations",
            &entries,
        ),
    ))
}

/// 政府公报 column: the newest issues.
pub async fn gazette_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let issues = gongkai_store::gazette::all(&mut c, FEED_ENTRIES).await?;
    let entries: Vec<Entry> = issues
        .iter()
        .map(|i| Entry {
            title: format!("政府公报 {}", i.label()),
            path: format!("/gazette/{}", i.id),
            date: i.issued_on,
            author: state.config.site_name.clone(),
            summary: format!("{} 出版", i.issued_on),
        })
        .collect();
    let title = format!("{} · 政府公报", state.config.site_name);
    Ok(xml(
        ATOM,
        atom(
            &base(&state, &headers),
            &title,
            "/feeds/gazette.atom",
            "/gazette",
            &entries,
        ),
    ))
}

pub async fn site_feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let (docs, _) = documents::public_list(&mut c, &Filter::default(), 1, FEED_ENTRIES).await?;
    let title = format!("{} · 政策文件", state.config.site_name);
    Ok(xml(
        "application/atom+xml; charset=utf-8",
        atom(
            &base(&state, &headers),
            &title,
            "/feeds/documents.atom",
            "/documents",
            &entries(&docs),
        ),
    ))
}

pub async fn agency_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let (docs, _) = documents::by_agency(&mut c, agency.id, 1, FEED_ENTRIES).await?;
    let path = format!("/agencies/{}/feed.atom", agency.code);
    let page = format!("/agencies/{}", agency.code);
    Ok(xml(
        ATOM,
        atom(
            &base(&state, &headers),
            &agency.name,
            &path,
            &page,
            &entries(&docs),
        ),
    ))
}

/// The QR code of a public document's page (扫码看), as SVG.
pub async fn document_qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let not_found = || AppError(DomainError::NotFound { what: "文件" });
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut c = state.db.conn().await?;
    documents::public_get(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    let url = format!("{}/documents/{id}", base(&state, &headers));
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError(DomainError::internal(format!("qr: {e}"))))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    let mut res = xml("image/svg+xml", svg);
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(res)
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = base(&state, &headers);
    let mut c = state.db.conn().await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/documents", "/agencies"] {
        out.push_str(&format!("<url><loc>{base}{path}</loc></url>\n"));
    }
    for a in agencies::list(&mut c).await? {
        out.push_str(&format!(
            "<url><loc>{base}/agencies/{}</loc></url>\n",
            escape(&a.code)
        ));
    }
    for (id, published) in documents::public_index(&mut c, SITEMAP_URLS).await? {
        match published {
            Some(d) => out.push_str(&format!(
                "<url><loc>{base}/documents/{id}</loc><lastmod>{d}</lastmod></url>\n"
            )),
            None => out.push_str(&format!("<url><loc>{base}/documents/{id}</loc></url>\n")),
        }
    }
    out.push_str("</urlset>\n");
    Ok(xml("application/xml; charset=utf-8", out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            super::escape("A&B <c> \"d\" 'e'"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
