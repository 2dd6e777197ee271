//! What every handler shares.

use std::sync::Arc;

use gongkai_domain::login::LoginPolicy;
use gongkai_store::Db;

#[derive(Clone, Debug)]
pub struct WebConfig {
    pub site_name: String,
    /// Mark cookies `Secure`; on whenever the site is served over HTTPS.
    pub secure_cookies: bool,
    pub session_ttl: chrono::Duration,
    /// Lifetime of the anonymous session that carries a form's CSRF token.
    pub anon_session_ttl: chrono::Duration,
    pub login_policy: LoginPolicy,
    /// Added to every failed login, to slow guessing.
    pub login_failure_delay: std::time::Duration,
    /// The proxies whose `X-Forwarded-For` entries are believed (none by default).
    pub trusted_proxies: gongkai_domain::client_addr::TrustedProxies,
    /// The site's public base URL (e.g. `https://gk.example.gov.cn`) for feeds and the
    /// sitemap; when unset, taken from the request's Host header.
    pub public_url: Option<String>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest accepted attachment, in bytes (the upload routes allow this plus the form).
    pub max_upload_bytes: usize,
    /// The CJK font embedded in PDFs; when unset, the first of Debian's CJK fonts installed.
    pub pdf_font: Option<std::path::PathBuf>,
    /// Bytes of public pages kept for anonymous visitors.
    pub page_cache_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            site_name: "gongkai 政府信息公开平台".into(),
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(8),
            anon_session_ttl: chrono::Duration::hours(2),
            login_policy: LoginPolicy::default(),
            login_failure_delay: std::time::Duration::from_millis(800),
            trusted_proxies: gongkai_domain::client_addr::TrustedProxies::default(),
            public_url: None,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: gongkai_domain::attachment::DEFAULT_MAX_BYTES,
            pdf_font: None,
            page_cache_bytes: crate::shared::page_cache::DEFAULT_BUDGET,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    pub pages: Arc<crate::shared::page_cache::PageCache>,
    pub pdf_font: Option<Arc<gongkai_formats::pdf::font::Typeface>>,
    /// This node's search index and indexer; `None` until attached.
    pub search: Option<Arc<gongkai_search::Node>>,
    /// The key anonymous visitors' form tokens are derived with (shared by every node through
    /// the settings table), loaded on first use.
    pub csrf_secret: Arc<std::sync::OnceLock<Vec<u8>>>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> Self {
        let pdf_font = match &config.pdf_font {
            Some(path) => match gongkai_formats::pdf::font::Typeface::load(path) {
                Ok(t) => Some(Arc::new(t)),
                Err(e) => {
                    tracing::warn!("pdf_font: {e}; using an installed CJK font instead");
                    gongkai_formats::pdf::font::Typeface::system()
                }
            },
            None => gongkai_formats::pdf::font::Typeface::system(),
        };
        if pdf_font.is_none() {
            tracing::warn!(
                "no CJK font installed (apt-get install fonts-noto-cjk): PDFs name STSong-Light without embedding it"
            );
        }
        let pages = Arc::new(crate::shared::page_cache::PageCache::new(
            config.page_cache_bytes,
        ));
        AppState {
            db,
            config: Arc::new(config),
            pages,
            pdf_font,
            search: None,
            csrf_secret: Arc::default(),
        }
    }

    /// Serves searches from `node` (whose indexer the caller runs).
    pub fn with_search(mut self, node: Arc<gongkai_search::Node>) -> Self {
        self.search = Some(node);
        self
    }
}
