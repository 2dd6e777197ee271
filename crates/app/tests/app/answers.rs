//! 一网通答 entries: they cite only public documents, stay with their agency, and every change
//! is audited and announced.

use gongkai_domain::answer::{AnswerDraft, AnswerInput};

use super::*;

both!(an_answer_cites_public_documents_and_stays_with_its_agency);

fn answer(question: &str, documents: &str) -> AnswerDraft {
    AnswerDraft::parse(&AnswerInput {
        question: question.into(),
        answer: "在本平台“申请公开”栏目在线提交。".into(),
        documents: documents.into(),
        published: "on".into(),
    })
    .unwrap()
}

async fn an_answer_cites_public_documents_and_stays_with_its_agency(t: TestDb) {
    let db = &t.db;
    let gov = add_agency(db, "YX0000", "government", "").await;
    let other = add_agency(db, "YX0201", "department", "YX0000").await;
    let (staff, office) = (p(Role::Staff, gov.id), p(Role::Office, gov.id));
    let today = day("2026-03-02");
    let draft = DocumentDraft::parse(
        &DocumentInput {
            title: "关于政府信息公开申请办理的规定".into(),
            kind: DocKind::Notice.as_str().into(),
            topic: "综合政务\\政务公开".into(),
            formed_on: "2026-03-01".into(),
            body: "第一条 为规范办理,制定本规定。".into(),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        },
        today,
    )
    .unwrap();
    let doc = gongkai_app::documents::register(&ctx(db, &staff, today), gov.id, &draft)
        .await
        .unwrap();
    let index = documents::staff_get(&mut db.conn().await.unwrap(), &staff, doc)
        .await
        .unwrap()
        .summary
        .index_no;
    let tables = ["answers", "answer_links", "audit_log", "outbox"];
    let before = t.snapshot(&tables).await;

    // Not yet public, or no such 索引号: refused with the field named, nothing written.
    for (cited, message) in [
        (index.clone(), "尚未公开"),
        ("YX0000/2026-99999".to_string(), "没有索引号"),
    ] {
        let e = gongkai_app::answers::create(
            &ctx(db, &staff, today),
            gov.id,
            &answer("怎么申请公开?", &cited),
        )
        .await
        .unwrap_err();
        assert_eq!(e.field().map(|f| f.name), Some("documents"), "{e:?}");
        assert!(e.to_string().contains(message), "{e}");
    }
    // Another agency's staff cannot write for this one.
    let e = gongkai_app::answers::create(
        &ctx(db, &p(Role::Staff, other.id), today),
        gov.id,
        &answer("怎么申请公开?", ""),
    )
    .await
    .unwrap_err();
    assert_eq!(e, DomainError::Forbidden);
    assert_eq!(t.snapshot(&tables).await, before, "refusals write nothing");

    for (who, a) in [
        (staff, Action::Submit),
        (office, Action::Approve),
        (office, Action::Publish),
    ] {
        gongkai_app::documents::act(&ctx(db, &who, today), doc, &a)
            .await
            .unwrap();
    }
    let before = t.snapshot(&tables).await;
    // Cited twice, linked once.
    let cited = format!("{index}\n{index}");
    let id = gongkai_app::answers::create(
        &ctx(db, &staff, today),
        gov.id,
        &answer("怎么申请政府信息公开?", &cited),
    )
    .await
    .unwrap();
    let stored = gongkai_store::answers::public_get(&mut db.conn().await.unwrap(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.documents.len(), 1);
    assert_eq!(stored.documents[0].1, index);
    assert_eq!(
        t.added_since(&tables, &before).await,
        vec![1, 1, 1, 1],
        "the entry, its link, one audit entry and one announcement"
    );

    // Another agency's entry is not found for its staff; nothing changes.
    let after = t.snapshot(&tables).await;
    let e = gongkai_app::answers::update(
        &ctx(db, &p(Role::Staff, other.id), today),
        id,
        &answer("改掉这条问答", ""),
    )
    .await
    .unwrap_err();
    assert_eq!(e, DomainError::NotFound { what: "问答" });
    assert_eq!(t.snapshot(&tables).await, after);

    gongkai_app::answers::update(&ctx(db, &staff, today), id, &answer("如何申请公开?", ""))
        .await
        .unwrap();
    let stored = gongkai_store::answers::get(&mut db.conn().await.unwrap(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.question.as_str(), stored.documents.len()),
        ("如何申请公开?", 0)
    );
    let audit = db
        .conn()
        .await
        .unwrap()
        .fetch_all(Sql::new(
            "SELECT action FROM audit_log WHERE entity_type = 'answer' ORDER BY id",
        ))
        .await
        .unwrap();
    let actions: Vec<String> = audit.iter().map(|r| r.get("action").unwrap()).collect();
    assert_eq!(actions, ["answer.create", "answer.update"]);
}
