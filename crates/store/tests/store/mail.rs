//! The mail outbox: claims are exclusive across nodes, failures back off and give up, old
//! messages expire.

use gongkai_domain::request::notice::Mail;
use gongkai_store::mail;

use super::*;

both!(mail_claims_are_exclusive_and_failures_back_off);

fn message(n: usize) -> Mail {
    Mail {
        to: format!("a{n}@example.cn"),
        subject: format!("主题 {n}"),
        body: "正文".into(),
    }
}

async fn mail_claims_are_exclusive_and_failures_back_off(t: TestDb) {
    let mut tx = t.db.begin().await.unwrap();
    for n in 0..6 {
        mail::enqueue(&mut tx, None, &message(n)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let at = now() + Duration::seconds(1);
    // Two nodes poll at the same moment: each message goes to exactly one of them.
    let (a, b) = tokio::join!(
        async {
            mail::claim_due(&mut t.db.conn().await.unwrap(), at, 4)
                .await
                .unwrap()
        },
        async {
            mail::claim_due(&mut t.db.conn().await.unwrap(), at, 4)
                .await
                .unwrap()
        },
    );
    let mut ids: Vec<i64> = a.iter().chain(&b).map(|m| m.id).collect();
    ids.sort();
    let claimed = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), claimed, "no message claimed twice");
    let mut c = t.db.conn().await.unwrap();
    let rest = mail::claim_due(&mut c, at, 10).await.unwrap();
    assert_eq!(claimed + rest.len(), 6, "all claimed once");
    // While claimed, nobody else gets them; after the lease they come back.
    assert!(mail::claim_due(&mut c, at, 10).await.unwrap().is_empty());
    let later = at + Duration::seconds(mail::LEASE_SECONDS + 1);
    let again = mail::claim_due(&mut c, later, 10).await.unwrap();
    assert_eq!(
        again.len(),
        6,
        "a node that died mid-send leaves them to others"
    );
    assert!(again.iter().all(|m| m.attempts == 2));

    // A transient failure is retried after a delay; at the attempt limit it gives up.
    let m = &again[0];
    mail::mark_failed(&mut c, m, "451 later", false, later)
        .await
        .unwrap();
    assert!(mail::claim_due(&mut c, later, 10).await.unwrap().is_empty());
    let retry = later + Duration::minutes(3);
    let back = mail::claim_due(&mut c, retry, 10).await.unwrap();
    assert!(back.iter().any(|x| x.id == m.id && x.attempts == 3));
    let last = mail::Outgoing {
        attempts: mail::MAX_ATTEMPTS,
        ..m.clone()
    };
    mail::mark_failed(&mut c, &last, "451 later", false, retry)
        .await
        .unwrap();
    for x in back.iter().filter(|x| x.id != m.id) {
        mail::mark_sent(&mut c, x.id, retry).await.unwrap();
    }
    assert_eq!(mail::backlog(&mut c).await.unwrap(), (0, 1));
    let far = retry + Duration::days(1);
    assert!(
        mail::claim_due(&mut c, far, 10).await.unwrap().is_empty(),
        "failed stays failed"
    );

    // A message never sent within a week expires instead of going out late.
    let mut tx = t.db.begin().await.unwrap();
    mail::enqueue(&mut tx, None, &message(9)).await.unwrap();
    tx.commit().await.unwrap();
    let next_week = now() + Duration::days(mail::EXPIRY_DAYS) + Duration::minutes(1);
    assert!(
        mail::claim_due(&mut c, next_week, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let expired: i64 = c
        .fetch_one(Sql::new(
            "SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'expired'",
        ))
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(expired, 1);
}
