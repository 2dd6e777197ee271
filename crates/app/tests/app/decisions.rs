//! The decision catalogue: one per agency and year, entries, stages resting on public
//! records, publication (the only way to the public), and what the dashboard counts.

use gongkai_app::decisions as app;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::decision::{
    EntryDraft, EntryInput, EntryStatus, StageDraft, StageInput, StageKind,
};
use gongkai_store::decisions;

use super::*;

both!(a_decision_catalogue_links_its_stages);

async fn a_decision_catalogue_links_its_stages(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let other = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    let staff = p(Role::Staff, drc.id);
    let outsider = p(Role::Staff, other.id);
    let db = &t.db;
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let (as_staff, as_outsider) = (ctx(db, &staff, today), ctx(db, &outsider, today));
    let code = AgencyCode::parse("YX0201").unwrap();
    let id = app::create_catalogue(&as_staff, &code, 2026).await.unwrap();
    let e = app::create_catalogue(&as_staff, &code, 2026)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("已经存在"), "{e}");
    let e = app::create_catalogue(&as_outsider, &code, 2027)
        .await
        .unwrap_err();
    assert!(matches!(e, DomainError::Forbidden), "{e:?}");
    // Empty: not publishable; the dashboard counts it as missing.
    let e = app::publish_catalogue(&as_staff, id).await.unwrap_err();
    assert!(e.to_string().contains("还没有决策事项"), "{e}");
    let mut c = db.conn().await.unwrap();
    let missing = decisions::unpublished(&mut c, &staff, 2026).await.unwrap();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].2, "started");

    let d = EntryDraft::parse(&EntryInput {
        title: "云溪区老旧小区加装电梯实施办法".into(),
        responsible: "YX0201".into(),
        basis: "《上海市既有多层住宅加装电梯的指导意见》".into(),
        planned_on: "2026-10-31".into(),
        ..Default::default()
    })
    .unwrap();
    let entry = app::add_entry(&as_staff, id, &d).await.unwrap();
    // Not public before the catalogue is published.
    let e = app::published_entry(db, entry).await.unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    assert!(
        app::published_catalogues(db, drc.id)
            .await
            .unwrap()
            .is_empty()
    );
    // A consultation stage must name a published consultation; a decision a public document.
    let stage = |kind: &str, extra: StageInput| {
        StageDraft::parse(
            &StageInput {
                kind: kind.into(),
                happened_on: "2026-05-10".into(),
                summary: "按程序办理完毕".into(),
                ..extra
            },
            today,
        )
        .unwrap()
    };
    let e = app::add_stage(
        &as_staff,
        entry,
        &stage(
            "consultation",
            StageInput {
                consultation: "999".into(),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("不存在或未发布"), "{e}");
    let e = app::add_stage(
        &as_staff,
        entry,
        &stage(
            "decision",
            StageInput {
                document: "NOPE/2026-00001".into(),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("没有索引号"), "{e}");
    assert_eq!(t.count("decision_stages").await, 0);
    app::add_stage(
        &as_staff,
        entry,
        &stage("legality_review", StageInput::default()),
    )
    .await
    .unwrap();
    app::add_stage(
        &as_staff,
        entry,
        &stage(
            "meeting_review",
            StageInput {
                representatives: "居民代表 2 名列席".into(),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap();
    let got = decisions::entry(&mut c, entry).await.unwrap().unwrap();
    assert_eq!(
        got.status,
        EntryStatus::InProgress,
        "a stage moves a planned entry on"
    );
    // Same day: listed in the procedure's order, whatever order they were entered in.
    let kinds: Vec<StageKind> = decisions::stages(&mut c, entry)
        .await
        .unwrap()
        .iter()
        .map(|s| s.kind)
        .collect();
    assert_eq!(kinds, [StageKind::LegalityReview, StageKind::MeetingReview]);
    // Another agency's staff cannot add stages.
    let e = app::add_stage(
        &as_outsider,
        entry,
        &stage("hearing", StageInput::default()),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    app::publish_catalogue(&as_staff, id).await.unwrap();
    let (c2, e2, stages) = app::published_entry(db, entry).await.unwrap();
    assert_eq!((c2.id, e2.id, stages.len()), (id, entry, 2));
    let published = app::published_catalogues(db, drc.id).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].1.len(), 1);
    assert!(
        decisions::unpublished(&mut c, &staff, 2026)
            .await
            .unwrap()
            .is_empty()
    );
    let audited: i64 = c
        .fetch_one(Sql::new(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'decision_%'",
        ))
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(audited, 5);
}
