//! Store integration tests. Every test runs twice: on SQLite and on PostgreSQL.

use chrono::{Duration, NaiveDate};
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_domain::calendar::CalendarOverride;
use gongkai_domain::user::{Role, UserDraft};
use gongkai_store::db::now;
use gongkai_store::testing::TestDb;
use gongkai_store::users::LoginPolicy;
use gongkai_store::{Actor, Backend, Db, Exec, Sql};
use gongkai_store::{agencies, audit, calendar, documents, migrate, sessions, users};

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name(TestDb::new(Backend::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name(TestDb::new(Backend::Postgres).await).await }
        }
    )*};
}

both!(
    migrations_are_idempotent_and_concurrent_safe,
    agency_create_writes_audit_and_outbox_in_one_transaction,
    rolled_back_changes_leave_nothing,
    bad_agency_input_changes_nothing,
    agency_update_keeps_history,
    users_and_bad_user_input,
    login_checks_passwords_and_limits_failures,
    password_change_ends_sessions,
    sessions_expire_and_rotate,
    api_tokens_authenticate_until_revoked_user,
    calendar_overrides_are_audited_and_applied,
    audit_log_is_append_only,
    documents_round_trip,
    timestamps_and_dates_round_trip,
);

fn actor() -> Actor {
    Actor::system("test")
}

fn agency_input(code: &str, kind: &str, parent: &str) -> AgencyInput {
    AgencyInput {
        code: code.into(),
        name: format!("机构{code}"),
        kind: kind.into(),
        parent: parent.into(),
        phone: "021-12345678".into(),
        office_hours: "工作日 9:00-17:00".into(),
        ..Default::default()
    }
}

async fn add_agency(db: &Db, code: &str, kind: &str, parent: &str) -> agencies::Agency {
    let mut tx = db.begin().await.unwrap();
    let draft = AgencyDraft::parse(&agency_input(code, kind, parent)).unwrap();
    let a = agencies::create(&mut tx, &actor(), &draft).await.unwrap();
    tx.commit().await.unwrap();
    a
}

const TABLES: &[&str] = &[
    "agencies",
    "users",
    "audit_log",
    "outbox",
    "calendar_overrides",
    "documents",
    "api_tokens",
];

async fn migrations_are_idempotent_and_concurrent_safe(t: TestDb) {
    assert_eq!(migrate::run(&t.db).await.unwrap(), Vec::<i64>::new());
    assert_eq!(
        migrate::current_version(&t.db).await.unwrap(),
        Some(migrate::latest_version())
    );
    let (a, b) = tokio::join!(migrate::run(&t.db), migrate::run(&t.db));
    assert!(a.unwrap().is_empty() && b.unwrap().is_empty());
}

