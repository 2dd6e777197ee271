//! Messages: filing with a code and key, triage, transfer to another agency (the
//! key follows), reply within the working-day limit, 选登 without personal details, rating,
//! and refusals that change nothing.

use chrono::Duration;
use gongkai_app::messages as app;
use gongkai_domain::message::{
    BoxKind, MessageDraft, MessageInput, PublicationInput, Rating, Status, Step,
};
use gongkai_store::calendar;
use gongkai_store::messages::{self, Destination};

use super::*;

both!(
    a_message_is_filed_transferred_answered_and_published,
    bad_message_steps_change_nothing
);

fn draft() -> MessageDraft {
    MessageDraft::parse(&MessageInput {
        title: "小区门口占道经营问题".into(),
        body: "我小区门口长期有摊贩占道经营,影响通行,希望有关部门处理。".into(),
        name: "王小明".into(),
        phone: "13800138000".into(),
        consent: "on".into(),
        ..Default::default()
    })
    .unwrap()
}

async fn setup(t: &TestDb) -> (i64, i64, Principal, Principal) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let city = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    (
        drc.id,
        city.id,
        p(Role::Staff, drc.id),
        p(Role::Staff, city.id),
    )
}

async fn a_message_is_filed_transferred_answered_and_published(t: TestDb) {
    let (drc, city, drc_staff, city_staff) = setup(&t).await;
    let db = &t.db;
    let mut c = db.conn().await.unwrap();
    let cal = calendar::work_calendar(&mut c).await.unwrap();
    let to = Destination {
        agency_id: drc,
        box_kind: BoxKind::Consultation,
        document_id: None,
    };
    // Filed on Monday 28 September 2026: five working days over National Day end on the
    // make-up Saturday, 10 October.
    let filed = app::submit(&public(db).at(at("2026-09-28")), to, &draft(), "10.0.0.1")
        .await
        .unwrap();
    assert!(filed.tracking_code.starts_with("LY2026-"));
    assert_eq!(filed.due_on, day("2026-10-10"));
    let found = messages::track(
        &mut c,
        &filed.tracking_code,
        &filed.key,
        "10.0.0.1",
        at("2026-09-28"),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(found.status, Status::Received);
    assert!(
        messages::track(
            &mut c,
            &filed.tracking_code,
            "wrong",
            "10.0.0.1",
            at("2026-09-28")
        )
        .await
        .unwrap()
        .is_none()
    );

    // Not this agency's: transferred with a reason; the other agency gets its own message.
    let transfer = Step::parse("transfer", "占道经营属于城管执法职责", false).unwrap();
    app::act(
        &ctx(db, &drc_staff, day("2026-09-29")),
        filed.id,
        &transfer,
        Some(city),
    )
    .await
    .unwrap();
    let old = messages::get(&mut c, filed.id).await.unwrap().unwrap();
    assert_eq!(old.status, Status::Transferred);
    let new_id = old.transferred_to.unwrap();
    let new = messages::get(&mut c, new_id).await.unwrap().unwrap();
    assert_eq!(
        (new.agency_id, new.status, new.transferred_from),
        (city, Status::Received, Some(filed.id))
    );
    assert_eq!(new.received_on, day("2026-09-29"));
    // The asker's key finds the new message under its new code.
    assert!(
        messages::track(
            &mut c,
            &new.tracking_code,
            &filed.key,
            "10.0.0.1",
            at("2026-09-29")
        )
        .await
        .unwrap()
        .is_some()
    );
    // The first agency can no longer act on it; the second cannot see the first's.
    let accept = Step::parse("accept", "", true).unwrap();
    let e = app::act(
        &ctx(db, &drc_staff, day("2026-09-29")),
        filed.id,
        &accept,
        None,
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("已转办"), "{e}");
    let e = app::act(
        &ctx(db, &drc_staff, day("2026-09-29")),
        new_id,
        &accept,
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");

    // Accepted as simple: one working day from receipt (29 Sep → 30 Sep).
    app::act(
        &ctx(db, &city_staff, day("2026-09-29")),
        new_id,
        &accept,
        None,
    )
    .await
    .unwrap();
    let m = messages::get(&mut c, new_id).await.unwrap().unwrap();
    assert_eq!(
        (m.status, m.simple, m.due_on),
        (Status::Accepted, true, day("2026-09-30"))
    );
    let reply = Step::parse(
        "reply",
        "已安排城管中队于本周内清理占道摊位,并加强巡查。",
        false,
    )
    .unwrap();
    app::act(
        &ctx(db, &city_staff, day("2026-10-09")),
        new_id,
        &reply,
        None,
    )
    .await
    .unwrap();
    let m = messages::get(&mut c, new_id).await.unwrap().unwrap();
    assert_eq!(
        m.due_state(&cal, day("2026-10-09")).unwrap(),
        gongkai_domain::message::DueState::RepliedLate
    );

    // 选登: the name may not appear in the published copy.
    let leaky = PublicationInput {
        public_title: "小区门口占道经营问题".into(),
        public_body: "王小明反映:小区门口长期有摊贩占道经营。".into(),
        public_reply: "已安排城管中队清理占道摊位,并加强巡查。".into(),
    };
    let e = app::publish(&Ctx::new(db, actor(), city_staff), new_id, &leaky)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("个人信息"), "{e}");
    assert!(
        messages::published(&mut c, None, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let clean = PublicationInput {
        public_body: "市民反映:小区门口长期有摊贩占道经营。".into(),
        ..leaky
    };
    app::publish(&Ctx::new(db, actor(), city_staff), new_id, &clean)
        .await
        .unwrap();
    let published = messages::published(&mut c, Some(city), None, 10)
        .await
        .unwrap();
    assert_eq!(published.len(), 1);
    assert!(
        messages::public_get(&mut c, filed.id)
            .await
            .unwrap()
            .is_none()
    );

    // The asker rates it once.
    app::rate(&public(db), new_id, Rating::Fair, "处理及时")
        .await
        .unwrap();
    let e = app::rate(&public(db), new_id, Rating::Satisfied, "")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("已经评价"), "{e}");
    let steps = count_rows(
        &t,
        "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'message.%'",
    )
    .await;
    assert!(steps >= 7, "{steps}");
}

async fn count_rows(t: &TestDb, sql: &'static str) -> i64 {
    t.db.conn()
        .await
        .unwrap()
        .fetch_one(Sql::new(sql))
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

async fn bad_message_steps_change_nothing(t: TestDb) {
    let (drc, _, drc_staff, _) = setup(&t).await;
    let db = &t.db;
    let mut c = db.conn().await.unwrap();
    // A 政策留言 must be about a public document of the agency.
    let policy = Destination {
        agency_id: drc,
        box_kind: BoxKind::Policy,
        document_id: Some(999_999),
    };
    let e = app::submit(
        &public(db).at(at("2026-11-02")),
        policy,
        &draft(),
        "10.0.0.2",
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("政策文件"), "{e}");
    assert_eq!(t.count("messages").await, 0);
    let to = Destination {
        agency_id: drc,
        box_kind: BoxKind::Leader,
        document_id: None,
    };
    // Five an hour from one client.
    for i in 0..messages::SUBMIT_LIMIT.max {
        app::submit(
            &public(db).at(at("2026-11-02") + Duration::minutes(i)),
            to,
            &draft(),
            "10.0.0.3",
        )
        .await
        .unwrap();
    }
    let e = app::submit(
        &public(db).at(at("2026-11-02") + Duration::minutes(10)),
        to,
        &draft(),
        "10.0.0.3",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, DomainError::RateLimited { .. }), "{e:?}");
    assert_eq!(t.count("messages").await, messages::SUBMIT_LIMIT.max);
    let id = messages::for_staff(&mut c, &drc_staff).await.unwrap()[0].id;
    let before = t.count("audit_log").await;
    // Reply before accepting, transfer to itself, publish without a reply, supervise as staff.
    let reply = Step::parse("reply", "这是一条足够长的答复内容。", false).unwrap();
    let e = app::act(&ctx(db, &drc_staff, day("2026-11-03")), id, &reply, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("待处理"), "{e}");
    let transfer = Step::parse("transfer", "不属于本机关", false).unwrap();
    let e = app::act(
        &ctx(db, &drc_staff, day("2026-11-03")),
        id,
        &transfer,
        Some(drc),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("本机关"), "{e}");
    let p = PublicationInput {
        public_title: "标题标题".into(),
        public_body: "公开的留言内容足够长".into(),
        public_reply: "公开的答复内容足够长".into(),
    };
    let e = app::publish(&Ctx::new(db, actor(), drc_staff), id, &p)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("答复后"), "{e}");
    let e = app::supervise(&Ctx::new(db, actor(), drc_staff), id, Some("请加快办理"))
        .await
        .unwrap_err();
    assert!(matches!(e, DomainError::Forbidden), "{e:?}");
    assert_eq!(t.count("audit_log").await, before);
    // The office may supervise.
    let office = p_office();
    app::supervise(&Ctx::new(db, actor(), office), id, Some("请加快办理"))
        .await
        .unwrap();
    assert!(messages::get(&mut c, id).await.unwrap().unwrap().supervised);
}

fn p_office() -> Principal {
    p(Role::Office, 0)
}
