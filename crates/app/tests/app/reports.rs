//! 年度报告 from the store's own records: requests handled through the workflow, appeals,
//! normative documents published and repealed, each table compared with one computed by hand.

use gongkai_app::publishing::save_report;
use gongkai_app::requests::{self as app, Action as R};
use gongkai_domain::document::WithholdGround;
use gongkai_domain::report::interchange::{from_json, to_json};
use gongkai_domain::report::manual::ManualFigures;
use gongkai_domain::report::{self, ReportStatus, Row, Scope, Severity, Texts};
use gongkai_domain::request::appeal::{AppealDraft, AppealKind, AppealResult};
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::request::outcome::{Outcome, Unavailable};
use gongkai_store::db::now;
use gongkai_store::reports;

use super::*;

both!(
    a_department_and_a_government_report_from_the_records,
    report_drafts_refuse_bad_input_and_bad_figures,
);

struct Setup {
    gov: i64,
    dept: i64,
    other: i64,
    staff: Principal,
    reviewer: Principal,
    office: Principal,
    other_staff: Principal,
}

async fn setup(t: &TestDb) -> Setup {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let other = add_agency(&t.db, "YX0202", "department", "YX0000").await;
    let mut tx = t.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (name, role, agency) in [
        ("staff", "staff", "YX0201"),
        ("reviewer", "reviewer", "YX0201"),
        ("office", "office", "YX0000"),
        ("staff2", "staff", "YX0202"),
    ] {
        let d = UserDraft::parse(name, "", role).unwrap();
        let u = gongkai_testing::fixtures::add_user(&mut tx, &d, agency, "password 123456").await;
        ids.push(u.id);
    }
    tx.commit().await.unwrap();
    let p = |id, role, agency_id| Principal {
        user_id: id,
        role,
        agency_id,
    };
    Setup {
        gov: gov.id,
        dept: dept.id,
        other: other.id,
        staff: p(ids[0], Role::Staff, dept.id),
        reviewer: p(ids[1], Role::Reviewer, dept.id),
        office: p(ids[2], Role::Office, gov.id),
        other_staff: p(ids[3], Role::Staff, other.id),
    }
}

async fn step(t: &TestDb, who: &Principal, id: i64, a: R, on: &str) {
    let today = day(on);
    app::act(&ctx(&t.db, who, today), id, &a)
        .await
        .unwrap_or_else(|e| panic!("{a:?} on {on}: {e}"));
}

