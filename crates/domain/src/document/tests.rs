use super::*;
use crate::user::Role;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn who(role: Role, agency_id: i64) -> Principal {
    Principal {
        user_id: 1,
        role,
        agency_id,
    }
}

fn full() -> Attribute {
    Attribute::parse("proactive", "full", "", "")
        .unwrap()
        .unwrap()
}

fn redacted() -> Attribute {
    Attribute::parse(
        "主动公开",
        "删减后公开",
        "third_party_rights",
        "附件含个人信息",
    )
    .unwrap()
    .unwrap()
}

#[test]
fn kinds_and_validity_parse_codes_and_labels() {
    assert_eq!(DocKind::ALL.len(), 16);
    assert_eq!(DocKind::parse("通知").unwrap(), DocKind::Notice);
    assert_eq!(DocKind::parse("public_notice").unwrap().label(), "通告");
    assert_eq!(
        DocKind::parse("公函").unwrap_err().field().unwrap().name,
        "kind"
    );
    assert_eq!(Validity::parse("已废止").unwrap(), Validity::Repealed);
    assert_eq!(RelationKind::Replaces.target_validity(), Validity::Repealed);
    assert_eq!(RelationKind::Amends.target_validity(), Validity::Amended);
    assert_eq!(WithholdGround::ALL.len(), 8);
    assert_eq!(WithholdGround::ThirdPartyRights.article(), "第十五条");
}

#[test]
fn attributes_need_grounds_unless_fully_proactive() {
    assert_eq!(Attribute::parse("", "", "", "").unwrap(), None);
    assert!(!full().needs_office_approval());
    assert!(redacted().needs_office_approval());
    let withheld = Attribute::parse("withheld", "full", "process_information", "讨论稿")
        .unwrap()
        .unwrap();
    assert_eq!(withheld.scope, None);
    assert_eq!(withheld.summary(), "不予公开");
    // No ground, or no explanation, for anything but full proactive disclosure.
    let e = Attribute::parse("on_request", "", "", "x").unwrap_err();
    assert_eq!(e.field().unwrap().name, "ground");
    let e = Attribute::parse("withheld", "", "state_secret", " ").unwrap_err();
    assert_eq!(e.field().unwrap().name, "attribute_note");
    // A ground on a fully public record is a contradiction.
    assert!(Attribute::parse("proactive", "full", "state_secret", "x").is_err());
    assert_eq!(
        Attribute::parse("secret", "", "", "")
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "disclosure_mode"
    );
}

#[test]
fn submit_without_attribute_is_returned_with_a_reason() {
    let t = transition(
        Status::Draft,
        &Action::Submit,
        &who(Role::Staff, 7),
        7,
        None,
    )
    .unwrap();
    assert_eq!(t.to, Status::Returned);
    assert_eq!(t.reason.as_deref(), Some(MISSING_ATTRIBUTE));
    let t = transition(
        Status::Returned,
        &Action::Submit,
        &who(Role::Staff, 7),
        7,
        Some(&full()),
    )
    .unwrap();
    assert_eq!(t.to, Status::Submitted);
}

#[test]
fn the_full_workflow() {
    let staff = who(Role::Staff, 7);
    let reviewer = who(Role::Reviewer, 7);
    let a = full();
    let s = transition(Status::Draft, &Action::Submit, &staff, 7, Some(&a))
        .unwrap()
        .to;
    let s = transition(s, &Action::Approve, &reviewer, 7, Some(&a))
        .unwrap()
        .to;
    assert_eq!(s, Status::Approved);
    let s = transition(s, &Action::Publish, &staff, 7, Some(&a))
        .unwrap()
        .to;
    assert_eq!(s, Status::Published);
    let w = transition(
        s,
        &Action::Withdraw {
            reason: "内容有误".into(),
        },
        &reviewer,
        7,
        Some(&a),
    )
    .unwrap();
    assert_eq!(
        (w.to, w.reason.as_deref()),
        (Status::Withdrawn, Some("内容有误"))
    );
}

#[test]
fn who_may_do_what() {
    let a = full();
    let r = redacted();
    let ret = Action::Return {
        reason: "请补充附件".into(),
    };
    // Staff cannot approve or return; other agencies cannot act at all.
    assert_eq!(
        transition(
            Status::Submitted,
            &Action::Approve,
            &who(Role::Staff, 7),
            7,
            Some(&a)
        ),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        transition(Status::Submitted, &ret, &who(Role::Staff, 7), 7, Some(&a)),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        transition(
            Status::Draft,
            &Action::Submit,
            &who(Role::Staff, 8),
            7,
            Some(&a)
        ),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        transition(
            Status::Submitted,
            &Action::Approve,
            &who(Role::Reviewer, 8),
            7,
            Some(&a)
        ),
        Err(DomainError::Forbidden)
    );
    // Anything but full proactive disclosure needs the disclosure office.
    assert_eq!(
        transition(
            Status::Submitted,
            &Action::Approve,
            &who(Role::Reviewer, 7),
            7,
            Some(&r)
        ),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        transition(
            Status::Submitted,
            &Action::Approve,
            &who(Role::Office, 1),
            7,
            Some(&r)
        )
        .unwrap()
        .to,
        Status::Approved
    );
    assert_eq!(
        transition(Status::Submitted, &ret, &who(Role::Office, 1), 7, Some(&r))
            .unwrap()
            .to,
        Status::Returned
    );
}

