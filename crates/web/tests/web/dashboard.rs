//! The office dashboard over HTTP: per agency what is overdue, scored by weights the office
//! sets; bad weights change nothing; staff see only their agency.

use super::*;

both!(the_dashboard_scores_agencies_by_the_office_weights);

fn row<'a>(html: &'a str, agency: &str) -> &'a str {
    let start = html
        .find(&format!("<th scope=\"row\">{agency}</th>"))
        .unwrap();
    &html[start..start + html[start..].find("</tr>").unwrap()]
}

async fn the_dashboard_scores_agencies_by_the_office_weights(app: App) {
    app.budgets_disclosed().await;
    let office = app.login("office").await;
    let html = app.page(&office, "/office/dashboard").await;
    // The test district's draft was formed in 2021: long past its publication limit.
    let drc = row(&html, "云溪区发展和改革委员会");
    assert!(drc.contains("<td class=\"overdue\">1</td>"), "{drc}");
    assert!(drc.contains("<td>98.0</td>"), "20 × 0.9 + 80: {drc}");
    assert!(row(&html, "云溪区教育局").contains("<td>100.0</td>"));
    assert!(html.contains("政务公开在绩效考核中的权重为 4.0%"));
    assert!(html.contains("近 12 个月"));

    let csrf = app.csrf(&office, "/office/dashboard").await;
    let audit_before = app.count("audit_log").await;
    let weights = |w: [&'static str; 6], a: &'static str| {
        let mut f = vec![("assessment", a)];
        for (k, v) in ["w0", "w1", "w2", "w3", "w4", "w5"].into_iter().zip(w) {
            f.push((k, v));
        }
        f
    };
    for (w, a, phrase) in [
        (["50", "25", "15", "10", "20", "10"], "5", "之和应为 100"),
        (["20", "25", "15", "10", "20", "10"], "3", "不得低于 4%"),
    ] {
        let res = app
            .post(&office, "/office/dashboard/weights", &csrf, &weights(w, a))
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(phrase));
    }
    assert_eq!(
        app.count("audit_log").await,
        audit_before,
        "nothing changed"
    );
    let res = app
        .post(
            &office,
            "/office/dashboard/weights",
            &csrf,
            &weights(["50", "20", "10", "10", "5", "5"], "6"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("audit_log").await, audit_before + 1);
    let html = app.page(&office, "/office/dashboard").await;
    assert!(
        row(&html, "云溪区发展和改革委员会").contains("<td>95.0</td>"),
        "50 × 0.9 + 50"
    );
    assert!(html.contains("政务公开在绩效考核中的权重为 6.0%"));

    // Staff: their own agency only, and they cannot set weights.
    let staff = app.login("staff").await;
    let html = app.page(&staff, "/office/dashboard").await;
    assert!(html.contains("云溪区发展和改革委员会"));
    assert!(!html.contains("云溪区教育局"));
    assert!(!html.contains("/office/dashboard/weights"));
    let res = app
        .post(
            &staff,
            "/office/dashboard/weights",
            &csrf_of(&html),
            &weights(["20", "25", "15", "10", "20", "10"], "4"),
        )
        .await;
    assert_eq!(res.status(), 403);
}