/// How a seeded request ends.
enum End {
    Open,
    Replied(Outcome, &'static str),
    Withdrawn(&'static str),
}

/// A request handed in at the office on `received`, by an applicant of `kind`, handled through
/// the workflow to its end.
async fn request(t: &TestDb, s: &Setup, agency: i64, kind: &str, received: &str, end: End) -> i64 {
    let input = RequestInput {
        applicant_kind: kind.into(),
        name: if kind == "person" {
            "王小明".into()
        } else {
            "某某有限公司".into()
        },
        id_type: if kind == "person" {
            "resident_id".into()
        } else {
            "credit_code".into()
        },
        id_number: if kind == "person" {
            "11010519491231002X".into()
        } else {
            "91350100M000100Y43".into()
        },
        phone: "13800138000".into(),
        description: "本机关制作的有关文件".into(),
        delivery_form: "electronic".into(),
        delivery_channel: "online".into(),
        channel: "in_person".into(),
        submitted_on: received.into(),
        ..Default::default()
    };
    let draft = RequestDraft::parse_registered(&input, day(received)).unwrap();
    let sub = app::submit(&public(&t.db), agency, &draft).await.unwrap();
    let office = s.office;
    let who = if agency == s.dept {
        s.staff
    } else {
        s.other_staff
    };
    let approver = if agency == s.dept { s.reviewer } else { office };
    match end {
        End::Open => {}
        End::Withdrawn(on) => step(t, &who, sub.id, R::Withdraw { on: day(on) }, on).await,
        End::Replied(outcome, on) => {
            step(
                t,
                &who,
                sub.id,
                R::Assign {
                    user_id: who.user_id,
                },
                received,
            )
            .await;
            step(
                t,
                &who,
                sub.id,
                R::DraftReply {
                    outcome,
                    text: "经审查,答复如下。".into(),
                    withheld_note: if outcome == Outcome::PartlyDisclosed {
                        "第三页涉及个人信息,已删除".into()
                    } else {
                        String::new()
                    },
                    referred_to: String::new(),
                    referred_agency: String::new(),
                },
                on,
            )
            .await;
            step(t, &approver, sub.id, R::Approve, on).await;
            step(
                t,
                &who,
                sub.id,
                R::Deliver {
                    on: day(on),
                    how: "电子邮件".into(),
                },
                on,
            )
            .await;
        }
    }
    sub.id
}

async fn appeal(
    t: &TestDb,
    s: &Setup,
    request: i64,
    kind: &str,
    filed: &str,
    result: &str,
    decided: &str,
) {
    let d = AppealDraft::parse(kind, filed, result, decided, "", day("2026-11-23")).unwrap();
    let who = s.staff;
    app::add_appeal(&ctx(&t.db, &who, day("2026-11-23")), request, &d)
        .await
        .unwrap();
}

/// A normative document of the department formed on `formed`, published on `published`;
/// `repeals` is published with it and so repealed that day.
async fn normative(
    t: &TestDb,
    s: &Setup,
    title: &str,
    formed: &str,
    published: &str,
    repeals: Option<i64>,
    kind: &str,
) -> i64 {
    let input = DocumentInput {
        title: title.into(),
        kind: kind.into(),
        topic: "综合政务\\政务公开".into(),
        formed_on: formed.into(),
        body: "第一条 为规范管理,制定本办法。".into(),
        disclosure_mode: "proactive".into(),
        is_normative: kind != "order",
        ..Default::default()
    };
    let draft = DocumentDraft::parse(&input, day(published)).unwrap();
    let (staff, office, dept) = (s.staff, s.office, s.dept);
    let as_staff = ctx(&t.db, &staff, day(published));
    let id = gongkai_app::documents::register(&as_staff, dept, &draft)
        .await
        .unwrap();
    if let Some(old) = repeals {
        t.db.write(async |tx| {
            let link = gongkai_domain::document::relation::Link::new(id, old)?;
            gongkai_app::documents::relate_in(tx, &as_staff, link, RelationKind::Repeals).await
        })
        .await
        .unwrap();
    }
    for (who, a) in [
        (staff, Action::Submit),
        (office, Action::Approve),
        (office, Action::Publish),
    ] {
        gongkai_app::documents::act(&ctx(&t.db, &who, day(published)), id, &a)
            .await
            .unwrap();
    }
    id
}

fn line(v: [i64; 7]) -> [Option<i64>; 7] {
    v.map(Some)
}

async fn a_department_and_a_government_report_from_the_records(t: TestDb) {
    let s = setup(&t).await;
    use End::*;
    let (dept, other) = (s.dept, s.other);
    // Received in 2024: #1 carried into 2025, #2 done in 2024.
    let carried = request(
        &t,
        &s,
        dept,
        "person",
        "2024-12-20",
        Replied(Outcome::Disclosed, "2025-01-10"),
    )
    .await;
    request(
        &t,
        &s,
        dept,
        "business",
        "2024-12-23",
        Replied(Outcome::Disclosed, "2024-12-30"),
    )
    .await;
    // 2025.
    let withheld = request(
        &t,
        &s,
        dept,
        "person",
        "2025-03-03",
        Replied(
            Outcome::Withheld(WithholdGround::ThirdPartyRights),
            "2025-03-20",
        ),
    )
    .await;
    let unavailable = request(
        &t,
        &s,
        dept,
        "legal_service",
        "2025-05-06",
        Replied(
            Outcome::Unavailable(Unavailable::NeedsCreation),
            "2025-05-20",
        ),
    )
    .await;
    let withdrawn = request(
        &t,
        &s,
        dept,
        "person",
        "2025-06-02",
        Withdrawn("2025-06-05"),
    )
    .await;
    request(
        &t,
        &s,
        dept,
        "person",
        "2025-07-01",
        Replied(Outcome::PartlyDisclosed, "2025-07-15"),
    )
    .await;
    let open = request(&t, &s, dept, "business", "2025-12-22", Open).await;
    let late = request(
        &t,
        &s,
        dept,
        "person",
        "2025-12-29",
        Replied(Outcome::Disclosed, "2026-01-06"),
    )
    .await;
    // Another department of the same government.
    request(
        &t,
        &s,
        other,
        "research",
        "2025-04-01",
        Replied(Outcome::Disclosed, "2025-04-10"),
    )
    .await;

    appeal(
        &t,
        &s,
        withheld,
        "review",
        "2025-04-01",
        "upheld",
        "2025-05-30",
    )
    .await;
    appeal(
        &t,
        &s,
        withheld,
        "lawsuit_after_review",
        "2025-11-01",
        "pending",
        "",
    )
    .await;
    // Decided only in 2026: still 尚未审结 at the end of 2025.
    appeal(
        &t,
        &s,
        unavailable,
        "lawsuit_direct",
        "2025-12-01",
        "corrected",
        "2026-01-10",
    )
    .await;

    let n1 = normative(
        &t,
        &s,
        "旧管理办法",
        "2024-05-06",
        "2024-05-10",
        None,
        "notice",
    )
    .await;
    normative(
        &t,
        &s,
        "某某管理规定",
        "2025-02-03",
        "2025-02-10",
        None,
        "notice",
    )
    .await;
    normative(
        &t,
        &s,
        "新管理办法",
        "2025-09-01",
        "2025-09-08",
        Some(n1),
        "notice",
    )
    .await;
    normative(
        &t,
        &s,
        "某某实施细则",
        "2025-10-09",
        "2025-10-15",
        None,
        "order",
    )
    .await;

    // Table 三 by hand, columns 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计.
    let mut c = t.db.conn().await.unwrap();
    let counted = reports::count(&mut c, &[dept], 2025).await.unwrap();
    let t3 = &counted.table3;
    assert_eq!(t3.line(Row::New), &line([4, 1, 0, 0, 1, 0, 6]));
    assert_eq!(t3.line(Row::CarriedIn), &line([1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(
        t3.line(Row::Outcome(Outcome::Disclosed)),
        &line([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(
        t3.line(Row::Outcome(Outcome::PartlyDisclosed)),
        &line([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(
        t3.line(Row::Outcome(Outcome::Withheld(
            WithholdGround::ThirdPartyRights
        ))),
        &line([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(
        t3.line(Row::Outcome(Outcome::Unavailable(
            Unavailable::NeedsCreation
        ))),
        &line([0, 0, 0, 0, 1, 0, 1])
    );
    assert_eq!(
        t3.line(Row::Outcome(Outcome::Other(
            gongkai_domain::request::outcome::OtherHandling::Other
        ))),
        &line([1, 0, 0, 0, 0, 0, 1]),
        "the withdrawal"
    );
    assert_eq!(t3.line(Row::Total), &line([4, 0, 0, 0, 1, 0, 5]));
    assert_eq!(t3.line(Row::CarriedOut), &line([1, 1, 0, 0, 0, 0, 2]));
    // Table 四.
    assert_eq!(
        counted.table4.group(AppealKind::Review),
        &[1, 0, 0, 0, 1].map(Some)
    );
    assert_eq!(
        counted.table4.group(AppealKind::LawsuitDirect),
        &[0, 0, 0, 1, 1].map(Some)
    );
    assert_eq!(
        counted.table4.group(AppealKind::LawsuitAfterReview),
        &[0, 0, 0, 1, 1].map(Some)
    );
    // Table 二: two normative documents formed in 2025, one repealed, two in force; one 令.
    assert_eq!(
        (
            counted.normative.issued,
            counted.normative.repealed,
            counted.normative.in_force
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(
        (
            counted.rules.issued,
            counted.rules.repealed,
            counted.rules.in_force
        ),
        (Some(1), Some(0), Some(1))
    );
    // 2024: N1 in force; #1 carried out.
    let last = reports::count(&mut c, &[dept], 2024).await.unwrap();
    assert_eq!(
        last.table3.line(Row::CarriedOut),
        &line([1, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(last.normative.in_force, Some(1));
    drop(c);

    // The department's report: drafted, facts generated, manual figures entered, checked.
    let staff = s.staff;
    let id = new_report(&t, &staff, dept, 2025, Scope::Agency)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let stored = reports::staff_get(&mut c, &staff, id).await.unwrap();
    assert_eq!(stored.status, ReportStatus::Draft);
    assert!(
        stored
            .texts
            .overview
            .contains("本年度新收政府信息公开申请6件，上年结转1件；本年度办结5件"),
        "{}",
        stored.texts.overview
    );
    let rep = reports::build(&mut c, &stored).await.unwrap();
    assert_eq!(
        rep.previous.as_ref().unwrap().carried_out,
        Some(line([1, 0, 0, 0, 0, 0, 1]))
    );
    assert_eq!(rep.previous.as_ref().unwrap().normative_in_force, Some(1));
    assert_eq!(
        report::check(&rep)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        0,
        "{:?}",
        report::check(&rep)
    );
    // The drill-down lists exactly the counted requests.
    let cell = reports::cell_requests(&mut c, &stored, Row::CarriedOut, 6, 100)
        .await
        .unwrap();
    let mut got: Vec<i64> = cell.iter().map(|r| r.id).collect();
    got.sort();
    assert_eq!(got, vec![open, late]);
    let cell = reports::cell_requests(&mut c, &stored, Row::CarriedIn, 0, 100)
        .await
        .unwrap();
    assert_eq!(cell.iter().map(|r| r.id).collect::<Vec<_>>(), vec![carried]);
    let cell = reports::cell_requests(
        &mut c,
        &stored,
        Row::Outcome(Outcome::Other(
            gongkai_domain::request::outcome::OtherHandling::Other,
        )),
        0,
        100,
    )
    .await
    .unwrap();
    assert_eq!(
        cell.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![withdrawn]
    );
    assert_eq!(
        reports::cell_requests(&mut c, &stored, Row::Total, 6, 100)
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        reports::cell_requests(&mut c, &stored, Row::New, 1, 100)
            .await
            .unwrap()
            .len(),
        1
    );
    let appeals = reports::cell_appeals(
        &mut c,
        &stored,
        AppealKind::LawsuitDirect,
        Some(AppealResult::Pending),
    )
    .await
    .unwrap();
    assert_eq!(appeals.len(), 1);
    assert_eq!(appeals[0].result, AppealResult::Pending);
    drop(c);

    // A text that misstates a figure cannot be submitted; the message names the sentence.
    let manual = ManualFigures::parse(
        ("120", "区政务服务中心统计"),
        ("35", "区市场监管局执法统计"),
        ("0", "区市场监管局执法统计"),
        ("1.25", "区财政局非税收入统计"),
    )
    .unwrap();
    let bad = Texts {
        overview: stored.texts.overview.replace("予以公开1件", "予以公开3件"),
        ..stored.texts.clone()
    };
    let on = |d: &str| ctx(&t.db, &staff, day(d));
    let e = save_report(&on("2026-01-15"), id, &bad, &manual, true)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("文字称予以公开3件"), "{e}");
    let mut c = t.db.conn().await.unwrap();
    assert!(
        reports::staff_get(&mut c, &staff, id)
            .await
            .unwrap()
            .document_id
            .is_none()
    );
    assert_eq!(
        reports::staff_get(&mut c, &staff, id).await.unwrap().texts,
        stored.texts,
        "a refused submission keeps nothing of its save either"
    );
    drop(c);
    // Not before the year is over.
    let e = save_report(&on("2025-12-31"), id, &stored.texts, &manual, true)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("尚未结束"), "{e}");
    save_report(&on("2026-01-15"), id, &stored.texts, &manual, true)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let submitted = reports::staff_get(&mut c, &staff, id).await.unwrap();
    let doc = submitted.document_id.unwrap();
    assert_eq!(submitted.status, ReportStatus::Submitted);
    assert!(
        !submitted.public,
        "in the disclosure workflow, not yet published"
    );
    assert!(reports::public_get(&mut c, id).await.unwrap().is_none());
    let frozen = from_json(&submitted.figures.as_ref().unwrap().to_string()).unwrap();
    assert_eq!(frozen.table2.licences, Some(120));
    assert_eq!(frozen.table2.fees.unwrap().to_string(), "1.25");
    drop(c);
    // Submitted reports are frozen.
    let e = save_report(&on("2026-01-16"), id, &stored.texts, &manual, false)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能再修改"), "{e}");
    // The office publishes the document; the report is public with the frozen figures.
    let office = s.office;
    for a in [Action::Approve, Action::Publish] {
        gongkai_app::documents::act(&ctx(&t.db, &office, day("2026-01-16")), doc, &a)
            .await
            .unwrap();
    }
    let mut c = t.db.conn().await.unwrap();
    let (public, rep) = reports::public_get(&mut c, id).await.unwrap().unwrap();
    assert!(public.public);
    assert_eq!(rep.table3.line(Row::Total), &line([4, 0, 0, 0, 1, 0, 5]));
    let d = documents::public_get(&mut c, doc).await.unwrap().unwrap();
    assert_eq!(d.summary.kind, DocKind::Report);
    assert!(d.summary.title.contains("2025年政府信息公开工作年度报告"));
    assert_eq!(reports::public_list(&mut c).await.unwrap().len(), 1);
    let history = audit::for_entity(&mut c, "annual_report", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    // The refused saves were rolled back with their submissions: one save, one submission.
    assert_eq!(actions, ["report.create", "report.update", "report.submit"]);
    drop(c);

    // The whole government: every agency under it.
    let office = s.office;
    let gov_id = new_report(&t, &office, s.gov, 2025, Scope::Government)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let g = reports::staff_get(&mut c, &office, gov_id).await.unwrap();
    let grep = reports::build(&mut c, &g).await.unwrap();
    assert_eq!(grep.table3.line(Row::New), &line([4, 1, 1, 0, 1, 0, 7]));
    assert_eq!(
        grep.table3.line(Row::Outcome(Outcome::Disclosed)),
        &line([1, 0, 1, 0, 0, 0, 2])
    );
    assert_eq!(grep.table3.line(Row::Total), &line([4, 0, 1, 0, 1, 0, 6]));
    assert_eq!(
        grep.table3.line(Row::CarriedOut),
        &line([1, 1, 0, 0, 0, 0, 2])
    );
    assert!(g.due_on() == Some(day("2026-03-31")));
    // A department's staff cannot see the government's report; a department cannot compile one.
    assert_eq!(
        reports::staff_get(&mut c, &staff, gov_id)
            .await
            .unwrap_err(),
        DomainError::Forbidden
    );
    drop(c);
    let e = new_report(&t, &office, dept, 2025, Scope::Government)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只有人民政府"), "{e}");

    // 2026's report continues from the frozen 2025 figures.
    let next = new_report(&t, &staff, dept, 2026, Scope::Agency)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    let n = reports::staff_get(&mut c, &staff, next).await.unwrap();
    let nrep = reports::build(&mut c, &n).await.unwrap();
    assert_eq!(
        nrep.table3.line(Row::CarriedIn),
        &line([1, 1, 0, 0, 0, 0, 2])
    );
    assert_eq!(
        nrep.previous.unwrap().carried_out,
        Some(line([1, 1, 0, 0, 0, 0, 2]))
    );
}

async fn report_drafts_refuse_bad_input_and_bad_figures(t: TestDb) {
    let s = setup(&t).await;
    let staff = s.staff;
    let dept = s.dept;
    // An agency with no records still gets a report of zeros that balances.
    let id = new_report(&t, &staff, dept, 2025, Scope::Agency)
        .await
        .unwrap();
    let e = new_report(&t, &staff, dept, 2025, Scope::Agency)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("已存在"), "{e}");
    // Another agency's staff may not start one for it.
    let e = new_report(&t, &staff, s.other, 2025, Scope::Agency)
        .await
        .unwrap_err();
    assert_eq!(e, DomainError::Forbidden);
    let mut c = t.db.conn().await.unwrap();
    let r = reports::staff_get(&mut c, &staff, id).await.unwrap();
    let rep = reports::build(&mut c, &r).await.unwrap();
    assert_eq!(rep.table3.line(Row::Total), &line([0; 7]));
    assert!(report::check(&rep).is_empty(), "{:?}", report::check(&rep));
    let before = audit::for_entity(&mut c, "annual_report", &id.to_string())
        .await
        .unwrap()
        .len();
    drop(c);
    // Script in a text is refused and nothing changes.
    let bad = Texts {
        overview: "<script>alert(1)</script>".into(),
        ..r.texts.clone()
    };
    let e = save_report(
        &ctx(&t.db, &staff, now().date_naive()),
        id,
        &bad,
        &ManualFigures::default(),
        false,
    )
    .await
    .unwrap_err();
    assert!(e.is_input_error(), "{e}");
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        reports::staff_get(&mut c, &staff, id).await.unwrap().texts,
        r.texts
    );
    assert_eq!(
        audit::for_entity(&mut c, "annual_report", &id.to_string())
            .await
            .unwrap()
            .len(),
        before
    );
    drop(c);

    // Importing an earlier year: a file that fails a check is refused with its findings.
    let mut good = rep.clone();
    good.year = 2024;
    good.previous = None;
    good.texts = None;
    good.table3.cells[Row::New.index()] = line([3, 0, 0, 0, 0, 0, 3]);
    good.table3.cells[Row::Outcome(Outcome::Disclosed).index()] = line([2, 0, 0, 0, 0, 0, 2]);
    good.table3.cells[Row::Total.index()] = line([2, 0, 0, 0, 0, 0, 2]);
    good.table3.cells[Row::CarriedOut.index()] = line([1, 0, 0, 0, 0, 0, 1]);
    let mut wrong = good.clone();
    wrong.table3.cells[Row::CarriedOut.index()] = line([2, 0, 0, 0, 0, 0, 2]);
    let text = to_json(&wrong).to_string();
    let findings = gongkai_app::publishing::import_report(
        &ctx(&t.db, &staff, day("2026-03-02")),
        dept,
        Scope::Agency,
        &text,
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(
        findings
            .iter()
            .any(|f| f.rule == 4 && f.cell.contains("四、结转下年度继续办理")),
        "{findings:?}"
    );
    let text = to_json(&good).to_string();
    let imported = gongkai_app::publishing::import_report(
        &ctx(&t.db, &staff, day("2026-03-02")),
        dept,
        Scope::Agency,
        &text,
    )
    .await
    .unwrap()
    .unwrap();
    // This year's draft now continues the imported figures: its 上年结转 (0, counted from the
    // records) disagrees with the imported 结转下年度 (1), and the check says where.
    let mut c = t.db.conn().await.unwrap();
    let r = reports::staff_get(&mut c, &staff, id).await.unwrap();
    let rep = reports::build(&mut c, &r).await.unwrap();
    let errors: Vec<_> = report::check(&rep)
        .into_iter()
        .filter(|f| f.rule == 6)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].cell.contains("二、上年结转政府信息公开申请数量"));
    let i = reports::staff_get(&mut c, &staff, imported).await.unwrap();
    assert_eq!(i.status, ReportStatus::Imported);
    assert!(
        reports::cell_requests(&mut c, &i, Row::New, 0, 10)
            .await
            .is_err()
    );
}

/// `who` starts a report (through the app, as the office page does).
async fn new_report(
    t: &TestDb,
    who: &Principal,
    agency_id: i64,
    year: i32,
    scope: Scope,
) -> Result<i64, DomainError> {
    gongkai_app::publishing::create_report(
        &ctx(&t.db, who, day("2026-03-02")),
        agency_id,
        year,
        scope,
    )
    .await
}
