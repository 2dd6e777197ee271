//! The office's indicators: requests overdue and due soon are counted from every open
//! request's clock, the same clocks the office queue shows; ended and unconfirmed requests
//! count for nothing; staff see their own agency only.

use gongkai_app::oversight;
use gongkai_app::requests::{self as app, Action as R};
use gongkai_domain::request::clock::Alert;
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::request::outcome::Outcome;
use gongkai_store::requests;

use super::*;

both!(request_deadlines_are_counted_per_agency_from_every_open_clock);

fn registered(received: &str) -> RequestDraft {
    let i = RequestInput {
        applicant_kind: "person".into(),
        name: "王小明".into(),
        id_type: "resident_id".into(),
        id_number: "11010519491231002X".into(),
        description: "2024年区级重大建设项目的批准文件".into(),
        address: "云溪区人民路 100 号".into(),
        delivery_form: "paper".into(),
        delivery_channel: "post".into(),
        channel: "in_person".into(),
        submitted_on: received.into(),
        ..Default::default()
    };
    RequestDraft::parse_registered(&i, day(received)).unwrap()
}

async fn request_deadlines_are_counted_per_agency_from_every_open_clock(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let drc = add_agency(&t.db, "YX0201", "department", "YX0000").await.id;
    let edu = add_agency(&t.db, "YX0202", "department", "YX0000").await.id;
    let office = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: 0,
    };
    let public = public(&t.db);
    // Received on the last working day before National Day: long overdue by December.
    app::submit(&public, drc, &registered("2024-09-30"))
        .await
        .unwrap();
    // Received mid-November, and three weeks later.
    for on in ["2024-11-18", "2024-11-25", "2024-12-06"] {
        app::submit(&public, drc, &registered(on)).await.unwrap();
    }
    // Filed online and never confirmed: no clock yet.
    let mut online = registered("2024-12-01");
    online.receipt.channel = gongkai_domain::request::clock::Channel::Online;
    app::submit(&public, drc, &online).await.unwrap();
    // The education bureau's only request was replied in time.
    let replied = app::submit(&public, edu, &registered("2024-10-08"))
        .await
        .unwrap();
    let on = day("2024-10-21");
    let at_edu = Principal {
        role: Role::Office,
        ..office
    };
    for a in [
        R::DraftReply {
            outcome: Outcome::Disclosed,
            text: "现予公开。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
        R::Approve,
        R::Deliver {
            on,
            how: "邮寄".into(),
        },
    ] {
        app::act(&ctx(&t.db, &at_edu, on), replied.id, &a)
            .await
            .unwrap();
    }

    let today = day("2024-12-10");
    let all = oversight::indicators(&ctx(&t.db, &office, today))
        .await
        .unwrap();
    let of = |id: i64| {
        all.iter()
            .find(|a| a.agency_id == id)
            .map(|a| {
                (
                    a.indicators.requests_overdue,
                    a.indicators.requests_due_soon,
                )
            })
            .unwrap()
    };
    // The same counts from the office queue's clocks (the page the office works from).
    let queue = requests::queue(&mut t.db.conn().await.unwrap(), &office, today, 1000)
        .await
        .unwrap();
    assert_eq!(
        queue.len(),
        5,
        "four registered and one unconfirmed are open"
    );
    let (mut overdue, mut soon) = (0, 0);
    for q in &queue {
        match q.clock.as_ref().and_then(|c| c.alert) {
            Some(Alert::Overdue { .. }) => overdue += 1,
            Some(Alert::DueSoon { .. } | Alert::DueTomorrow | Alert::DueToday) => soon += 1,
            _ => {}
        }
    }
    assert_eq!(of(drc), (overdue, soon));
    assert!(overdue >= 1, "the September request is overdue");
    assert!(
        overdue + soon < 4,
        "the request received on 6 December is neither"
    );
    assert_eq!(of(edu), (0, 0), "a replied request counts for nothing");

    // A department's staff see their own agency only.
    let staff = Principal {
        user_id: 0,
        role: Role::Staff,
        agency_id: drc,
    };
    let own = oversight::indicators(&ctx(&t.db, &staff, today))
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(
        (
            own[0].agency_id,
            own[0].indicators.requests_overdue,
            own[0].indicators.requests_due_soon
        ),
        (drc, overdue, soon)
    );
}
