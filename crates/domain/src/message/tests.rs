use chrono::NaiveDate;

use super::*;
use crate::calendar::WorkCalendar;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn input() -> MessageInput {
    MessageInput {
        title: "关于养犬登记的咨询".into(),
        body: "请问养犬登记可以在网上办理吗?需要哪些材料?".into(),
        name: "王小明".into(),
        phone: "13800138000".into(),
        consent: "on".into(),
        ..Default::default()
    }
}

#[test]
fn a_message_needs_title_body_and_name_and_refuses_robots_and_script() {
    let m = MessageDraft::parse(&input()).unwrap();
    assert!(m.consent && m.email.is_none());
    for (change, want) in [
        (
            MessageInput {
                title: "问".into(),
                ..input()
            },
            "标题",
        ),
        (
            MessageInput {
                body: "太短".into(),
                ..input()
            },
            "留言内容",
        ),
        (
            MessageInput {
                name: " ".into(),
                ..input()
            },
            "姓名",
        ),
        (
            MessageInput {
                body: "<script>alert(1)</script>请问如何办理?".into(),
                ..input()
            },
            "脚本",
        ),
        (
            MessageInput {
                website: "x".into(),
                ..input()
            },
            "未通过校验",
        ),
        (
            MessageInput {
                phone: "12345".into(),
                ..input()
            },
            "7 位数字",
        ),
        (
            MessageInput {
                email: "not-an-address".into(),
                ..input()
            },
            "电子邮箱",
        ),
    ] {
        let e = MessageDraft::parse(&change).unwrap_err();
        assert!(e.to_string().contains(want), "{want}: {e}");
    }
}

#[test]
fn triage_then_reply_in_order_only() {
    use Status::*;
    let accept = Step::parse("accept", "", false).unwrap();
    let reply = Step::parse(
        "reply",
        "可以在“随申办”办理,材料为身份证和犬只照片。",
        false,
    )
    .unwrap();
    let transfer = Step::parse("transfer", "属于公安分局职责", false).unwrap();
    assert_eq!(transition(Received, &accept).unwrap(), Accepted);
    assert_eq!(transition(Accepted, &reply).unwrap(), Replied);
    assert_eq!(transition(Received, &transfer).unwrap(), Transferred);
    assert_eq!(transition(Accepted, &transfer).unwrap(), Transferred);
    for (s, step) in [
        (Received, &reply),
        (Replied, &accept),
        (Invalid, &accept),
        (Transferred, &reply),
    ] {
        assert!(transition(s, step).is_err(), "{s:?} {step:?}");
    }
    assert!(
        Step::parse("invalid", "", false).is_err(),
        "a reason is required"
    );
    assert!(
        Step::parse("reply", "好的", false).is_err(),
        "a reply says something"
    );
    assert!(Step::parse("delete", "", false).is_err());
}

#[test]
fn limits_count_working_days_over_national_day() {
    let cal = WorkCalendar::official();
    // Received on Monday 28 September 2026: the National Day holiday (1–7 October) does not
    // count and the make-up Saturday does; five working days end on Saturday 10 October.
    let due = due_on(&cal, d("2026-09-28"), DEFAULT_REPLY_WORKDAYS).unwrap();
    assert_eq!(due, d("2026-10-10"));
    // A simple question received on Wednesday 30 September is due on Thursday 8 October.
    assert_eq!(
        due_on(&cal, d("2026-09-30"), SIMPLE_REPLY_WORKDAYS).unwrap(),
        d("2026-10-08")
    );
    let s = |today, replied| due_state(&cal, Status::Accepted, due, replied, d(today)).unwrap();
    assert_eq!(s("2026-09-29", None), DueState::OnTime);
    assert_eq!(s("2026-10-08", None), DueState::OnTime);
    assert_eq!(s("2026-10-09", None), DueState::DueSoon);
    assert_eq!(s("2026-10-10", None), DueState::DueSoon);
    assert_eq!(s("2026-10-11", None), DueState::Overdue);
    assert_eq!(
        s("2026-10-20", Some(d("2026-10-10"))),
        DueState::RepliedOnTime
    );
    assert_eq!(
        s("2026-10-20", Some(d("2026-10-12"))),
        DueState::RepliedLate
    );
    assert_eq!(
        due_state(&cal, Status::Invalid, due, None, d("2026-12-01")).unwrap(),
        DueState::Closed
    );
}

