//! The `gongkai` binary.

mod calendar_check;
mod config;
mod demo;
mod demo_consultations;
mod demo_decisions;
mod demo_lists;
mod demo_messages;
mod demo_requests;
mod import;
mod import_list;
mod report;

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyInput;
use gongkai_domain::user::UserDraft;
use gongkai_store::{Db, agencies, migrate, secret, users};
use gongkai_web::{AppState, WebConfig};

use config::Config;

#[derive(Parser)]
#[command(name = "gongkai", version, about = "gongkai 政府信息公开平台")]
struct Cli {
    /// Configuration file (optional; defaults apply without one).
    #[arg(
        long,
        global = true,
        default_value = "gongkai.toml",
        env = "GONGKAI_CONFIG"
    )]
    config: PathBuf,
    /// Data directory for the embedded SQLite database [default: ./gongkai-data].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the portal, the office and the API.
    Serve {
        /// Load the demo district on an empty database.
        #[arg(long)]
        demo: bool,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long)]
        bind: Option<String>,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo district into the database.
    Demo,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Import records from a file.
    Import {
        #[command(subcommand)]
        cmd: ImportCmd,
    },
    /// The work calendar.
    Calendar {
        #[command(subcommand)]
        cmd: CalendarCmd,
    },
    /// Rebuild this node's search index from the database (with a progress bar).
    Reindex,
    /// Export data. `--public DIR`: everything published (documents with their files,
    /// interpretations, Q&A, catalogue, annual reports) with a manifest of checksums.
    /// `--full DIR`: a full backup of every table, restorable with `gongkai import backup DIR`
    /// into an empty database of either backend.
    Export {
        #[arg(long, conflicts_with = "full", required_unless_present = "full")]
        public: Option<PathBuf>,
        #[arg(long)]
        full: Option<PathBuf>,
    },
    /// Checks.
    Check {
        #[command(subcommand)]
        cmd: CheckCmd,
    },
    /// Annual reports (年度报告, 2021 format).
    Report {
        #[command(subcommand)]
        cmd: ReportCmd,
    },
}

