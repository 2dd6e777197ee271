//! Staff writes through the JSON API, with the office's rules; and the OpenAPI description
//! checked against the live routes.

use super::*;

both!(
    documents_are_written_through_the_api_with_the_office_rules,
    openapi_describes_every_live_api_route,
);

async fn send(
    c: &Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut req = c.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        headers,
    )
}

async fn documents_are_written_through_the_api_with_the_office_rules(app: App) {
    let c = app.client();
    let staff = app.token("staff").await;
    let post = reqwest::Method::POST;
    let patch = reqwest::Method::PATCH;
    let good = json!({
        "agency": "YX0201",
        "title": "关于公布2026年第一批重点项目的通知",
        "doc_number": "云发改发[2026]11号",
        "kind": "notice",
        "topic": "综合政务\\政务公开",
        "formed_on": "2026-11-02",
        "body": "## 一、项目清单\n见附件。",
    });
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        v
    };
    let tables = ["documents", "document_versions", "audit_log", "outbox"];
    let before = app.t.snapshot(&tables).await;
    let url = app.url("/api/v1/documents");
    for (token, body, status, code, field) in [
        (None, good.clone(), 401, "unauthenticated", None),
        (
            Some(staff.as_str()),
            with("agency", json!("YX0202")),
            403,
            "forbidden",
            None,
        ),
        (
            Some(staff.as_str()),
            with("agency", json!("NOPE9")),
            422,
            "invalid-input",
            Some("agency"),
        ),
        (
            Some(staff.as_str()),
            with("doc_number", json!("云发改发2026年")),
            422,
            "invalid-input",
            Some("doc_number"),
        ),
        (
            Some(staff.as_str()),
            with("formed_on", json!("2099-01-01")),
            422,
            "invalid-input",
            Some("formed_on"),
        ),
        (
            Some(staff.as_str()),
            with("title", json!("通知<script>x()</script>")),
            422,
            "invalid-input",
            Some("title"),
        ),
        (
            Some(staff.as_str()),
            with("topic", json!("没有这个主题")),
            422,
            "invalid-input",
            Some("topic"),
        ),
        (
            Some(staff.as_str()),
            with("kind", json!("memo")),
            422,
            "invalid-input",
            Some("kind"),
        ),
    ] {
        let (s, problem, headers) = send(&c, post.clone(), url.clone(), token, Some(body)).await;
        assert_eq!(
            (s, problem["code"].as_str()),
            (status, Some(code)),
            "{problem}"
        );
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(problem["field"].as_str(), field, "{problem}");
    }
    // Not JSON at all.
    let res = c
        .post(&url)
        .bearer_auth(&staff)
        .header("content-type", "application/json")
        .body("{\"agency\": ")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "bad input wrote nothing"
    );

    // Created as a draft with an issued 索引号 and the normalised 文号.
    let (s, doc, headers) = send(
        &c,
        post.clone(),
        url.clone(),
        Some(&staff),
        Some(good.clone()),
    )
    .await;
    assert_eq!(s, 201, "{doc}");
    let href = headers["location"].to_str().unwrap().to_string();
    assert_eq!(doc["href"], href.as_str());
    assert_eq!(doc["status"], "draft");
    assert_eq!(doc["index_no"], "YX0201/2026-00001");
    assert_eq!(doc["doc_number"], "云发改发〔2026〕11号");
    // Not public.
    assert_eq!(
        send(&c, reqwest::Method::GET, app.url(&href), None, None)
            .await
            .0,
        404
    );

    // PATCH changes only what it names.
    let (s, doc, _) = send(
        &c,
        patch.clone(),
        app.url(&href),
        Some(&staff),
        Some(json!({"title": "关于公布2026年第一批区重点项目的通知"})),
    )
    .await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(doc["title"], "关于公布2026年第一批区重点项目的通知");
    assert_eq!(doc["doc_number"], "云发改发〔2026〕11号");
    let other = app.token("staff2").await;
    let before = app.t.snapshot(&tables).await;
    for (body, field) in [
        (json!({"index_no": "X/1"}), "body"),
        (json!({"title": 5}), "body"),
        (json!({"effective_on": "2026-02-30"}), "effective_on"),
    ] {
        let (s, problem, _) =
            send(&c, patch.clone(), app.url(&href), Some(&staff), Some(body)).await;
        assert_eq!(
            (s, problem["field"].as_str()),
            (422, Some(field)),
            "{problem}"
        );
    }
    let (s, _, _) = send(
        &c,
        patch.clone(),
        app.url(&href),
        Some(&other),
        Some(json!({"title": "别人的文件"})),
    )
    .await;
    assert_eq!(s, 404, "another agency learns nothing");
    assert_eq!(app.t.snapshot(&tables).await, before);

    // The review workflow, with the same rules as the office.
    let actions = app.url(&format!("{href}/actions"));
    let act = |token: String, action: &'static str, reason: &'static str| {
        let (c, url) = (c.clone(), actions.clone());
        async move {
            send(
                &c,
                reqwest::Method::POST,
                url,
                Some(&token),
                Some(json!({"action": action, "reason": reason})),
            )
            .await
        }
    };
    let (s, doc, _) = act(staff.clone(), "submit", "").await;
    assert_eq!(
        (s, doc["status"].as_str()),
        (200, Some("returned")),
        "no attribute: 退文"
    );
    assert!(doc["return_reason"].as_str().unwrap().contains("公开属性"));
    let (s, _, _) = send(
        &c,
        patch.clone(),
        app.url(&href),
        Some(&staff),
        Some(json!({"disclosure_mode": "proactive", "disclosure_scope": "full"})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        act(staff.clone(), "submit", "").await.1["status"],
        "submitted"
    );
    assert_eq!(
        act(staff.clone(), "approve", "").await.0,
        403,
        "staff do not review"
    );
    let (s, problem, _) = act(staff.clone(), "bogus", "").await;
    assert_eq!((s, problem["field"].as_str()), (422, Some("action")));
    let reviewer = app.token("reviewer").await;
    assert_eq!(act(reviewer, "approve", "").await.1["status"], "approved");
    let office = app.token("office").await;
    assert_eq!(
        act(office.clone(), "publish", "").await.1["status"],
        "published"
    );
    let (s, public, _) = send(&c, reqwest::Method::GET, app.url(&href), None, None).await;
    assert_eq!((s, public["published_on"].is_string()), (200, true));

    // A published version is never changed in place: a correction needs a note and becomes
    // version 2, while the public keeps version 1 until it is published.
    let (s, problem, _) = send(
        &c,
        patch.clone(),
        app.url(&href),
        Some(&staff),
        Some(json!({"title": "更正后的标题"})),
    )
    .await;
    assert_eq!((s, problem["field"].as_str()), (422, Some("change_note")));
    let (s, doc, _) = send(&c, patch, app.url(&href), Some(&staff), Some(json!({"title": "关于公布2026年第一批区重点项目的通知(更正)", "change_note": "更正标题"}))).await;
    assert_eq!(
        (s, doc["version_no"].as_i64(), doc["status"].as_str()),
        (200, Some(2), Some("draft"))
    );
    let (_, public, _) = send(&c, reqwest::Method::GET, app.url(&href), None, None).await;
    assert_eq!(public["title"], "关于公布2026年第一批区重点项目的通知");
    assert_eq!(public["version_no"], 1);
}

