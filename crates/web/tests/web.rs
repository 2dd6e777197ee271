//! Web integration tests: the real server on a free port, real HTTP, a fresh database per
//! test. Every test runs on SQLite and on PostgreSQL.

use std::time::Duration;

use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_domain::document::{DocumentDraft, DocumentInput};
use gongkai_domain::user::{Principal, Role, UserDraft};
use gongkai_store::{Actor, Backend, Exec, Sql, agencies, audit, documents, users};
use gongkai_testing::TestDb;
use gongkai_web::{AppState, WebConfig};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name(super::App::spawn(super::Backend::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name(super::App::spawn(super::Backend::Postgres).await).await }
        }
    )*};
}

both!(
    public_pages_render_in_chinese,
    security_headers_on_every_response,
    errors_are_chinese_pages_or_problem_json,
    login_rotates_session_and_logout_ends_it,
    forms_require_the_csrf_token,
    login_failures_are_rate_limited,
    route_role_matrix,
    staff_see_only_their_agency,
    admin_creates_agencies_and_users,
    bad_form_input_changes_nothing,
    calendar_overrides_via_office,
    api_reads_writes_and_problems,
    health_and_readiness,
    document_review_workflow_in_the_office,
    public_page_cache_expires_and_skips_sessions,
    document_list_filters_and_pages,
    feeds_and_sitemap_list_only_public_documents,
    interpretations_are_published_with_their_policy,
    the_office_compiles_gazette_issues,
    agencies_keep_their_catalogue,
    relations_and_agency_rules_from_the_office,
);

#[path = "web/api_documents.rs"]
mod api_documents;
#[path = "web/attachments.rs"]
mod attachments;
#[path = "web/authz.rs"]
mod authz;
#[path = "web/consultations.rs"]
mod consultations;
#[path = "web/dashboard.rs"]
mod dashboard;
#[path = "web/decisions.rs"]
mod decisions;
#[path = "web/fuzz.rs"]
mod fuzz;
#[path = "web/hardening.rs"]
mod hardening;
#[path = "web/lists.rs"]
mod lists;
#[path = "web/mail.rs"]
mod mail;
#[path = "web/messages.rs"]
mod messages;
#[path = "web/portal.rs"]
mod portal;
#[path = "web/reports.rs"]
mod reports;
#[path = "web/requests.rs"]
mod requests;
#[path = "web/search.rs"]
mod search;
#[path = "web/selfcheck.rs"]
mod selfcheck;

/// A bad form submission: its fields, the expected status and a phrase of the message.
type BadCase<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

const PW: &str = "test password 1";

struct App {
    base: String,
    t: TestDb,
    doc_id: i64,
    draft_id: i64,
    /// The node's search; tests bring it up to date with [`App::indexed`].
    node: std::sync::Arc<gongkai_search::Node>,
}

