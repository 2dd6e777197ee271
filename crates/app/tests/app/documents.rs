//! Documents through review to publication, their relations and interpretations, the lists
//! and the catalogue that show them: the workflow rules as the use-case layer applies them,
//! and what each step leaves in the store.

use super::*;
use gongkai_domain::document::Validity;
use gongkai_domain::document::relation::Link;
use gongkai_store::agencies;
use gongkai_testing::fixtures::doc_input;

both!(
    index_numbers_are_issued_and_never_reused,
    review_workflow_and_public_visibility,
    office_approval_for_partial_disclosure,
    relations_set_validity_on_both_sides,
    relations_take_effect_only_through_review_and_the_office,
    public_lists_filter_and_page,
    interpretations_published_together,
    catalogue_items_and_their_content,
    timestamps_and_dates_round_trip,
);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

async fn register(
    t: &TestDb,
    who: &Principal,
    agency_id: i64,
    input: &DocumentInput,
    index: Option<&str>,
) -> Result<i64, DomainError> {
    let draft = DocumentDraft::parse(input, today())?;
    let Some(index) = index else {
        return gongkai_app::documents::register(&ctx(&t.db, who, today()), agency_id, &draft)
            .await;
    };
    // A document that comes with its 索引号 (an import): the store's own path.
    who.require_agency(agency_id)?;
    t.db.write(async |tx| {
        let agency = agencies::by_id(tx, agency_id).await?.unwrap();
        documents::register(tx, &actor(), &agency, &draft, Some(index)).await
    })
    .await
}

async fn act(t: &TestDb, who: &Principal, id: i64, action: Action) -> Result<Status, DomainError> {
    gongkai_app::documents::act(&ctx(&t.db, who, today()), id, &action).await
}

async fn publish(t: &TestDb, agency_id: i64, id: i64) {
    let office = p(Role::Office, 1);
    assert_eq!(
        act(t, &p(Role::Staff, agency_id), id, Action::Submit)
            .await
            .unwrap(),
        Status::Submitted
    );
    assert_eq!(
        act(t, &office, id, Action::Approve).await.unwrap(),
        Status::Approved
    );
    assert_eq!(
        act(t, &office, id, Action::Publish).await.unwrap(),
        Status::Published
    );
}

