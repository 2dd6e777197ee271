//! A year without a notice counts its statutory holidays provisionally; loading the notice
//! recounts every open deadline and lists what moved.

use gongkai_app::calendar_notices;
use gongkai_app::requests::{self as app, Action as R};
use gongkai_domain::message::{BoxKind, MessageDraft, MessageInput};
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_store::calendar;
use gongkai_store::messages::{self, Destination};
use gongkai_store::requests;

use super::*;

both!(a_notice_makes_provisional_deadlines_final);

/// A notice for 2027 that keeps 元旦 to one day but closes 2027-01-04 as well (the kind of
/// arrangement a notice makes; the dates are this test's).
const NOTICE_2027: &str = r#"{"year": 2027, "papers": [], "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-04", "isOffDay": true}
]}"#;

async fn a_notice_makes_provisional_deadlines_final(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let staff = p(Role::Staff, drc.id);
    let admin = p(Role::Admin, drc.id);
    let input = RequestInput {
        applicant_kind: "person".into(),
        name: "王小明".into(),
        id_type: "resident_id".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800138000".into(),
        description: "2026年区级重大建设项目的批准文件".into(),
        delivery_form: "electronic".into(),
        delivery_channel: "online".into(),
        ..Default::default()
    };
    let today = day("2026-12-07");
    let draft = RequestDraft::parse_online(&input, today).unwrap();
    let s = app::submit(&public(&t.db), drc.id, &draft).await.unwrap();
    app::act(
        &ctx(&t.db, &staff, today),
        s.id,
        &R::ConfirmReceipt {
            on: today,
            reason: String::new(),
        },
    )
    .await
    .unwrap();
    let message = MessageDraft::parse(&MessageInput {
        title: "元旦期间办事大厅是否开放".into(),
        body: "请问元旦假期期间政务服务大厅是否开放,能否办理社保业务?".into(),
        name: "王小明".into(),
        phone: "13800138000".into(),
        consent: "on".into(),
        ..Default::default()
    })
    .unwrap();
    let to = Destination {
        agency_id: drc.id,
        box_kind: BoxKind::Consultation,
        document_id: None,
    };
    // Filed on Thursday 2026-12-31: five working days skip 元旦 (computed) and the weekend.
    let filed = gongkai_app::messages::submit(
        &public(&t.db).at(at("2026-12-31")),
        to,
        &message,
        "10.0.0.1",
    )
    .await
    .unwrap();
    assert_eq!(filed.due_on, day("2027-01-08"));

    // Before the notice: 元旦 counts as a holiday, the deadline is provisional.
    let mut c = t.db.conn().await.unwrap();
    let cal = calendar::work_calendar(&mut c).await.unwrap();
    let (r, events) = requests::staff_get(&mut c, &staff, s.id).await.unwrap();
    let clock = requests::clock_of(&cal, &r, &events, today)
        .unwrap()
        .unwrap();
    assert_eq!(clock.due, Some(day("2027-01-05")));
    assert!(clock.provisional);
    drop(c);

    // Staff cannot load notices; a file without days or not JSON changes nothing.
    let err = calendar_notices::import(&ctx(&t.db, &staff, today), NOTICE_2027)
        .await
        .unwrap_err();
    assert!(matches!(err, DomainError::Forbidden), "{err:?}");
    for bad in ["{", r#"{"year": 2027, "papers": [], "days": []}"#] {
        let err = calendar_notices::import(&ctx(&t.db, &admin, today), bad)
            .await
            .unwrap_err();
        assert_eq!(err.field().unwrap().name, "file", "{err:?}");
    }
    let mut c = t.db.conn().await.unwrap();
    assert!(calendar::notices(&mut c).await.unwrap().is_empty());
    drop(c);

    let notice = calendar_notices::import(&ctx(&t.db, &admin, today), NOTICE_2027)
        .await
        .unwrap();
    assert_eq!((notice.year, notice.days), (2027, 2));
    let moved: Vec<(&str, NaiveDate, NaiveDate)> = notice
        .changes
        .iter()
        .map(|c| (c.what.as_str(), c.before, c.after))
        .collect();
    assert_eq!(
        moved,
        vec![
            ("申请", day("2027-01-05"), day("2027-01-06")),
            ("留言", day("2027-01-08"), day("2027-01-11")),
        ]
    );
    let mut c = t.db.conn().await.unwrap();
    let cal = calendar::work_calendar(&mut c).await.unwrap();
    assert!(cal.has_official_data(2027));
    let (r, events) = requests::staff_get(&mut c, &staff, s.id).await.unwrap();
    let clock = requests::clock_of(&cal, &r, &events, today)
        .unwrap()
        .unwrap();
    assert_eq!(clock.due, Some(day("2027-01-06")));
    assert!(!clock.provisional);
    let m = messages::get(&mut c, filed.id).await.unwrap().unwrap();
    assert_eq!(m.due_on, day("2027-01-11"));
    let listed = calendar::notices(&mut c).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].changes, notice.changes);
    let notice_log = audit::for_entity(&mut c, "calendar_notice", "2027")
        .await
        .unwrap();
    assert_eq!(notice_log.len(), 1);
    let message_log = audit::for_entity(&mut c, "message", &filed.id.to_string())
        .await
        .unwrap();
    assert!(
        message_log
            .iter()
            .any(|e| e.action == "message.due.recount")
    );
}
