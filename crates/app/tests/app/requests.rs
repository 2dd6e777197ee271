//! Requests in the store: intake, the tracking key, the handling steps with their clock, and
//! refusals that change nothing.

use gongkai_app::requests::{self as app, Action as R};
use gongkai_domain::request::clock::{ClockState, PauseKind};
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::request::outcome::Outcome;
use gongkai_domain::request::workflow::Status as RStatus;
use gongkai_store::requests;

use super::*;

both!(
    requests_are_filed_tracked_and_handled,
    request_steps_out_of_turn_change_nothing,
);

fn input() -> RequestInput {
    RequestInput {
        applicant_kind: "person".into(),
        name: "王小明".into(),
        id_type: "resident_id".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800138000".into(),
        description: "2024年区级重大建设项目的批准文件".into(),
        delivery_form: "electronic".into(),
        delivery_channel: "online".into(),
        ..Default::default()
    }
}

async fn setup(t: &TestDb) -> (i64, Principal, Principal) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let mut tx = t.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (name, role) in [("staff", "staff"), ("reviewer", "reviewer")] {
        let d = UserDraft::parse(name, "", role).unwrap();
        let u = gongkai_testing::fixtures::add_user(&mut tx, &d, "YX0201", "password 123456").await;
        ids.push(u.id);
    }
    tx.commit().await.unwrap();
    let _ = gov;
    let p = |id, role| Principal {
        user_id: id,
        role,
        agency_id: drc.id,
    };
    (drc.id, p(ids[0], Role::Staff), p(ids[1], Role::Reviewer))
}

async fn step(
    t: &TestDb,
    who: &Principal,
    id: i64,
    a: R,
    today: &str,
) -> Result<RStatus, DomainError> {
    let today = day(today);
    app::act(&ctx(&t.db, who, today), id, &a).await
}