async fn index_numbers_are_issued_and_never_reused(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let staff = p(Role::Staff, gov.id);
    let a = register(
        &t,
        &staff,
        gov.id,
        &doc_input("甲文件标题", "2024-03-01"),
        None,
    )
    .await
    .unwrap();
    let b = register(
        &t,
        &staff,
        gov.id,
        &doc_input("乙文件标题", "2024-05-01"),
        None,
    )
    .await
    .unwrap();
    let c = register(
        &t,
        &staff,
        gov.id,
        &doc_input("丙文件标题", "2025-01-02"),
        None,
    )
    .await
    .unwrap();
    let mut conn = t.db.conn().await.unwrap();
    let idx = |d: documents::Document| d.summary.index_no;
    assert_eq!(
        idx(documents::staff_get(&mut conn, &staff, a).await.unwrap()),
        "YX0000/2024-00001"
    );
    assert_eq!(
        idx(documents::staff_get(&mut conn, &staff, b).await.unwrap()),
        "YX0000/2024-00002"
    );
    assert_eq!(
        idx(documents::staff_get(&mut conn, &staff, c).await.unwrap()),
        "YX0000/2025-00001"
    );
    drop(conn);
    // A given number in the agency's own pattern reserves its sequence...
    register(
        &t,
        &staff,
        gov.id,
        &doc_input("丁文件标题", "2024-06-01"),
        Some("YX0000/2024-00040"),
    )
    .await
    .unwrap();
    let e = register(
        &t,
        &staff,
        gov.id,
        &doc_input("戊文件标题", "2024-07-01"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        idx(
            documents::staff_get(&mut t.db.conn().await.unwrap(), &staff, e)
                .await
                .unwrap()
        ),
        "YX0000/2024-00041"
    );
    // ...a foreign one is kept as it is, and a duplicate is refused with nothing written.
    register(
        &t,
        &staff,
        gov.id,
        &doc_input("嘉定文件标题", "2021-04-16"),
        Some("WA1301001-2021-003"),
    )
    .await
    .unwrap();
    let before = t
        .snapshot(&["documents", "document_versions", "audit_log"])
        .await;
    let err = register(
        &t,
        &staff,
        gov.id,
        &doc_input("重复文件标题", "2021-04-16"),
        Some("WA1301001-2021-003"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        t.snapshot(&["documents", "document_versions", "audit_log"])
            .await,
        before
    );
    // A configured pattern and a 10-day limit (Shanghai).
    let code = gongkai_domain::agency::AgencyCode::parse("YX0000").unwrap();
    let updated =
        t.db.write(async |tx| {
            agencies::set_disclosure_rules(
                tx,
                &actor(),
                &code,
                &gongkai_domain::agency::DisclosureRules::parse(
                    &gongkai_domain::agency::DisclosureRulesInput {
                        index_pattern: "{agency_code}-{year}-{seq:03}".into(),
                        publication_limit: "10".into(),
                        guide_note: "## 受理地点\n区政务服务中心一楼 5 号窗口".into(),
                    },
                )
                .unwrap(),
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(updated.publication_limit(), 10);
    assert!(updated.guide_note.unwrap().contains("5 号窗口"));
    let f = register(
        &t,
        &staff,
        gov.id,
        &doc_input("己文件标题", "2026-01-05"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        idx(
            documents::staff_get(&mut t.db.conn().await.unwrap(), &staff, f)
                .await
                .unwrap()
        ),
        "YX0000-2026-001"
    );
    // Bad rules are refused by DisclosureRules::parse (domain tests), before any write.
}

async fn review_workflow_and_public_visibility(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let staff = p(Role::Staff, dept.id);
    let mut input = doc_input("关于做好2024年政务公开工作的通知", "2024-09-27");
    input.disclosure_mode.clear();
    let id = register(&t, &staff, dept.id, &input, None).await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(
        documents::public_get(&mut c, id).await.unwrap().is_none(),
        "drafts are not public"
    );
    drop(c);
    // Submitted without an attribute: returned (退文) with the reason.
    assert_eq!(
        act(&t, &staff, id, Action::Submit).await.unwrap(),
        Status::Returned
    );
    let doc = documents::staff_get(&mut t.db.conn().await.unwrap(), &staff, id)
        .await
        .unwrap();
    assert!(
        doc.version
            .return_reason
            .unwrap()
            .contains("未认定公开属性")
    );
    // Another agency's staff see nothing and change nothing.
    let other = p(Role::Staff, gov.id);
    assert_eq!(
        documents::staff_get(&mut t.db.conn().await.unwrap(), &other, id)
            .await
            .unwrap_err()
            .code(),
        "not-found"
    );
    let draft = DocumentDraft::parse(&doc_input("改动标题", "2024-09-27"), today()).unwrap();
    let err = gongkai_app::documents::revise(&ctx(&t.db, &other, today()), id, &draft, None)
        .await
        .unwrap_err();
    assert_eq!(err, DomainError::Forbidden);
    // Fixed and resubmitted; a reviewer of the agency approves; staff publish.
    let draft = DocumentDraft::parse(
        &doc_input("关于做好2024年政务公开工作的通知", "2024-09-27"),
        today(),
    )
    .unwrap();
    gongkai_app::documents::revise(&ctx(&t.db, &staff, today()), id, &draft, None)
        .await
        .unwrap();
    assert_eq!(
        act(&t, &staff, id, Action::Submit).await.unwrap(),
        Status::Submitted
    );
    assert_eq!(
        act(&t, &staff, id, Action::Approve).await.unwrap_err(),
        DomainError::Forbidden
    );
    let draft2 = draft.clone();
    assert_eq!(
        gongkai_app::documents::revise(&ctx(&t.db, &staff, today()), id, &draft2, None)
            .await
            .unwrap_err()
            .code(),
        "conflict"
    );
    assert_eq!(
        act(&t, &p(Role::Reviewer, dept.id), id, Action::Approve)
            .await
            .unwrap(),
        Status::Approved
    );
    assert_eq!(
        act(&t, &staff, id, Action::Publish).await.unwrap(),
        Status::Published
    );
    let mut c = t.db.conn().await.unwrap();
    let doc = documents::public_get(&mut c, id).await.unwrap().unwrap();
    assert_eq!(
        doc.summary.published_on,
        Some(today()),
        "the system sets the publication date"
    );
    assert_eq!(
        doc.summary.doc_number.as_deref(),
        Some("云府办发〔2024〕3号")
    );
    assert_eq!(doc.summary.topic.as_deref(), Some("综合政务\\政务公开"));
    let log: Vec<String> = audit::for_entity(&mut c, "document", &id.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        log,
        [
            "document.register",
            "document.submit",
            "document.revise",
            "document.submit",
            "document.approve",
            "document.publish"
        ]
    );
    assert_eq!(
        audit::outbox_after(&mut c, 0, 100)
            .await
            .unwrap()
            .iter()
            .filter(|o| o.entity_type == "document")
            .count(),
        1
    );
    drop(c);

    // A correction is a new version; the public keeps seeing version 1 until it is published.
    let mut fixed = doc_input("关于做好2024年政务公开工作的通知(更正)", "2024-09-27");
    fixed.body = "更正后的正文".into();
    let fixed = DocumentDraft::parse(&fixed, today()).unwrap();
    let err = gongkai_app::documents::revise(&ctx(&t.db, &staff, today()), id, &fixed, None)
        .await
        .unwrap_err();
    assert_eq!(err.field().unwrap().name, "change_note");
    gongkai_app::documents::revise(&ctx(&t.db, &staff, today()), id, &fixed, Some("更正错别字"))
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let public = documents::public_get(&mut c, id).await.unwrap().unwrap();
    assert_eq!(
        (public.version.version_no, public.version.body.as_str()),
        (1, "第一段\n第二段")
    );
    drop(c);
    publish(&t, dept.id, id).await;
    let mut c = t.db.conn().await.unwrap();
    let public = documents::public_get(&mut c, id).await.unwrap().unwrap();
    assert_eq!(
        (public.version.version_no, public.version.body.as_str()),
        (2, "更正后的正文")
    );
    let history = documents::history(&mut c, id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].change_note.as_deref(), Some("更正错别字"));
    drop(c);

    // Withdrawal: out of the lists, the page keeps a notice.
    let reviewer = p(Role::Reviewer, dept.id);
    assert_eq!(
        act(
            &t,
            &reviewer,
            id,
            Action::Withdraw {
                reason: "内容已过时".into()
            }
        )
        .await
        .unwrap(),
        Status::Withdrawn
    );
    let mut c = t.db.conn().await.unwrap();
    let doc = documents::public_get(&mut c, id).await.unwrap().unwrap();
    assert_eq!(doc.withdraw_reason.as_deref(), Some("内容已过时"));
    assert_eq!(
        documents::public_list(&mut c, &documents::Filter::default(), 1, 10)
            .await
            .unwrap()
            .1,
        0
    );
}

async fn office_approval_for_partial_disclosure(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let mut input = doc_input("某项目环评报告", "2024-01-10");
    input.disclosure_scope = "redacted".into();
    input.withhold_ground = "third_party_rights".into();
    input.attribute_note = "附件含第三方商业秘密,删除后公开".into();
    let id = register(&t, &p(Role::Staff, dept.id), dept.id, &input, None)
        .await
        .unwrap();
    act(&t, &p(Role::Staff, dept.id), id, Action::Submit)
        .await
        .unwrap();
    assert_eq!(
        act(&t, &p(Role::Reviewer, dept.id), id, Action::Approve)
            .await
            .unwrap_err(),
        DomainError::Forbidden
    );
    assert_eq!(
        act(&t, &p(Role::Office, gov.id), id, Action::Approve)
            .await
            .unwrap(),
        Status::Approved
    );
    let doc = documents::staff_get(
        &mut t.db.conn().await.unwrap(),
        &p(Role::Staff, dept.id),
        id,
    )
    .await
    .unwrap();
    assert_eq!(
        doc.version.attribute.unwrap().ground.unwrap().label(),
        "保护第三方合法权益"
    );
}

async fn relations_set_validity_on_both_sides(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let old = register(
        &t,
        &p(Role::Staff, gov.id),
        gov.id,
        &doc_input("旧办法", "2020-01-06"),
        None,
    )
    .await
    .unwrap();
    publish(&t, gov.id, old).await;
    let new = register(
        &t,
        &p(Role::Staff, gov.id),
        gov.id,
        &doc_input("新办法", "2024-01-08"),
        None,
    )
    .await
    .unwrap();
    let who = p(Role::Staff, gov.id);
    let c = ctx(&t.db, &who, today());
    t.db.write(async |tx| {
        gongkai_app::documents::relate_in(tx, &c, Link::new(new, old)?, RelationKind::Replaces)
            .await
    })
    .await
    .unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        documents::public_get(&mut c, old)
            .await
            .unwrap()
            .unwrap()
            .summary
            .validity,
        Validity::Current,
        "not before the new one is published"
    );
    drop(c);
    publish(&t, gov.id, new).await;
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        documents::public_get(&mut c, old)
            .await
            .unwrap()
            .unwrap()
            .summary
            .validity,
        Validity::Repealed
    );
    let back = documents::relations(&mut c, old).await.unwrap();
    assert_eq!(
        (back[0].id, back[0].outgoing, back[0].kind),
        (new, false, RelationKind::Replaces)
    );
    let forward = documents::relations(&mut c, new).await.unwrap();
    assert_eq!((forward[0].id, forward[0].outgoing), (old, true));
    let f = documents::Filter {
        validity: Some(Validity::Repealed),
        ..Default::default()
    };
    assert_eq!(
        documents::public_list(&mut c, &f, 1, 10).await.unwrap().0[0].id,
        old
    );
    drop(c);
    // A document cannot relate to itself: the link is refused before anything is read.
    let err = Link::new(new, new).unwrap_err();
    assert_eq!(err.code(), "invalid-input");
    assert_eq!(err.field(), Some(RelationKind::FIELD));
}

async fn validity_of(t: &TestDb, id: i64) -> Validity {
    let mut c = t.db.conn().await.unwrap();
    documents::public_get(&mut c, id)
        .await
        .unwrap()
        .unwrap()
        .summary
        .validity
}

async fn audit_len(t: &TestDb) -> usize {
    audit::recent(&mut t.db.conn().await.unwrap(), 10_000)
        .await
        .unwrap()
        .len()
}

async fn relate_as(
    t: &TestDb,
    who: &Principal,
    from: i64,
    to: i64,
    kind: RelationKind,
) -> Result<(), DomainError> {
    let c = ctx(&t.db, who, today());
    t.db.write(async |tx| {
        gongkai_app::documents::relate_in(tx, &c, Link::new(from, to)?, kind).await
    })
    .await
}

/// A staff user cannot change another agency's (or even their own agency's) published document
/// by a relation: it takes effect only with the reviewed publication of the source version, and
/// for another agency's document only with the office's approval; it can be withdrawn.
async fn relations_take_effect_only_through_review_and_the_office(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let edu = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    let gov_staff = p(Role::Staff, gov.id);
    let edu_staff = p(Role::Staff, edu.id);
    let office = p(Role::Office, gov.id);
    let target = register(
        &t,
        &gov_staff,
        gov.id,
        &doc_input("区政府办法", "2020-01-06"),
        None,
    )
    .await
    .unwrap();
    publish(&t, gov.id, target).await;
    let own_old = register(
        &t,
        &edu_staff,
        edu.id,
        &doc_input("教育局旧规定", "2020-02-03"),
        None,
    )
    .await
    .unwrap();
    publish(&t, edu.id, own_old).await;
    let source = register(
        &t,
        &edu_staff,
        edu.id,
        &doc_input("教育局新规定", "2024-01-08"),
        None,
    )
    .await
    .unwrap();
    publish(&t, edu.id, source).await;
    let draft_gov = register(
        &t,
        &gov_staff,
        gov.id,
        &doc_input("区政府草稿", "2024-03-01"),
        None,
    )
    .await
    .unwrap();
    let before = audit_len(&t).await;

    // A published source takes no relation: neither to another agency's nor to its own.
    for to in [target, own_old] {
        let e = relate_as(&t, &edu_staff, source, to, RelationKind::Repeals)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "conflict", "{e}");
    }
    // Another agency's staff cannot record one on this source at all.
    assert_eq!(
        relate_as(&t, &edu_staff, draft_gov, target, RelationKind::Repeals).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(validity_of(&t, target).await, Validity::Current);
    assert_eq!(validity_of(&t, own_old).await, Validity::Current);
    assert_eq!(
        audit_len(&t).await,
        before,
        "refused relations write nothing"
    );

    // A correction (new version) carries relations; they wait for its review.
    let draft =
        DocumentDraft::parse(&doc_input("教育局新规定(修订)", "2024-01-08"), today()).unwrap();
    gongkai_app::documents::revise(
        &ctx(&t.db, &edu_staff, today()),
        source,
        &draft,
        Some("增加废止关系"),
    )
    .await
    .unwrap();
    relate_as(&t, &edu_staff, source, target, RelationKind::Repeals)
        .await
        .unwrap();
    relate_as(&t, &edu_staff, source, own_old, RelationKind::Amends)
        .await
        .unwrap();
    assert_eq!(validity_of(&t, target).await, Validity::Current);
    assert_eq!(validity_of(&t, own_old).await, Validity::Current);
    let recorded = documents::recorded_relations(&mut t.db.conn().await.unwrap(), source)
        .await
        .unwrap();
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded
            .iter()
            .any(|r| r.to_id == target && r.awaits_office())
    );
    assert!(
        documents::relations(&mut t.db.conn().await.unwrap(), target)
            .await
            .unwrap()
            .is_empty()
    );

    publish(&t, edu.id, source).await;
    assert_eq!(
        validity_of(&t, own_old).await,
        Validity::Amended,
        "own agency: in effect"
    );
    assert_eq!(
        validity_of(&t, target).await,
        Validity::Current,
        "another agency's document waits for the office"
    );
    // Only the office approves.
    for who in [
        edu_staff,
        p(Role::Reviewer, edu.id),
        p(Role::Reviewer, gov.id),
    ] {
        let e =
            gongkai_app::documents::approve_relation(&ctx(&t.db, &who, today()), source, target)
                .await
                .unwrap_err();
        assert_eq!(e, DomainError::Forbidden);
    }
    gongkai_app::documents::approve_relation(&ctx(&t.db, &office, today()), source, target)
        .await
        .unwrap();
    assert_eq!(validity_of(&t, target).await, Validity::Repealed);
    let back = documents::relations(&mut t.db.conn().await.unwrap(), target)
        .await
        .unwrap();
    assert_eq!((back[0].id, back[0].outgoing), (source, false));

    // Withdrawn: the target's validity is restored, and the step is audited.
    assert_eq!(
        gongkai_app::documents::withdraw_relation(
            &ctx(&t.db, &p(Role::Staff, gov.id), today()),
            source,
            target
        )
        .await,
        Err(DomainError::Forbidden),
        "the target's agency does not withdraw the source's relation"
    );
    gongkai_app::documents::withdraw_relation(&ctx(&t.db, &edu_staff, today()), source, target)
        .await
        .unwrap();
    assert_eq!(validity_of(&t, target).await, Validity::Current);
    assert!(
        documents::relations(&mut t.db.conn().await.unwrap(), target)
            .await
            .unwrap()
            .is_empty()
    );
    let history = audit::for_entity(
        &mut t.db.conn().await.unwrap(),
        "document",
        &source.to_string(),
    )
    .await
    .unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.action == "document.relation_withdraw")
    );
    assert!(
        history
            .iter()
            .any(|h| h.action == "document.relation_approve")
    );
    let target_history = audit::for_entity(
        &mut t.db.conn().await.unwrap(),
        "document",
        &target.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(
        target_history
            .iter()
            .filter(|h| h.action == "document.validity")
            .count(),
        2,
        "repealed, then restored"
    );
}

async fn public_lists_filter_and_page(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let staff = p(Role::Staff, gov.id);
    for i in 0..7 {
        let mut input = doc_input(
            &format!("第{i}号文件"),
            if i < 4 { "2023-03-01" } else { "2024-03-01" },
        );
        if i % 2 == 0 {
            input.kind = "opinion".into();
            input.topic = "科技、教育\\教育".into();
        }
        let id = register(&t, &staff, gov.id, &input, None).await.unwrap();
        publish(&t, gov.id, id).await;
    }
    register(
        &t,
        &staff,
        gov.id,
        &doc_input("未发布文件", "2024-03-01"),
        None,
    )
    .await
    .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let (rows, total) = documents::public_list(&mut c, &documents::Filter::default(), 1, 3)
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (3, 7));
    let (rows, _) = documents::public_list(&mut c, &documents::Filter::default(), 3, 3)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let f = documents::Filter {
        kind: Some(DocKind::Opinion),
        ..Default::default()
    };
    assert_eq!(
        documents::public_list(&mut c, &f, 1, 50).await.unwrap().1,
        4
    );
    let f = documents::Filter {
        year: Some(2023),
        ..Default::default()
    };
    assert_eq!(
        documents::public_list(&mut c, &f, 1, 50).await.unwrap().1,
        4
    );
    let f = documents::Filter {
        topic: Some("科技、教育".into()),
        ..Default::default()
    };
    assert_eq!(
        documents::public_list(&mut c, &f, 1, 50).await.unwrap().1,
        4
    );
    let f = documents::Filter {
        topic: Some("综合政务\\政务公开".into()),
        year: Some(2024),
        ..Default::default()
    };
    assert_eq!(
        documents::public_list(&mut c, &f, 1, 50).await.unwrap().1,
        1
    );
    // Page size is capped.
    let (rows, _) = documents::public_list(&mut c, &documents::Filter::default(), 1, 100_000)
        .await
        .unwrap();
    assert!(rows.len() <= documents::MAX_PAGE_SIZE as usize);
    assert_eq!(
        documents::unpublished(&mut c, &staff).await.unwrap().len(),
        1
    );
    assert_eq!(
        documents::staff_list(&mut c, &staff, Some(Status::Draft), 50)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn timestamps_and_dates_round_trip(t: TestDb) {
    let mut tx = t.db.begin().await.unwrap();
    let at = tx.now();
    calendar::set_override(
        &mut tx,
        &actor(),
        &CalendarOverride::parse("2024-02-29", true, "闰日").unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    let row = c
        .fetch_one(Sql::new("SELECT day, created_at FROM calendar_overrides"))
        .await
        .unwrap();
    assert_eq!(
        row.get::<NaiveDate>("day").unwrap(),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert_eq!(
        row.get::<chrono::DateTime<chrono::Utc>>("created_at")
            .unwrap(),
        at
    );
    // Range comparisons on dates work on both backends.
    let n: i64 = c
        .fetch_one(
            Sql::new("SELECT COUNT(*) AS n FROM calendar_overrides WHERE day >= $1 AND day < $2")
                .bind(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap())
                .bind(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()),
        )
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(n, 1);
}

async fn interpretations_published_together(t: TestDb) {
    use gongkai_domain::interpretation::{InterpretationDraft, InterpretationInput};
    use gongkai_store::interpretations;
    add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let staff = p(Role::Staff, dept.id);
    let mut input = doc_input("云溪区促进就业若干措施", "2026-11-02");
    input.needs_interpretation = true;
    let policy = register(&t, &staff, dept.id, &input, None).await.unwrap();
    let second = register(&t, &staff, dept.id, &input, None).await.unwrap();
    for id in [policy, second] {
        act(&t, &staff, id, Action::Submit).await.unwrap();
        act(&t, &p(Role::Reviewer, dept.id), id, Action::Approve)
            .await
            .unwrap();
    }
    // 三同步: no interpretation, no waiver → not published, nothing changes.
    let err = act(&t, &staff, policy, Action::Publish).await.unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("三同步"));
    let doc = documents::staff_get(&mut t.db.conn().await.unwrap(), &staff, policy)
        .await
        .unwrap();
    assert_eq!(doc.version.status, Status::Approved);

    let draft = |title: &str, form: &str| {
        InterpretationDraft::parse(&InterpretationInput {
            title: title.into(),
            form: form.into(),
            body: "解读要点".into(),
            link: String::new(),
        })
        .unwrap()
    };
    let graphic = draft("一图读懂促进就业若干措施", "graphic");
    // Who may interpret which policy is the use case's rule (app tests); here, the rows.
    let i1 = t
        .db
        .write(async |tx| interpretations::insert(tx, dept.id, None, &graphic, &[policy]).await)
        .await
        .unwrap();
    let text = draft("促进就业若干措施政策问答", "text");
    t.db.write(async |tx| interpretations::insert(tx, dept.id, None, &text, &[policy]).await)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(
        interpretations::public_get(&mut c, i1)
            .await
            .unwrap()
            .is_none(),
        "not public before its policy"
    );
    drop(c);
    assert_eq!(
        act(&t, &staff, policy, Action::Publish).await.unwrap(),
        Status::Published
    );
    let mut c = t.db.conn().await.unwrap();
    let (i, policies) = interpretations::public_get(&mut c, i1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (i.title.as_str(), policies[0].0),
        ("一图读懂促进就业若干措施", policy)
    );
    assert_eq!(
        interpretations::for_document(&mut c, policy)
            .await
            .unwrap()
            .len(),
        2
    );
    drop(c);

    // The exception: only a reviewer records why, then it may be published without one.
    let err = gongkai_app::documents::waive_interpretation(
        &ctx(&t.db, &staff, today()),
        second,
        "程序性规定",
    )
    .await
    .unwrap_err();
    assert_eq!(err, DomainError::Forbidden);
    let reviewer = p(Role::Reviewer, dept.id);
    gongkai_app::documents::waive_interpretation(
        &ctx(&t.db, &reviewer, today()),
        second,
        "属于程序性规定,无需解读",
    )
    .await
    .unwrap();
    assert_eq!(
        act(&t, &staff, second, Action::Publish).await.unwrap(),
        Status::Published
    );

    let mut c = t.db.conn().await.unwrap();
    let cov = interpretations::coverage(&mut c, 2026).await.unwrap();
    assert_eq!(cov.len(), 1);
    let (agency, _, figures) = &cov[0];
    assert_eq!(*agency, dept.id);
    assert_eq!(
        (figures.policies, figures.interpreted, figures.diverse),
        (2, 1, 1)
    );
    assert_eq!(
        (figures.interpreted_percent(), figures.diverse_percent()),
        (Some(50), Some(100))
    );
    assert!(
        interpretations::coverage(&mut c, 2025)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn catalogue_items_and_their_content(t: TestDb) {
    use gongkai_domain::catalogue::{ItemDraft, ItemHealth, ItemInput, health};
    use gongkai_store::catalogue;
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let staff = p(Role::Staff, dept.id);
    let published = register(
        &t,
        &staff,
        dept.id,
        &doc_input("2024年部门预算", "2024-02-01"),
        None,
    )
    .await
    .unwrap();
    publish(&t, dept.id, published).await;
    let draft_doc = register(
        &t,
        &staff,
        dept.id,
        &doc_input("未发布的预算说明", "2024-02-01"),
        None,
    )
    .await
    .unwrap();
    let other_doc = register(
        &t,
        &p(Role::Staff, gov.id),
        gov.id,
        &doc_input("政府文件", "2024-02-01"),
        None,
    )
    .await
    .unwrap();
    let _ = (draft_doc, other_doc);
    let item = |name: &str, parent: &str| {
        ItemDraft::parse(&ItemInput {
            name: name.into(),
            parent: parent.into(),
            refresh_days: "365".into(),
            time_limit: "20".into(),
            ..Default::default()
        })
        .unwrap()
    };
    // The rules (agency scope, parents, what may be filed) are the use case's (app tests);
    // here, the rows and what is counted as content.
    let insert = async |d: ItemDraft| {
        t.db.write(async |tx| catalogue::insert_item(tx, dept.id, &d).await)
            .await
            .unwrap()
    };
    let root = insert(item("财政信息", "")).await;
    let child = insert(item("部门预决算", &root.to_string())).await;
    insert(item("政府采购", &root.to_string())).await;
    for index in ["YX0201/2024-00001", "YX0201/2024-00002"] {
        t.db.write(async |tx| {
            let doc = documents::id_by_index(tx, index).await?.unwrap();
            catalogue::insert_filing(tx, child, doc).await?;
            // Filed twice, stored once.
            catalogue::insert_filing(tx, child, doc).await
        })
        .await
        .unwrap();
    }
    let other = p(Role::Staff, gov.id);
    let mut c = t.db.conn().await.unwrap();
    let tree = catalogue::tree_order(catalogue::items(&mut c, dept.id).await.unwrap());
    let shape: Vec<(usize, &str, i64)> = tree
        .iter()
        .map(|(d, i)| (*d, i.name.as_str(), i.filed))
        .collect();
    assert_eq!(
        shape,
        [(0, "财政信息", 0), (1, "部门预决算", 1), (1, "政府采购", 0)],
        "only public content counts"
    );
    let budget = &tree[1].1;
    assert_eq!(budget.latest, Some(today()));
    assert_eq!(
        health(
            budget.latest,
            budget.refresh_days.map(|d| d as u32),
            today()
        ),
        ItemHealth::Current
    );
    assert_eq!(
        health(tree[2].1.latest, Some(365), today()),
        ItemHealth::Empty
    );
    let (content, total) = catalogue::content(&mut c, child, 1, 20).await.unwrap();
    assert_eq!((content.len(), total), (1, 1));
    assert_eq!(
        catalogue::all_items(&mut c, &p(Role::Office, gov.id))
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(catalogue::all_items(&mut c, &other).await.unwrap().len(), 0);
}