#[test]
fn wrong_states_and_empty_reasons_are_refused() {
    let a = full();
    let staff = who(Role::Staff, 7);
    let office = who(Role::Office, 1);
    assert_eq!(
        transition(Status::Draft, &Action::Publish, &staff, 7, Some(&a))
            .unwrap_err()
            .code(),
        "conflict"
    );
    assert_eq!(
        transition(Status::Published, &Action::Submit, &staff, 7, Some(&a))
            .unwrap_err()
            .code(),
        "conflict"
    );
    assert_eq!(
        transition(
            Status::Submitted,
            &Action::Return { reason: " ".into() },
            &office,
            7,
            Some(&a)
        )
        .unwrap_err()
        .code(),
        "invalid-input"
    );
    assert_eq!(
        transition(
            Status::Published,
            &Action::Withdraw { reason: "".into() },
            &office,
            7,
            Some(&a)
        )
        .unwrap_err()
        .code(),
        "invalid-input"
    );
    // Approved on-request or withheld records are registered, never published on the site.
    let on_request = Attribute::parse("on_request", "full", "internal_affairs", "内部管理")
        .unwrap()
        .unwrap();
    let e = transition(
        Status::Approved,
        &Action::Publish,
        &office,
        7,
        Some(&on_request),
    )
    .unwrap_err();
    assert!(e.to_string().contains("只有主动公开"));
}

#[test]
fn dates_are_checked() {
    let today = d("2026-11-23");
    assert!(check_dates(d("2026-11-20"), Some(d("2026-11-23")), None, today).is_ok());
    assert_eq!(
        check_dates(d("2026-11-24"), None, None, today)
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "formed_on"
    );
    assert_eq!(
        check_dates(d("2026-11-20"), Some(d("2026-11-19")), None, today)
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "published_on"
    );
    assert_eq!(
        check_dates(d("2026-11-20"), None, Some(d("2026-01-01")), today)
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "effective_on"
    );
}

#[test]
fn publication_clock_over_national_day_2024() {
    let cal = WorkCalendar::official();
    // Formed 2024-09-27: 20 working days later is 2024-10-30 (see the calendar tests).
    let c = publication_clock(&cal, d("2024-09-27"), 20, None, d("2024-10-10")).unwrap();
    assert_eq!((c.due, c.state), (d("2024-10-30"), ClockState::OnTime));
    assert!(
        c.span
            .explain()
            .iter()
            .any(|l| l.contains("国庆节(法定节假日):不计入 7 天"))
    );
    assert_eq!(
        publication_clock(&cal, d("2024-09-27"), 20, None, d("2024-10-25"))
            .unwrap()
            .state,
        ClockState::DueSoon
    );
    assert_eq!(
        publication_clock(&cal, d("2024-09-27"), 20, None, d("2024-10-30"))
            .unwrap()
            .state,
        ClockState::DueSoon
    );
    assert_eq!(
        publication_clock(&cal, d("2024-09-27"), 20, None, d("2024-10-31"))
            .unwrap()
            .state,
        ClockState::Overdue
    );
    assert_eq!(
        publication_clock(
            &cal,
            d("2024-09-27"),
            20,
            Some(d("2024-10-30")),
            d("2024-12-01")
        )
        .unwrap()
        .state,
        ClockState::PublishedOnTime
    );
    assert_eq!(
        publication_clock(
            &cal,
            d("2024-09-27"),
            20,
            Some(d("2024-10-31")),
            d("2024-12-01")
        )
        .unwrap()
        .state,
        ClockState::PublishedLate
    );
    // Shanghai's 10-day rule.
    // 09-29 and 10-12 are make-up working days: the tenth working day is 10-16.
    assert_eq!(
        publication_clock(&cal, d("2024-09-27"), 10, None, d("2024-10-01"))
            .unwrap()
            .due,
        d("2024-10-16")
    );
}

fn input() -> DocumentInput {
    DocumentInput {
        title: "关于印发《2021年政务公开工作要点》的通知".into(),
        doc_number: "嘉府办发[2021]18号".into(),
        kind: "通知".into(),
        topic: "综合政务\\政务公开".into(),
        keywords: "政务公开、工作要点".into(),
        formed_on: "2021-04-16".into(),
        body: "各镇人民政府:\n现将要点印发给你们。".into(),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    }
}

#[test]
fn draft_parses_and_normalises() {
    let draft = DocumentDraft::parse(&input(), d("2026-11-23")).unwrap();
    assert_eq!(
        draft.doc_number.unwrap().to_string(),
        "嘉府办发〔2021〕18号"
    );
    assert_eq!(draft.keywords, ["政务公开", "工作要点"]);
    assert_eq!(draft.kind, DocKind::Notice);
    assert_eq!(draft.attribute.unwrap().scope, Some(DisclosureScope::Full));
    let mut i = input();
    i.disclosure_mode.clear();
    assert_eq!(
        DocumentDraft::parse(&i, d("2026-11-23")).unwrap().attribute,
        None
    );
}

