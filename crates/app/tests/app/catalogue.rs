//! 公开目录: items stay inside their agency, a parent never sits below its child, only the
//! agency's own documents are filed; refusals write nothing, changes are audited.

use gongkai_domain::catalogue::{ItemDraft, ItemInput};

use super::*;

both!(catalogue_items_stay_inside_their_agency);

fn item(name: &str, parent: Option<i64>) -> ItemDraft {
    ItemDraft::parse(&ItemInput {
        name: name.into(),
        parent: parent.map(|p| p.to_string()).unwrap_or_default(),
        refresh_days: "365".into(),
        time_limit: "20".into(),
        ..Default::default()
    })
    .unwrap()
}

/// A published document of `agency`; returns its 索引号.
async fn published(db: &Db, agency: i64, title: &str) -> String {
    let today = day("2024-02-01");
    let staff = p(Role::Staff, agency);
    let draft = DocumentDraft::parse(
        &DocumentInput {
            title: title.into(),
            kind: DocKind::Notice.as_str().into(),
            topic: "综合政务\\政务公开".into(),
            formed_on: "2024-01-30".into(),
            body: "正文。".into(),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        },
        today,
    )
    .unwrap();
    let id = gongkai_app::documents::register(&ctx(db, &staff, today), agency, &draft)
        .await
        .unwrap();
    for (who, a) in [
        (staff, Action::Submit),
        (p(Role::Office, agency), Action::Approve),
        (p(Role::Office, agency), Action::Publish),
    ] {
        gongkai_app::documents::act(&ctx(db, &who, today), id, &a)
            .await
            .unwrap();
    }
    documents::staff_get(&mut db.conn().await.unwrap(), &staff, id)
        .await
        .unwrap()
        .summary
        .index_no
}

async fn catalogue_items_stay_inside_their_agency(t: TestDb) {
    use gongkai_app::catalogue as app;
    let db = &t.db;
    let gov = add_agency(db, "YX0000", "government", "").await;
    let dept = add_agency(db, "YX0201", "department", "YX0000").await;
    let ours = published(db, dept.id, "部门预算").await;
    let theirs = published(db, gov.id, "政府文件").await;
    let (staff, other) = (p(Role::Staff, dept.id), p(Role::Staff, gov.id));
    let today = day("2024-02-02");
    let as_staff = ctx(db, &staff, today);
    let as_other = ctx(db, &other, today);
    let tables = [
        "catalogue_items",
        "catalogue_filings",
        "audit_log",
        "outbox",
    ];

    let before = t.snapshot(&tables).await;
    let root = app::create_column(&as_staff, dept.id, &item("财政信息", None))
        .await
        .unwrap();
    let child = app::create_column(&as_staff, dept.id, &item("部门预决算", Some(root)))
        .await
        .unwrap();
    assert_eq!(
        t.added_since(&tables, &before).await,
        vec![2, 0, 2, 2],
        "two items, each audited and announced"
    );

    // Refused, nothing written: another agency adding here or hanging an item under ours, a
    // loop, a document of another agency, an unknown 索引号.
    let before = t.snapshot(&tables).await;
    assert_eq!(
        app::create_column(&as_other, dept.id, &item("越权事项", None))
            .await
            .unwrap_err(),
        DomainError::Forbidden
    );
    let e = app::create_column(&as_other, gov.id, &item("挂错上级", Some(child)))
        .await
        .unwrap_err();
    assert_eq!(e.field().map(|f| f.name), Some("parent"), "{e:?}");
    let e = app::update_column(&as_staff, root, &item("财政信息", Some(child)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能是本事项或其下级事项"), "{e}");
    let e = app::file_in_column(&as_staff, child, &theirs)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只能归入本机构的文件"), "{e}");
    let e = app::file_in_column(&as_staff, child, "NOPE")
        .await
        .unwrap_err();
    assert_eq!(e.field().map(|f| f.name), Some("index_no"), "{e:?}");
    assert_eq!(
        app::file_in_column(&as_other, child, &ours)
            .await
            .unwrap_err(),
        DomainError::Forbidden
    );
    assert_eq!(t.snapshot(&tables).await, before);

    // Filed once however often; moved under a sibling; each change audited.
    app::file_in_column(&as_staff, child, &format!(" {ours} "))
        .await
        .unwrap();
    app::file_in_column(&as_staff, child, &ours).await.unwrap();
    let sibling = app::create_column(&as_staff, dept.id, &item("政府采购", Some(root)))
        .await
        .unwrap();
    app::update_column(&as_staff, child, &item("部门预决算", Some(sibling)))
        .await
        .unwrap();
    let mut c = db.conn().await.unwrap();
    let tree = gongkai_store::catalogue::tree_order(
        gongkai_store::catalogue::items(&mut c, dept.id)
            .await
            .unwrap(),
    );
    let shape: Vec<(usize, &str, i64)> = tree
        .iter()
        .map(|(d, i)| (*d, i.name.as_str(), i.filed))
        .collect();
    assert_eq!(
        shape,
        [(0, "财政信息", 0), (1, "政府采购", 0), (2, "部门预决算", 1)]
    );
}
