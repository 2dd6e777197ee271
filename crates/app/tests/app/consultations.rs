//! Consultations: publication, comments with their refusals, the ledger, the
//! decision and its working-day report deadline, the report frozen with the ledger.

use chrono::Duration;
use gongkai_app::consultations as app;
use gongkai_domain::consultation::{
    CommentDraft, CommentInput, ConsultationDraft, ConsultationInput, Disposition,
    DispositionDraft, Identity, Phase,
};
use gongkai_store::consultations;

use super::*;

both!(
    a_consultation_runs_from_draft_to_feedback_report,
    refused_comments_and_steps_change_nothing,
);

fn draft() -> ConsultationDraft {
    ConsultationDraft::parse(&ConsultationInput {
        title: "《嘉定区养犬管理办法(征求意见稿)》".into(),
        explanation: "为规范养犬行为,起草本办法,现公开征求意见。".into(),
        basis: "《上海市养犬管理条例》".into(),
        draft: "第一条 为规范养犬行为,制定本办法。\n第二条 本办法适用于本区。".into(),
        opens_on: "2026-01-05".into(),
        closes_on: "2026-02-03".into(),
        ..Default::default()
    })
    .unwrap()
}

fn comment(body: &str, article: &str, name: &str, show: bool) -> CommentDraft {
    CommentDraft::parse(
        &CommentInput {
            body: body.into(),
            article: article.into(),
            name: name.into(),
            contact: if name.is_empty() { "" } else { "13800138000" }.into(),
            show_name: if show { "on" } else { "" }.into(),
            ..Default::default()
        },
        Phase::Open,
        Identity::Optional,
        Identity::Optional,
        &[1, 2],
    )
    .unwrap()
}

async fn setup(t: &TestDb) -> (i64, Principal, Principal) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let other = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    let _ = gov;
    (drc.id, p(Role::Staff, drc.id), p(Role::Staff, other.id))
}

