//! The public portal's columns: home by topic and agency, an agency's 政府信息公开 column with
//! its guide, statutory content and catalogue items, and the interpretations list.

use super::*;

both!(
    catalogue_items_map_to_statutory_content_and_can_be_corrected,
    the_guide_shows_contacts_rules_fees_and_the_agencys_additions,
    home_browses_by_topic_and_agency_and_lists_interpretations,
);

async fn get(app: &App, c: &Client, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn catalogue_items_map_to_statutory_content_and_can_be_corrected(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/catalogue").await;
    let post = |path: String, fields: Vec<(&'static str, &str)>| {
        let (c, url) = (staff.clone(), app.url(&path));
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(
        "/office/catalogue".into(),
        vec![
            ("agency", "YX0201"),
            ("name", "规范性文件"),
            ("statutory", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = app.count("catalogue_items").await.to_string();
    let res = post(
        "/office/catalogue/filings".into(),
        vec![
            ("agency", "YX0201"),
            ("item", &id),
            ("index_no", "YX0201/2021-00001"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app.client();
    let (status, html) = get(&app, &public, "/agencies/YX0201/statutory").await;
    assert_eq!(status, 200);
    let first = html.find("(一)行政法规、规章和规范性文件").unwrap();
    let second = html.find("(二)机关职能").unwrap();
    let section = &html[first..second];
    assert!(
        section.contains("规范性文件") && section.contains("2021年政务公开工作要点"),
        "{section}"
    );
    assert!(
        html.contains("本机构目录中暂无对应事项"),
        "gaps are visible"
    );
    assert_eq!(
        html.matches("<h2>").count(),
        15,
        "all fifteen items of Art. 20"
    );

    // The item's own page has its content; another agency's address for it does not exist.
    let (status, html) = get(&app, &public, &format!("/agencies/YX0201/catalogue/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("条例第二十条第(一)项") && html.contains("公开内容(共 1 件)"));
    for bad in [
        format!("/agencies/YX0202/catalogue/{id}"),
        "/agencies/YX0201/catalogue/x".to_string(),
        "/agencies/YX0201/catalogue/999999".to_string(),
    ] {
        assert_eq!(get(&app, &public, &bad).await.0, 404, "{bad}");
    }

    // Corrections: bad ones change nothing, a good one moves it to 第(八)项.
    let (status, html) = get(
        &app,
        &staff,
        &format!("/office/catalogue?agency=YX0201&edit={id}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("修改目录事项") && html.contains("value=\"规范性文件\""));
    let tables = ["catalogue_items", "audit_log"];
    let before = app.t.snapshot(&tables).await;
    let update = format!("/office/catalogue/items/{id}");
    for (fields, status, message) in [
        (
            vec![("name", "规范性文件"), ("parent", id.as_str())],
            422,
            "不能是本事项",
        ),
        (
            vec![("name", "规范性文件"), ("statutory", "16")],
            422,
            "法定主动公开内容应为 1–15",
        ),
        (vec![("name", "<script>x</script>")], 422, "含有脚本"),
    ] {
        let mut form = vec![("agency", "YX0201")];
        form.extend(fields);
        let res = post(update.clone(), form).await;
        assert_eq!(res.status().as_u16(), status, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    let other = app.login("staff2").await;
    let other_csrf = app.csrf(&other, "/office/catalogue").await;
    let res = other
        .post(app.url(&update))
        .form(&[
            ("csrf", other_csrf.as_str()),
            ("agency", "YX0202"),
            ("name", "抢来的事项"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "bad corrections wrote nothing"
    );
    let res = post(
        update,
        vec![
            ("agency", "YX0201"),
            ("name", "行政事业性收费"),
            ("statutory", "8"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &public, "/agencies/YX0201/statutory").await;
    let eighth = html.find("(八)行政事业性收费项目").unwrap();
    assert!(html[eighth..].contains("行政事业性收费</a>"));
    let (first, second) = (
        html.find("(一)行政法规").unwrap(),
        html.find("(二)机关职能").unwrap(),
    );
    assert!(!html[first..second].contains("行政事业性收费</a>"));
}

async fn the_guide_shows_contacts_rules_fees_and_the_agencys_additions(app: App) {
    let admin = app.login("admin").await;
    let csrf = app.csrf(&admin, "/office/agencies/YX0201").await;
    let rules = |note: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("index_pattern", "{agency_code}/{year}-{seq:05}".to_string()),
            ("publication_limit", "10".to_string()),
            ("guide_note", note.to_string()),
        ]
    };
    let before = app.t.snapshot(&["agencies", "audit_log"]).await;
    let res = admin
        .post(app.url("/office/agencies/YX0201/rules"))
        .form(&rules("<script>alert(1)</script>"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.t.snapshot(&["agencies", "audit_log"]).await, before);
    let res = admin
        .post(app.url("/office/agencies/YX0201/rules"))
        .form(&rules("## 政府信息查阅场所\n区政务服务中心一楼 5 号窗口"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = get(&app, &app.client(), "/agencies/YX0201/guide").await;
    assert_eq!(status, 200);
    for part in [
        "云溪区发展和改革委员会政府信息公开指南",
        "10 个工作日内公开",
        "工作日 9:00-17:00",
        "100 元/件",
        "40 元/页",
        "第三十一条",
        "行政复议",
        "政府信息查阅场所</h2>",
        "5 号窗口",
        "aria-current=\"page\"",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert_eq!(
        get(&app, &app.client(), "/agencies/NOPE/guide").await.0,
        404
    );
}

async fn home_browses_by_topic_and_agency_and_lists_interpretations(app: App) {
    let public = app.client();
    let (status, html) = get(&app, &public, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("按主题浏览") && html.contains("按机构浏览"));
    assert!(
        html.contains("href=\"/documents?topic=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1\">综合政务</a> <span class=\"meta\">1 件</span>"),
        "the one public document's topic, counted"
    );
    // The draft is not counted anywhere.
    assert!(html.contains("云溪区发展和改革委员会</a> <span class=\"tag\">政府部门</span> <span class=\"meta\">1 件</span>"));

    // Interpretations of the public policy are listed; those of a draft are not.
    let office = app.login("office").await;
    for (doc, title, form) in [
        (app.doc_id, "图解:2021年政务公开工作要点", "graphic"),
        (app.draft_id, "尚未发布文件的解读", "text"),
    ] {
        let detail = format!("/office/documents/{doc}");
        let csrf = app.csrf(&office, &detail).await;
        let res = office
            .post(app.url(&format!("{detail}/interpretations")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", title),
                ("form", form),
                ("body", "一、背景\n二、要点"),
                ("link", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{title}");
    }
    let (status, html) = get(&app, &public, "/interpretations").await;
    assert_eq!(status, 200);
    assert!(html.contains("图解:2021年政务公开工作要点") && html.contains("共 1 篇"));
    assert!(!html.contains("尚未发布文件的解读"));
    let (_, html) = get(&app, &public, "/interpretations?form=text&agency=YX0201").await;
    assert!(html.contains("共 0 篇"));
    let (_, html) = get(&app, &public, "/interpretations?form=graphic&agency=YX0201").await;
    assert!(html.contains("共 1 篇"));
    let (status, html) = get(&app, &public, "/interpretations?form=bogus").await;
    assert_eq!(status, 422);
    assert!(html.contains("解读形式"), "{html}");
    assert_eq!(
        get(&app, &public, "/interpretations?agency=NOPE1").await.0,
        404
    );
    let (_, html) = get(&app, &public, "/").await;
    assert!(html.contains("图解:2021年政务公开工作要点"));
    // The column's feed: the same public interpretations, nothing of the draft.
    let (status, atom) = get(&app, &public, "/feeds/interpretations.atom").await;
    assert_eq!(status, 200);
    assert!(
        atom.contains("<title>图解:2021年政务公开工作要点</title>")
            && atom.contains("/interpretations/")
    );
    assert!(!atom.contains("尚未发布文件的解读"));
    assert_eq!(atom.matches("<entry>").count(), 1);
}