#[derive(Subcommand)]
enum CheckCmd {
    /// The website self-check against the national inspection indicators: crawls the portal
    /// from its home page and sitemap, reports broken links, stale and empty columns and
    /// messages unanswered beyond three months. Exit status 1 when a single-veto item fails.
    Site {
        /// Stop after this many pages.
        #[arg(long, default_value_t = 2000)]
        max_pages: usize,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// Run every cross-check on a report file (interchange JSON). Exit status 0 when all
    /// pass (warnings allowed), 1 when a check fails, 2 when the file is not a report.
    Check { file: PathBuf },
    /// Import an earlier year's published report for an agency after it passes every check.
    Import {
        file: PathBuf,
        /// Code of the agency the report is of.
        #[arg(long)]
        agency: String,
        /// agency (the agency's own) or government (with every agency under it).
        #[arg(long, default_value = "agency")]
        scope: String,
    },
    /// Print a report's tables counted from the records now, as interchange JSON.
    Show {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        year: String,
        #[arg(long, default_value = "agency")]
        scope: String,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a staff account.
    Add {
        username: String,
        /// admin, office, reviewer or staff.
        #[arg(long)]
        role: String,
        /// Code of the agency the user belongs to.
        #[arg(long)]
        agency: String,
        /// Display name (姓名).
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the user's sessions).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create an API bearer token for a user; it is printed once.
    Token {
        username: String,
        /// A name to recognise the token by.
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until the token expires (default: `api_token_days` of the configuration, 90).
        #[arg(long)]
        days: Option<i64>,
    },
    /// List a user's API tokens (never their values).
    Tokens { username: String },
    /// Revoke an API token by its number (from `user tokens`).
    RevokeToken { id: i64 },
    /// Deactivate an account: its sessions end and its tokens are revoked.
    Deactivate { username: String },
    /// Reactivate an account.
    Activate { username: String },
}

#[derive(Subcommand)]
enum ImportCmd {
    /// Already-published documents from CSV, JSON (an array) or JSON Lines. Columns: agency,
    /// index_no (optional), published_on, title, doc_number, kind, topic, keywords, co_issuers,
    /// formed_on, effective_on, is_normative, body. Exit status 4 when a row failed.
    Documents { file: PathBuf },
    /// Records of a typed list (xzxk, xzcf, qzqd, bszn, sfml, yjs, jyta, fmqd, sjml, kfhd) from
    /// CSV or XLSX whose header row names the fields (the office's import template). Bad rows
    /// are listed and the good ones kept; exit status 4 when a row failed.
    List {
        kind: String,
        file: PathBuf,
        /// The agency the records belong to.
        #[arg(long)]
        agency: String,
        /// Publish the records at once (decisions already made); otherwise they are drafts.
        #[arg(long)]
        publish: bool,
    },
    /// A full backup made by `gongkai export --full`, into an empty database (checksums are
    /// verified first; nothing is restored on any error).
    Backup { dir: PathBuf },
}

#[derive(Subcommand)]
enum CalendarCmd {
    /// Print a year's working days and warn when official data is missing.
    Check {
        year: Option<i32>,
        /// Exit with status 3 when the year has no official data.
        #[arg(long)]
        strict: bool,
    },
    /// Load a State Council holiday notice published after this build (holiday-cn JSON, the
    /// format of data/holidays/YEAR.json): the year stops being provisional, open deadlines
    /// are counted again and the ones that moved are listed.
    Import { file: PathBuf },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut cfg = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = cli.data_dir {
        cfg.data_dir = dir;
    }
    init_logging(&cfg.log_format);
    match run(cli.cmd, cfg).await {
        Ok(code) => code,
        Err(e) => {
            // An operator runs the CLI: show the fault with its causes, not the page text.
            match e.fault() {
                Some(fault) => eprintln!("错误:{fault}"),
                None => eprintln!("错误:{e}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open_db(cfg: &Config) -> Result<Db, DomainError> {
    open_db_with(cfg, gongkai_store::db::Limits::BATCH).await
}

/// The waits of a serving node, from the configuration (0 s: a statement is not bounded).
fn server_limits(cfg: &Config) -> gongkai_store::db::Limits {
    let secs = |s: u64| std::time::Duration::from_secs(s);
    gongkai_store::db::Limits {
        acquire: secs(cfg.db_acquire_timeout_secs.clamp(1, 600)),
        statement: (cfg.db_statement_timeout_secs > 0)
            .then(|| secs(cfg.db_statement_timeout_secs.min(3600))),
    }
}

async fn open_db_with(cfg: &Config, limits: gongkai_store::db::Limits) -> Result<Db, DomainError> {
    match cfg.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Db::open_postgres_with(url, limits).await
        }
        Some(_) => Err(DomainError::unavailable(
            "GONGKAI_DATABASE_URL 只接受 postgres://… 连接串;不设置时使用 --data-dir 下的 SQLite 数据库",
        )),
        None => {
            std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
                DomainError::unavailable(format!("无法创建数据目录 {}:{e}", cfg.data_dir.display()))
            })?;
            Db::open_sqlite(&cfg.data_dir.join("gongkai.db")).await
        }
    }
}

async fn open_migrated(cfg: &Config) -> Result<Db, DomainError> {
    let db = open_db(cfg).await?;
    migrate::run(&db).await?;
    Ok(db)
}

async fn run(cmd: Cmd, mut cfg: Config) -> Result<ExitCode, DomainError> {
    match cmd {
        Cmd::Serve { demo, bind } => {
            if let Some(b) = bind {
                cfg.bind = b;
            }
            serve(cfg, demo).await?;
        }
        Cmd::Migrate => {
            let db = open_db(&cfg).await?;
            let applied = migrate::run(&db).await?;
            let version = migrate::current_version(&db).await?.unwrap_or(0);
            println!(
                "数据库({})已是最新结构:版本 {version};本次应用 {} 个迁移",
                db.backend().name(),
                applied.len()
            );
        }
        Cmd::Demo => {
            let db = open_migrated(&cfg).await?;
            if demo::is_loaded(&db).await? {
                println!("演示数据已存在,未重复载入。");
            } else {
                let logins = demo::load(&db, demo_password().as_deref()).await?;
                print_logins(&logins);
            }
        }
        Cmd::User { cmd } => user(cmd, &cfg).await?,
        Cmd::Import {
            cmd: ImportCmd::Documents { file },
        } => {
            let db = open_migrated(&cfg).await?;
            return import::documents(&db, &file).await;
        }
        Cmd::Import {
            cmd:
                ImportCmd::List {
                    kind,
                    file,
                    agency,
                    publish,
                },
        } => {
            let db = open_migrated(&cfg).await?;
            let code = import_list::run(&db, &kind, &file, &agency, publish).await;
            db.close().await;
            return code;
        }
        Cmd::Calendar {
            cmd: CalendarCmd::Check { year, strict },
        } => {
            return calendar_check::run(&cfg, year, strict).await;
        }
        Cmd::Calendar {
            cmd: CalendarCmd::Import { file },
        } => {
            let db = open_migrated(&cfg).await?;
            let code = calendar_check::import(&db, &file).await;
            db.close().await;
            return code;
        }
        Cmd::Reindex => reindex(&cfg).await?,
        Cmd::Check {
            cmd: CheckCmd::Site { max_pages },
        } => return check_site(&cfg, max_pages).await,
        Cmd::Export {
            public: Some(dir), ..
        } => {
            let db = open_migrated(&cfg).await?;
            let m = gongkai_app::export::export(&db, &dir).await?;
            println!("已导出 {} 个文件到 {}", m.files.len(), dir.display());
        }
        Cmd::Export {
            full: Some(full), ..
        } => {
            let db = open_migrated(&cfg).await?;
            let m = gongkai_store::backup::export(&db, &full, |t, n| {
                eprintln!("{t}: {n} 行");
            })
            .await?;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "已备份 {} 张表、{rows} 行到 {}(数据库结构版本 {})",
                m.tables.len(),
                full.display(),
                m.schema_version
            );
        }
        // Proven unreachable: clap refuses `export` without `--public`
        // (`required_unless_present = "full"`) before `run` is called.
        Cmd::Export { .. } => unreachable!("clap requires --public or --full"),
        Cmd::Import {
            cmd: ImportCmd::Backup { dir },
        } => {
            let db = open_migrated(&cfg).await?;
            let m = gongkai_store::backup::restore(&db, &dir, |t, n| {
                eprintln!("{t}: {n} 行");
            })
            .await?;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "已从 {} 恢复 {} 张表、{rows} 行(备份于 {},来自 {})",
                dir.display(),
                m.tables.len(),
                m.created_at.format("%Y-%m-%d %H:%M"),
                m.backend
            );
        }
        Cmd::Report { cmd } => match cmd {
            ReportCmd::Check { file } => return report::check(&file),
            ReportCmd::Import {
                file,
                agency,
                scope,
            } => {
                let db = open_migrated(&cfg).await?;
                return report::import(&db, &file, &agency, &scope).await;
            }
            ReportCmd::Show {
                agency,
                year,
                scope,
            } => {
                let db = open_migrated(&cfg).await?;
                let cal = gongkai_store::calendar::work_calendar(&mut db.conn().await?).await?;
                return report::show(&db, &cal, &agency, &year, &scope).await;
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn demo_password() -> Option<String> {
    std::env::var("GONGKAI_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
}

fn print_logins(logins: &[demo::DemoLogin]) {
    println!("已载入演示数据(云溪区)。演示账号(密码只显示这一次):");
    for l in logins {
        println!(
            "  {:<10} 角色 {:<9} 密码 {}",
            l.username, l.role, l.password
        );
    }
}

/// On a database with no accounts, creates the root agency (if there is none) and the first
/// administrator, whose password comes from `GONGKAI_ADMIN_PASSWORD` or is printed once.
async fn ensure_admin(db: &Db, cfg: &Config) -> Result<(), DomainError> {
    if users::count(&mut db.conn().await?).await? > 0 {
        return Ok(());
    }
    let root = AgencyInput {
        code: cfg.root_agency_code.clone(),
        name: cfg.root_agency_name.clone(),
        kind: "government".into(),
        ..Default::default()
    };
    let (password, generated) = match cfg.admin_password.clone().filter(|p| !p.is_empty()) {
        Some(p) => (p, false),
        None => (secret::random_token(12)?, true),
    };
    let ctx = gongkai_app::Ctx::operator(db, "bootstrap");
    if !gongkai_app::admin::bootstrap(&ctx, &root, &password).await? {
        // Another node created the first accounts meanwhile.
        return Ok(());
    }
    if generated {
        println!("已创建管理员账号 admin,初始密码(只显示这一次):{password}");
    } else {
        println!("已创建管理员账号 admin(密码取自 GONGKAI_ADMIN_PASSWORD)");
    }
    Ok(())
}

fn web_config(cfg: &Config) -> Result<WebConfig, DomainError> {
    let mut trusted_proxies =
        gongkai_domain::client_addr::TrustedProxies::parse(&cfg.trusted_proxies)?;
    trusted_proxies.peer = cfg.trust_forwarded_for;
    Ok(WebConfig {
        site_name: cfg.site_name.clone(),
        secure_cookies: cfg.secure_cookies,
        trusted_proxies,
        public_url: cfg.public_url.clone(),
        max_upload_bytes: cfg.max_upload_mib.clamp(1, 1024) * 1024 * 1024,
        pdf_font: cfg.pdf_font.clone(),
        page_cache_bytes: cfg.page_cache_mib.clamp(1, 4096) * 1024 * 1024,
        ..WebConfig::default()
    })
}

/// `gongkai check site`: the self-check against the inspection indicators, printed; exit
/// status 1 when a single-veto item fails.
async fn check_site(cfg: &Config, max_pages: usize) -> Result<ExitCode, DomainError> {
    let db = open_migrated(cfg).await?;
    let root = agencies::root(&mut db.conn().await?)
        .await?
        .ok_or(DomainError::NotFound { what: "机构" })?;
    let who = gongkai_domain::user::Principal {
        user_id: 0,
        role: gongkai_domain::user::Role::Office,
        agency_id: root.id,
    };
    let state = AppState::new(db.clone(), web_config(cfg)?);
    let today = gongkai_store::db::now().date_naive();
    let report = gongkai_web::office::selfcheck::run(&state, &who, today, max_pages).await?;
    print!("{}", gongkai_web::office::selfcheck::text(&report));
    Ok(if report.vetoed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

async fn serve(cfg: Config, demo: bool) -> Result<(), DomainError> {
    let started = std::time::Instant::now();
    let db = open_migrated(&cfg).await?;
    // Checked and done under one lock: two nodes starting together create everything once.
    db.with_bootstrap_lock(async || {
        if demo {
            if demo::is_loaded(&db).await? {
                println!("演示数据已存在(账号密码在首次载入时已显示)。");
            } else if !agencies::list(&mut db.conn().await?).await?.is_empty() {
                println!("数据库中已有机构,未载入演示数据。");
            } else {
                let logins = demo::load(&db, demo_password().as_deref()).await?;
                print_logins(&logins);
            }
        }
        ensure_admin(&db, &cfg).await
    })
    .await?;
    // Migrations, bootstrap and the search index's rebuilds may run long statements; what
    // answers users waits for PostgreSQL only as long as the configuration allows.
    let batch = db;
    let db = match batch.backend() {
        gongkai_store::Backend::Postgres => open_db_with(&cfg, server_limits(&cfg)).await?,
        gongkai_store::Backend::Sqlite => batch.clone(),
    };
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .map_err(|e| DomainError::unavailable(format!("无法监听 {}:{e}", cfg.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| DomainError::unavailable(format!("监听地址不可用:{e}")))?;
    let web = web_config(&cfg)?;
    println!(
        "gongkai 已启动:http://{addr}/ (数据库:{},用时 {} ms)",
        db.backend().name(),
        started.elapsed().as_millis()
    );
    tracing::info!(%addr, backend = db.backend().name(), "listening");
    tokio::spawn(housekeeping(db.clone()));
    let search = gongkai_search::Node::open(batch.clone(), Some(search_dir(&cfg)))?;
    tokio::spawn(
        search
            .clone()
            .run(std::time::Duration::from_secs(1), std::future::pending()),
    );
    if let Some(url) = &cfg.public_url {
        // Notices to applicants link to the tracking page with it.
        gongkai_store::settings::set(
            &mut db.conn().await?,
            "public_url",
            url,
            gongkai_store::db::now(),
        )
        .await?;
    }
    match cfg.smtp_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => {
            let mailer = gongkai_app::mailer::Mailer::new(url, &cfg.mail_from)
                .map_err(DomainError::unavailable)?;
            tokio::spawn(mailer.run(db.clone(), std::future::pending()));
            tracing::info!(from = %cfg.mail_from, "sending applicants' e-mail");
        }
        None => tracing::info!(
            "smtp_url not set: applicants' e-mail stays queued (sent once configured, up to 7 days old)"
        ),
    }
    gongkai_web::serve(
        listener,
        AppState::new(db.clone(), web).with_search(search),
        shutdown_signal(),
    )
    .await
    .map_err(|e| DomainError::unavailable(format!("服务异常退出:{e}")))?;
    db.close().await;
    Ok(())
}

/// Each node keeps its own search index beside its data.
fn search_dir(cfg: &Config) -> PathBuf {
    cfg.data_dir.join("search-index")
}

/// `gongkai reindex`: a full rebuild with a progress bar; the serving node picks the new
/// index up on its next start (or rebuilds by itself when the analysis changed).
async fn reindex(cfg: &Config) -> Result<(), DomainError> {
    let db = open_migrated(cfg).await?;
    let node = gongkai_search::Node::open(db.clone(), Some(search_dir(cfg)))?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} 已索引 {pos} 条 ({per_sec}) {elapsed}")
            .map_err(|e| DomainError::unavailable(e.to_string()))?,
    );
    let started = std::time::Instant::now();
    let n = node.rebuild(|n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "检索索引已重建:{n} 条,用时 {secs:.1} 秒({:.0} 条/秒)",
        n as f64 / secs.max(0.001)
    );
    db.close().await;
    Ok(())
}

/// Hourly: drop expired sessions and login attempts older than a day. Any node may do it;
/// the deletes are idempotent.
async fn housekeeping(db: Db) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = gongkai_store::db::now();
        let result = async {
            let mut c = db.conn().await?;
            let s = gongkai_store::sessions::purge_expired(&mut c, now).await?;
            let a = users::purge_login_attempts(&mut c, now - chrono::Duration::days(1)).await?;
            drop(c);
            // Penalties whose publication period is over leave public view (and the index).
            let ctx = gongkai_app::Ctx::operator(&db, "housekeeping").at(now);
            let expired = gongkai_app::lists::expire(&ctx).await?;
            if !expired.is_empty() {
                tracing::info!(
                    records = expired.len(),
                    "list records past their publication period"
                );
            }
            Ok::<_, DomainError>((s, a))
        }
        .await;
        match result {
            Ok((s, a)) => tracing::debug!(sessions = s, login_attempts = a, "housekeeping"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

fn read_password(from_stdin: bool) -> Result<(String, bool), DomainError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| DomainError::unavailable(format!("读取标准输入失败:{e}")))?;
        Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
    } else {
        Ok((secret::random_token(12)?, true))
    }
}

async fn user(cmd: UserCmd, cfg: &Config) -> Result<(), DomainError> {
    let db = open_migrated(cfg).await?;
    let ctx = gongkai_app::Ctx::operator(&db, "cli");
    match cmd {
        UserCmd::Add {
            username,
            role,
            agency,
            name,
            password_stdin,
        } => {
            let draft = UserDraft::parse(&username, &name, &role)?;
            let (password, generated) = read_password(password_stdin)?;
            let u = gongkai_app::admin::create_user(&ctx, &draft, &agency, &password).await?;
            println!("已创建用户 {}({})", u.username, u.role.label());
            if generated {
                println!("初始密码(只显示这一次):{password}");
            }
        }
        UserCmd::Passwd {
            username,
            password_stdin,
        } => {
            let (password, generated) = read_password(password_stdin)?;
            let u = gongkai_app::admin::set_password(&ctx, &username, &password).await?;
            println!("已为 {} 设置新密码,其所有登录会话已失效", u.username);
            if generated {
                println!("新密码(只显示这一次):{password}");
            }
        }
        UserCmd::Token {
            username,
            name,
            days,
        } => {
            let days = days.unwrap_or(cfg.api_token_days);
            let token = gongkai_app::admin::create_token(&ctx, &username, &name, days).await?;
            println!("{token}");
            eprintln!(
                "以上为 {username} 的 API 令牌(只显示这一次,{days} 天后过期),请求时使用请求头 Authorization: Bearer <令牌>"
            );
        }
        UserCmd::Tokens { username } => {
            let mut c = db.conn().await?;
            let name = gongkai_domain::user::Username::parse(&username)?;
            let user = users::by_username(&mut c, &name)
                .await?
                .ok_or(DomainError::NotFound { what: "用户" })?;
            let now = gongkai_store::db::now();
            for t in users::tokens_of(&mut c, user.id).await? {
                println!(
                    "{}\t{}\t{}\t创建 {}\t过期 {}\t最近使用 {}",
                    t.id,
                    t.name,
                    t.state_label(&now),
                    t.created_at.format("%Y-%m-%d"),
                    t.expires_at.format("%Y-%m-%d"),
                    t.last_used_at
                        .map_or("-".to_string(), |d| d.format("%Y-%m-%d %H:%M").to_string()),
                );
            }
        }
        UserCmd::RevokeToken { id } => {
            gongkai_app::admin::revoke_token(&ctx, id).await?;
            println!("已吊销令牌 {id}");
        }
        UserCmd::Deactivate { username } => {
            let u = gongkai_app::admin::set_user_active(&ctx, &username, false).await?;
            println!("已停用 {},其登录会话已结束,API 令牌已吊销", u.username);
        }
        UserCmd::Activate { username } => {
            let u = gongkai_app::admin::set_user_active(&ctx, &username, true).await?;
            println!("已启用 {}", u.username);
        }
    }
    Ok(())
}
