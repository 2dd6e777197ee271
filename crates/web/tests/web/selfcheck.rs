//! The website self-check over HTTP: a broken link planted in a published document, an empty
//! column and the verdicts; only the disclosure office may run it.

use super::*;

both!(the_self_check_finds_a_broken_link_and_an_empty_column);

async fn the_self_check_finds_a_broken_link_and_an_empty_column(app: App) {
    let actor = Actor::system("test");
    let office = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: 0,
    };
    let input = DocumentInput {
        title: "关于调整办事指南的通知".into(),
        kind: "notice".into(),
        topic: "综合政务\\政务公开".into(),
        formed_on: "2026-11-02".into(),
        body: "详见[旧指南](/documents/999999)和[内部页面](/office/documents)。".into(),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    };
    let today = gongkai_store::db::now().date_naive();
    let draft = DocumentDraft::parse(&input, today).unwrap();
    let mut c = app.t.db.conn().await.unwrap();
    let agency = agencies::list(&mut c)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.code == "YX0201")
        .unwrap()
        .id;
    drop(c);
    let doc = app
        .t
        .db
        .write(async |tx| {
            gongkai_app::documents::import_published_in(
                tx,
                &gongkai_app::Ctx::new(&app.t.db, actor.clone(), office),
                agency,
                &draft,
                documents::Earlier {
                    index_no: None,
                    published_on: today,
                },
            )
            .await
        })
        .await
        .unwrap();
    let item = gongkai_domain::catalogue::ItemDraft::parse(&gongkai_domain::catalogue::ItemInput {
        name: "工作动态".into(),
        ..Default::default()
    })
    .unwrap();
    app.t
        .db
        .write(async |tx| {
            let ctx = gongkai_app::Ctx::new(&app.t.db, actor.clone(), office);
            gongkai_app::catalogue::create_column_in(tx, &ctx, agency, &item).await
        })
        .await
        .unwrap();

    let staff = app.login("staff").await;
    let res = staff
        .get(app.url("/office/selfcheck"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "only the disclosure office");
    let office = app.login("office").await;
    let html = app.page(&office, "/office/selfcheck").await;
    assert!(
        html.contains(&format!(
            "<code>/documents/999999</code>(HTTP 404),见于 <a href=\"/documents/{doc}\">"
        )),
        "{html}"
    );
    assert!(
        !html.contains("<code>/office/documents</code>"),
        "the office is not crawled"
    );
    assert!(
        html.contains("云溪区发展和改革委员会 “工作动态”:空白栏目"),
        "{html}"
    );
    assert!(html.contains("不可用的站内链接 1 个"), "{html}");
    assert!(html.contains("首页最新信息发布于"), "{html}");
}
