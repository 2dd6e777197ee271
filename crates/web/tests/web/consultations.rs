//! 意见征集 over HTTP: the office creates and publishes a consultation, the public comments
//! (page and API), refusals store nothing, staff decide each opinion, hide one, export the
//! ledger, record the decision and publish the feedback report; search finds the draft.

use gongkai_store::Sql;

use super::*;

both!(a_consultation_over_http_from_draft_to_report);

fn days_from_today(n: i64) -> String {
    (gongkai_store::db::now().date_naive() + chrono::Duration::days(n)).to_string()
}

async fn a_consultation_over_http_from_draft_to_report(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/consultations").await;
    let opens = days_from_today(0);
    let closes = days_from_today(29);
    let short = days_from_today(9);
    let good: Vec<(&str, &str)> = vec![
        ("agency", "YX0201"),
        ("title", "《云溪区养犬管理办法(征求意见稿)》"),
        ("explanation", "为规范养犬行为,起草本办法,现公开征求意见。"),
        ("basis", "《上海市养犬管理条例》"),
        (
            "draft",
            "云溪区养犬管理办法\n第一条 为规范养犬行为,制定本办法。\n第二条 本办法适用于本区。",
        ),
        ("opens_on", &opens),
        ("closes_on", &closes),
        ("name_rule", "optional"),
        ("contact_rule", "optional"),
    ];
    // A period under 30 days without a reason, a bad date, script: refused, nothing stored.
    for (field, value, message) in [
        ("closes_on", short.as_str(), "请说明理由"),
        ("closes_on", "2026-13-40", "日期"),
        ("draft", "第一条 <script>alert(1)</script>", "脚本"),
    ] {
        let mut fields: Vec<_> = good.iter().copied().filter(|(k, _)| *k != field).collect();
        fields.push((field, value));
        let res = app
            .post(&staff, "/office/consultations", &csrf, &fields)
            .await;
        assert_eq!(res.status(), 422, "{field}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{field}: {message}");
    }
    assert_eq!(app.count("consultations").await, 0);
    let res = app
        .post(&staff, "/office/consultations", &csrf, &good)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = res.headers()["location"].to_str().unwrap().to_string();
    let id = detail.rsplit('/').next().unwrap().to_string();
    let public_path = format!("/consultations/{id}");

    // Not public until published; another agency's staff cannot see it at all.
    let public = app.client();
    assert_eq!(
        public
            .get(app.url(&public_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let other = app.login("staff2").await;
    assert_eq!(
        other.get(app.url(&detail)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        app.act(&staff, &detail, "publish").await,
        StatusCode::SEE_OTHER
    );
    let html = app.page(&public, "/consultations").await;
    assert!(html.contains("《云溪区养犬管理办法(征求意见稿)》") && html.contains("征集中"));

    // A comment from the public, on article 2, name shown by choice, contact never.
    let csrf_public = app.csrf(&public, &public_path).await;
    let comments_path = format!("{public_path}/comments");
    let res = app
        .post(
            &public,
            &comments_path,
            &csrf_public,
            &[
                ("article", "2"),
                ("body", "建议明确本办法适用于全区所有街镇。"),
                ("name", "张三"),
                ("contact", "zhangsan@example.cn"),
                ("show_name", "on"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.unwrap();
    assert!(html.contains("您的意见已收到"), "{html}");
    assert!(html.contains("张三") && !html.contains("zhangsan@example.cn"));
    // Refusals: empty, script, the honeypot, an article the draft lacks, a duplicate.
    let before = app.count("consultation_comments").await;
    for (fields, message) in [
        (vec![("body", "")], "意见内容"),
        (vec![("body", "<script>alert(1)</script>意见")], "脚本"),
        (
            vec![("body", "一条正常的意见内容"), ("website", "http://x")],
            "未通过校验",
        ),
        (
            vec![("body", "一条正常的意见内容"), ("article", "9")],
            "草案没有第 9 条",
        ),
        (
            vec![
                ("body", "建议明确本办法适用于全区所有街镇。"),
                ("article", "2"),
            ],
            "重复提交",
        ),
    ] {
        let res = app
            .post(&public, &comments_path, &csrf_public, &fields)
            .await;
        assert!(
            res.status().is_client_error(),
            "{message}: {}",
            res.status()
        );
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}");
    }
    assert_eq!(app.count("consultation_comments").await, before);

    // The API: listed, a refused comment is problem+json, a good one is 201.
    let list: Value = public
        .get(app.url("/api/v1/consultations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["phase"], "open");
    let api = format!("/api/v1/consultations/{id}/comments");
    let res = public
        .post(app.url(&api))
        .json(&json!({"body": "短"}))
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
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "invalid-input");
    let res = public
        .post(app.url(&api))
        .json(&json!({"body": "建议增加对导盲犬的豁免规定。", "article": "1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let detail_json: Value = public
        .get(app.url(&format!("/api/v1/consultations/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail_json["articles"].as_array().unwrap().len(), 2);
    assert_eq!(detail_json["comments"].as_array().unwrap().len(), 2);
    assert!(!detail_json.to_string().contains("zhangsan@example.cn"));

    // Search finds the published draft.
    app.indexed().await;
    let found: Value = public
        .get(app.url("/api/v1/search?q=%E5%85%BB%E7%8A%AC&kind=consultation"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1, "{found}");

    // Staff: the ledger lists both with the contact; decide one, hide the other.
    let ledger = app.page(&staff, &detail).await;
    assert!(ledger.contains("zhangsan@example.cn") && ledger.contains("未填写采纳情况 2 条"));
    let ids: Vec<String> = ledger
        .match_indices("id=\"comment-")
        .map(|(i, m)| ledger[i + m.len()..].split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    let csrf = app.csrf(&staff, &detail).await;
    let one = format!("/office/consultations/comments/{}", ids[0]);
    let two = format!("/office/consultations/comments/{}", ids[1]);
    // Not adopted without a reason: refused.
    let res = app
        .post(
            &staff,
            &one,
            &csrf,
            &[
                ("action", "dispose"),
                ("disposition", "not_adopted"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post(
            &staff,
            &one,
            &csrf,
            &[
                ("action", "dispose"),
                ("disposition", "partly"),
                ("reason", "街镇范围已在第二条明确"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Another agency cannot decide it.
    let csrf_other = app.csrf(&other, "/office").await;
    let res = app
        .post(
            &other,
            &one,
            &csrf_other,
            &[("action", "dispose"), ("disposition", "adopted")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post(
            &staff,
            &two,
            &csrf,
            &[("action", "hide"), ("reason", "与征求内容无关")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&public, &public_path).await;
    assert!(!html.contains("导盲犬") && html.contains("公众意见(共 1 条)"));
    let csv = staff
        .get(app.url(&format!("{detail}/comments.csv")))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with('\u{feff}')
            && csv.contains("zhangsan@example.cn")
            && csv.contains("部分采纳")
    );
    assert!(csv.contains("已隐藏:与征求内容无关"));
    assert_eq!(csv.lines().count(), 3);
    // The same ledger as a workbook: its shared strings hold every comment and contact.
    let xlsx = staff
        .get(app.url(&format!("{detail}/comments.xlsx")))
        .send()
        .await
        .unwrap();
    assert!(
        xlsx.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = xlsx.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    for want in [
        "意见内容",
        "建议明确本办法适用于全区所有街镇。",
        "zhangsan@example.cn",
        "部分采纳",
        "已隐藏:与征求内容无关",
    ] {
        assert!(strings.contains(want), "{want} in the workbook");
    }
    // Staff of another agency get nothing.
    let res = other
        .get(app.url(&format!("{detail}/comments.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Time passes: the period ends, the decision is published, the report follows.
    let mut c = app.t.db.conn().await.unwrap();
    gongkai_store::Exec::execute(
        &mut c,
        Sql::new("UPDATE consultations SET opens_on = $1, closes_on = $2")
            .bind(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())
            .bind(chrono::NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()),
    )
    .await
    .unwrap();
    let res = app
        .post(
            &staff,
            &format!("{detail}/actions"),
            &csrf,
            &[("action", "decision"), ("decided_on", "2026-02-12")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains("2026-03-04"),
        "the report is due 10 working days after 12 February"
    );
    let home = app.page(&staff, "/office").await;
    assert!(home.contains("《云溪区养犬管理办法(征求意见稿)》") && home.contains("已超期"));
    let res = app
        .post(
            &staff,
            &format!("{detail}/actions"),
            &csrf,
            &[("action", "report"), ("note", "感谢参与。")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&public, &public_path).await;
    assert!(
        html.contains("意见采纳情况反馈") && html.contains("共收到意见 2 条"),
        "{html}"
    );
    assert!(html.contains("部分采纳 1 条") && html.contains("感谢参与。"));
    // Commenting is over: the form is gone and a post is refused.
    assert!(!html.contains("提交意见</button>"));
    let res = app
        .post(
            &public,
            &comments_path,
            &csrf_public,
            &[("body", "截止后的一条意见内容")],
        )
        .await;
    assert_eq!(res.status(), 422);
}