#[test]
fn draft_rejects_bad_fields() {
    let today = d("2026-11-23");
    type Change = fn(&mut DocumentInput);
    let cases: [(Change, &str); 8] = [
        (|i| i.doc_number = "嘉府办发〔21〕18号".into(), "doc_number"),
        (|i| i.formed_on = "2026-12-01".into(), "formed_on"),
        (|i| i.formed_on = "2021-02-30".into(), "formed_on"),
        (|i| i.effective_on = "2021-01-01".into(), "effective_on"),
        (|i| i.topic = "不存在\\主题".into(), "topic"),
        (
            |i| i.title = "通知<script>alert(1)</script>".into(),
            "title",
        ),
        (
            |i| i.body = "正文<img src=x onerror=alert(1)>".into(),
            "body",
        ),
        (|i| i.kind = "便条".into(), "kind"),
    ];
    for (change, field) in cases {
        let mut i = input();
        change(&mut i);
        let err = DocumentDraft::parse(&i, today).unwrap_err();
        assert_eq!(err.field().map(|f| f.name), Some(field), "{err}");
    }
}

#[test]
fn a_review_step_is_named_by_its_code_and_carries_its_reason() {
    for code in ["submit", "return", "approve", "publish", "withdraw"] {
        let a = Action::parse(&format!(" {code} "), "理由").unwrap();
        assert_eq!(a.name(), code);
    }
    assert_eq!(
        Action::parse("return", "请补充依据").unwrap(),
        Action::Return {
            reason: "请补充依据".into()
        }
    );
    let e = Action::parse("delete", "").unwrap_err();
    assert_eq!(e.code(), "invalid-input");
    assert!(
        e.to_string()
            .contains("submit、return、approve、publish、withdraw"),
        "{e}"
    );
    // The timeline's step names of a request are one labelled enum: the form's codes.
    use crate::Code;
    use crate::request::workflow::EventKind;
    assert_eq!(
        EventKind::from_code("draft_reply"),
        Some(EventKind::DraftReply)
    );
    assert_eq!(EventKind::from_code("拟答复"), None);
}

proptest::proptest! {
    /// A review step's code with the blanks a form or a script may leave around it (half- or
    /// full-width) is the step; any other word is refused with the codes listed.
    #[test]
    fn a_review_step_code_reads_through_blanks_and_nothing_else_does(
        i in 0usize..5,
        lead in "[ \u{3000}\t]{0,3}",
        trail in "[ \u{3000}\t]{0,3}",
        other in "[a-z_]{1,12}",
    ) {
        let codes = ["submit", "return", "approve", "publish", "withdraw"];
        let a = Action::parse(&format!("{lead}{}{trail}", codes[i]), "理由").unwrap();
        proptest::prop_assert_eq!(a.name(), codes[i]);
        let r = Action::parse(&other, "");
        proptest::prop_assert_eq!(r.is_ok(), codes.contains(&other.as_str()));
    }
}

#[test]
fn a_change_is_kept_in_place_as_a_new_version_or_refused_by_status() {
    for s in [Status::Draft, Status::Returned] {
        assert_eq!(revision(s, None, None), Ok(Revision::InPlace));
    }
    for s in [Status::Published, Status::Withdrawn] {
        assert_eq!(
            revision(s, Some(&full()), Some(" 更正错别字 ")),
            Ok(Revision::NewVersion {
                note: "更正错别字".into()
            })
        );
        assert!(
            revision(s, Some(&full()), None).is_err(),
            "a new version says what changed"
        );
        assert!(revision(s, Some(&full()), Some("　")).is_err());
    }
    // Approved and about to be published: publish first, so the reviewed text goes out.
    assert!(revision(Status::Approved, Some(&full()), Some("改")).is_err());
    let on_request = Attribute {
        mode: DisclosureMode::OnRequest,
        ..full()
    };
    assert!(matches!(
        revision(Status::Approved, Some(&on_request), Some("改")),
        Ok(Revision::NewVersion { .. })
    ));
    assert!(revision(Status::Submitted, Some(&full()), Some("改")).is_err());
}

#[test]
fn only_reviewers_and_the_office_waive_an_interpretation_with_a_reason() {
    assert_eq!(
        check_waiver(&who(Role::Reviewer, 1), 1, " 程序性规定 "),
        Ok("程序性规定".into())
    );
    assert!(check_waiver(&who(Role::Office, 9), 1, "程序性规定").is_ok());
    assert_eq!(
        check_waiver(&who(Role::Staff, 1), 1, "程序性规定"),
        Err(DomainError::Forbidden)
    );
    assert!(check_waiver(&who(Role::Reviewer, 2), 1, "程序性规定").is_err());
    assert!(check_waiver(&who(Role::Reviewer, 1), 1, "是").is_err());
}