impl App {
    async fn spawn(backend: Backend) -> App {
        let t = TestDb::new(backend).await;
        let actor = Actor::system("test");
        let mut tx = t.db.begin().await.unwrap();
        let agencies_in = [
            ("YX0000", "云溪区人民政府", "government", ""),
            ("YX0100", "云溪区人民政府办公室", "office", "YX0000"),
            ("YX0201", "云溪区发展和改革委员会", "department", "YX0000"),
            ("YX0202", "云溪区教育局", "department", "YX0000"),
        ];
        let mut first = 0;
        for (code, name, kind, parent) in agencies_in {
            let input = AgencyInput {
                code: code.into(),
                name: name.into(),
                kind: kind.into(),
                parent: parent.into(),
                office_hours: "工作日 9:00-17:00".into(),
                ..Default::default()
            };
            let a = gongkai_testing::fixtures::add_agency_in(
                &mut tx,
                &AgencyDraft::parse(&input).unwrap(),
            )
            .await;
            if code == "YX0201" {
                first = a.id;
            }
        }
        for (name, role, agency) in [
            ("admin", "admin", "YX0000"),
            ("office", "office", "YX0100"),
            ("reviewer", "reviewer", "YX0201"),
            ("staff", "staff", "YX0201"),
            ("staff2", "staff", "YX0202"),
        ] {
            let d = UserDraft::parse(name, "", role).unwrap();
            gongkai_testing::fixtures::add_user(&mut tx, &d, agency, PW).await;
        }
        let input = DocumentInput {
            title: "关于印发《2021年政务公开工作要点》的通知".into(),
            doc_number: "云发改[2021]3号".into(),
            kind: "notice".into(),
            topic: "综合政务\\政务公开".into(),
            formed_on: "2021-04-16".into(),
            body: "第一段 <b>加粗</b>\n第二段".into(),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        };
        let draft = DocumentDraft::parse(
            &input,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        )
        .unwrap();
        let office = Principal {
            user_id: 0,
            role: Role::Office,
            agency_id: 0,
        };
        let published = chrono::NaiveDate::from_ymd_opt(2021, 4, 20).unwrap();
        let doc_id = gongkai_app::documents::import_published_in(
            &mut tx,
            &gongkai_app::Ctx::new(&t.db, actor.clone(), office),
            first,
            &draft,
            documents::Earlier {
                index_no: None,
                published_on: published,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let config = WebConfig {
            login_failure_delay: Duration::ZERO,
            max_body_bytes: 64 * 1024,
            max_upload_bytes: 256 * 1024,
            ..WebConfig::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let node = gongkai_search::Node::open(t.db.clone(), None).unwrap();
        let state = AppState::new(t.db.clone(), config).with_search(node.clone());
        tokio::spawn(gongkai_web::serve(listener, state, std::future::pending()));
        // A draft of the same agency: never visible to the public.
        let draft_input = DocumentInput {
            title: "内部起草中的文件".into(),
            ..input.clone()
        };
        let draft = DocumentDraft::parse(&draft_input, published).unwrap();
        let draft_id =
            t.db.write(async |tx| {
                gongkai_app::documents::register_in(
                    tx,
                    &gongkai_app::Ctx::new(&t.db, actor.clone(), office),
                    first,
                    &draft,
                )
                .await
            })
            .await
            .unwrap();
        App {
            base,
            t,
            doc_id,
            draft_id,
            node,
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client logged in as `username`.
    async fn login(&self, username: &str) -> Client {
        let c = self.client();
        let csrf = self.csrf(&c, "/login").await;
        let res = c
            .post(self.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", PW),
                ("next", "/office"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login as {username}");
        c
    }

    /// Loads a page and returns the CSRF token from its forms.
    async fn csrf(&self, c: &Client, path: &str) -> String {
        let html = c
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_of(&html)
    }

    /// Posts a workflow action on an office document page as `c`, with that page's CSRF token.
    async fn act(&self, c: &Client, detail: &str, action: &str) -> StatusCode {
        let csrf = self.csrf(c, detail).await;
        c.post(self.url(&format!("{detail}/actions")))
            .form(&[("csrf", csrf.as_str()), ("action", action)])
            .send()
            .await
            .unwrap()
            .status()
    }

    /// The body of a GET of `path` as `c`.
    async fn page(&self, c: &Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// POSTs a form to `path` as `c` with the CSRF token it was given.
    async fn post(
        &self,
        c: &Client,
        path: &str,
        csrf: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = vec![("csrf", csrf)];
        form.extend_from_slice(fields);
        c.post(self.url(path)).form(&form).send().await.unwrap()
    }

    /// Indexes everything the outbox announced so far.
    async fn indexed(&self) {
        while self.node.catch_up().await.unwrap() > 0 {}
    }

    /// Every department discloses the budgets due by today (from April this year's 部门预算,
    /// from September last year's 部门决算), so a test's scores do not depend on the month.
    async fn budgets_disclosed(&self) {
        use gongkai_domain::lists::{ListKind, kinds::BUDGET_SECTIONS, parse_values};
        let today = gongkai_store::db::now().date_naive();
        let cal = gongkai_domain::calendar::WorkCalendar::official();
        let office = Principal {
            user_id: 0,
            role: Role::Office,
            agency_id: 0,
        };
        let mut tx = self.t.db.begin().await.unwrap();
        for a in agencies::list(&mut tx).await.unwrap() {
            if a.kind != gongkai_domain::agency::AgencyKind::Department {
                continue;
            }
            for (year, kind) in gongkai_domain::lists::extras::expected_budgets(today) {
                let (year, approved, sections) = (
                    year.to_string(),
                    today.to_string(),
                    BUDGET_SECTIONS.join("、"),
                );
                let title = format!("{}{year}年{kind}", a.name);
                let v = parse_values(ListKind::Budget.spec(), |f| {
                    Some(match f.key {
                        "title" => title.as_str(),
                        "year" => year.as_str(),
                        "kind" => kind,
                        "approved_on" => approved.as_str(),
                        "link" => "/documents",
                        "sections" => sections.as_str(),
                        _ => return None,
                    })
                })
                .unwrap();
                let ctx = gongkai_app::Ctx::new(&self.t.db, Actor::system("test"), office);
                gongkai_app::lists::create_in(
                    &mut tx,
                    &ctx,
                    &cal,
                    gongkai_domain::lists::Target {
                        kind: ListKind::Budget,
                        agency_id: a.id,
                        publish: true,
                    },
                    &v,
                )
                .await
                .unwrap();
            }
        }
        tx.commit().await.unwrap();
    }

    async fn count(&self, table: &str) -> i64 {
        self.t.count(table).await
    }

    async fn snapshot(&self) -> Vec<i64> {
        self.t
            .snapshot(&[
                "agencies",
                "users",
                "audit_log",
                "outbox",
                "calendar_overrides",
                "sessions",
            ])
            .await
    }

    async fn token(&self, username: &str) -> String {
        let mut tx = self.t.db.begin().await.unwrap();
        let user = users::by_username(
            &mut tx,
            &gongkai_domain::user::Username::parse(username).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        let t = users::create_token(
            &mut tx,
            &Actor::system("test"),
            &user,
            &gongkai_domain::user::TokenDraft::parse("test", 90).unwrap(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        t
    }
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf field");
    html[start..].split('"').next().unwrap().to_string()
}

async fn public_pages_render_in_chinese(app: App) {
    let c = app.client();
    let res = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        res.headers().get("set-cookie").is_none(),
        "reading needs no session"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for landmark in ["<header", "<nav", "<main", "<footer", "跳到主要内容"] {
        assert!(html.contains(landmark), "{landmark}");
    }
    assert!(
        html.contains("云溪区教育局") && html.contains("关于印发《2021年政务公开工作要点》的通知")
    );

    let html = c
        .get(app.url("/agencies/yx0201"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("云溪区发展和改革委员会")
            && html.contains("工作日 9:00-17:00")
            && html.contains("政府信息公开指南")
    );

    let res = c
        .get(app.url(&format!("/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("云发改〔2021〕3号"));
    assert!(
        html.contains("&#60;b&#62;加粗") || html.contains("&lt;b&gt;加粗"),
        "body is escaped"
    );
    assert!(!html.contains("<b>加粗</b>"));
    for meta in [
        "<meta name=\"ArticleTitle\" content=\"关于印发《2021年政务公开工作要点》的通知\">",
        "<meta name=\"PubDate\" content=\"2021-04-20\">",
        "<meta name=\"ContentSource\" content=\"云溪区发展和改革委员会\">",
        "<meta name=\"ColumnName\" content=\"政策文件\">",
        "<meta name=\"SiteName\"",
    ] {
        assert!(html.contains(meta), "{meta}");
    }
    for label in [
        "索引号",
        "主题分类",
        "发布机构",
        "成文日期",
        "发布日期",
        "有效性",
        "YX0201/2021-00001",
        "综合政务\\政务公开",
        "2021-04-20",
    ] {
        assert!(html.contains(label), "metadata table shows {label}");
    }

    // Unpublished: the same 404 as a document that does not exist, page and API alike.
    for path in [
        format!("/documents/{}", app.draft_id),
        "/documents/999999".to_string(),
    ] {
        let res = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert!(!res.text().await.unwrap().contains("内部起草中的文件"));
        let res = c
            .get(app.url(&format!("/api/v1{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["detail"], "未找到文件");
    }
    let list: Value = c
        .get(app.url("/api/v1/documents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "drafts are not listed");

    let css = c.get(app.url("/static/site.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

async fn security_headers_on_every_response(app: App) {
    let c = app.client();
    for path in [
        "/",
        "/nope",
        "/api/v1/agencies",
        "/healthz",
        "/login",
        "/static/site.css",
    ] {
        let res = c.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
    let res = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    // Compression is offered.
    let res = c
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

async fn errors_are_chinese_pages_or_problem_json(app: App) {
    let c = app.client();
    let res = c.get(app.url("/agencies/NOPE99")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("未找到机构") && html.contains(&id),
        "error page shows the request id"
    );
    assert!(html.contains("<html lang=\"zh-CN\">"));

    let res = c
        .get(app.url("/api/v1/agencies/NOPE99"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "not-found");
    assert_eq!(body["status"], 404);
    assert_eq!(body["request_id"], id);

    let res = c.delete(app.url("/api/v1/agencies")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    let res = c.get(app.url("/documents/abc")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

async fn login_rotates_session_and_logout_ends_it(app: App) {
    let c = app.client();
    let res = c.get(app.url("/office")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=/office");

    let res = c
        .get(app.url("/login?next=/office/calendar"))
        .send()
        .await
        .unwrap();
    let anon_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(anon_cookie.contains("HttpOnly") && anon_cookie.contains("SameSite=Lax"));
    let csrf = csrf_of(&res.text().await.unwrap());

    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "staff"),
            ("password", "wrong password"),
            ("next", "/office"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(html.contains("用户名或密码不正确"));
    assert!(
        !html.contains("wrong password"),
        "the password is not echoed"
    );

    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "Staff"),
            ("password", PW),
            ("next", "/office/calendar"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/office/calendar");
    let authed_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert_ne!(
        authed_cookie.split(';').next(),
        anon_cookie.split(';').next(),
        "session id rotated at login"
    );

    let html = c
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("退出登录") && html.contains("机构经办人"));
    // The anonymous session is gone: the old cookie no longer works.
    let old = anon_cookie.split(';').next().unwrap().to_string();
    let res = app
        .client()
        .get(app.url("/office"))
        .header("cookie", old)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let csrf = app.csrf(&c, "/office").await;
    let res = c
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/");
    let res = c.get(app.url("/office")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Open redirects are refused.
    let c = app.client();
    let csrf = app.csrf(&c, "/login").await;
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "staff"),
            ("password", PW),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/office");
}

async fn forms_require_the_csrf_token(app: App) {
    let c = app.client();
    let csrf = app.csrf(&c, "/login").await;
    // Missing and wrong tokens.
    let res = c
        .post(app.url("/login"))
        .form(&[("username", "staff"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    let res = c
        .post(app.url("/login"))
        .form(&[("csrf", "forged"), ("username", "staff"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("页面已过期或来源不可信"));
    // A cross-site post with the right token is still refused.
    let res = c
        .post(app.url("/login"))
        .header("origin", "http://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "staff"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(app.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "staff"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.count("login_attempts").await,
        0,
        "rejected before any password check"
    );
    // Logged in: logout without the token does not log out.
    let c = app.login("office").await;
    let res = c
        .post(app.url("/logout"))
        .form(&[("csrf", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        c.get(app.url("/office")).send().await.unwrap().status(),
        200
    );
}

async fn login_failures_are_rate_limited(app: App) {
    let c = app.client();
    let csrf = app.csrf(&c, "/login").await;
    for _ in 0..5 {
        let res = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "admin"),
                ("password", "guess guess"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "admin"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("操作过于频繁"));
}

async fn route_role_matrix(app: App) {
    // (path, anonymous, staff, reviewer, office, admin)
    let routes: [(&str, u16, u16, u16, u16, u16); 13] = [
        ("/", 200, 200, 200, 200, 200),
        ("/agencies", 200, 200, 200, 200, 200),
        ("/office", 303, 200, 200, 200, 200),
        ("/office/calendar", 303, 200, 200, 200, 200),
        ("/office/agencies", 303, 403, 403, 403, 200),
        ("/office/agencies/YX0201", 303, 403, 403, 403, 200),
        ("/office/users", 303, 403, 403, 403, 200),
        ("/office/selfcheck", 303, 403, 403, 200, 200),
        ("/office/reports", 303, 200, 200, 200, 200),
        ("/reports", 200, 200, 200, 200, 200),
        ("/lists", 200, 200, 200, 200, 200),
        ("/lists/xzcf", 200, 200, 200, 200, 200),
        ("/office/lists", 303, 200, 200, 200, 200),
    ];
    let clients = [
        app.client(),
        app.login("staff").await,
        app.login("reviewer").await,
        app.login("office").await,
        app.login("admin").await,
    ];
    for (path, a, s, r, o, ad) in routes {
        for (c, want) in clients.iter().zip([a, s, r, o, ad]) {
            let got = c.get(app.url(path)).send().await.unwrap().status().as_u16();
            assert_eq!(got, want, "GET {path}");
        }
    }
    // Writes by non-administrators are refused and change nothing.
    let before = app.snapshot().await;
    for c in &clients[1..4] {
        let csrf = app.csrf(c, "/office").await;
        let res = c
            .post(app.url("/office/agencies"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", "YX0999"),
                ("name", "新机构"),
                ("kind", "department"),
                ("parent", "YX0000"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = c
            .post(app.url("/office/calendar/overrides"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("date", "2026-12-01"),
                ("kind", "off"),
                ("note", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    assert_eq!(app.snapshot().await, before);
}

async fn staff_see_only_their_agency(app: App) {
    let staff = app.login("staff").await;
    let html = staff
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("云溪区发展和改革委员会"));
    assert!(
        !html.contains("云溪区教育局"),
        "staff of one agency do not see another's overview"
    );
    let office = app.login("office").await;
    let html = office
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("云溪区发展和改革委员会") && html.contains("云溪区教育局"));
    // The publication clock: the draft formed 2021-04-16 is long overdue, for its own agency.
    assert!(
        html.contains("内部起草中的文件") && html.contains("已超期"),
        "office sees overdue drafts"
    );
    let html = staff
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("内部起草中的文件") && html.contains("已超期") && html.contains("应公开日期")
    );
    let other = app.login("staff2").await;
    let html = other
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("内部起草中的文件"),
        "another agency does not see it"
    );
}

async fn admin_creates_agencies_and_users(app: App) {
    let c = app.login("admin").await;
    let csrf = app.csrf(&c, "/office/agencies").await;
    let res = c
        .post(app.url("/office/agencies"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "yx0301"),
            ("name", "云溪区东湖街道办事处"),
            ("kind", "town"),
            ("parent", "YX0000"),
            ("postcode", "201600"),
            ("email", "dh@example.gov.cn"),
            ("office_hours", "工作日"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/agencies/YX0301");
    let html = c
        .get(app.url("/agencies/YX0301"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("云溪区东湖街道办事处") && html.contains("201600"));

    // Edit keeps the code and records before/after with the admin as actor.
    let res = c
        .post(app.url("/office/agencies/YX0301"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "CHANGED"),
            ("name", "云溪区东湖街道办事处"),
            ("kind", "town"),
            ("parent", "YX0000"),
            ("address", "东湖路 200 号"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut conn = app.t.db.conn().await.unwrap();
    let a = agencies::by_code(
        &mut conn,
        &gongkai_domain::agency::AgencyCode::parse("YX0301").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(a.address.as_deref(), Some("东湖路 200 号"));
    let log = audit::for_entity(&mut conn, "agency", &a.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].actor, "admin");
    assert!(
        log[1].actor_user_id.is_some()
            && log[1].request_id.as_deref().is_some_and(|r| !r.is_empty())
    );
    drop(conn);

    let csrf = app.csrf(&c, "/office/users").await;
    let res = c
        .post(app.url("/office/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "dh.staff"),
            ("display_name", "李四"),
            ("role", "staff"),
            ("agency", "YX0301"),
            ("password", "a strong passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new_user = app.client();
    let csrf = app.csrf(&new_user, "/login").await;
    let res = new_user
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "dh.staff"),
            ("password", "a strong passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// Posts each bad submission and checks the status and the message on the re-shown form.
async fn post_bad_forms(
    app: &App,
    c: &Client,
    path: &str,
    csrf: &str,
    cases: Vec<BadCase<'_>>,
    marks_field: bool,
) {
    for (fields, status, message) in cases {
        let mut form = vec![("csrf", csrf)];
        form.extend(fields);
        let res = c.post(app.url(path)).form(&form).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{message}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}: {html}");
        if marks_field {
            assert!(
                html.contains("aria-invalid=\"true\""),
                "the field is marked: {message}"
            );
        }
    }
}

async fn bad_form_input_changes_nothing(app: App) {
    let c = app.login("admin").await;
    let csrf = app.csrf(&c, "/office/agencies").await;
    let before = app.snapshot().await;
    let long_name = "局".repeat(101);
    let agency_cases: Vec<BadCase> = vec![
        (
            vec![
                ("code", "YX0401"),
                ("name", "某局"),
                ("kind", "department"),
                ("parent", "NOPE99"),
            ],
            422,
            "上级机构代码“NOPE99”不存在",
        ),
        (
            vec![
                ("code", "YX0201"),
                ("name", "重复"),
                ("kind", "department"),
                ("parent", "YX0000"),
            ],
            409,
            "机构代码“YX0201”已被使用",
        ),
        (
            vec![
                ("code", "YX0402"),
                ("name", "某局"),
                ("kind", "department"),
                ("parent", "YX0000"),
                ("postcode", "12"),
            ],
            422,
            "邮政编码应为 6 位数字",
        ),
        (
            vec![
                ("code", "YX0403"),
                ("name", long_name.as_str()),
                ("kind", "department"),
                ("parent", "YX0000"),
            ],
            422,
            "最多 100 个字符",
        ),
        (
            vec![
                ("code", "教育"),
                ("name", "某局"),
                ("kind", "department"),
                ("parent", "YX0000"),
            ],
            422,
            "机构代码“教育”无效",
        ),
        (
            vec![
                ("code", "YX0404"),
                ("name", "某局"),
                ("kind", "ministry"),
                ("parent", "YX0000"),
            ],
            422,
            "未知的机构类型",
        ),
    ];
    post_bad_forms(&app, &c, "/office/agencies", &csrf, agency_cases, true).await;
    let user_cases: Vec<BadCase> = vec![
        (
            vec![
                ("username", "staff"),
                ("role", "staff"),
                ("agency", "YX0201"),
                ("password", "long enough pw"),
            ],
            409,
            "用户名“staff”已存在",
        ),
        (
            vec![
                ("username", "weak1"),
                ("role", "staff"),
                ("agency", "YX0201"),
                ("password", "short"),
            ],
            422,
            "密码至少需要 10 个字符",
        ),
        (
            vec![
                ("username", "ghost1"),
                ("role", "staff"),
                ("agency", "NOPE99"),
                ("password", "long enough pw"),
            ],
            422,
            "机构代码“NOPE99”不存在",
        ),
        (
            vec![
                ("username", "x"),
                ("role", "staff"),
                ("agency", "YX0201"),
                ("password", "long enough pw"),
            ],
            422,
            "用户名应为",
        ),
        (
            vec![
                ("username", "root1"),
                ("role", "root"),
                ("agency", "YX0201"),
                ("password", "long enough pw"),
            ],
            422,
            "未知的角色",
        ),
    ];
    post_bad_forms(&app, &c, "/office/users", &csrf, user_cases, false).await;
    // Invalid UTF-8 in a form body.
    let body = format!("csrf={csrf}&code=YX0405&name=%FF%FE&kind=department&parent=YX0000");
    let res = c
        .post(app.url("/office/agencies"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let html = res.text().await.unwrap();
    assert!(html.contains("提交的数据格式不正确"), "{html}");
    // An oversized body.
    let huge = format!(
        "csrf={csrf}&code=YX0406&kind=department&parent=YX0000&name={}",
        "a".repeat(100 * 1024)
    );
    let res = c
        .post(app.url("/office/agencies"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("提交的内容过大"));
    assert_eq!(app.snapshot().await, before);
}

async fn calendar_overrides_via_office(app: App) {
    let c = app.login("admin").await;
    let csrf = app.csrf(&c, "/office/calendar?year=2026").await;
    let before = app.snapshot().await;
    for (date, kind, note, msg) in [
        ("2026-02-30", "off", "台风", "日期“2026-02-30”无效"),
        ("明天", "off", "台风", "日期“明天”无效"),
        ("2026-12-01", "off", "", "请填写说明"),
        ("2026-12-01", "maybe", "台风", "请选择"),
    ] {
        let res = c
            .post(app.url("/office/calendar/overrides"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("date", date),
                ("kind", kind),
                ("note", note),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{date}");
        assert!(res.text().await.unwrap().contains(msg), "{msg}");
    }
    assert_eq!(app.snapshot().await, before);

    let res = c
        .post(app.url("/office/calendar/overrides"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("date", "2026-12-01"),
            ("kind", "off"),
            ("note", "台风停工"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url("/office/calendar?year=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("台风停工") && html.contains("全年工作日 <strong>247</strong> 天"),
        "one fewer working day"
    );
    let day: Value = c
        .get(app.url("/api/v1/calendar/days/2026-12-01"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(day["workday"], false);
    assert_eq!(day["reason"]["kind"], "override");
    // The deadline calculator on the page explains the skipped day.
    let html = c
        .get(app.url("/office/calendar?year=2026&from=2026-11-30&days=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("2026-12-02") && html.contains("调整为休息日:台风停工"),
        "{html}"
    );

    let res = c
        .post(app.url("/office/calendar/overrides/delete"))
        .form(&[("csrf", csrf.as_str()), ("date", "2026-12-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let day: Value = c
        .get(app.url("/api/v1/calendar/days/2026-12-01"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(day["workday"], true);
}

async fn api_reads_writes_and_problems(app: App) {
    let c = app.client();
    let list: Value = c
        .get(app.url("/api/v1/agencies"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 4);
    let get = |path: String| {
        let c = c.clone();
        async move { c.get(path).send().await.unwrap() }
    };
    let docs: Value = get(app.url("/api/v1/documents"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(docs["items"][0]["doc_number"], "云发改〔2021〕3号");
    assert_eq!(docs["total"], 1);
    let docs: Value = get(app.url("/api/v1/documents?kind=opinion"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(docs["total"], 0);
    let docs: Value =
        get(app.url("/api/v1/documents?agency=YX0201&year=2021&topic=综合政务&per_page=100000"))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(
        (docs["total"].as_i64(), docs["per_page"].as_i64()),
        (Some(1), Some(100))
    );
    for bad in [
        "kind=memo",
        "topic=无此主题",
        "page=0",
        "year=abc",
        "validity=maybe",
    ] {
        let res = get(app.url(&format!("/api/v1/documents?{bad}"))).await;
        assert_eq!(res.status(), 422, "{bad}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }

    let span: Value = c
        .get(app.url("/api/v1/calendar/deadline?from=2024-09-27&days=20"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(span["end"], "2024-10-30");
    assert!(
        span["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "2024-10-12 国庆节调休上班:计入 1 天")
    );
    let span: Value = c
        .get(app.url("/api/v1/calendar/workdays?from=2026-02-13&to=2026-02-28"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(span["workdays"], 6);
    let res = c
        .get(app.url("/api/v1/calendar/deadline?from=2024-09-27&days=-3"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: Value = res.json().await.unwrap();
    assert_eq!(
        (p["code"].as_str(), p["field"].as_str()),
        (Some("invalid-input"), Some("days"))
    );

    let res = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "unauthenticated"
    );
    let staff_token = app.token("staff").await;
    let me: Value = c
        .get(app.url("/api/v1/me"))
        .bearer_auth(&staff_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "staff");
    assert!(me.get("password_hash").is_none());

    let before = app.snapshot().await;
    let new =
        json!({"code": "YX0501", "name": "云溪区统计局", "kind": "department", "parent": "YX0000"});
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&staff_token)
        .json(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "forbidden");
    let admin_token = app.token("admin").await;
    let before_admin = app.snapshot().await;
    for (body, status, code) in [
        (
            json!({"code": "YX0501", "name": "云溪区统计局", "kind": "department", "parent": "NOPE99"}),
            422,
            "invalid-input",
        ),
        (
            json!({"code": "YX0201", "name": "重复", "kind": "department", "parent": "YX0000"}),
            409,
            "conflict",
        ),
        (
            json!({"code": "YX0501", "name": "云溪区统计局", "kind": "bureau"}),
            422,
            "invalid-input",
        ),
        (json!({"name": "缺少代码"}), 422, "invalid-input"),
    ] {
        let res = c
            .post(app.url("/api/v1/agencies"))
            .bearer_auth(&admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{body}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], code, "{body}");
    }
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&admin_token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(app.snapshot().await, before_admin);
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&admin_token)
        .json(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "YX0501");
    assert_eq!(app.count("agencies").await, before[0] + 1);
}

async fn health_and_readiness(app: App) {
    let c = app.client();
    let h: Value = c
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "ok");
    let res = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["status"], "ready");
    assert_eq!(
        r["schema_version"],
        gongkai_store::migrate::latest_version()
    );
    assert!(r["warnings"].is_array());
    // When the database is gone, readiness says so.
    app.t.db.close().await;
    let res = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
}

/// The fields of a valid document form, to be adjusted per case.
fn doc_form<'a>(csrf: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("agency", "YX0201"),
        ("title", title),
        ("doc_number", "云发改发（2026）7号"),
        ("kind", "notice"),
        ("topic", "综合政务\\政务公开"),
        ("formed_on", "2026-11-02"),
        ("body", "各有关单位:\n现将有关事项通知如下。"),
    ]
}

fn with<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

async fn document_review_workflow_in_the_office(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/documents/new").await;
    let tables = ["documents", "document_versions", "audit_log"];
    let before = app.t.snapshot(&tables).await;
    let title = "关于开展2026年营商环境评估的通知";
    let bad: Vec<BadCase> = vec![
        (
            with(doc_form(&csrf, title), "doc_number", "云发改发〔26〕7号"),
            422,
            "年份应为四位数字",
        ),
        (
            with(doc_form(&csrf, title), "formed_on", "2099-01-01"),
            422,
            "晚于今天",
        ),
        (
            with(
                doc_form(&csrf, title),
                "title",
                "通知<script>alert(1)</script>",
            ),
            422,
            "含有脚本或网页代码",
        ),
        (
            with(doc_form(&csrf, title), "topic", "不存在的主题"),
            422,
            "不在国家主题分类中",
        ),
        (
            with(doc_form(&csrf, title), "disclosure_mode", "withheld"),
            422,
            "需选择条例第十四至十六条规定的理由",
        ),
        (
            with(doc_form(&csrf, title), "agency", "YX0202"),
            403,
            "您无权执行此操作",
        ),
    ];
    for (form, status, message) in bad {
        let res = staff
            .post(app.url("/office/documents"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "bad input wrote nothing"
    );

    // Registered without an attribute, then submitted: returned with the reason.
    let res = staff
        .post(app.url("/office/documents"))
        .form(&doc_form(&csrf, title))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = detail.rsplit('/').next().unwrap().parse().unwrap();
    let html = staff
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("草稿")
            && html.contains("YX0201/2026-00001")
            && html.contains("云发改发〔2026〕7号")
    );
    let action = |a: &'static str, reason: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("action", a.to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let post = |c: &Client, form: Vec<(&'static str, String)>| {
        let (c, url) = (c.clone(), app.url(&format!("{detail}/actions")));
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    assert_eq!(
        post(&staff, action("submit", "")).await.status(),
        StatusCode::SEE_OTHER
    );
    let html = staff
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("已退文") && html.contains("未认定公开属性"));

    let form = with(doc_form(&csrf, title), "disclosure_mode", "proactive");
    let res = staff
        .post(app.url(&detail))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        post(&staff, action("submit", "")).await.status(),
        StatusCode::SEE_OTHER
    );
    // Staff cannot approve; nobody outside the agency sees the record.
    assert_eq!(post(&staff, action("approve", "")).await.status(), 403);
    let other = app.login("staff2").await;
    let csrf2 = app.csrf(&other, "/office").await;
    assert_eq!(
        other.get(app.url(&detail)).send().await.unwrap().status(),
        404
    );
    let res = other
        .post(app.url(&format!("{detail}/actions")))
        .form(&[("csrf", csrf2.as_str()), ("action", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.client()
            .get(app.url(&format!("/documents/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let reviewer = app.login("reviewer").await;
    let rcsrf = app.csrf(&reviewer, &detail).await;
    assert_eq!(
        app.act(&reviewer, &detail, "approve").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&staff, action("publish", "")).await.status(),
        StatusCode::SEE_OTHER
    );
    let html = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(title) && html.contains("YX0201/2026-00001"));

    // A correction needs a note, becomes version 2, and shows in the history once published.
    let form = with(
        with(doc_form(&csrf, title), "disclosure_mode", "proactive"),
        "body",
        "更正后的正文",
    );
    let res = staff
        .post(app.url(&detail))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("请填写修改说明"));
    let res = staff
        .post(app.url(&detail))
        .form(&with(form, "change_note", "更正正文表述"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("现将有关事项通知如下") && !public.contains("更正后的正文"),
        "the published version is unchanged"
    );
    assert_eq!(
        post(&staff, action("submit", "")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.act(&reviewer, &detail, "approve").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&staff, action("publish", "")).await.status(),
        StatusCode::SEE_OTHER
    );
    let public = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("更正后的正文")
            && public.contains("修订记录")
            && public.contains("更正正文表述")
    );
    // Withdrawal needs a reason; afterwards the page shows the notice, not the text.
    let res = reviewer
        .post(app.url(&format!("{detail}/actions")))
        .form(&[
            ("csrf", rcsrf.as_str()),
            ("action", "withdraw"),
            ("reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = reviewer
        .post(app.url(&format!("{detail}/actions")))
        .form(&[
            ("csrf", rcsrf.as_str()),
            ("action", "withdraw"),
            ("reason", "信息已过时"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("本信息已撤回")
            && public.contains("信息已过时")
            && !public.contains("更正后的正文")
    );
}

async fn public_page_cache_expires_and_skips_sessions(app: App) {
    // Logged in first: a login is a write, and writes empty this node's cache.
    let staff = app.login("staff").await;
    let anon = app.client();
    let page = || {
        let (c, url) = (anon.clone(), app.url("/agencies/YX0201"));
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(page().await.contains("云溪区发展和改革委员会"));
    // A change made without this node's knowledge (as another node would make it).
    let input = AgencyInput {
        code: "YX0201".into(),
        name: "云溪区发展改革委".into(),
        kind: "department".into(),
        parent: "YX0000".into(),
        ..Default::default()
    };
    let draft = AgencyDraft::parse(&input).unwrap();
    app.t
        .db
        .write(async |tx| {
            let before = agencies::by_code(tx, &draft.code).await?.unwrap();
            let parent = agencies::by_code(tx, draft.parent.as_ref().unwrap()).await?;
            agencies::update(tx, &Actor::system("test"), &before, &draft, parent.as_ref()).await
        })
        .await
        .unwrap();
    assert!(
        page().await.contains("云溪区发展和改革委员会"),
        "served from the cache within its lifetime"
    );
    // A visitor with a session is never served from the cache.
    let html = staff
        .get(app.url("/agencies/YX0201"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("云溪区发展改革委") && html.contains("退出登录"));
    tokio::time::sleep(gongkai_web::shared::page_cache::TTL + Duration::from_millis(200)).await;
    assert!(
        page().await.contains("云溪区发展改革委"),
        "fresh after the cache lifetime"
    );
}

async fn document_list_filters_and_pages(app: App) {
    // Two more published documents of another kind and year.
    let office = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: 0,
    };
    for title in ["关于征求意见的公告一", "关于征求意见的公告二"] {
        let input = DocumentInput {
            title: title.into(),
            kind: "announcement".into(),
            topic: "科技、教育\\教育".into(),
            formed_on: "2024-05-06".into(),
            body: "正文".into(),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        };
        let draft = DocumentDraft::parse(
            &input,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        )
        .unwrap();
        let agency = app.t.db.conn().await.unwrap();
        drop(agency);
        let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
        app.t
            .db
            .write(async |tx| {
                let a = agencies::by_code(
                    tx,
                    &gongkai_domain::agency::AgencyCode::parse("YX0202").unwrap(),
                )
                .await?
                .unwrap();
                gongkai_app::documents::import_published_in(
                    tx,
                    &gongkai_app::Ctx::new(&app.t.db, Actor::system("test"), office),
                    a.id,
                    &draft,
                    documents::Earlier {
                        index_no: None,
                        published_on: published,
                    },
                )
                .await
            })
            .await
            .unwrap();
    }
    let c = app.client();
    let get = |q: &str| {
        let (c, url) = (c.clone(), app.url(&format!("/documents{q}")));
        async move {
            let res = c.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, html) = get("").await;
    assert_eq!(status, 200);
    assert!(html.contains("共 3 件") && !html.contains("内部起草中的文件"));
    let (_, html) = get("?kind=announcement&year=2024").await;
    assert!(html.contains("共 2 件") && html.contains("关于征求意见的公告一"));
    let (_, html) = get("?topic=综合政务&agency=YX0201").await;
    assert!(html.contains("共 1 件") && html.contains("关于印发《2021年政务公开工作要点》的通知"));
    let (_, html) = get("?kind=announcement&per_page=1&page=2").await;
    assert!(
        html.contains("第 2 / 2 页")
            && html.contains("rel=\"prev\"")
            && !html.contains("rel=\"next\"")
    );
    let prev = html.split("rel=\"prev\"").next().unwrap();
    let href = prev
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert_eq!(
        href, "/documents?kind=announcement&per_page=1&page=1",
        "paging keeps the filters"
    );
    for (q, message) in [
        ("?year=abc", "年份应为正整数"),
        ("?kind=memo", "未知的文种"),
        ("?topic=无", "不在国家主题分类中"),
        ("?agency=NOPE99", "未找到机构"),
    ] {
        let (status, html) = get(q).await;
        assert!(status >= 400, "{q}");
        assert!(
            html.contains(message) && html.contains("共 0 件"),
            "{q}: {message}"
        );
    }
}

async fn feeds_and_sitemap_list_only_public_documents(app: App) {
    let c = app.client();
    let res = c
        .get(app.url("/feeds/documents.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let atom = res.text().await.unwrap();
    assert!(
        atom.starts_with("<?xml") && atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    );
    let link = format!("{}/documents/{}", app.base, app.doc_id);
    assert!(
        atom.contains(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>"
        )),
        "{atom}"
    );
    assert!(atom.contains("<updated>2021-04-20T00:00:00Z</updated>"));
    assert!(!atom.contains("内部起草中的文件"));
    let agency = c
        .get(app.url("/agencies/YX0201/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(agency.contains("<title>云溪区发展和改革委员会</title>") && agency.contains(&link));
    let empty = c
        .get(app.url("/agencies/YX0202/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!empty.contains("<entry>"));
    assert_eq!(
        c.get(app.url("/agencies/NOPE99/feed.atom"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let map = c
        .get(app.url("/sitemap.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(map.contains(&format!("<loc>{link}</loc><lastmod>2021-04-20</lastmod>")));
    assert!(map.contains(&format!("<loc>{}/agencies/YX0202</loc>", app.base)));
    assert!(
        !map.contains(&format!("/documents/{}<", app.draft_id)),
        "drafts are not in the sitemap"
    );
}

async fn interpretations_are_published_with_their_policy(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/documents/new").await;
    let title = "云溪区支持科技创新若干政策";
    let form = with(
        with(doc_form(&csrf, title), "disclosure_mode", "proactive"),
        "needs_interpretation",
        "on",
    );
    let res = staff
        .post(app.url("/office/documents"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let detail = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = detail.rsplit('/').next().unwrap().parse().unwrap();
    let act = |c: &Client, a: &'static str| {
        let (c, url, csrf) = (
            c.clone(),
            app.url(&format!("{detail}/actions")),
            csrf.clone(),
        );
        async move {
            c.post(url)
                .form(&[("csrf", csrf.as_str()), ("action", a)])
                .send()
                .await
                .unwrap()
        }
    };
    act(&staff, "submit").await;
    let reviewer = app.login("reviewer").await;
    app.act(&reviewer, &detail, "approve").await;
    // 三同步: refused without an interpretation.
    let res = act(&staff, "publish").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("三同步"));
    assert_eq!(
        app.client()
            .get(app.url(&format!("/documents/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let add = |fields: Vec<(&'static str, &'static str)>| {
        let (c, url, csrf) = (
            staff.clone(),
            app.url(&format!("{detail}/interpretations")),
            csrf.clone(),
        );
        async move {
            let mut form = vec![("csrf", csrf.to_string())];
            form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    let before = app.t.count("interpretations").await;
    let res = add(vec![("title", ""), ("form", "graphic"), ("body", "要点")]).await;
    assert_eq!(res.status(), 422);
    let res = add(vec![
        ("title", "视频解读"),
        ("form", "video"),
        ("body", ""),
        ("link", "javascript:alert(1)"),
    ])
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("链接应以 http:// 或 https:// 开头")
    );
    let res = add(vec![
        ("title", "一图读懂支持科技创新若干政策"),
        ("form", "graphic"),
        ("body", "要点一"),
        ("also", "YX0201/2099-00001"),
    ])
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("索引号“YX0201/2099-00001”不存在")
    );
    assert_eq!(
        app.t.count("interpretations").await,
        before,
        "nothing stored"
    );
    // One interpretation explains this policy and the earlier one it builds on.
    let res = add(vec![
        ("title", "一图读懂支持科技创新若干政策"),
        ("form", "graphic"),
        ("body", "要点一\n要点二"),
        ("also", "YX0201/2021-00001\n"),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(&staff, "publish").await.status(), StatusCode::SEE_OTHER);

    let html = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("政策解读")
            && html.contains("一图读懂支持科技创新若干政策")
            && html.contains("图解")
    );
    let link = html
        .split("href=\"/interpretations/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let page = app
        .client()
        .get(app.url(&format!("/interpretations/{link}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    assert!(
        text.contains(title) && text.contains("2021年政务公开工作要点"),
        "both policies"
    );
    let office = app.login("office").await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let html = office
        .get(app.url(&format!("/office/interpretations?year={year}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("云溪区发展和改革委员会") && html.contains("100%(达标)"),
        "{html}"
    );
}

async fn the_office_compiles_gazette_issues(app: App) {
    let staff = app.login("staff").await;
    assert_eq!(
        staff
            .get(app.url("/office/gazette"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let office = app.login("office").await;
    let csrf = app.csrf(&office, "/office/gazette").await;
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let (c, url, csrf) = (office.clone(), app.url("/office/gazette"), csrf.clone());
        async move {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    let good = vec![
        ("year", "2021"),
        ("number", "3"),
        ("issued_on", "2021-05-10"),
        ("documents", "YX0201/2021-00001"),
    ];
    let before = app.t.snapshot(&["gazette_issues", "gazette_items"]).await;
    for (change, status, message) in [
        (("documents", "YX0201/2021-00002"), 422, "不是已发布的文件"),
        (("issued_on", "2020-12-31"), 422, "不在 2021 年"),
        (("number", "0"), 422, "期号应为"),
    ] {
        let mut form: Vec<(&str, &str)> = good
            .iter()
            .copied()
            .filter(|(k, _)| *k != change.0)
            .collect();
        form.push(change);
        let res = post(form).await;
        assert_eq!(res.status().as_u16(), status, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    assert_eq!(
        app.t.snapshot(&["gazette_issues", "gazette_items"]).await,
        before
    );
    let res = post(good.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let issue = res.headers()["location"].to_str().unwrap().to_string();
    let res = post(good).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("2021年第3期已存在"));
    let html = app
        .client()
        .get(app.url(&issue))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("政府公报 2021年第3期")
            && html.contains("关于印发《2021年政务公开工作要点》的通知")
    );
    let html = app
        .client()
        .get(app.url("/gazette"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2021年第3期") && html.contains("2021-05-10"));
}

async fn agencies_keep_their_catalogue(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/catalogue").await;
    let post = |path: &'static str, fields: Vec<(&'static str, &str)>| {
        let (c, url) = (staff.clone(), app.url(path));
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let before = app.t.count("catalogue_items").await;
    let res = post(
        "/office/catalogue",
        vec![("agency", "YX0201"), ("name", ""), ("refresh_days", "365")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = post(
        "/office/catalogue",
        vec![("agency", "YX0202"), ("name", "别的机构的事项")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.t.count("catalogue_items").await, before);
    let res = post(
        "/office/catalogue",
        vec![
            ("agency", "YX0201"),
            ("name", "政策文件"),
            ("basis", "条例第二十条"),
            ("time_limit", "20"),
            ("refresh_days", "365"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(
        "/office/catalogue",
        vec![
            ("agency", "YX0201"),
            ("name", "重大建设项目"),
            ("refresh_days", "180"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = staff
        .get(app.url("/office/catalogue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let item = html
        .split("name=\"item\"><option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(
        html.contains("重大建设项目") && html.contains("无内容"),
        "empty items are flagged"
    );
    let res = post(
        "/office/catalogue/filings",
        vec![
            ("agency", "YX0201"),
            ("item", item.as_str()),
            ("index_no", "WA0000-1"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = post(
        "/office/catalogue/filings",
        vec![
            ("agency", "YX0201"),
            ("item", item.as_str()),
            ("index_no", "YX0201/2021-00001"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .client()
        .get(app.url("/agencies/YX0201/catalogue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("主动公开目录")
            && html.contains("条例第二十条")
            && html.contains("20 个工作日")
    );
    assert!(
        html.contains("关于印发《2021年政务公开工作要点》的通知"),
        "filed content is listed"
    );
    assert!(!html.contains("内部起草中的文件"));
}

async fn relations_and_agency_rules_from_the_office(app: App) {
    // An administrator sets the education bureau's rules: a Shanghai-style 10-day limit and
    // another 索引号 pattern; bad values change nothing.
    let admin = app.login("admin").await;
    let csrf = app.csrf(&admin, "/office/agencies/YX0201").await;
    let rules = |pattern: &'static str, limit: &'static str| {
        let (c, url, csrf) = (
            admin.clone(),
            app.url("/office/agencies/YX0201/rules"),
            csrf.clone(),
        );
        async move {
            c.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("index_pattern", pattern),
                    ("publication_limit", limit),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = rules("{year}-{seq}", "10").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("必须恰好包含一个 {agency_code}")
    );
    assert_eq!(
        rules("{agency_code}/{year}-{seq:05}", "30").await.status(),
        422
    );
    assert_eq!(
        rules("{agency_code}-{year}-{seq:03}", "10").await.status(),
        StatusCode::SEE_OTHER
    );
    let html = admin
        .get(app.url("/office/agencies/YX0201"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("value=\"{agency_code}-{year}-{seq:03}\"") && html.contains("value=\"10\"")
    );
    let staff = app.login("staff").await;
    let scsrf = app.csrf(&staff, "/office").await;
    let res = staff
        .post(app.url("/office/agencies/YX0201/rules"))
        .form(&[("csrf", scsrf.as_str()), ("publication_limit", "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Staff register a new rule that repeals the published 2021 document, by its 索引号.
    let dcsrf = app.csrf(&staff, "/office/documents/new").await;
    let form = with(
        doc_form(&dcsrf, "关于废止部分文件的决定"),
        "disclosure_mode",
        "proactive",
    );
    let res = staff
        .post(app.url("/office/documents"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let detail = res.headers()["location"].to_str().unwrap().to_string();
    let html = staff
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("YX0201-2026-001"), "the new pattern is used");
    let relate = |kind: &'static str, index: &'static str| {
        let (c, url, csrf) = (
            staff.clone(),
            app.url(&format!("{detail}/relations")),
            dcsrf.clone(),
        );
        async move {
            c.post(url)
                .form(&[("csrf", csrf.as_str()), ("kind", kind), ("index_no", index)])
                .send()
                .await
                .unwrap()
        }
    };
    let res = relate("repeals", "NOPE-1").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("索引号“NOPE-1”不存在"));
    assert_eq!(
        relate("repeals", "YX0201/2021-00001").await.status(),
        StatusCode::SEE_OTHER
    );
    let public = app
        .client()
        .get(app.url(&format!("/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("现行有效"),
        "validity changes only when the repealing document is published"
    );
    for a in ["submit"] {
        staff
            .post(app.url(&format!("{detail}/actions")))
            .form(&[("csrf", dcsrf.as_str()), ("action", a)])
            .send()
            .await
            .unwrap();
    }
    let reviewer = app.login("reviewer").await;
    app.act(&reviewer, &detail, "approve").await;
    let res = staff
        .post(app.url(&format!("{detail}/actions")))
        .form(&[("csrf", dcsrf.as_str()), ("action", "publish")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app
        .client()
        .get(app.url(&format!("/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("本文件已废止") && public.contains("关于废止部分文件的决定"),
        "banner with a link to the repealing document"
    );
}