async fn count(t: &TestDb, sql: &'static str) -> i64 {
    t.db.conn()
        .await
        .unwrap()
        .fetch_one(Sql::new(sql))
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

async fn a_consultation_runs_from_draft_to_feedback_report(t: TestDb) {
    let (agency, staff, _) = setup(&t).await;
    let db = &t.db;
    let id = app::create(&Ctx::new(db, actor(), staff), agency, &draft())
        .await
        .unwrap();
    // Unpublished: not public, and no comment is taken.
    let mut c = db.conn().await.unwrap();
    assert!(
        consultations::public_get(&mut c, id)
            .await
            .unwrap()
            .is_none()
    );
    let e = app::comment(
        &public(db).at(at("2026-01-10")),
        id,
        &comment("意见意见意见", "", "", false),
        "1.2.3.4",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    app::publish(&ctx(db, &staff, day("2026-01-05")), id)
        .await
        .unwrap();
    let published = consultations::public_get(&mut c, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(published.phase(day("2026-01-10")), Phase::Open);
    assert_eq!(consultations::versions(&mut c, id).await.unwrap().len(), 1);

    // Three comments from the public and one entered by staff.
    let mut ids = Vec::new();
    for (i, d) in [
        comment("建议第二条明确适用于全区所有街镇。", "2", "张三", true),
        comment("建议放宽大型犬的限制。", "1", "李四", false),
        comment("建议放宽大型犬的限制,允许登记饲养。", "1", "", false),
    ]
    .iter()
    .enumerate()
    {
        let client = format!("10.0.0.{i}");
        let cid = app::comment(&public(db).at(at("2026-01-10")), id, d, &client)
            .await
            .unwrap();
        ids.push(cid);
    }
    let by_letter = comment("来信:建议增加文明养犬宣传。", "", "王五", false);
    ids.push(
        app::enter_comment(&Ctx::new(db, actor(), staff), id, &by_letter, "信函")
            .await
            .unwrap(),
    );
    // The public sees the name only where chosen, never a contact.
    let public = consultations::public_comments(&mut c, id).await.unwrap();
    assert_eq!(public.len(), 4);
    assert_eq!(public[0].name.as_deref(), Some("张三"));
    assert!(public[1].name.is_none() && public.iter().all(|m| m.contact.is_none()));
    assert_eq!(public[3].channel, "信函");

    // A published draft may be extended and reworded (a new version), not cut short.
    let mut longer = draft();
    longer.closes_on = day("2026-02-10");
    longer.draft.push_str("\n第三条 本办法自公布之日起施行。");
    app::update(&Ctx::new(db, actor(), staff), id, &longer)
        .await
        .unwrap();
    assert_eq!(consultations::versions(&mut c, id).await.unwrap().len(), 2);
    let e = app::update(&Ctx::new(db, actor(), staff), id, &draft())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只能延长"), "{e}");

    // The ledger: one adopted, two grouped and not adopted, one out of scope.
    let adopted = DispositionDraft::parse("adopted", "").unwrap();
    app::dispose(&Ctx::new(db, actor(), staff), ids[0], &adopted)
        .await
        .unwrap();
    let not = DispositionDraft::parse("not_adopted", "与上位法规定不一致").unwrap();
    app::create_group(
        &Ctx::new(db, actor(), staff),
        id,
        "建议放宽大型犬限制",
        &not,
        &ids[1..3],
    )
    .await
    .unwrap();
    // A grouped opinion is decided with its group.
    let e = app::dispose(&Ctx::new(db, actor(), staff), ids[1], &adopted)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("集中意见"), "{e}");
    // Not yet: one opinion is undecided.
    let e = app::report_preview(&Ctx::new(db, actor(), staff), id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("还有 1 条意见未填写采纳情况"), "{e}");
    let out = DispositionDraft::parse("out_of_scope", "属于执法检查问题,已转交").unwrap();
    app::dispose(&Ctx::new(db, actor(), staff), ids[3], &out)
        .await
        .unwrap();
    let preview = app::report_preview(&Ctx::new(db, actor(), staff), id)
        .await
        .unwrap();
    assert_eq!(preview.received, 4);
    assert_eq!(preview.count(Disposition::NotAdopted), 2);
    assert_eq!(preview.count(Disposition::Adopted), 1);
    assert_eq!(preview.count(Disposition::OutOfScope), 1);

    // The report needs the period over and the decision recorded.
    let e = app::publish_report(&ctx(db, &staff, day("2026-02-05")), id, "")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("截止后"), "{e}");
    let e = app::publish_report(&ctx(db, &staff, day("2026-02-20")), id, "")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("决策公布日期"), "{e}");
    // Decided on the Thursday before the 2026 Spring Festival: ten working days run over the
    // holiday and both make-up Saturdays (14 and 28 February) to 4 March.
    let due = app::record_decision(&Ctx::new(db, actor(), staff), id, day("2026-02-12"), None)
        .await
        .unwrap();
    assert_eq!(due, day("2026-03-04"));
    let due_list = consultations::reports_due(&mut c, &staff).await.unwrap();
    assert_eq!(due_list.len(), 1);
    assert_eq!(due_list[0].due_on, day("2026-03-04"));

    app::publish_report(&ctx(db, &staff, day("2026-02-20")), id, "感谢各位市民。")
        .await
        .unwrap();
    let done = consultations::public_get(&mut c, id)
        .await
        .unwrap()
        .unwrap();
    let report = done.report.unwrap();
    assert_eq!(report, preview);
    assert!(
        report
            .paragraphs()
            .join("\n")
            .contains("建议放宽大型犬限制(共 2 条):不予采纳")
    );
    assert!(
        consultations::reports_due(&mut c, &staff)
            .await
            .unwrap()
            .is_empty()
    );
    // The ledger is frozen.
    let e = app::dispose(&Ctx::new(db, actor(), staff), ids[0], &not)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("已发布"), "{e}");
    // Every step is in the audit log and the search indexers were told.
    let steps = count(
        &t,
        "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'consultation.%'",
    )
    .await;
    assert!(steps >= 12, "{steps}");
    let announced = count(
        &t,
        "SELECT COUNT(*) AS n FROM outbox WHERE topic = 'consultation.changed'",
    )
    .await;
    assert!(announced >= 3, "{announced}");
}