async fn requests_are_filed_tracked_and_handled(t: TestDb) {
    let (agency, staff, reviewer) = setup(&t).await;
    // Filed online on the Friday before National Day 2024; confirmed on the Monday.
    let draft = RequestDraft::parse_online(&input(), day("2024-09-27")).unwrap();
    let s = app::submit(&public(&t.db), agency, &draft).await.unwrap();
    assert!(s.tracking_code.starts_with("YSQ2024-"));
    let mut c = t.db.conn().await.unwrap();
    assert!(
        requests::track(&mut c, &s.tracking_code, "wrong key")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        requests::track(&mut c, "YSQ2024-999999", &s.key)
            .await
            .unwrap()
            .is_none()
    );
    let (r, _) = requests::track(&mut c, &s.tracking_code.to_lowercase(), &s.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((r.status, r.received_on), (RStatus::Pending, None));
    assert_eq!(r.masked_id(), "110*************2X");
    drop(c);

    // Filed Friday, confirmed Monday: the receipt date waits on the office, so it says why.
    let late = step(
        &t,
        &staff,
        s.id,
        R::ConfirmReceipt {
            on: day("2024-09-30"),
            reason: String::new(),
        },
        "2024-09-30",
    )
    .await
    .unwrap_err();
    assert_eq!(late.field().unwrap().name, "reason", "{late}");
    assert_eq!(
        step(
            &t,
            &staff,
            s.id,
            R::ConfirmReceipt {
                on: day("2024-09-30"),
                reason: "周末提交,下一个工作日确认".into(),
            },
            "2024-09-30"
        )
        .await
        .unwrap(),
        RStatus::Registered
    );
    assert_eq!(
        step(
            &t,
            &staff,
            s.id,
            R::Assign {
                user_id: staff.user_id
            },
            "2024-10-08"
        )
        .await
        .unwrap(),
        RStatus::InProgress
    );
    // 补正 within 7 working days; corrected on 10-14: 20 working days from then.
    step(
        &t,
        &staff,
        s.id,
        R::RequestCorrection {
            on: day("2024-10-09"),
            deadline: day("2024-10-18"),
            what: "请说明所需项目的名称".into(),
        },
        "2024-10-09",
    )
    .await
    .unwrap();
    step(
        &t,
        &staff,
        s.id,
        R::ReceiveCorrection {
            on: day("2024-10-14"),
        },
        "2024-10-14",
    )
    .await
    .unwrap();
    // A third-party consultation 10-15..10-25 (8 working days not counted).
    step(
        &t,
        &staff,
        s.id,
        R::StartConsultation {
            on: day("2024-10-15"),
            pause: PauseKind::ThirdParty,
            note: "涉及企业商业信息".into(),
        },
        "2024-10-15",
    )
    .await
    .unwrap();
    step(
        &t,
        &staff,
        s.id,
        R::EndConsultation {
            on: day("2024-10-25"),
            pause: PauseKind::ThirdParty,
            note: "第三方同意公开".into(),
        },
        "2024-10-25",
    )
    .await
    .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let (r, events) = requests::staff_get(&mut c, &staff, s.id).await.unwrap();
    let cal = calendar::work_calendar(&mut c).await.unwrap();
    let clock = requests::clock_of(&cal, &r, &events, day("2024-10-28"))
        .unwrap()
        .unwrap();
    // From 10-14: 10-15 (1), paused 10-16..10-25, 10-28..11-01 (6), 11-04..08 (11),
    // 11-11..15 (16), 11-18..21 (20).
    assert_eq!(clock.due, Some(day("2024-11-21")));
    assert_eq!(clock.state, ClockState::Running);
    drop(c);

    step(
        &t,
        &staff,
        s.id,
        R::DraftReply {
            outcome: Outcome::Disclosed,
            text: "现将所申请的信息提供如下。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
        "2024-11-18",
    )
    .await
    .unwrap();
    assert_eq!(
        step(&t, &staff, s.id, R::Approve, "2024-11-18").await,
        Err(DomainError::Forbidden)
    );
    step(&t, &reviewer, s.id, R::Approve, "2024-11-19")
        .await
        .unwrap();
    assert_eq!(
        step(
            &t,
            &staff,
            s.id,
            R::Deliver {
                on: day("2024-11-19"),
                how: "电子邮件".into()
            },
            "2024-11-19"
        )
        .await
        .unwrap(),
        RStatus::Replied
    );

    let mut c = t.db.conn().await.unwrap();
    let (r, events) = requests::track(&mut c, &s.tracking_code, &s.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.outcome, Some(Outcome::Disclosed));
    let clock = requests::clock_of(&cal, &r, &events, day("2024-11-20"))
        .unwrap()
        .unwrap();
    assert_eq!(
        clock.state,
        ClockState::Closed {
            on: day("2024-11-19"),
            on_time: true
        }
    );
    let public: Vec<String> = events
        .iter()
        .filter_map(|e| e.public_note.clone())
        .collect();
    assert!(
        public.iter().any(|n| n.contains("请于 2024-10-18 前补正")),
        "{public:?}"
    );
    // The audit trail holds no personal data.
    let log = audit::for_entity(&mut c, "request", &s.id.to_string())
        .await
        .unwrap();
    assert!(log.len() >= 10);
    let text = serde_json::to_string(
        &log.iter()
            .map(|e| (&e.before, &e.after))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    for secret in ["王小明", "11010519491231002X", "13800138000"] {
        assert!(!text.contains(secret), "{secret} in the audit log");
    }
}

async fn request_steps_out_of_turn_change_nothing(t: TestDb) {
    let (agency, staff, reviewer) = setup(&t).await;
    let mut i = input();
    i.channel = "in_person".into();
    i.submitted_on = "2024-09-30".into();
    let draft = RequestDraft::parse_registered(&i, day("2024-09-30")).unwrap();
    let s = app::submit(&public(&t.db), agency, &draft).await.unwrap();
    let tables = ["requests", "request_events", "audit_log"];
    let before = t.snapshot(&tables).await;
    let other = Principal {
        user_id: 99,
        role: Role::Staff,
        agency_id: agency + 1,
    };
    let ask = |on: &str, deadline: &str| R::RequestCorrection {
        on: day(on),
        deadline: day(deadline),
        what: "补充说明".into(),
    };
    for (who, action, today, expect) in [
        (
            &staff,
            R::Deliver {
                on: day("2024-10-08"),
                how: "邮寄".into(),
            },
            "2024-10-08",
            "不能送达答复",
        ),
        (&staff, R::Approve, "2024-10-08", "您无权"),
        (&reviewer, R::Approve, "2024-10-08", "不能审核答复"),
        (
            &staff,
            ask("2024-10-16", "2024-10-30"),
            "2024-10-16",
            "7 个工作日内",
        ),
        (
            &staff,
            R::Extend {
                on: day("2024-10-08"),
                days: 10,
                reason: "情况复杂".into(),
            },
            "2024-10-08",
            "您无权",
        ),
        (
            &reviewer,
            R::Extend {
                on: day("2024-10-08"),
                days: 25,
                reason: "情况复杂".into(),
            },
            "2024-10-08",
            "1–20",
        ),
        (
            &staff,
            R::ConfirmReceipt {
                on: day("2024-09-30"),
                reason: String::new(),
            },
            "2024-10-08",
            "已确认",
        ),
        (
            &other,
            R::Assign {
                user_id: staff.user_id,
            },
            "2024-10-08",
            "未找到申请",
        ),
        (
            &staff,
            R::ReceiveCorrection {
                on: day("2024-10-08"),
            },
            "2024-10-08",
            "尚未告知补正",
        ),
        (
            &staff,
            R::DraftReply {
                outcome: Outcome::PartlyDisclosed,
                text: "部分提供".into(),
                withheld_note: String::new(),
                referred_to: String::new(),
                referred_agency: String::new(),
            },
            "2024-10-08",
            "条例第三十七条",
        ),
        (
            &staff,
            R::DraftReply {
                outcome: Outcome::Other(
                    gongkai_domain::request::outcome::OtherHandling::CorrectionLapsed,
                ),
                text: "不再处理".into(),
                withheld_note: String::new(),
                referred_to: String::new(),
                referred_agency: String::new(),
            },
            "2024-10-08",
            "补正期限尚未届满",
        ),
        (
            &staff,
            R::DraftReply {
                outcome: Outcome::Disclosed,
                text: "予以公开".into(),
                withheld_note: String::new(),
                referred_to: "区生态环境局".into(),
                referred_agency: String::new(),
            },
            "2024-10-08",
            "只有“本机关不掌握相关政府信息”",
        ),
        (
            &staff,
            ask("2024-10-09", "2024-10-20"),
            "2024-10-08",
            "晚于今天",
        ),
    ] {
        let e = step(&t, who, s.id, action.clone(), today)
            .await
            .unwrap_err();
        assert!(e.to_string().contains(expect), "{action:?}: {e}");
    }
    assert_eq!(
        t.snapshot(&tables).await,
        before,
        "refused steps wrote nothing"
    );
    // One 补正 notice only.
    step(
        &t,
        &staff,
        s.id,
        ask("2024-10-08", "2024-10-15"),
        "2024-10-08",
    )
    .await
    .unwrap();
    let e = step(
        &t,
        &staff,
        s.id,
        ask("2024-10-09", "2024-10-18"),
        "2024-10-09",
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("一次性"), "{e}");
    // Closing as 逾期不补正 once the deadline has passed; then closing again is refused.
    let lapsed = Outcome::Other(gongkai_domain::request::outcome::OtherHandling::CorrectionLapsed);
    step(
        &t,
        &staff,
        s.id,
        R::DraftReply {
            outcome: lapsed,
            text: "申请人逾期未补正,视为放弃申请。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
        "2024-10-16",
    )
    .await
    .unwrap();
    step(&t, &reviewer, s.id, R::Approve, "2024-10-16")
        .await
        .unwrap();
    step(
        &t,
        &staff,
        s.id,
        R::Deliver {
            on: day("2024-10-16"),
            how: "邮寄".into(),
        },
        "2024-10-16",
    )
    .await
    .unwrap();
    let e = step(
        &t,
        &staff,
        s.id,
        R::Deliver {
            on: day("2024-10-17"),
            how: "邮寄".into(),
        },
        "2024-10-17",
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("已答复"), "{e}");
}

both!(fees_repeats_and_conversion_to_proactive_disclosure);

async fn fees_repeats_and_conversion_to_proactive_disclosure(t: TestDb) {
    let (agency, staff, reviewer) = setup(&t).await;
    let file = |name: &'static str, id: &'static str, on: &'static str| {
        let mut i = input();
        i.name = name.into();
        i.id_number = id.into();
        i.channel = "in_person".into();
        i.submitted_on = on.into();
        i
    };
    let mut ids = Vec::new();
    // Eleven requests by one applicant in March 2024, one in April, one by someone else.
    let mut inputs: Vec<RequestInput> = (1..=11)
        .map(|d| {
            let mut i = file("王小明", "11010519491231002X", "2024-03-01");
            i.submitted_on = format!("2024-03-{:02}", d + 1);
            i
        })
        .collect();
    inputs.push(file("王小明", "11010519491231002X", "2024-04-01"));
    inputs.push(file("李四", "110105198001010016", "2024-03-05"));
    for i in &inputs {
        let d = RequestDraft::parse_registered(i, day("2024-05-01")).unwrap();
        let s = app::submit(&public(&t.db), agency, &d).await.unwrap();
        ids.push(s.id);
    }
    let mut c = t.db.conn().await.unwrap();
    let mut nth = Vec::new();
    for id in [ids[0], ids[10], ids[11], ids[12]] {
        let (r, _) = requests::staff_get(&mut c, &staff, id).await.unwrap();
        nth.push(requests::nth_in_month(&mut c, &r).await.unwrap());
    }
    // The first and the eleventh in March; April starts again; another applicant.
    assert_eq!(nth, [1, 11, 1, 1]);
    assert_eq!(gongkai_domain::fees::item_rate(11), 100);
    // The same description from another applicant is flagged as a repeat.
    let (r, _) = requests::staff_get(&mut c, &staff, ids[12]).await.unwrap();
    let repeats = requests::repeated(&mut c, &r).await.unwrap();
    assert_eq!(repeats.len(), 12);
    drop(c);

    // Fees: the amount is computed from the chosen basis; a free request gets no notice;
    // one notice per request, so never both bases.
    use gongkai_domain::fees::FeeBasis;
    let fee = |id: i64, basis: FeeBasis| {
        let db = t.db.clone();
        async move {
            let notice = R::NoticeFee {
                on: day("2024-03-20"),
                basis,
            };
            app::act(&ctx(&db, &staff, day("2024-03-20")), id, &notice).await
        }
    };
    let before = t
        .snapshot(&["requests", "request_events", "mail_outbox"])
        .await;
    let e = fee(ids[0], FeeBasis::ByItem).await.unwrap_err();
    assert!(
        e.to_string().contains("本月第 1 件") && e.to_string().contains("不收取"),
        "{e}"
    );
    let e = fee(ids[1], FeeBasis::ByPages { pages: 30 })
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不收取"), "{e}");
    assert_eq!(
        t.snapshot(&["requests", "request_events", "mail_outbox"])
            .await,
        before
    );
    fee(ids[10], FeeBasis::ByItem).await.unwrap();
    fee(ids[1], FeeBasis::ByPages { pages: 250 }).await.unwrap();
    let e = fee(ids[10], FeeBasis::ByPages { pages: 250 })
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("信息处理费已在进行中"),
        "a second notice is refused: {e}"
    );
    let mut c = t.db.conn().await.unwrap();
    for (id, yuan, basis, phrase) in [
        (
            ids[10],
            100,
            "by_item",
            "按件计收:本申请为申请人本月第 11 件,每件 100 元,合计 100 元",
        ),
        (
            ids[1],
            4700,
            "by_pages",
            "70 页 × 10 元 + 100 页 × 20 元 + 50 页 × 40 元 = 4700 元,合计 4700 元",
        ),
    ] {
        let row = c
            .fetch_one(Sql::new("SELECT fee_yuan, fee_basis FROM requests WHERE id = $1").bind(id))
            .await
            .unwrap();
        assert_eq!(row.get::<i64>("fee_yuan").unwrap(), yuan);
        assert_eq!(row.get::<String>("fee_basis").unwrap(), basis);
        let (_, events) = requests::staff_get(&mut c, &staff, id).await.unwrap();
        let note = events.last().unwrap().public_note.clone().unwrap();
        assert!(note.contains(phrase), "{note}");
    }
    drop(c);

    // Conversion: only after a disclosing reply, and never with the applicant's data.
    let id = ids[0];
    let convert = |title: &'static str, body: &'static str| {
        let who = staff;
        let db = t.db.clone();
        async move { app::convert(&ctx(&db, &who, day("2024-05-01")), id, title, body).await }
    };
    let e = convert("区重大建设项目批准文件", "正文").await.unwrap_err();
    assert!(e.to_string().contains("只有已答复"), "{e}");
    step(
        &t,
        &staff,
        id,
        R::DraftReply {
            outcome: Outcome::Disclosed,
            text: "现提供所需文件。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
        "2024-03-05",
    )
    .await
    .unwrap();
    step(&t, &reviewer, id, R::Approve, "2024-03-05")
        .await
        .unwrap();
    step(
        &t,
        &staff,
        id,
        R::Deliver {
            on: day("2024-03-05"),
            how: "邮寄".into(),
        },
        "2024-03-05",
    )
    .await
    .unwrap();
    let before = t.snapshot(&["documents", "request_events"]).await;
    let e = convert("应王小明申请公开的文件", "正文").await.unwrap_err();
    assert!(e.to_string().contains("个人信息"), "{e}");
    let e = convert("区重大建设项目批准文件", "联系电话 13800138000")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("个人信息"), "{e}");
    assert_eq!(t.snapshot(&["documents", "request_events"]).await, before);
    let doc = convert(
        "区重大建设项目批准文件",
        "现将区重大建设项目批准文件公开如下。",
    )
    .await
    .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let d = documents::staff_get(&mut c, &staff, doc).await.unwrap();
    assert_eq!(d.summary.title, "区重大建设项目批准文件");
    assert_eq!(
        d.version.status,
        Status::Draft,
        "it goes through the documents' own review"
    );
}

both!(deadlines_follow_calendar_overrides);

/// The clock is computed from the current calendar: a local closure added by an administrator
/// moves the due date of a request already being handled.
async fn deadlines_follow_calendar_overrides(t: TestDb) {
    let (agency, staff, _) = setup(&t).await;
    let mut i = input();
    i.channel = "in_person".into();
    i.submitted_on = "2024-09-30".into();
    let d = RequestDraft::parse_registered(&i, day("2024-09-30")).unwrap();
    let s = app::submit(&public(&t.db), agency, &d).await.unwrap();
    let due = || async {
        let mut c = t.db.conn().await.unwrap();
        let (r, events) = requests::staff_get(&mut c, &staff, s.id).await.unwrap();
        let cal = calendar::work_calendar(&mut c).await.unwrap();
        requests::clock_of(&cal, &r, &events, day("2024-10-08"))
            .unwrap()
            .unwrap()
            .due
    };
    assert_eq!(due().await, Some(day("2024-11-01")));
    let closure = CalendarOverride::parse("2024-10-08", false, "台风停工").unwrap();
    t.db.write(async |tx| calendar::set_override(tx, &actor(), &closure).await)
        .await
        .unwrap();
    assert_eq!(
        due().await,
        Some(day("2024-11-04")),
        "one working day fewer: the next Monday"
    );
}

both!(a_request_for_another_agencys_information_is_handed_over);

async fn a_request_for_another_agencys_information_is_handed_over(t: TestDb) {
    let (agency, staff, reviewer) = setup(&t).await;
    let edu = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    let mut i = input();
    i.channel = "in_person".into();
    i.submitted_on = "2024-09-30".into();
    i.email = "wang@example.cn".into();
    let draft = RequestDraft::parse_registered(&i, day("2024-09-30")).unwrap();
    let s = app::submit(&public(&t.db), agency, &draft).await.unwrap();
    let reply = |outcome: Outcome, to: &str| R::DraftReply {
        outcome,
        text: "经检索,本机关未制作该信息。".into(),
        withheld_note: String::new(),
        referred_to: String::new(),
        referred_agency: to.into(),
    };
    let not_held = Outcome::parse("unavailable.not_held").unwrap();
    let before = t
        .snapshot(&["requests", "request_events", "audit_log"])
        .await;
    for (outcome, to, message) in [
        (
            Outcome::Disclosed,
            "YX0202",
            "只有“本机关不掌握相关政府信息”",
        ),
        (not_held, "YX0201", "不能是本机关"),
        (not_held, "YX9999", "负责公开的机关不存在"),
    ] {
        let e = step(&t, &staff, s.id, reply(outcome, to), "2024-10-08")
            .await
            .unwrap_err();
        assert!(e.to_string().contains(message), "{e}");
    }
    assert_eq!(
        t.snapshot(&["requests", "request_events", "audit_log"])
            .await,
        before
    );
    step(&t, &staff, s.id, reply(not_held, "YX0202"), "2024-10-08")
        .await
        .unwrap();
    let hand_over = || {
        let db = t.db.clone();
        async move { app::transfer(&ctx(&db, &staff, day("2024-10-09")), s.id).await }
    };
    let e = hand_over().await.unwrap_err();
    assert!(e.to_string().contains("须先送达"), "{e}");
    step(&t, &reviewer, s.id, R::Approve, "2024-10-08")
        .await
        .unwrap();
    step(
        &t,
        &staff,
        s.id,
        R::Deliver {
            on: day("2024-10-09"),
            how: "电子邮件".into(),
        },
        "2024-10-09",
    )
    .await
    .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let (r, _) = requests::staff_get(&mut c, &staff, s.id).await.unwrap();
    assert_eq!(
        r.referred_to,
        Some(format!("{}(电话:{})", edu.name, edu.phone.clone().unwrap())),
        "the letter names it with its contact"
    );
    assert_eq!(r.referred_agency_id, Some(edu.id));
    drop(c);

    let new = hand_over().await.unwrap();
    let e = hand_over().await.unwrap_err();
    assert!(e.to_string().contains("不能重复转交"), "{e}");
    let mut c = t.db.conn().await.unwrap();
    // The applicant follows the new application with the new code and the same key.
    let (n, events) = requests::track(&mut c, &new.tracking_code, &s.key)
        .await
        .unwrap()
        .expect("same key");
    assert_eq!((n.agency_id, n.status.as_str()), (edu.id, "pending"));
    assert_eq!(
        n.received_on, None,
        "received when the competent agency confirms"
    );
    assert_eq!(n.transferred_from, Some(s.id));
    assert!(n.description.contains("原申请查询码") && n.description.contains(&s.tracking_code));
    assert!(events[0].public_note.as_deref().unwrap().contains("转交"));
    let (old, events) = requests::track(&mut c, &s.tracking_code, &s.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.transferred_to, Some(new.id));
    assert_eq!(old.status.as_str(), "replied", "the reply stands");
    let last = events.last().unwrap().public_note.clone().unwrap();
    assert!(
        last.contains(&new.tracking_code) && last.contains("查询密钥不变"),
        "{last}"
    );
    // The original agency's staff do not handle the other agency's application.
    assert!(requests::staff_get(&mut c, &staff, new.id).await.is_err());
    // The applicant is told by e-mail, in the same transaction.
    let mails = gongkai_store::mail::for_request(&mut c, s.id)
        .await
        .unwrap();
    assert!(mails[0].subject.contains(&s.tracking_code));
    let body: String = c
        .fetch_one(Sql::new("SELECT body FROM mail_outbox WHERE id = $1").bind(mails[0].id))
        .await
        .unwrap()
        .get("body")
        .unwrap();
    assert!(body.contains(&new.tracking_code), "{body}");
}
