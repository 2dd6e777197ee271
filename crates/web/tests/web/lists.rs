//! Typed lists over HTTP: the masking rule on every output path, imports with per-row errors,
//! versions and bad queries, open data resources, event registration, staleness alerts.

use super::*;

both!(
    a_natural_persons_name_is_masked_on_every_output,
    variant_spellings_are_masked_on_every_output,
    list_imports_report_each_row_and_keep_the_good_ones,
    list_versions_filters_and_bad_queries,
    open_data_resources_rows_and_catalogue,
    event_registration_refuses_full_and_past_events,
    staleness_alerts_reach_the_office_and_the_dashboard,
    every_kind_has_a_page_an_api_an_export_and_search,
    a_guides_forms_are_checked_and_served_while_it_is_public,
);

async fn a_guides_forms_are_checked_and_served_while_it_is_public(app: App) {
    let office = app.login("office").await;
    let (_, _, fields) = samples(today())
        .into_iter()
        .find(|(k, _, _)| *k == "bszn")
        .unwrap();
    let mut f = vec![("agency", "YX0201".to_string())];
    f.extend(fields);
    let id = create(&app, &office, "bszn", &f).await;
    let upload = async |name: &str, bytes: &[u8]| {
        let csrf = app
            .csrf(&office, &format!("/office/lists/records/{id}"))
            .await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("title", "登记表(空白)")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        office
            .post(app.url(&format!("/office/lists/records/{id}/forms")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    };
    // Content decides: a script named .pdf is refused.
    let res = upload("登记表.pdf", b"#!/bin/sh\necho hi\n").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("无法识别的文件类型"));
    assert_eq!(app.count("list_attachments").await, 0);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let res = upload("登记表.pdf", pdf).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = app
        .page(&office, &format!("/office/lists/records/{id}"))
        .await;
    let href = detail
        .split("链接 <code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    // Not public while the guide is a draft; then downloadable and listed.
    let c = app.client();
    assert_eq!(c.get(app.url(&href)).send().await.unwrap().status(), 404);
    act(&app, &office, id, &[("action", "publish")]).await;
    let res = c.get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf);
    assert!(
        app.page(&c, &format!("/lists/bszn/{id}"))
            .await
            .contains(&format!("href=\"{href}\""))
    );
}

pub(super) type Fields = Vec<(&'static str, String)>;

/// One record of each kind (its code, a word found nowhere else, its fields).
pub(super) fn samples(today: chrono::NaiveDate) -> Vec<(&'static str, &'static str, Fields)> {
    let d = today.to_string();
    let s = |v: &str| v.to_string();
    vec![
        (
            "xzxk",
            "燕麦",
            vec![
                ("doc_no", s("许1")),
                ("category", s("普通")),
                ("party", s("某某燕麦公司")),
                ("party_kind", s("法人及非法人组织")),
                ("credit_code", s("91330108MA2H0QXT18")),
                ("content", s("食品生产许可")),
                ("decided_on", d.clone()),
                ("authority", s("区发改委")),
            ],
        ),
        (
            "xzcf",
            "荞麦",
            vec![
                ("doc_no", s("罚1")),
                ("party", s("某某荞麦公司")),
                ("party_kind", s("法人及非法人组织")),
                ("credit_code", s("91330108MA2H0QXT18")),
                ("violation", s("虚假宣传")),
                ("facts", s("宣传不实")),
                ("basis", s("反不正当竞争法第二十条")),
                ("category", s("警告")),
                ("content", s("警告")),
                ("decided_on", d.clone()),
                ("authority", s("区发改委")),
                ("severity", s("一般失信")),
            ],
        ),
        (
            "qzqd",
            "芦笋",
            vec![
                ("code", s("Q1")),
                ("name", s("芦笋种植补贴发放")),
                ("category", s("行政给付")),
                ("basis", s("某规定")),
                ("subject", s("区发改委")),
                ("duties", s("审核发放")),
                ("accountability", s("依法追责")),
            ],
        ),
        (
            "bszn",
            "蘑菇",
            vec![
                ("code", s("B1")),
                ("name", s("蘑菇种植户登记")),
                ("basis", s("某规定")),
                ("conditions", s("本区种植户")),
                ("materials", s("身份证|原件|1")),
                ("process", s("申请、审核")),
                ("time_limit", s("5个工作日")),
                ("fee", s("不收费")),
                ("place", s("政务服务中心")),
                ("phone", s("021-1234 5678")),
                ("online", s("全程网办")),
            ],
        ),
        (
            "sfml",
            "菱角",
            vec![
                ("code", s("S1")),
                ("name", s("菱角检测费")),
                ("category", s("行政事业性收费")),
                ("basis", s("某文件")),
                ("standard", s("每项 50 元")),
                ("collector", s("区检测站")),
            ],
        ),
        (
            "yjs",
            "茭白",
            vec![
                ("year", s("2026")),
                ("kind", s("部门预算")),
                ("approved_on", d.clone()),
                ("title", s("茭白研究所2026年部门预算")),
                ("link", s("/documents")),
                ("sections", s("收支总表")),
            ],
        ),
        (
            "jyta",
            "莲藕",
            vec![
                ("number", s("J1")),
                ("title", s("关于发展莲藕产业的建议")),
                ("kind", s("人大代表建议")),
                ("year", s("2026")),
                ("proposer", s("某代表")),
                ("lead", s("区发改委")),
                ("result", s("留作参考")),
                ("replied_on", d.clone()),
                ("mode", s("全文公开")),
                ("reply", s("感谢建议")),
            ],
        ),
        (
            "fmqd",
            "榛子",
            vec![
                ("code", s("F1")),
                ("item", s("榛子收购商名录")),
                ("ground", s("保护第三方合法权益")),
                ("basis", s("条例第十五条")),
                ("scope", s("商户信息")),
                (
                    "review_on",
                    (today + chrono::Duration::days(300)).to_string(),
                ),
            ],
        ),
        (
            "sjml",
            "枇杷",
            vec![
                ("code", s("D1")),
                ("title", s("枇杷产量统计")),
                ("description", s("各镇产量")),
                ("topic", s("农业农村")),
                ("frequency", s("每年")),
                ("licence", s("政府数据无条件开放")),
                ("updated_on", d.clone()),
            ],
        ),
        (
            "kfhd",
            "杨梅",
            vec![
                ("code", s("K1")),
                ("theme", s("杨梅采摘开放日")),
                ("held_on", (today + chrono::Duration::days(5)).to_string()),
                ("time", s("9:00")),
                ("mode", s("现场")),
                ("place", s("桥头镇")),
                ("capacity", s("20")),
                ("description", s("参观果园")),
            ],
        ),
    ]
}

async fn every_kind_has_a_page_an_api_an_export_and_search(app: App) {
    let office = app.login("office").await;
    let all = samples(today());
    assert_eq!(all.len(), gongkai_domain::lists::ListKind::ALL.len());
    for (kind, _, fields) in &all {
        let mut f = vec![("agency", "YX0201".to_string())];
        f.extend(fields.iter().cloned());
        let id = create(&app, &office, kind, &f).await;
        let res = act(&app, &office, id, &[("action", "publish")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind}");
    }
    app.indexed().await;
    let c = app.client();
    for (kind, word, _) in &all {
        let page = app.page(&c, &format!("/lists/{kind}")).await;
        assert!(page.contains(word), "{kind} list page");
        let api: Value = c
            .get(app.url(&format!("/api/v1/lists/{kind}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1, "{kind} API");
        let url = api["items"][0]["url"].as_str().unwrap().to_string();
        assert!(
            app.page(&c, &url).await.contains(word),
            "{kind} record page"
        );
        let csv = app.page(&c, &format!("/lists/{kind}/export/csv")).await;
        assert!(csv.contains(word), "{kind} export");
        let hits: Value = c
            .get(app.url(&format!(
                "/api/v1/search?q={}",
                gongkai_web::shared::form::percent_encode(word, b"")
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            hits["hits"][0]["url"],
            url.as_str(),
            "{kind} in search: {hits}"
        );
    }
    // The index of kinds counts each one's current records.
    let kinds: Value = c
        .get(app.url("/api/v1/lists"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kinds.as_array().unwrap().len(), all.len());
    assert!(kinds.as_array().unwrap().iter().all(|k| k["total"] == 1));
}

const NAME: &str = "张三丰";
const ID: &str = "330102199001011234";

pub(super) fn penalty_form(doc_no: &str, decided_on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("agency", "YX0201".into()),
        ("doc_no", doc_no.into()),
        ("party", NAME.into()),
        ("party_kind", "自然人".into()),
        ("id_number", ID.into()),
        ("violation", "无照经营".into()),
        (
            "facts",
            format!("当事人{NAME}(身份证号{ID})未取得营业执照从事经营活动。"),
        ),
        ("basis", "《无证无照经营查处办法》第十三条".into()),
        ("category", "警告".into()),
        ("category", "罚款".into()),
        ("content", "警告,罚款二千元".into()),
        ("fine", "2000".into()),
        ("decided_on", decided_on.into()),
        ("authority", "云溪区发展和改革委员会".into()),
        ("severity", "一般失信".into()),
    ]
}

/// Creates a record through the office form as `c`; returns its id.
pub(super) async fn create(
    app: &App,
    c: &Client,
    kind: &str,
    fields: &[(&'static str, String)],
) -> i64 {
    let csrf = app.csrf(c, &format!("/office/lists/{kind}")).await;
    let mut form: Vec<(&str, String)> = vec![("csrf", csrf)];
    form.extend(fields.iter().cloned());
    let res = c
        .post(app.url(&format!("/office/lists/{kind}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let to = res.headers()["location"].to_str().unwrap().to_string();
    to.rsplit('/').next().unwrap().parse().unwrap()
}

async fn act(app: &App, c: &Client, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let path = format!("/office/lists/records/{id}");
    let csrf = app.csrf(c, &path).await;
    app.post(c, &path, &csrf, fields).await
}

fn today() -> chrono::NaiveDate {
    gongkai_store::db::now().date_naive()
}

fn clean(what: &str, text: &str) {
    assert!(!text.contains(NAME), "{what} shows the name: {text}");
    assert!(!text.contains(ID), "{what} shows the ID number");
    assert!(
        text.contains("张**"),
        "{what} lacks the masked name: {text}"
    );
}

async fn a_natural_persons_name_is_masked_on_every_output(app: App) {
    let office = app.login("office").await;
    let id = create(
        &app,
        &office,
        "xzcf",
        &penalty_form("云发改罚〔2026〕1号", &today().to_string()),
    )
    .await;
    // Staff see the name; the ID number only in part.
    let detail = app
        .page(&office, &format!("/office/lists/records/{id}"))
        .await;
    let facts = detail
        .split("<dl class=\"facts\">")
        .nth(1)
        .unwrap()
        .split("</dl>")
        .next()
        .unwrap();
    assert!(
        facts.contains(NAME) && facts.contains("330102********1234") && !facts.contains(ID),
        "{facts}"
    );
    // The edit form's identity-number field is empty (the facts text keeps what staff typed).
    let field = detail
        .split("name=\"id_number\"")
        .nth(1)
        .expect("the edit form has the field");
    assert!(
        field.starts_with(" type=\"text\" value=\"\""),
        "{}",
        &field[..80]
    );
    // Saving the draft with the identity number left empty keeps it.
    let mut update = penalty_form("云发改罚〔2026〕1号", &today().to_string());
    for (k, v) in update.iter_mut() {
        if *k == "id_number" {
            v.clear();
        }
    }
    update.push(("action", "update".into()));
    let pairs: Vec<(&str, &str)> = update.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = act(&app, &office, id, &pairs).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = app
        .page(&office, &format!("/office/lists/records/{id}"))
        .await;
    assert!(
        detail.contains("330102********1234"),
        "the stored number is kept"
    );
    let res = act(&app, &office, id, &[("action", "publish")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.indexed().await;
    let c = app.client();
    let get = async |path: &str| {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.bytes().await.unwrap().to_vec()
    };
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    clean("list page", &text(get("/lists/xzcf").await));
    clean(
        "record page",
        &text(get(&format!("/lists/xzcf/{id}")).await),
    );
    clean("feed", &text(get("/lists/xzcf/feed.atom").await));
    clean("API list", &text(get("/api/v1/lists/xzcf").await));
    clean(
        "API record",
        &text(get(&format!("/api/v1/lists/xzcf/{id}")).await),
    );
    clean("CSV export", &text(get("/lists/xzcf/export/csv").await));
    clean("JSON export", &text(get("/lists/xzcf/export/json").await));
    let xlsx = get("/lists/xzcf/export/xlsx").await;
    let cells =
        gongkai_formats::tabular::read(&xlsx, gongkai_formats::tabular::Format::Xlsx).unwrap();
    clean(
        "XLSX export",
        &cells
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("|"),
    );
    // Search: found by what it says, never by the name; the snippet is masked.
    let api = text(get("/api/v1/search?q=%E6%97%A0%E7%85%A7%E7%BB%8F%E8%90%A5").await);
    let v: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(v["hits"][0]["url"], format!("/lists/xzcf/{id}"), "{api}");
    clean("search API", &api);
    clean(
        "search page",
        &text(get("/search?q=%E6%97%A0%E7%85%A7%E7%BB%8F%E8%90%A5").await),
    );
    let by_name = text(
        get(&format!(
            "/api/v1/search?q={}",
            "%E5%BC%A0%E4%B8%89%E4%B8%B0"
        ))
        .await,
    );
    let v: Value = serde_json::from_str(&by_name).unwrap();
    assert_eq!(v["total"], 0, "{by_name}");
    // The keyword filter of the list reads the masked text too.
    let by_keyword = text(get("/api/v1/lists/xzcf?q=%E5%BC%A0%E4%B8%89%E4%B8%B0").await);
    assert_eq!(
        serde_json::from_str::<Value>(&by_keyword).unwrap()["total"],
        0
    );
}

/// The spellings people type: the ID in full-width digits with spaces, a phone with hyphens,
/// the name with a space. No public output holds any of them in any spelling.
async fn variant_spellings_are_masked_on_every_output(app: App) {
    let office = app.login("office").await;
    let mut form = penalty_form("云发改罚〔2026〕2号", &today().to_string());
    for (k, v) in form.iter_mut() {
        match *k {
            "party" => *v = "张 三丰".into(),
            "facts" => {
                *v = "当事人张三丰(身份证号 ３３０１０２ 19900101 1234,手机 138-0000-2222,ID330102199001011234)未取得营业执照从事经营活动。".into()
            }
            _ => {}
        }
    }
    let id = create(&app, &office, "xzcf", &form).await;
    let res = act(&app, &office, id, &[("action", "publish")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.indexed().await;
    let c = app.client();
    let get = async |path: &str| {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        String::from_utf8(res.bytes().await.unwrap().to_vec()).unwrap()
    };
    let clean = |what: &str, text: &str| {
        // Compared the way the recogniser reads: half width, no separators.
        let plain: String = gongkai_domain::text::halfwidth(text)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        for leak in ["330102199001011234", "19900101", "13800002222", "三丰"] {
            assert!(!plain.contains(leak), "{what} shows {leak}: {text}");
        }
        assert!(
            text.contains("张**"),
            "{what} lacks the masked name: {text}"
        );
    };
    clean("record page", &get(&format!("/lists/xzcf/{id}")).await);
    clean("list page", &get("/lists/xzcf").await);
    clean("feed", &get("/lists/xzcf/feed.atom").await);
    clean(
        "API record",
        &get(&format!("/api/v1/lists/xzcf/{id}")).await,
    );
    clean("CSV export", &get("/lists/xzcf/export/csv").await);
    clean("JSON export", &get("/lists/xzcf/export/json").await);
    let xlsx = c
        .get(app.url("/lists/xzcf/export/xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let cells =
        gongkai_formats::tabular::read(&xlsx, gongkai_formats::tabular::Format::Xlsx).unwrap();
    clean(
        "XLSX export",
        &cells
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("|"),
    );
    let found = get("/api/v1/search?q=%E6%97%A0%E7%85%A7%E7%BB%8F%E8%90%A5").await;
    clean("search API", &found);
    clean(
        "search page",
        &get("/search?q=%E6%97%A0%E7%85%A7%E7%BB%8F%E8%90%A5").await,
    );
    // The numbers find nothing, however typed.
    for q in [
        "330102199001011234",
        "13800002222",
        "138-0000-2222",
        "%EF%BC%91%EF%BC%93%EF%BC%98",
    ] {
        let v: Value = serde_json::from_str(&get(&format!("/api/v1/search?q={q}")).await).unwrap();
        assert_eq!(v["total"], 0, "{q}");
    }
}

async fn list_imports_report_each_row_and_keep_the_good_ones(app: App) {
    let header = "决定书文号,许可类别,行政相对人名称,行政相对人类别,统一社会信用代码,许可内容,决定日期,许可机关";
    let row = |no: &str, cat: &str, date: &str| {
        format!(
            "{no},{cat},云溪某某餐饮有限公司,法人及非法人组织,91330108MA2H0QXT18,食品经营许可,{date},云溪区发展和改革委员会"
        )
    };
    let csv = [
        header.to_string(),
        row("云发改许〔2026〕1号", "普通", "2026-03-02"),
        row("云发改许〔2026〕2号", "特别", "2026-03-02"),
        row("云发改许〔2026〕3号", "普通", "2026-13-01"),
        row("云发改许〔2026〕1号", "普通", "2026-03-02"),
        row("云发改许〔2026〕4号", "核准", "2026-03-04"),
    ]
    .join("\n");
    let upload = async |c: &Client, name: &str, bytes: Vec<u8>, publish: bool| {
        let csrf = app.csrf(c, "/office/lists").await;
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "xzxk")
            .text("agency", "YX0201")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        if publish {
            form = form.text("publish", "yes");
        }
        c.post(app.url("/office/lists/import"))
            .multipart(form)
            .send()
            .await
            .unwrap()
    };
    // An accepted file becomes a job; its page shows the progress until it has finished.
    let finished = async |c: &Client, res: reqwest::Response| -> String {
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let job = res.headers()["location"].to_str().unwrap().to_string();
        assert!(job.starts_with("/office/lists/imports/"), "{job}");
        for _ in 0..200 {
            let html = app.page(c, &job).await;
            if !html.contains("正在导入") {
                assert!(html.contains("导入完成"), "{html}");
                return html;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the import did not finish");
    };
    let staff = app.login("staff").await;
    // Staff may import drafts, not publish.
    let res = upload(&staff, "许可.csv", csv.clone().into_bytes(), true).await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("list_records").await, 0);
    let res = upload(&staff, "许可.csv", csv.clone().into_bytes(), false).await;
    let html = finished(&staff, res).await;
    assert!(html.contains("已处理 5 / 5 行(100%)"), "{html}");
    assert!(html.contains("新增 2 条,未变化 0 条,有误 3 行"), "{html}");
    assert!(html.contains("<progress id=\"import-progress\" max=\"5\" value=\"5\">"));
    assert!(
        html.contains("<td>3</td><td>许可类别:未知的值“特别”"),
        "{html}"
    );
    assert!(html.contains("<td>4</td>") && html.contains("2026-13-01"));
    assert!(html.contains("<td>5</td><td>与前面的行重复"));
    assert_eq!(app.count("list_records").await, 2);
    // Drafts are not public.
    let public = app.page(&app.client(), "/api/v1/lists/xzxk").await;
    assert_eq!(serde_json::from_str::<Value>(&public).unwrap()["total"], 0);
    // The same file from Excel: nothing new; the reviewer publishes another at once.
    let rows: Vec<Vec<String>> = csv
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let xlsx = gongkai_formats::tabular::write_xlsx("许可", &rows[0], &rows[1..]).unwrap();
    let reviewer = app.login("reviewer").await;
    let res = upload(&reviewer, "许可.xlsx", xlsx, true).await;
    let html = finished(&reviewer, res).await;
    assert!(html.contains("新增 0 条,未变化 2 条,有误 3 行"), "{html}");

    let one = format!(
        "{header}\n{}",
        row("云发改许〔2026〕9号", "登记", "2026-03-05")
    );
    let res = upload(&reviewer, "one.csv", one.into_bytes(), true).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(finished(&reviewer, res).await.contains("新增 1 条"));
    let staff2 = app.login("staff2").await;
    assert_eq!(
        staff2
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let public = app.page(&app.client(), "/api/v1/lists/xzxk").await;
    assert_eq!(serde_json::from_str::<Value>(&public).unwrap()["total"], 1);
    // Wrong columns, another format, a non-UTF-8 CSV: a message, nothing stored.
    let before = app.count("list_records").await;
    for (name, bytes, message) in [
        (
            "bad.csv",
            "文号,类别\nx,y".as_bytes().to_vec(),
            "未知的列“文号”",
        ),
        (
            "bad.xls",
            b"\xd0\xcf\x11\xe0".to_vec(),
            "只能导入 CSV 或 XLSX",
        ),
        ("gbk.csv", b"\xbe\xf6\xb6\xa8".to_vec(), "UTF-8"),
        ("fake.xlsx", b"not a zip".to_vec(), "XLSX"),
    ] {
        let res = upload(&staff, name, bytes, false).await;
        assert_eq!(res.status(), 422, "{name}");
        assert!(res.text().await.unwrap().contains(message), "{name}");
    }
    assert_eq!(app.count("list_records").await, before);
    // The template names every column.
    let t = app.page(&staff, "/office/lists/xzxk/template/csv").await;
    assert!(t.starts_with("\u{feff}决定书文号*,许可类别*"), "{t}");
}

async fn list_versions_filters_and_bad_queries(app: App) {
    let office = app.login("office").await;
    let fields = |code: &str, adjustment: Option<&str>| {
        let mut f: Vec<(&'static str, String)> = vec![
            ("agency", "YX0201".into()),
            ("code", code.into()),
            ("name", "固定资产投资项目核准".into()),
            ("category", "行政许可".into()),
            ("basis", "《企业投资项目核准和备案管理条例》第三条".into()),
            ("subject", "云溪区发展和改革委员会".into()),
            ("duties", "受理、审查、决定、送达".into()),
            ("accountability", "不依法履行职责的,依法追责".into()),
        ];
        if let Some(a) = adjustment {
            f.push(("adjustment", a.into()));
            f.push(("adjusted_on", today().to_string()));
        }
        f
    };
    // A bad form: every problem named, nothing stored.
    let csrf = app.csrf(&office, "/office/lists/qzqd").await;
    let res = app
        .post(
            &office,
            "/office/lists/qzqd",
            &csrf,
            &[
                ("agency", "YX0201"),
                ("code", "QX-1"),
                ("category", "行政审批"),
                ("adjustment", "取消"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("职权名称不能为空") && html.contains("未知的值“行政审批”"),
        "{html}"
    );
    assert_eq!(app.count("list_records").await, 0);
    let id = create(&app, &office, "qzqd", &fields("QX-001", None)).await;
    act(&app, &office, id, &[("action", "publish")]).await;
    // Published versions are not edited in place.
    let mut update: Vec<(&str, String)> = fields("QX-001", None).into_iter().collect();
    update.push(("action", "update".into()));
    let path = format!("/office/lists/records/{id}");
    let csrf = app.csrf(&office, &path).await;
    let mut form = vec![("csrf", csrf.clone())];
    form.extend(update);
    let res = office
        .post(app.url(&path))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    // A revision (handed down to the towns) becomes the current version when published.
    let mut revise: Vec<(&str, String)> = vec![
        ("csrf", csrf),
        ("action", "revise".into()),
        ("change_note", "下放至各镇街".into()),
    ];
    revise.extend(fields("QX-001", Some("下放")));
    let res = office
        .post(app.url(&path))
        .form(&revise)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let v2: i64 = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(v2, id);
    act(&app, &office, v2, &[("action", "publish")]).await;
    let c = app.client();
    let old = app.page(&c, &format!("/lists/qzqd/{id}")).await;
    assert!(old.contains("这是该记录的历史版本") && old.contains(&format!("/lists/qzqd/{v2}")));
    let new = app.page(&c, &format!("/lists/qzqd/{v2}")).await;
    assert!(new.contains("下放至各镇街") && new.contains("第 1 版"));
    let list = app.page(&c, "/lists/qzqd").await;
    assert!(list.contains("调整记录") && list.contains(&format!("href=\"/lists/qzqd/{v2}\"")));
    // Filters by declared values; unknown ones are a message.
    let api = |q: &str| {
        let c = c.clone();
        let url = app.url(&format!("/api/v1/lists/qzqd{q}"));
        async move { c.get(url).send().await.unwrap() }
    };
    let ok: Value = api("?category=%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["total"], 1);
    let none: Value = api("?adjustment=%E5%8F%96%E6%B6%88")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["total"], 0);
    for (q, message) in [
        ("?category=%E6%9C%AA%E7%9F%A5", "职权类别没有“未知”这一项"),
        ("?page=999999", "页码"),
        ("?per_page=1000", "每页条数"),
        ("?agency=NOPE", "没有机构"),
        ("?q=%01", "控制字符"),
    ] {
        let res = api(q).await;
        assert_eq!(res.status(), 422, "{q}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/problem+json")
        );
        assert!(res.text().await.unwrap().contains(message), "{q}");
        let page = c
            .get(app.url(&format!("/lists/qzqd{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 422);
        assert!(page.text().await.unwrap().contains(message), "page {q}");
    }
    assert_eq!(
        c.get(app.url("/lists/nope")).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        c.get(app.url("/lists/qzqd/abc"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(app.url("/lists/qzqd/export/pdf"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Withdrawn: gone from the public, with its history.
    let res = act(&app, &office, v2, &[("action", "withdraw"), ("reason", "")]).await;
    assert_eq!(res.status(), 422);
    act(
        &app,
        &office,
        v2,
        &[("action", "withdraw"), ("reason", "机构改革,职权划转")],
    )
    .await;
    assert_eq!(
        c.get(app.url(&format!("/lists/qzqd/{v2}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(app.url(&format!("/lists/qzqd/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

pub(super) fn dataset_form() -> Vec<(&'static str, String)> {
    vec![
        ("agency", "YX0201".into()),
        ("code", "YX-FG-001".into()),
        ("title", "云溪区重点项目清单".into()),
        ("description", "区级重点建设项目的名称、类别和投资额".into()),
        ("topic", "经济建设".into()),
        ("frequency", "每季度".into()),
        ("licence", "政府数据无条件开放".into()),
        ("updated_on", today().to_string()),
    ]
}

async fn open_data_resources_rows_and_catalogue(app: App) {
    let office = app.login("office").await;
    let id = create(&app, &office, "sjml", &dataset_form()).await;
    act(&app, &office, id, &[("action", "publish")]).await;
    let path = format!("/office/lists/records/{id}/resources");
    let add = async |title: &str, name: &str, bytes: Vec<u8>, url: &str| {
        let csrf = app
            .csrf(&office, &format!("/office/lists/records/{id}"))
            .await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("title", title.to_string())
            .text("url", url.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        office
            .post(app.url(&path))
            .multipart(form)
            .send()
            .await
            .unwrap()
    };
    // Files are checked by content and size.
    for (name, bytes, message) in [
        ("x.xlsx", b"plain text".to_vec(), "不是有效的 XLSX"),
        ("x.json", b"{oops".to_vec(), "不是有效的 JSON"),
        ("x.exe", b"MZ".to_vec(), "只能是 CSV、XLSX 或 JSON"),
        ("big.csv", vec![b'a'; 300 * 1024], "过大"),
    ] {
        let res = add("坏文件", name, bytes, "").await;
        assert!(
            res.status() == 422 || res.status() == 413,
            "{name} {}",
            res.status()
        );
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{name}: {body}");
    }
    assert_eq!(app.count("dataset_resources").await, 0);
    let csv = "项目,类别,投资额\n东湖学校,教育,12000\n滨河公园,生态,8000\n西城医院,卫生,30000\n";
    let res = add("重点项目(CSV)", "projects.csv", csv.as_bytes().to_vec(), "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = add(
        "项目接口",
        "",
        Vec::new(),
        "https://data.example.invalid/api/projects",
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = app.client();
    let record: Value = c
        .get(app.url(&format!("/api/v1/lists/sjml/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let file = record["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["format"] == "csv")
        .unwrap()
        .clone();
    assert_eq!(file["rows"], 3);
    let rid = file["id"].as_i64().unwrap();
    let rows: Value = c
        .get(app.url(&format!(
            "/api/v1/datasets/resources/{rid}/rows?per_page=2&page=2"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rows["total"], 3);
    assert_eq!(rows["rows"][0]["项目"], "西城医院");
    let filtered: Value = c
        .get(app.url(&format!(
            "/api/v1/datasets/resources/{rid}/rows?%E7%B1%BB%E5%88%AB=%E7%94%9F%E6%80%81"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["rows"][0]["投资额"], "8000");
    let bad = c
        .get(app.url(&format!(
            "/api/v1/datasets/resources/{rid}/rows?%E5%9C%B0%E5%8C%BA=x"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("没有列“地区”"));
    // Downloads are counted.
    for _ in 0..2 {
        let d = c
            .get(app.url(&format!("/datasets/resources/{rid}/download")))
            .send()
            .await
            .unwrap();
        assert_eq!(d.status(), 200);
        assert_eq!(d.text().await.unwrap(), csv);
    }
    let record: Value = c
        .get(app.url(&format!("/api/v1/lists/sjml/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["resources"][0]["downloads"], 2);
    // The DCAT catalogue lists the dataset with both distributions.
    let dcat = c
        .get(app.url("/lists/sjml/catalog.jsonld"))
        .send()
        .await
        .unwrap();
    assert_eq!(dcat.headers()["content-type"], "application/ld+json");
    let dcat: Value = dcat.json().await.unwrap();
    assert_eq!(dcat["@type"], "dcat:Catalog");
    let ds = &dcat["dcat:dataset"][0];
    assert_eq!(ds["dct:title"], "云溪区重点项目清单");
    assert_eq!(ds["dct:accrualPeriodicity"], "每季度");
    let dist = ds["dcat:distribution"].as_array().unwrap();
    assert_eq!(dist.len(), 2);
    assert!(
        dist[0]["dcat:downloadURL"]["@id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/datasets/resources/{rid}/download"))
    );
    assert_eq!(
        dist[1]["dcat:accessURL"]["@id"],
        "https://data.example.invalid/api/projects"
    );
}

fn event_form(
    code: &str,
    held_on: chrono::NaiveDate,
    capacity: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("agency", "YX0201".into()),
        ("code", code.into()),
        ("theme", "重点项目建设开放日".into()),
        ("held_on", held_on.to_string()),
        ("time", "9:30—11:30".into()),
        ("mode", "现场".into()),
        ("place", "云溪区行政中心".into()),
        ("capacity", capacity.into()),
        ("description", "参观重点项目工地".into()),
    ]
}

async fn event_registration_refuses_full_and_past_events(app: App) {
    let office = app.login("office").await;
    let soon = create(
        &app,
        &office,
        "kfhd",
        &event_form("KF-1", today() + chrono::Duration::days(10), "1"),
    )
    .await;
    act(&app, &office, soon, &[("action", "publish")]).await;
    let past = create(
        &app,
        &office,
        "kfhd",
        &event_form("KF-2", today() - chrono::Duration::days(1), "10"),
    )
    .await;
    act(&app, &office, past, &[("action", "publish")]).await;
    let c = app.client();
    // The open event's page gives the session its token; a closed or full one shows no form.
    let csrf = app.csrf(&c, &format!("/lists/kfhd/{soon}")).await;
    let register = async |id: i64, name: &str, phone: &str, first: &str| {
        let path = format!("/lists/kfhd/{id}");

        app.post(
            &c,
            &format!("{path}/register"),
            &csrf,
            &[
                ("name", name),
                ("phone", phone),
                ("first_time", first),
                ("source", "政府网站"),
                ("concern", "工期"),
            ],
        )
        .await
    };
    let page = app.page(&c, &format!("/lists/kfhd/{soon}")).await;
    assert!(page.contains("剩余名额:1") && page.contains("提交报名"));
    // Bad input is a message and takes no place.
    let res = register(soon, "王小明", "12345", "是").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("手机号码"));
    let res = register(soon, "王小明", "13800138000", "也许").await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("event_registrations").await, 0);
    let res = register(soon, "王小明", "13800138000", "是").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("报名成功") && html.contains("确认码:<strong>HD"),
        "{html}"
    );
    let res = register(soon, "李红", "13900139000", "否").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("名额已满"));
    let page = app.page(&c, &format!("/lists/kfhd/{past}")).await;
    assert!(page.contains("报名已截止") && !page.contains("提交报名"));
    let res = register(past, "李红", "13900139000", "否").await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.count("event_registrations").await, 1);
    // Staff see the registration and the questionnaire tally; the public never the phone.
    let detail = app
        .page(&office, &format!("/office/lists/records/{soon}"))
        .await;
    assert!(
        detail.contains("13800138000") && detail.contains("是 1 人"),
        "{detail}"
    );
    assert!(
        !app.page(&c, &format!("/lists/kfhd/{soon}"))
            .await
            .contains("13800138000")
    );
    assert!(!app.page(&c, "/api/v1/lists/kfhd").await.contains("王小明"));
}

async fn staleness_alerts_reach_the_office_and_the_dashboard(app: App) {
    app.budgets_disclosed().await;
    let office = app.login("office").await;
    // A penalty decided a month ago still a draft: past its 7 working days.
    let late = create(
        &app,
        &office,
        "xzcf",
        &penalty_form(
            "云发改罚〔2026〕7号",
            &(today() - chrono::Duration::days(30)).to_string(),
        ),
    )
    .await;
    // A dataset updated quarterly, last five months ago.
    let mut stale = dataset_form();
    stale.retain(|(k, _)| *k != "updated_on");
    stale.push((
        "updated_on",
        (today() - chrono::Duration::days(150)).to_string(),
    ));
    let ds = create(&app, &office, "sjml", &stale).await;
    act(&app, &office, ds, &[("action", "publish")]).await;
    // A negative-list item due for review in ten days.
    let neg = create(
        &app,
        &office,
        "fmqd",
        &[
            ("agency", "YX0201".into()),
            ("code", "FM-1".into()),
            ("item", "投资项目评审专家名单(评审前)".into()),
            ("ground", "属于四类过程性信息".into()),
            ("basis", "《政府信息公开条例》第十六条第二款".into()),
            ("scope", "评审前的专家名单".into()),
            (
                "review_on",
                (today() + chrono::Duration::days(10)).to_string(),
            ),
        ],
    )
    .await;
    act(&app, &office, neg, &[("action", "publish")]).await;
    let page = app.page(&office, "/office/lists").await;
    assert!(
        page.contains(&format!("/office/lists/records/{late}")) && page.contains("仍是草稿"),
        "{page}"
    );
    assert!(page.contains("已超过更新周期"));
    assert!(page.contains(&format!(
        "将于 {} 复核",
        today() + chrono::Duration::days(10)
    )));
    let dash = app.page(&office, "/office/dashboard").await;
    let row = dash
        .split("<th scope=\"row\">云溪区发展和改革委员会</th>")
        .nth(1)
        .unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<a href=\"/office/lists\">2 / 1</a>"), "{row}");
    // Publishing the draft clears its alert (it stays counted as late).
    act(&app, &office, late, &[("action", "publish")]).await;
    let page = app.page(&office, "/office/lists").await;
    assert!(!page.contains("仍是草稿"));
    let staff2 = app.login("staff2").await;
    assert!(
        !app.page(&staff2, "/office/lists")
            .await
            .contains("已超过更新周期"),
        "other agencies' alerts are not shown"
    );
}
