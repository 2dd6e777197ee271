//! 依申请公开 on the web: the online form with its confirmation step, the receipt shown only
//! once the application is stored, and tracking by code and key.

use super::*;

both!(
    an_application_is_confirmed_then_filed_and_tracked,
    tracking_reveals_nothing_without_the_key_and_is_rate_limited,
);

fn application<'a>(csrf: &'a str, step: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("step", step),
        ("agency", "YX0201"),
        ("applicant_kind", "person"),
        ("name", "王小明"),
        ("id_type", "resident_id"),
        ("id_number", "11010519491231002X"),
        ("phone", "13800138000"),
        ("description", "请提供政务公开工作要点的全文"),
        ("delivery_form", "electronic"),
        ("delivery_channel", "online"),
    ]
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).expect("marker") + start.len();
    html[from..].split(end).next().unwrap()
}

async fn file(app: &App, c: &Client) -> (String, String) {
    let csrf = app.csrf(c, "/requests/new").await;
    let res = c
        .post(app.url("/requests"))
        .form(&application(&csrf, "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let html = res.text().await.unwrap();
    (
        between(&html, "<code id=\"tracking-code\">", "<").to_string(),
        between(&html, "<code id=\"tracking-key\">", "<").to_string(),
    )
}

async fn an_application_is_confirmed_then_filed_and_tracked(app: App) {
    let c = app.client();
    let csrf = app.csrf(&c, "/requests/new").await;
    let tables = ["requests", "request_events", "audit_log"];
    let before = app.t.snapshot(&tables).await;
    // Bad input: the form again with the message; nothing stored.
    for (field, value, message) in [
        ("id_number", "110105194912310021", "校验位不正确"),
        ("phone", "", "至少填写一种联系方式"),
        ("agency", "NOPE9", "受理机关不存在"),
        ("description", "<script>alert(1)</script>公开", "含有脚本"),
    ] {
        let res = c
            .post(app.url("/requests"))
            .form(&with(application(&csrf, "preview"), field, value))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{field}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{field}: {message}");
        assert!(html.contains("aria-invalid=\"true\""), "{field} marked");
    }
    // The confirmation step shows the data (ID masked) and documents already published.
    let res = c
        .post(app.url("/requests"))
        .form(&application(&csrf, "preview"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("确认申请内容") && html.contains("110*************2X"));
    assert!(
        html.contains("关于印发《2021年政务公开工作要点》的通知"),
        "the published document is suggested"
    );
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "previewing stores nothing"
    );
    // Without the form's token, nothing is filed.
    let res = c
        .post(app.url("/requests"))
        .form(&application("forged", "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("requests").await, 0);

    let (code, key) = file(&app, &c).await;
    assert!(code.starts_with("YSQ") && key.len() >= 16, "{code} {key}");
    assert_eq!(
        app.count("requests").await,
        1,
        "stored before the code was shown"
    );

    let tcsrf = app.csrf(&c, "/requests/track").await;
    let res = c
        .post(app.url("/requests/track"))
        .form(&[
            ("csrf", tcsrf.as_str()),
            ("code", code.as_str()),
            ("key", key.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("待确认收到") && html.contains("待工作人员确认"),
        "{html}"
    );
    assert!(
        !html.contains("11010519491231002X"),
        "the ID number is never shown whole"
    );
}

async fn tracking_reveals_nothing_without_the_key_and_is_rate_limited(app: App) {
    let c = app.client();
    let (code, _key) = file(&app, &c).await;
    let other = app.client();
    let csrf = app.csrf(&other, "/requests/track").await;
    let attempt = |code: String, key: &'static str| {
        let (c, url, csrf) = (other.clone(), app.url("/requests/track"), csrf.clone());
        async move {
            c.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("code", code.as_str()),
                    ("key", key),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let wrong_key = attempt(code.clone(), "guess").await;
    assert_eq!(wrong_key.status(), 404);
    let a = wrong_key.text().await.unwrap();
    let unknown = attempt("YSQ2099-000001".into(), "guess")
        .await
        .text()
        .await
        .unwrap();
    let message = "查询码或查询密钥不正确";
    assert!(
        a.contains(message) && unknown.contains(message),
        "the same answer for both"
    );
    assert!(!a.contains("王小明"));
    for _ in 0..8 {
        assert_eq!(attempt(code.clone(), "guess").await.status(), 404);
    }
    let res = attempt(code.clone(), "guess").await;
    assert_eq!(
        res.status(),
        429,
        "ten failures in 15 minutes, then refused"
    );
    assert!(res.headers().contains_key("retry-after"));
}
