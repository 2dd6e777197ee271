//! Configuration layering: built-in defaults → `gongkai.toml` → `GONGKAI_*` environment →
//! command-line flags.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Where the embedded SQLite database lives (and, later, the search index and uploads).
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite database.
    pub database_url: Option<String>,
    pub site_name: String,
    /// Set when served over HTTPS (behind a TLS proxy): cookies get the `Secure` flag.
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` from the connecting peer, whatever its address (one proxy of
    /// your own in front); prefer `trusted_proxies`.
    pub trust_forwarded_for: bool,
    /// Proxies (addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` entries are
    /// believed: the client is the rightmost entry that is not one of them.
    pub trusted_proxies: String,
    /// The public base URL, for feeds and the sitemap (default: the request's Host).
    pub public_url: Option<String>,
    /// Largest attachment accepted, in MiB.
    pub max_upload_mib: usize,
    /// Memory for public pages cached for anonymous visitors, in MiB.
    pub page_cache_mib: usize,
    /// Days an API token lives unless `gongkai user token --days` says otherwise.
    pub api_token_days: i64,
    /// With PostgreSQL, the longest a serving node waits for a connection, in seconds.
    pub db_acquire_timeout_secs: u64,
    /// With PostgreSQL, the longest one statement of a serving node may take (0: unbounded).
    pub db_statement_timeout_secs: u64,
    /// `text` or `json`.
    pub log_format: String,
    /// The first administrator's password; generated and printed once when unset.
    pub admin_password: Option<String>,
    /// Code and name of the root agency created on first start when there is none.
    pub root_agency_code: String,
    pub root_agency_name: String,
    /// The CJK font file embedded in PDFs (default: the first of Debian's installed ones).
    pub pdf_font: Option<PathBuf>,
    /// SMTP server for e-mail to applicants, e.g. `smtp://relay.example:25` or
    /// `smtp://user:pass@mail.example:587?tls=required`; unset: mail stays queued.
    pub smtp_url: Option<String>,
    /// Sender of that e-mail.
    pub mail_from: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./gongkai-data"),
            database_url: None,
            site_name: "gongkai 政府信息公开平台".into(),
            secure_cookies: false,
            trust_forwarded_for: false,
            trusted_proxies: String::new(),
            public_url: None,
            max_upload_mib: 20,
            page_cache_mib: 64,
            api_token_days: gongkai_store::users::DEFAULT_TOKEN_DAYS,
            db_acquire_timeout_secs: 2,
            db_statement_timeout_secs: 5,
            log_format: "text".into(),
            admin_password: None,
            root_agency_code: "GOV".into(),
            root_agency_name: "本级人民政府".into(),
            pdf_font: None,
            smtp_url: None,
            mail_from: "政府信息公开 <noreply@localhost>".into(),
        }
    }
}

impl Config {
    pub fn load(file: &Path) -> Result<Config, String> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("GONGKAI_").ignore(&["config"]))
            .extract()
            .map_err(|e| format!("配置有误:{e}"))
    }
}

#[cfg(test)]
// figment's Jail closures return figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "gongkai.toml",
                "bind = \"0.0.0.0:9000\"\nsite_name = \"示范区政府信息公开\"\n",
            )?;
            jail.set_env("GONGKAI_BIND", "127.0.0.1:7000");
            jail.set_env("GONGKAI_DATABASE_URL", "postgres://x@127.0.0.1/db");
            let c = Config::load(Path::new("gongkai.toml")).map_err(|e| e.to_string())?;
            assert_eq!(c.bind, "127.0.0.1:7000");
            assert_eq!(c.site_name, "示范区政府信息公开");
            assert_eq!(c.database_url.as_deref(), Some("postgres://x@127.0.0.1/db"));
            assert_eq!(c.data_dir, PathBuf::from("./gongkai-data"));
            Ok(())
        });
    }

    #[test]
    fn missing_file_gives_defaults() {
        figment::Jail::expect_with(|_| {
            let c = Config::load(Path::new("nope.toml")).map_err(|e| e.to_string())?;
            assert_eq!(c.bind, "127.0.0.1:8080");
            Ok(())
        });
    }
}
