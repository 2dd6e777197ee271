//! 一网通查 over HTTP: the page without JavaScript, the API, bad input, and a withdrawn
//! document leaving the results.

use super::*;

both!(
    the_search_page_and_api_find_public_documents_only,
    answers_kept_by_the_office_show_above_the_results,
    the_office_adds_search_synonyms_that_work_at_once,
);

async fn the_office_adds_search_synonyms_that_work_at_once(app: App) {
    let office = app.login("office").await;
    let csrf = app.csrf(&office, "/office/search/synonyms").await;
    let page = office
        .get(app.url("/office/search/synonyms"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("内置词表") && html.contains("最低生活保障"),
        "the shipped list is shown"
    );
    // Bad input: the form again with a Chinese message, nothing stored.
    for (term, official, message) in [
        ("狗", "犬只", "口语词"),
        ("小黄车", "", "规范用语"),
        ("小黄车", "小黄车", "规范用语"),
    ] {
        let res = app
            .post(
                &office,
                "/office/search/synonyms",
                &csrf,
                &[("term", term), ("official", official)],
            )
            .await;
        assert_eq!(res.status(), 422, "{term} {official}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{term} {official}: {message}");
        assert!(
            html.contains(&format!("value=\"{term}\"")),
            "what was typed is kept"
        );
    }
    assert_eq!(app.count("search_synonyms").await, 0);
    // A department's staff neither see nor change them.
    let staff = app.login("staff").await;
    assert_eq!(
        staff
            .get(app.url("/office/search/synonyms"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let staff_csrf = app.csrf(&staff, "/office").await;
    let res = app
        .post(
            &staff,
            "/office/search/synonyms",
            &staff_csrf,
            &[("term", "小黄车"), ("official", "双随机")],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("search_synonyms").await, 0);

    let public = app.client();
    let search = async |q: &str| -> serde_json::Value {
        let q = serde_urlencoded::to_string([("q", q)]).unwrap();
        public
            .get(app.url(&format!("/api/v1/search?{q}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    assert_eq!(search("小黄车").await["total"], 0);
    let res = app
        .post(
            &office,
            "/office/search/synonyms",
            &csrf,
            &[("term", "小黄车"), ("official", "双随机、政务公开")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("search_synonyms").await, 1);
    app.indexed().await;
    let found = search("小黄车").await;
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    let html = office
        .get(app.url("/office/search/synonyms"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("双随机、政务公开"));
    let res = app
        .post(
            &office,
            "/office/search/synonyms/delete",
            &csrf,
            &[("term", "小黄车")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.indexed().await;
    assert_eq!(search("小黄车").await["total"], 0);
    assert_eq!(
        app.count("audit_log WHERE entity_type = 'search_synonym'")
            .await,
        2
    );
}

async fn answers_kept_by_the_office_show_above_the_results(app: App) {
    let office = app.login("office").await;
    let csrf = app.csrf(&office, "/office/answers").await;
    let post = async |path: String, fields: Vec<(&'static str, &'static str)>| {
        app.post(&office, &path, &csrf, &fields).await
    };
    let good = vec![
        ("agency", "YX0201"),
        ("question", "如何申请政府信息公开?"),
        (
            "answer",
            "可以在本平台“申请公开”栏目在线提交申请,无需注册。",
        ),
        ("published", "on"),
    ];
    // Bad input: the form again with the message, nothing stored.
    for (field, value, message) in [
        ("question", "问", "问题"),
        (
            "documents",
            "NOPE/2024-00001",
            "没有索引号为“NOPE/2024-00001”的文件",
        ),
        ("answer", "<script>alert(1)</script>答复", "脚本"),
    ] {
        let mut fields: Vec<_> = good.iter().copied().filter(|(k, _)| *k != field).collect();
        fields.push((field, value));
        let res = post("/office/answers".into(), fields).await;
        assert_eq!(res.status(), 422, "{field}");
        assert!(
            res.text().await.unwrap().contains(message),
            "{field}: {message}"
        );
    }
    assert_eq!(app.count("answers").await, 0);
    let res = post("/office/answers".into(), good.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = res.headers()["location"].to_str().unwrap().to_string();
    let id = edit.rsplit('/').next().unwrap().to_string();
    app.indexed().await;

    let c = app.client();
    let html = c
        .get(app.url(
            "/search?q=%E6%80%8E%E6%A0%B7%E7%94%B3%E8%AF%B7%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80",
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("一网通答") && html.contains(&format!("href=\"/answers/{id}\"")),
        "a typed question shows the answer above the results"
    );
    let page = c
        .get(app.url(&format!("/answers/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("无需注册"));
    // Another agency's staff do not edit it.
    let other = app.login("staff2").await;
    assert_eq!(
        other.get(app.url(&edit)).send().await.unwrap().status(),
        404
    );
    // Unpublished: gone from the page and the search.
    let mut fields: Vec<_> = good
        .iter()
        .copied()
        .filter(|(k, _)| *k != "published")
        .collect();
    fields.retain(|(k, _)| *k != "agency");
    let res = post(edit.clone(), fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.indexed().await;
    assert_eq!(
        c.get(app.url(&format!("/answers/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let html = c
        .get(app.url(
            "/search?q=%E6%80%8E%E6%A0%B7%E7%94%B3%E8%AF%B7%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80",
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("/answers/{id}")));
}

async fn the_search_page_and_api_find_public_documents_only(app: App) {
    app.indexed().await;
    let c = app.client();
    let get = |path: String| {
        let c = c.clone();
        async move {
            let res = c.get(path).send().await.unwrap();
            let status = res.status();
            (status, res.text().await.unwrap())
        }
    };
    let q = |s: &str| serde_urlencoded::to_string([("q", s)]).unwrap();

    let (status, html) = get(app.url("/search")).await;
    assert_eq!(status, 200);
    assert!(html.contains("一网通查") && html.contains("role=\"search\""));

    let doc = format!("href=\"/documents/{}\"", app.doc_id);
    for query in [
        "政务公开",
        "政務公開",
        "工作要点",
        "云发改[2021]3号",
        "云发改〔2021〕3号",
    ] {
        let (status, html) = get(app.url(&format!("/search?{}", q(query)))).await;
        assert_eq!(status, 200, "{query}");
        assert!(html.contains(&doc), "{query} finds the published document");
        assert!(html.contains("<mark>"), "{query}: matches are marked");
    }
    // The draft of the same agency is never found.
    let (_, html) = get(app.url(&format!("/search?{}", q("内部起草")))).await;
    assert!(html.contains("找到 0 条结果"), "drafts are not indexed");
    assert!(!html.contains(&format!("/documents/{}\"", app.draft_id)));
    // Little found: the two channels that answer what search cannot, the query filled in.
    let wanted = "内部起草";
    let apply = format!(
        "/requests/new?{}",
        serde_urlencoded::to_string([("agency", ""), ("description", wanted)]).unwrap()
    );
    let message = format!(
        "/messages/new?{}",
        serde_urlencoded::to_string([("agency", "YX0000"), ("title", wanted)]).unwrap()
    );
    assert!(html.contains("没有找到需要的信息"), "{html}");
    // Askama writes the & of a query string as &#38;.
    let escaped = |href: &str| href.replace('&', "&#38;");
    assert!(html.contains(&escaped(&apply)), "{html}");
    assert!(html.contains(&escaped(&message)), "{html}");
    let (status, form) = get(app.url(&apply)).await;
    assert_eq!(status, 200);
    assert!(
        form.contains(wanted),
        "the application form carries the query"
    );
    let (status, form) = get(app.url(&message)).await;
    assert_eq!(status, 200);
    assert!(
        form.contains(&format!("value=\"{wanted}\"")),
        "the message form carries the query"
    );
    // One hit is few: the hit and the detour are both there.
    let (_, html) = get(app.url(&format!("/search?{}", q("政务公开")))).await;
    assert!(html.contains(&doc) && html.contains("没有找到需要的信息"));

    // Filters are links; the facet for the agency is there and narrows.
    let (_, html) = get(app.url(&format!("/search?{}", q("政务公开")))).await;
    assert!(html.contains("云溪区发展和改革委员会") && html.contains("agency=YX0201"));
    let (_, html) = get(app.url(&format!("/search?{}&agency=YX0202", q("政务公开")))).await;
    assert!(html.contains("找到 0 条结果"));

    // Each agency's column searches within that agency.
    let (_, html) = get(app.url("/agencies/YX0201")).await;
    assert!(
        html.contains("action=\"/search\"") && html.contains("name=\"agency\" value=\"YX0201\"")
    );
    let (_, html) = get(app.url(&format!("/search?{}&agency=YX0201", q("政务公开")))).await;
    assert!(
        html.contains(&doc) && html.contains("aria-current=\"true\""),
        "the filter shows as chosen"
    );

    // The query is echoed safely.
    let (status, html) = get(app.url(&format!("/search?{}", q("<script>alert(1)</script>")))).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
        "echoed as text"
    );

    // Bad input: a Chinese message, never a 500.
    for (query, message) in [
        ("q=&page=1".to_string(), "请输入检索词"),
        (q(&"公".repeat(201)), "检索词过长"),
        (format!("{}&kind=bogus", q("公开")), "没有“bogus”这一类别"),
        (format!("{}&page=101", q("公开")), "最多显示前"),
        (format!("{}&year=abc", q("公开")), "年份"),
        (q("AND OR"), "只有符号或运算符"),
    ] {
        let (status, html) = get(app.url(&format!("/search?{query}"))).await;
        assert_eq!(status, 422, "{query}");
        assert!(html.contains(message), "{query}: {message}");
    }

    // The API answers the same, and problems are problem+json with the field.
    let res = c
        .get(app.url(&format!("/api/v1/search?{}", q("政务公开"))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["hits"][0]["id"], app.doc_id);
    assert_eq!(body["hits"][0]["kind"], "document");
    assert_eq!(body["facets"]["agency"][0]["value"], "YX0201");
    assert_eq!(
        body["relaxed"], false,
        "keywords that match as typed stay exact"
    );
    // A question is matched by its words, and the page says that only some may be there.
    let asked = q("请问怎么查看今年的政务公开工作要点？");
    let res = c
        .get(app.url(&format!("/api/v1/search?{asked}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["relaxed"], true);
    assert_eq!(body["hits"][0]["id"], app.doc_id, "{body}");
    let (status, html) = get(app.url(&format!("/search?{asked}"))).await;
    assert_eq!(status, 200);
    assert!(html.contains(&doc) && html.contains("部分关键词"));
    let res = c.get(app.url("/api/v1/search?q=%20")).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(
        (problem["code"].as_str(), problem["field"].as_str()),
        (Some("invalid-input"), Some("q"))
    );

    // Withdrawn: gone from the results after the next indexing pass.
    let reviewer = app.login("reviewer").await;
    let detail = format!("/office/documents/{}", app.doc_id);
    let csrf = app.csrf(&reviewer, &detail).await;
    let res = reviewer
        .post(app.url(&format!("{detail}/actions")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "withdraw"),
            ("reason", "信息已过时"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.indexed().await;
    let (_, html) = get(app.url(&format!("/search?{}", q("政务公开")))).await;
    assert!(
        html.contains("找到 0 条结果"),
        "withdrawn documents leave the index"
    );
    let ready: Value = c
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["search"]["lag"], 0, "{ready}");
}
