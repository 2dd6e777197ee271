//! 政策解读: an interpretation explains 1–50 policies of agencies its author acts for; it is
//! audited and announced with its row.

use gongkai_domain::interpretation::{InterpretationDraft, InterpretationInput};

use super::*;

both!(an_interpretation_explains_policies_of_its_authors_agency);

async fn an_interpretation_explains_policies_of_its_authors_agency(t: TestDb) {
    let db = &t.db;
    let gov = add_agency(db, "YX0000", "government", "").await;
    let dept = add_agency(db, "YX0201", "department", "YX0000").await;
    let staff = p(Role::Staff, dept.id);
    let today = day("2026-11-02");
    let draft = DocumentDraft::parse(
        &DocumentInput {
            title: "云溪区促进就业若干措施".into(),
            kind: DocKind::Notice.as_str().into(),
            topic: "综合政务\\政务公开".into(),
            formed_on: "2026-11-01".into(),
            body: "一、支持企业吸纳就业。".into(),
            disclosure_mode: "proactive".into(),
            needs_interpretation: true,
            ..Default::default()
        },
        today,
    )
    .unwrap();
    let policy = gongkai_app::documents::register(&ctx(db, &staff, today), dept.id, &draft)
        .await
        .unwrap();
    let graphic = InterpretationDraft::parse(&InterpretationInput {
        title: "一图读懂促进就业若干措施".into(),
        form: "graphic".into(),
        body: "要点一:支持企业吸纳就业".into(),
        link: String::new(),
    })
    .unwrap();
    let tables = [
        "interpretations",
        "interpretation_links",
        "audit_log",
        "outbox",
    ];
    let before = t.snapshot(&tables).await;
    let interpret = async |who: &Principal, ids: &[i64]| {
        db.write(async |tx| {
            gongkai_app::documents::interpret_in(tx, &ctx(db, who, today), ids, &graphic).await
        })
        .await
    };
    // Another agency's staff, no policy, too many policies, a missing one: refused, nothing
    // written.
    assert_eq!(
        interpret(&p(Role::Staff, gov.id), &[policy])
            .await
            .unwrap_err(),
        DomainError::Forbidden
    );
    for ids in [vec![], vec![policy; 51]] {
        let e = interpret(&staff, &ids).await.unwrap_err();
        assert_eq!(e.field().map(|f| f.name), Some("documents"), "{e:?}");
    }
    assert_eq!(
        interpret(&staff, &[policy, 999_999]).await.unwrap_err(),
        DomainError::NotFound { what: "文件" }
    );
    assert_eq!(t.snapshot(&tables).await, before);

    // Named twice, linked once; the row, its link, one audit entry, one announcement.
    let id = interpret(&staff, &[policy, policy]).await.unwrap();
    assert_eq!(t.added_since(&tables, &before).await, vec![1, 1, 1, 1]);
    let mine = gongkai_store::interpretations::for_document(&mut db.conn().await.unwrap(), policy)
        .await
        .unwrap();
    assert_eq!(
        (mine.len(), mine[0].id, mine[0].agency_id),
        (1, id, dept.id)
    );
}