async fn agency_create_writes_audit_and_outbox_in_one_transaction(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let dept = add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let town = add_agency(&t.db, "YX0301", "town", "yx0000").await;
    let village = add_agency(&t.db, "YX030101", "village", "YX0301").await;
    assert_eq!(dept.parent_id, Some(gov.id));
    assert_eq!(village.parent_id, Some(town.id));
    let mut c = t.db.conn().await.unwrap();
    let tree = agencies::tree_order(agencies::list(&mut c).await.unwrap());
    let shape: Vec<(usize, &str)> = tree.iter().map(|(d, a)| (*d, a.code.as_str())).collect();
    assert_eq!(
        shape,
        [(0, "YX0000"), (1, "YX0201"), (1, "YX0301"), (2, "YX030101")]
    );

    let history = audit::for_entity(&mut c, "agency", &dept.id.to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "agency.create");
    assert_eq!(history[0].actor, "system:test");
    assert!(history[0].before.is_none());
    assert_eq!(history[0].after.as_ref().unwrap()["code"], "YX0201");
    let outbox = audit::outbox_after(&mut c, 0, 100).await.unwrap();
    assert_eq!(outbox.len(), 4);
    assert!(outbox.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(outbox[1].entity_id, dept.id.to_string());
}

async fn rolled_back_changes_leave_nothing(t: TestDb) {
    let before = t.snapshot(TABLES).await;
    {
        let mut tx = t.db.begin().await.unwrap();
        let draft = AgencyDraft::parse(&agency_input("YX0000", "government", "")).unwrap();
        agencies::create(&mut tx, &actor(), &draft).await.unwrap();
        // dropped without commit
    }
    assert_eq!(t.snapshot(TABLES).await, before);
}

async fn bad_agency_input_changes_nothing(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let before = t.snapshot(TABLES).await;
    let cases: [(AgencyInput, &str); 3] = [
        (agency_input("YX0201", "department", "NOPE01"), "parent"),
        (agency_input("YX030101", "village", "YX0000"), "parent"),
        (agency_input("YX0202", "department", ""), "parent"),
    ];
    for (input, field) in cases {
        let mut tx = t.db.begin().await.unwrap();
        let draft = AgencyDraft::parse(&input).unwrap();
        let err = agencies::create(&mut tx, &actor(), &draft)
            .await
            .unwrap_err();
        assert_eq!(err.field().map(|f| f.name), Some(field), "{err:?}");
        assert_eq!(err.code(), "invalid-input");
    }
    // Duplicate code: a conflict naming the code field.
    let mut tx = t.db.begin().await.unwrap();
    let draft = AgencyDraft::parse(&agency_input("yx0000", "government", "")).unwrap();
    let err = agencies::create(&mut tx, &actor(), &draft)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("YX0000"), "{err}");
    drop(tx);
    assert_eq!(t.snapshot(TABLES).await, before);
}

