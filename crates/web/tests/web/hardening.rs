//! The attacks of the security review, over HTTP: spoofed forwarding headers, off-site
//! redirects, control characters in form values, caches of private pages, formulas in CSV.

use super::*;

both!(
    spoofed_forwarding_headers_do_not_reset_limits,
    the_login_redirect_never_leaves_the_site,
    control_characters_in_form_values_are_no_server_error,
    private_pages_are_never_stored_and_public_ones_may_be,
    the_admin_revokes_tokens_and_deactivates_accounts,
    anonymous_form_pages_store_nothing,
    popular_searches_never_show_personal_data,
    a_very_long_document_is_served_to_anonymous_visitors,
    a_broken_invariant_is_a_500_logged_once_with_its_cause,
);

async fn spoofed_forwarding_headers_do_not_reset_limits(app: App) {
    // No proxy is trusted: each rotated X-Forwarded-For is the same client (127.0.0.1).
    let c = app.client();
    let csrf = app.csrf(&c, "/requests/track").await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let res = c
            .post(app.url("/requests/track"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", "YSQ2099-000001"),
                ("key", "guess"),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(&statuses[..10], &[404; 10]);
    assert_eq!(
        &statuses[10..],
        &[429, 429],
        "rotating the header does not help"
    );
}

async fn the_login_redirect_never_leaves_the_site(app: App) {
    let c = app.client();
    for next in [
        "/%09/evil.example/path",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ] {
        let res = c
            .get(app.url(&format!("/login?next={}", next.replace('\\', "%5C"))))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{next}");
        let html = res.text().await.unwrap();
        assert!(html.contains("name=\"next\" value=\"/office\""), "{next}");
    }
    // A posted next with a control character: a login, then home, never a 500.
    let csrf = app.csrf(&c, "/login").await;
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "staff"),
            ("password", PW),
            ("next", "/\t/evil.example/path"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/office");
}

async fn control_characters_in_form_values_are_no_server_error(app: App) {
    let c = app.login("staff").await;
    let csrf = app.csrf(&c, "/office/catalogue").await;
    // A real item to file under, so the filing succeeds and its redirect echoes `agency`.
    let res = c
        .post(app.url("/office/catalogue"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("agency", "YX0201"),
            ("name", "政策文件"),
            ("refresh_days", "365"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
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
    for agency in ["YX01\u{1}00", "YX0201\r\nSet-Cookie: x=1", "云溪\u{0}"] {
        for (path, fields) in [
            (
                "/office/catalogue",
                vec![("name", "机构职能"), ("refresh_days", "365")],
            ),
            (
                "/office/catalogue/filings",
                vec![("item", item.as_str()), ("index_no", "YX0201/2021-00001")],
            ),
        ] {
            let mut form = vec![("csrf", csrf.as_str()), ("agency", agency)];
            form.extend(fields);
            let res = c.post(app.url(path)).form(&form).send().await.unwrap();
            assert!(
                res.status().as_u16() < 500,
                "{path} {agency:?}: {}",
                res.status()
            );
            if let Some(location) = res.headers().get("location") {
                let location = location.to_str().unwrap();
                assert!(
                    !location.contains(['\r', '\n', '\u{0}', '\u{1}']),
                    "{location}"
                );
                assert!(location.starts_with("/office/"), "{location}");
            }
        }
    }
}

async fn private_pages_are_never_stored_and_public_ones_may_be(app: App) {
    let anon = app.client();
    let public = anon
        .get(app.url(&format!("/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap();
    assert!(
        !public
            .headers()
            .get("cache-control")
            .is_some_and(|v| v.to_str().unwrap().contains("no-store")),
        "an anonymous public page may be cached"
    );
    // A form page sets the session cookie that carries its token.
    let form = anon.get(app.url("/requests/track")).send().await.unwrap();
    assert!(
        form.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
    let staff = app.login("staff").await;
    for path in ["/office", "/office/documents", "/"] {
        let res = staff.get(app.url(path)).send().await.unwrap();
        assert!(
            res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("no-store"),
            "{path} seen by staff"
        );
    }
    // Any answer to a posted form (receipts, tracking results).
    let csrf = app.csrf(&anon, "/requests/track").await;
    let res = anon
        .post(app.url("/requests/track"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "YSQ2099-000001"),
            ("key", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
    // Unknown query parameters are served, not cached under a new key.
    for i in 0..3 {
        let res = anon
            .get(app.url(&format!("/documents/{}?cb={i}", app.doc_id)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
}

async fn the_admin_revokes_tokens_and_deactivates_accounts(app: App) {
    let token = app.token("staff").await;
    let api = app.client();
    let me = |t: String| {
        let (c, url) = (api.clone(), app.url("/api/v1/me"));
        async move {
            c.get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(me(token.clone()).await, 200);
    let staff = app.login("staff").await;
    let admin = app.login("admin").await;
    let page = admin
        .get(app.url("/office/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "action=\"/office/tokens/";
    let start = page.find(marker).expect("the token is listed") + marker.len();
    let id: String = page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(!page.contains(&token), "never the token's value");
    let csrf = csrf_of(&page);
    // Only the administrator may revoke or deactivate.
    let office = app.login("office").await;
    let ocsrf = app.csrf(&office, "/office").await;
    let res = office
        .post(app.url(&format!("/office/tokens/{id}/revoke")))
        .form(&[("csrf", ocsrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = admin
        .post(app.url(&format!("/office/tokens/{id}/revoke")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(token.clone()).await, 401);
    // Deactivated: the staff member's session ends, a new token stops working.
    let second = app.token("staff").await;
    let res = admin
        .post(app.url("/office/users/staff/active"))
        .form(&[("csrf", csrf.as_str()), ("active", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = staff.get(app.url("/office")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "logged out");
    assert_eq!(me(second).await, 401);
}

async fn anonymous_form_pages_store_nothing(app: App) {
    let before = app.t.count("sessions").await;
    for path in [
        "/requests/new",
        "/requests/track",
        "/messages/track",
        "/login",
    ] {
        for _ in 0..5 {
            let res = app.client().get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            assert!(
                res.headers().contains_key("set-cookie"),
                "{path} gives a form token"
            );
        }
    }
    assert_eq!(
        app.t.count("sessions").await,
        before,
        "no session row per visitor"
    );
    // The token still guards the form: right with its cookie, wrong without or with another.
    let c = app.client();
    let csrf = app.csrf(&c, "/requests/track").await;
    let track = |c: Client, token: String| {
        let url = app.url("/requests/track");
        async move {
            c.post(url)
                .form(&[
                    ("csrf", token.as_str()),
                    ("code", "YSQ2099-000001"),
                    ("key", "guess"),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        track(c.clone(), csrf.clone()).await,
        404,
        "accepted, then not found"
    );
    assert_eq!(
        track(app.client(), csrf.clone()).await,
        403,
        "another visitor's token"
    );
    let other = app.client();
    let _ = app.csrf(&other, "/requests/track").await;
    assert_eq!(track(other, csrf).await, 403, "a token for another cookie");
    assert_eq!(app.t.count("sessions").await, before);
}

async fn popular_searches_never_show_personal_data(app: App) {
    // Counted terms as an older version may have kept them: personal data in other spellings.
    let tally: Vec<(String, i64)> = [
        "政务公开",
        "138 0000 2222",
        "１３８００００２２２２",
        "110101-19900307-7715",
        "WANG＠EXAMPLE.CN",
        "张** 处罚",
    ]
    .iter()
    .map(|t| (t.to_string(), 9))
    .collect();
    gongkai_store::search_terms::record(
        &mut app.t.db.conn().await.unwrap(),
        &tally,
        gongkai_store::db::now(),
    )
    .await
    .unwrap();
    let html = app
        .page(&app.client(), "/search?q=%E6%94%BF%E5%8A%A1")
        .await;
    assert!(
        html.contains("政务公开"),
        "an ordinary popular term is shown"
    );
    let plain: String = gongkai_domain::text::halfwidth(&html)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    for leak in [
        "13800002222",
        "110101199003077715",
        "wang@example.cn",
        "张**处罚",
    ] {
        assert!(
            !plain.to_lowercase().contains(leak),
            "{leak} shown as a popular search"
        );
    }
}

async fn a_very_long_document_is_served_to_anonymous_visitors(app: App) {
    // Over 4 MiB of page: once a 500 for every anonymous visitor (the cache's cap).
    let input = DocumentInput {
        title: "关于一件很长的文件的通知".into(),
        kind: "notice".into(),
        formed_on: "2024-01-02".into(),
        body: "第一条 本办法适用于全区。\n".repeat(140_000),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    };
    let draft =
        DocumentDraft::parse(&input, chrono::NaiveDate::from_ymd_opt(2024, 1, 3).unwrap()).unwrap();
    let office = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: 0,
    };
    let agency = agencies::by_code(
        &mut app.t.db.conn().await.unwrap(),
        &gongkai_domain::agency::AgencyCode::parse("YX0201").unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let published = chrono::NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
    let id = app
        .t
        .db
        .write(async |tx| {
            gongkai_app::documents::import_published_in(
                tx,
                &gongkai_app::Ctx::new(&app.t.db, Actor::system("test"), office),
                agency,
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
    for _ in 0..2 {
        let res = app
            .client()
            .get(app.url(&format!("/documents/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().len() > 4 * 1024 * 1024);
    }
}

/// With PostgreSQL silent (a partition), `/readyz` says not ready within a second and pages
/// answer with the Chinese 503 and Retry-After within seconds; `/healthz` stays live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_silent_gives_quick_503s() {
    use std::time::{Duration, Instant};
    let t = TestDb::new(Backend::Postgres).await;
    let url = t.url.clone().expect("a PostgreSQL test database");
    let silent = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let through = gongkai_testing::through_silent_proxy(&url, silent.clone()).await;
    let limits = gongkai_store::db::Limits {
        acquire: Duration::from_secs(1),
        statement: Some(Duration::from_secs(1)),
    };
    let db = gongkai_store::Db::open_postgres_with(&through, limits)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(db, WebConfig::default());
    tokio::spawn(gongkai_web::serve(listener, state, std::future::pending()));
    let c = Client::new();
    let ready = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    silent.store(true, std::sync::atomic::Ordering::SeqCst);
    let started = Instant::now();
    let ready = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    let live = c.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(
        live.status(),
        200,
        "liveness does not depend on the database"
    );
    let started = Instant::now();
    let page = c.get(format!("{base}/documents")).send().await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("服务暂时不可用"));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// The log lines (ERROR and above) of this process, captured for the assertions below.
fn captured_errors() -> &'static std::sync::Mutex<Vec<u8>> {
    use std::sync::{Mutex, OnceLock};
    static BUF: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        use tracing_subscriber::prelude::*;
        // Spans of any level (the request span carries the id), events from ERROR up.
        let filter = tracing_subscriber::filter::filter_fn(|m| {
            m.is_span() || *m.level() <= tracing::Level::ERROR
        });
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || Capture(buf))
            .with_filter(filter);
        let _ = tracing_subscriber::registry().with(layer).try_init();
        buf
    })
}

struct Capture(&'static std::sync::Mutex<Vec<u8>>);

impl std::io::Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn a_broken_invariant_is_a_500_logged_once_with_its_cause(app: App) {
    let logs = captured_errors();
    // A stored value the code cannot read: a bug (or a hand edit), not an outage.
    app.t
        .db
        .write(async |tx| {
            tx.execute(
                Sql::new(
                    "UPDATE document_versions SET kind = 'no-such-kind' WHERE document_id = $1",
                )
                .bind(app.doc_id),
            )
            .await
        })
        .await
        .unwrap();
    let c = app.client();
    let res = c
        .get(app.url(&format!("/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    assert!(
        !res.headers().contains_key("retry-after"),
        "trying again will not help"
    );
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let body = res.text().await.unwrap();
    assert!(body.contains("服务器内部错误"), "{body}");
    assert!(body.contains(&id), "the page gives the id to quote");
    assert!(
        !body.contains("no-such-kind"),
        "the cause is for the log only"
    );
    // The API says the same with its stable code.
    let res = c
        .get(app.url(&format!("/api/v1/documents/{}", app.doc_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "internal");

    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(&id)).collect();
    assert_eq!(lines.len(), 1, "logged once: {text}");
    assert!(lines[0].contains("request failed"), "{}", lines[0]);
    assert!(
        lines[0].contains("column kind"),
        "the context: {}",
        lines[0]
    );
    assert!(lines[0].contains("no-such-kind"), "the cause: {}", lines[0]);
}