#[test]
fn three_months_unanswered_is_flagged() {
    assert!(!is_stale(
        Status::Accepted,
        d("2026-09-01"),
        d("2026-12-01")
    ));
    assert!(is_stale(Status::Accepted, d("2026-09-01"), d("2026-12-02")));
    assert!(is_stale(Status::Received, d("2026-08-31"), d("2026-12-01")));
    assert!(!is_stale(Status::Replied, d("2026-01-01"), d("2026-12-01")));
    assert!(!is_stale(Status::Invalid, d("2026-01-01"), d("2026-12-01")));
}

#[test]
fn the_published_copy_needs_consent_a_reply_and_no_personal_details() {
    let i = PublicationInput {
        public_title: "养犬登记能否网上办理".into(),
        public_body: "请问养犬登记可以在网上办理吗?".into(),
        public_reply: "可以在“随申办”办理,材料为身份证和犬只照片。".into(),
    };
    let p = |status, consent, i: &PublicationInput| {
        Publication::parse(i, status, consent, "王小明", Some("13800138000"), None)
    };
    assert!(p(Status::Replied, true, &i).is_ok());
    assert!(
        p(Status::Replied, false, &i)
            .unwrap_err()
            .to_string()
            .contains("未同意公开")
    );
    assert!(
        p(Status::Accepted, true, &i)
            .unwrap_err()
            .to_string()
            .contains("答复后")
    );
    let leaky = PublicationInput {
        public_body: "我是王小明,电话13800138000,请问养犬登记可以在网上办理吗?".into(),
        ..i.clone()
    };
    let e = p(Status::Replied, true, &leaky).unwrap_err();
    assert!(e.to_string().contains("个人信息"), "{e}");
    // The writer's details however typed, and anyone's ID number.
    for body in [
        "我是王 小明,请问养犬登记可以在网上办理吗?",
        "电话 138 0013 8000,请问养犬登记可以在网上办理吗?",
        "电话 138-0013-8000,请问养犬登记可以在网上办理吗?",
        "电话１３８００１３８０００,请问养犬登记可以在网上办理吗?",
        "身份证 110101-19900307-7715,请问养犬登记可以在网上办理吗?",
    ] {
        let leaky = PublicationInput {
            public_body: body.into(),
            ..i.clone()
        };
        let e = p(Status::Replied, true, &leaky).unwrap_err();
        assert!(e.to_string().contains("个人信息"), "{body}: {e}");
    }
    let with_mail = Publication::parse(
        &PublicationInput {
            public_body: "请回复至 WANG＠EXAMPLE.CN,养犬登记可以在网上办理吗?".into(),
            ..i.clone()
        },
        Status::Replied,
        true,
        "王小明",
        None,
        Some("wang@example.cn"),
    );
    assert!(
        with_mail.is_err(),
        "an e-mail in capitals with a full-width ＠"
    );
}

#[test]
fn figures_count_valid_messages_on_time_and_stale() {
    let cal = WorkCalendar::official();
    let m = |status, received: &str, due: &str, replied: Option<&str>| HandledMessage {
        status,
        received_on: d(received),
        due_on: d(due),
        replied_on: replied.map(d),
    };
    let s = box_stats(
        &cal,
        &[
            m(
                Status::Replied,
                "2026-09-28",
                "2026-10-10",
                Some("2026-10-10"),
            ),
            m(
                Status::Replied,
                "2026-11-02",
                "2026-11-09",
                Some("2026-11-11"),
            ),
            m(Status::Accepted, "2026-08-03", "2026-08-10", None),
            m(Status::Invalid, "2026-11-20", "2026-11-27", None),
        ],
        d("2026-12-01"),
    )
    .unwrap();
    assert_eq!(
        (s.received, s.valid, s.replied, s.replied_on_time),
        (4, 3, 2, 1)
    );
    assert_eq!((s.overdue, s.stale), (1, 1));
    // 28 Sep → 10 Oct is 5 working days (the holiday skipped, the make-up Saturday counted);
    // 2 → 11 Nov is 7.
    assert_eq!(s.average_workdays, Some(6.0));
    assert_eq!(s.on_time_percent(), Some(50.0));
}
