//! 一网通查 over HTTP: the page without JavaScript, the API, bad input, and a withdrawn
//! document leaving the results.

use super::*;

both!(the_search_page_and_api_find_public_documents_only);

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

    // Filters are links; the facet for the agency is there and narrows.
    let (_, html) = get(app.url(&format!("/search?{}", q("政务公开")))).await;
    assert!(html.contains("云溪区发展和改革委员会") && html.contains("agency=YX0201"));
    let (_, html) = get(app.url(&format!("/search?{}&agency=YX0202", q("政务公开")))).await;
    assert!(html.contains("找到 0 条结果"));

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