async fn refused_comments_and_steps_change_nothing(t: TestDb) {
    let (agency, staff, other) = setup(&t).await;
    let db = &t.db;
    let id = app::create(&Ctx::new(db, actor(), staff), agency, &draft())
        .await
        .unwrap();
    // Another agency's staff cannot see or touch it.
    let e = app::publish(&ctx(db, &other, day("2026-01-05")), id)
        .await
        .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    // Not after its end.
    let e = app::publish(&ctx(db, &staff, day("2026-02-04")), id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("截止日期已过"), "{e}");
    app::publish(&ctx(db, &staff, day("2026-01-05")), id)
        .await
        .unwrap();
    let d = comment("建议第二条明确适用于全区所有街镇。", "2", "", false);
    let before = count(&t, "SELECT COUNT(*) AS n FROM consultation_comments").await;
    // After the close, before the open: refused where it is stored.
    for when in ["2026-02-04", "2026-01-04"] {
        let e = app::comment(&public(db).at(at(when)), id, &d, "10.0.0.9")
            .await
            .unwrap_err();
        assert!(e.is_input_error(), "{e:?}");
    }
    // The same text twice within seconds: the second is refused.
    app::comment(&public(db).at(at("2026-01-10")), id, &d, "10.0.0.9")
        .await
        .unwrap();
    let e = app::comment(
        &public(db).at(at("2026-01-10") + Duration::seconds(5)),
        id,
        &d,
        "10.0.0.9",
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("重复提交"), "{e}");
    // One client may comment 20 times an hour.
    for i in 1..consultations::COMMENT_LIMIT.max {
        let d = comment(&format!("第 {i} 条不同的意见内容"), "", "", false);
        app::comment(
            &public(db).at(at("2026-01-10") + Duration::seconds(i)),
            id,
            &d,
            "10.0.0.9",
        )
        .await
        .unwrap();
    }
    let d = comment("又一条不同的意见内容", "", "", false);
    let e = app::comment(
        &public(db).at(at("2026-01-10") + Duration::seconds(60)),
        id,
        &d,
        "10.0.0.9",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::RateLimited { .. }), "{e:?}");
    let after = count(&t, "SELECT COUNT(*) AS n FROM consultation_comments").await;
    assert_eq!(after - before, consultations::COMMENT_LIMIT.max);

    // Moderation needs this agency, and is audited; a hidden comment leaves the public page.
    let mut c = db.conn().await.unwrap();
    let first = consultations::public_comments(&mut c, id).await.unwrap()[0].id;
    let e = app::moderate(&Ctx::new(db, actor(), other), first, Some("广告内容"))
        .await
        .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    app::moderate(&Ctx::new(db, actor(), staff), first, Some("广告内容"))
        .await
        .unwrap();
    let public = consultations::public_comments(&mut c, id).await.unwrap();
    assert!(public.iter().all(|m| m.id != first));
    let hidden = count(
        &t,
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'consultation.comment.hide'",
    )
    .await;
    assert_eq!(hidden, 1);
    // A group of one, or with another consultation's comment, is refused whole.
    let not = DispositionDraft::parse("not_adopted", "理由充分").unwrap();
    let e = app::create_group(
        &Ctx::new(db, actor(), staff),
        id,
        "同类意见概述",
        &not,
        &[public[0].id],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("至少包含 2 条"), "{e}");
    let e = app::create_group(
        &Ctx::new(db, actor(), staff),
        id,
        "同类意见概述",
        &not,
        &[public[0].id, 999_999],
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("#999999"), "{e}");
    assert_eq!(
        count(&t, "SELECT COUNT(*) AS n FROM opinion_groups").await,
        0
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) AS n FROM consultation_comments WHERE group_id IS NOT NULL"
        )
        .await,
        0
    );
}