async fn agency_update_keeps_history(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let town = add_agency(&t.db, "YX0301", "town", "YX0000").await;
    add_agency(&t.db, "YX030101", "village", "YX0301").await;
    let mut input = agency_input("YX0301", "town", "YX0000");
    input.address = "云溪区东湖路 1 号".into();
    let mut tx = t.db.begin().await.unwrap();
    let after = agencies::update(&mut tx, &actor(), &AgencyDraft::parse(&input).unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(after.address.as_deref(), Some("云溪区东湖路 1 号"));
    let mut c = t.db.conn().await.unwrap();
    let history = audit::for_entity(&mut c, "agency", &town.id.to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].before.as_ref().unwrap()["address"],
        serde_json::Value::Null
    );
    assert_eq!(
        history[1].after.as_ref().unwrap()["address"],
        "云溪区东湖路 1 号"
    );
    drop(c);
    // A town cannot become a child of its own village (nor may a village's parent be a government).
    let mut tx = t.db.begin().await.unwrap();
    let err = agencies::update(
        &mut tx,
        &actor(),
        &AgencyDraft::parse(&agency_input("YX0000", "government", "YX0301")).unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid-input");
}

async fn users_and_bad_user_input(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let mut tx = t.db.begin().await.unwrap();
    let draft = UserDraft::parse("Staff01", "张三", "staff").unwrap();
    let u = users::create(&mut tx, &actor(), &draft, "yx0201", "a long passphrase")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(u.username, "staff01");
    assert_eq!(u.role, Role::Staff);

    let before = t.snapshot(TABLES).await;
    let attempts = [
        (
            UserDraft::parse("staff01", "", "staff").unwrap(),
            "YX0201",
            "another passphrase",
            "conflict",
        ),
        (
            UserDraft::parse("staff02", "", "staff").unwrap(),
            "YX9999",
            "another passphrase",
            "invalid-input",
        ),
        (
            UserDraft::parse("staff03", "", "staff").unwrap(),
            "YX0201",
            "short",
            "invalid-input",
        ),
    ];
    for (draft, agency, pw, code) in attempts {
        let mut tx = t.db.begin().await.unwrap();
        let err = users::create(&mut tx, &actor(), &draft, agency, pw)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{err:?}");
    }
    assert_eq!(t.snapshot(TABLES).await, before);
    let mut c = t.db.conn().await.unwrap();
    let log = audit::for_entity(&mut c, "user", &u.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert!(
        !log[0]
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("argon2"),
        "no hash in the log"
    );
}

async fn make_user(db: &Db, name: &str, role: &str, pw: &str) -> users::User {
    if agencies::list(&mut db.conn().await.unwrap())
        .await
        .unwrap()
        .is_empty()
    {
        add_agency(db, "YX0000", "government", "").await;
    }
    let mut tx = db.begin().await.unwrap();
    let u = users::create(
        &mut tx,
        &actor(),
        &UserDraft::parse(name, "", role).unwrap(),
        "YX0000",
        pw,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    u
}

async fn login_checks_passwords_and_limits_failures(t: TestDb) {
    let u = make_user(&t.db, "office1", "office", "correct horse battery").await;
    let policy = LoginPolicy::default();
    let ok = users::authenticate(
        &t.db,
        "OFFICE1",
        "correct horse battery",
        "127.0.0.1",
        now(),
        policy,
    )
    .await
    .unwrap();
    assert_eq!(ok.id, u.id);
    let err = users::authenticate(&t.db, "nobody", "whatever1234", "127.0.0.1", now(), policy)
        .await
        .unwrap_err();
    assert_eq!(err, DomainError::BadCredentials);
    for _ in 0..5 {
        let err = users::authenticate(
            &t.db,
            "office1",
            "wrong password",
            "10.0.0.9",
            now(),
            policy,
        )
        .await
        .unwrap_err();
        assert_eq!(err, DomainError::BadCredentials);
    }
    // Locked for this username now, even with the right password...
    let err = users::authenticate(
        &t.db,
        "office1",
        "correct horse battery",
        "10.0.0.8",
        now(),
        policy,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::RateLimited { .. }), "{err:?}");
    // ...until the window has passed.
    let later = now() + Duration::minutes(16);
    assert!(
        users::authenticate(
            &t.db,
            "office1",
            "correct horse battery",
            "10.0.0.8",
            later,
            policy
        )
        .await
        .is_ok()
    );
    assert_eq!(t.count("login_attempts").await, 8);
}

async fn password_change_ends_sessions(t: TestDb) {
    let u = make_user(&t.db, "staff9", "staff", "first passphrase").await;
    let mut c = t.db.conn().await.unwrap();
    let s = sessions::create(&mut c, Some(u.id), now(), Duration::hours(8))
        .await
        .unwrap();
    drop(c);
    let mut tx = t.db.begin().await.unwrap();
    let err = users::set_password(&mut tx, &actor(), "staff9", "tiny")
        .await
        .unwrap_err();
    assert_eq!(err.field().unwrap().name, "password");
    users::set_password(&mut tx, &actor(), "staff9", "second passphrase")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(
        sessions::find(&mut c, &s.cookie_value, now())
            .await
            .unwrap()
            .is_none()
    );
    let policy = LoginPolicy::default();
    assert!(
        users::authenticate(&t.db, "staff9", "first passphrase", "c", now(), policy)
            .await
            .is_err()
    );
    assert!(
        users::authenticate(&t.db, "staff9", "second passphrase", "c", now(), policy)
            .await
            .is_ok()
    );
}

async fn sessions_expire_and_rotate(t: TestDb) {
    let u = make_user(&t.db, "staff8", "staff", "first passphrase").await;
    let mut c = t.db.conn().await.unwrap();
    let anon = sessions::create(&mut c, None, now(), Duration::hours(2))
        .await
        .unwrap();
    let authed = sessions::create(&mut c, Some(u.id), now(), Duration::hours(8))
        .await
        .unwrap();
    assert_ne!(anon.cookie_value, authed.cookie_value);
    assert_ne!(anon.session.csrf_token, authed.session.csrf_token);
    let found = sessions::find(&mut c, &authed.cookie_value, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user_id, Some(u.id));
    assert_eq!(found, authed.session);
    assert!(
        sessions::find(&mut c, &anon.cookie_value, now() + Duration::hours(3))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sessions::find(&mut c, "forged", now())
            .await
            .unwrap()
            .is_none()
    );
    sessions::delete(&mut c, &authed.cookie_value)
        .await
        .unwrap();
    assert!(
        sessions::find(&mut c, &authed.cookie_value, now())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        sessions::purge_expired(&mut c, now() + Duration::hours(3))
            .await
            .unwrap(),
        1
    );
}

async fn api_tokens_authenticate_until_revoked_user(t: TestDb) {
    let u = make_user(&t.db, "apiuser", "staff", "first passphrase").await;
    let mut tx = t.db.begin().await.unwrap();
    let token = users::create_token(&mut tx, &actor(), "apiuser", "ci")
        .await
        .unwrap();
    assert!(
        users::create_token(&mut tx, &actor(), "ghost", "ci")
            .await
            .is_err()
    );
    tx.commit().await.unwrap();
    assert!(token.starts_with("gk_") && token.len() > 40);
    assert_eq!(
        users::by_token(&t.db, &token, now())
            .await
            .unwrap()
            .unwrap()
            .id,
        u.id
    );
    assert!(
        users::by_token(&t.db, "gk_wrong", now())
            .await
            .unwrap()
            .is_none()
    );
    let stored: Vec<String> =
        t.db.conn()
            .await
            .unwrap()
            .fetch_all(Sql::new("SELECT token_hash FROM api_tokens"))
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("token_hash").unwrap())
            .collect();
    assert!(!stored.contains(&token), "only the hash is stored");
}

async fn calendar_overrides_are_audited_and_applied(t: TestDb) {
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let closure = CalendarOverride::parse("2026-11-24", false, "台风停工").unwrap();
    calendar::set_override(&mut tx, &actor(), &closure)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let fix = CalendarOverride::parse("2026-11-24", false, "台风停工(更正说明)").unwrap();
    calendar::set_override(&mut tx, &actor(), &fix)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        calendar::overrides(&mut c).await.unwrap(),
        vec![fix.clone()]
    );
    let cal = calendar::work_calendar(&mut c).await.unwrap();
    assert!(!cal.is_workday(day).workday);
    let log = audit::for_entity(&mut c, "calendar_day", "2026-11-24")
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].before.as_ref().unwrap()["note"], "台风停工");
    drop(c);
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        calendar::remove_override(&mut tx, &actor(), day)
            .await
            .unwrap()
    );
    assert!(
        !calendar::remove_override(&mut tx, &actor(), day)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(
        calendar::work_calendar(&mut c)
            .await
            .unwrap()
            .is_workday(day)
            .workday
    );
    assert_eq!(
        audit::for_entity(&mut c, "calendar_day", "2026-11-24")
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn audit_log_is_append_only(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let mut c = t.db.conn().await.unwrap();
    assert!(
        c.execute(Sql::new("UPDATE audit_log SET actor = 'someone else'"))
            .await
            .is_err()
    );
    assert!(c.execute(Sql::new("DELETE FROM audit_log")).await.is_err());
    drop(c);
    assert_eq!(t.count("audit_log").await, 1);
}

async fn documents_round_trip(t: TestDb) {
    let a = add_agency(&t.db, "YX0000", "government", "").await;
    let date = NaiveDate::from_ymd_opt(2021, 4, 16);
    let draft = documents::DocumentDraft::new(
        a.id,
        "2021年政务公开工作要点",
        Some("嘉府办发〔2021〕18号"),
        date,
        "第一段\r\n第二段",
    )
    .unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let id = documents::create(&mut tx, &actor(), &draft).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    let doc = documents::get(&mut c, id).await.unwrap().unwrap();
    assert_eq!(doc.body, "第一段\n第二段");
    assert_eq!(doc.summary.published_on, date);
    assert_eq!(doc.summary.agency_name, "机构YX0000");
    assert_eq!(documents::recent(&mut c, 10).await.unwrap().len(), 1);
    assert_eq!(documents::by_agency(&mut c, a.id).await.unwrap().len(), 1);
    assert!(documents::get(&mut c, id + 1).await.unwrap().is_none());
    assert!(documents::DocumentDraft::new(a.id, "x", None, None, "body").is_err());
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