async fn openapi_describes_every_live_api_route(app: App) {
    let c = app.client();
    let res = c.get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let spec: Value = res.json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    // Every /api route the router declares is documented …
    let declared: Vec<String> = super::fuzz::routes()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p.starts_with("/api/v1/"))
        .collect();
    assert!(declared.len() >= 9, "{declared:?}");
    for route in &declared {
        assert!(paths.contains_key(route), "{route} is not in openapi.json");
    }
    // … and every documented operation reaches a handler (no fallback 404, no 405), and its
    // schema references resolve.
    let token = app.token("office").await;
    for (path, ops) in paths {
        assert!(
            declared.contains(path),
            "{path} is documented but not routed"
        );
        for (method, op) in ops.as_object().unwrap() {
            let url = path
                .replace("{code}", "YX0201")
                .replace("{id}", &app.doc_id.to_string())
                .replace("{date}", "2026-10-01");
            let query: Vec<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "query" && p["required"] == true)
                        .map(|p| {
                            let name = p["name"].as_str().unwrap();
                            let value = if name == "days" { "20" } else { "2026-09-01" };
                            let value = if name == "to" { "2026-10-31" } else { value };
                            format!("{name}={value}")
                        })
                        .collect()
                })
                .unwrap_or_default();
            let url = app.url(&format!("{url}?{}", query.join("&")));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let secured = op.get("security").is_some();
            let body =
                matches!(method, reqwest::Method::POST | reqwest::Method::PATCH).then(|| json!({}));
            let (status, v, _) = send(
                &c,
                method.clone(),
                url,
                secured.then_some(token.as_str()),
                body,
            )
            .await;
            assert_ne!(status, 405, "{method} {path}");
            assert!(
                !(status == 404 && v["detail"] == "未找到页面"),
                "{method} {path} is not routed"
            );
            assert!(
                op["responses"]
                    .as_object()
                    .unwrap()
                    .contains_key(&status.to_string()),
                "{method} {path} answered {status}, which is not documented: {v}"
            );
        }
    }
    let text = serde_json::to_string(&spec).unwrap();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = r.split('"').next().unwrap();
        assert!(spec["components"]["schemas"].get(name).is_some(), "{name}");
    }
}
