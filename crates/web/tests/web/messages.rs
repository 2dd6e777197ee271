//! 留言 over HTTP: the form on a policy page and in an agency's box, refusals that store
//! nothing, the receipt after the commit, the API, staff of another agency kept out, and 选登
//! reaching the policy page.

use super::*;

both!(messages_over_http);

async fn messages_over_http(app: App) {
    let public = app.client();
    // The policy page offers its message board.
    let doc = format!("/documents/{}", app.doc_id);
    let html = app.page(&public, &doc).await;
    assert!(html.contains(&format!("/messages/new?document={}", app.doc_id)));
    let form = format!("/messages/new?document={}", app.doc_id);
    let html = app.page(&public, &form).await;
    assert!(html.contains("政策留言") && html.contains("只答复与该政策有关的问题"));
    let csrf = csrf_of(&html);
    let doc_id = app.doc_id.to_string();
    let good = vec![
        ("document", doc_id.as_str()),
        ("title", "关于政务公开工作要点的疑问"),
        ("body", "请问工作要点中提到的公开标准目录何时发布?"),
        ("name", "王小明"),
        ("phone", "13800138000"),
        ("consent", "on"),
    ];
    for (field, value, message) in [
        ("title", "问", "标题"),
        ("body", "<script>alert(1)</script>请问何时发布?", "脚本"),
        ("website", "http://spam.example", "未通过校验"),
        ("phone", "123", "7 位数字"),
    ] {
        let mut fields: Vec<_> = good.iter().copied().filter(|(k, _)| *k != field).collect();
        fields.push((field, value));
        let res = app.post(&public, "/messages", &csrf, &fields).await;
        assert_eq!(res.status(), 422, "{field}");
        assert!(
            res.text().await.unwrap().contains(message),
            "{field}: {message}"
        );
    }
    assert_eq!(app.count("messages").await, 0);
    let res = app.post(&public, "/messages", &csrf, &good).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.unwrap();
    let code = html
        .split("id=\"tracking-code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let key = html
        .split("id=\"tracking-key\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(code.starts_with("LY"));
    assert_eq!(app.count("messages").await, 1);

    // The API: a refusal is problem+json and stores nothing; a good message is 201.
    let res = public
        .post(app.url("/api/v1/messages"))
        .json(&json!({"agency": "YX0202", "title": "短", "body": "内容", "name": "李四"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    let res = public
        .post(app.url("/api/v1/messages"))
        .json(&json!({"agency": "YX0202", "box": "leader", "title": "关于学校周边交通", "body": "放学时段学校门口拥堵,建议增设护学岗。", "name": "李四"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.unwrap();
    assert!(filed["tracking_code"].as_str().unwrap().starts_with("LY"));
    assert_eq!(app.count("messages").await, 2);

    // Staff of the development commission handle theirs; the education bureau's cannot.
    let staff = app.login("staff").await;
    let queue = app.page(&staff, "/office/messages?view=new").await;
    assert!(queue.contains("关于政务公开工作要点的疑问") && !queue.contains("关于学校周边交通"));
    assert!(
        queue.contains(r#"<a href="/office/messages?view=new" aria-current="page">待处理</a>"#)
            && queue.contains(r#"<a href="/office/messages">在办</a>"#),
        "the chosen view is marked, the default has the bare address"
    );
    let default = app.page(&staff, "/office/messages?view=nonsense").await;
    assert!(default.contains(r#"<a href="/office/messages" aria-current="page">在办</a>"#));
    let href = queue
        .split("href=\"/office/messages/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let detail = format!("/office/messages/{href}");
    let other = app.login("staff2").await;
    assert_eq!(
        other.get(app.url(&detail)).send().await.unwrap().status(),
        404
    );
    let csrf = app.csrf(&staff, &detail).await;
    let actions = format!("{detail}/actions");
    // Reply before accepting: refused.
    let res = app
        .post(
            &staff,
            &actions,
            &csrf,
            &[("action", "reply"), ("text", "标准目录将于年底前发布。")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let res = app
        .post(&staff, &actions, &csrf, &[("action", "accept")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post(
            &staff,
            &actions,
            &csrf,
            &[
                ("action", "reply"),
                ("text", "公开标准目录将于今年年底前在本平台发布。"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post(
            &staff,
            &actions,
            &csrf,
            &[
                ("action", "publish"),
                ("public_title", "公开标准目录何时发布"),
                (
                    "public_body",
                    "市民咨询:工作要点中提到的公开标准目录何时发布?",
                ),
                ("public_reply", "公开标准目录将于今年年底前在本平台发布。"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The policy page lists it; the asker's details appear nowhere public.
    let html = app.page(&public, &doc).await;
    assert!(html.contains("公开标准目录何时发布"));
    let listed: Value = public
        .get(app.url("/api/v1/messages"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("王小明") && !listed.to_string().contains("13800138000"));
    // Search finds the published copy as a 留言答复, by its reply too; never by the asker.
    app.indexed().await;
    let found: Value = public
        .get(app.url(
            "/api/v1/search?q=%E5%85%AC%E5%BC%80%E6%A0%87%E5%87%86%E7%9B%AE%E5%BD%95&kind=message",
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert!(!found.to_string().contains("王小明"), "{found}");
    let html = app
        .page(
            &public,
            "/search?q=%E5%85%AC%E5%BC%80%E6%A0%87%E5%87%86%E7%9B%AE%E5%BD%95",
        )
        .await;
    assert!(
        html.contains(&format!("href=\"/messages/{href}\"")),
        "{html}"
    );
    let nobody: Value = public
        .get(app.url("/api/v1/search?q=%E7%8E%8B%E5%B0%8F%E6%98%8E"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nobody["total"], 0, "{nobody}");
    // A box's limit is set by its agency only, within 1–20 working days.
    let csrf = app.csrf(&staff, "/office/messages").await;
    let set = |days: &'static str| {
        [
            ("agency", "YX0201"),
            ("box", "consultation"),
            ("workdays", days),
        ]
    };
    assert_eq!(
        app.post(&staff, "/office/messages/limits", &csrf, &set("30"))
            .await
            .status(),
        422
    );
    let csrf_other = app.csrf(&other, "/office/messages").await;
    assert_eq!(
        app.post(&other, "/office/messages/limits", &csrf_other, &set("3"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post(&staff, "/office/messages/limits", &csrf, &set("3"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        app.page(&staff, "/office/messages")
            .await
            .contains("value=\"3\"")
    );
    // The asker tracks it by code and key.
    let csrf = app.csrf(&public, "/messages/track").await;
    let res = app
        .post(
            &public,
            "/messages/track",
            &csrf,
            &[("code", &code), ("key", &key)],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("公开标准目录将于今年年底前")
    );
    let res = app
        .post(
            &public,
            "/messages/track",
            &csrf,
            &[("code", &code), ("key", "wrong")],
        )
        .await;
    assert_eq!(res.status(), 404);
}
