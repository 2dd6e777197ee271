//! Store integration tests. Every test runs twice: on SQLite and on PostgreSQL.

use chrono::{Duration, NaiveDate};
use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyDraft;
use gongkai_domain::calendar::CalendarOverride;
use gongkai_domain::document::{DocumentDraft, DocumentInput, Status};
use gongkai_domain::user::Role;
use gongkai_store::db::now;
use gongkai_store::documents_import::{self, Importable};
use gongkai_store::{Backend, Db, Exec, Sql};
use gongkai_store::{agencies, audit, calendar, documents, migrate};
use gongkai_testing::TestDb;
use gongkai_testing::fixtures::{actor, add_agency, agency_input, day, doc_input, p};

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
    calendar_overrides_are_audited_and_applied,
    audit_log_is_append_only,
    bulk_import_writes_what_row_by_row_import_writes,
    the_parsed_schema_matches_the_database,
    driver_errors_are_bugs_or_unavailability,
);

#[path = "store/mail.rs"]
mod mail_tests;

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
        agencies::create(&mut tx, &actor(), &draft, None)
            .await
            .unwrap();
        // dropped without commit
    }
    assert_eq!(t.snapshot(TABLES).await, before);
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

/// The schema read from the migrations (what backup and restore rely on) names every column
/// of every table the migrated database has, with no column it lacks.
async fn the_parsed_schema_matches_the_database(t: TestDb) {
    let mut c = t.db.conn().await.unwrap();
    for table in gongkai_store::schema::tables() {
        let sql = match t.db.backend() {
            Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            Backend::Postgres => {
                "SELECT column_name AS name FROM information_schema.columns \
                 WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position"
            }
        };
        let rows = c
            .fetch_all(Sql::new(sql).bind(table.name.as_str()))
            .await
            .unwrap();
        let mut actual: Vec<String> = rows.iter().map(|r| r.get("name").unwrap()).collect();
        let mut parsed: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        actual.sort();
        parsed.sort();
        assert_eq!(parsed, actual, "table {}", table.name);
    }
    let requests = gongkai_store::schema::tables()
        .into_iter()
        .find(|t| t.name == "requests")
        .unwrap();
    let own: Vec<&str> = requests
        .self_references()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(own, ["transferred_from", "transferred_to"]);
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn importable(title: &str, number: &str, formed_on: &str, index_no: Option<&str>) -> Importable {
    let input = DocumentInput {
        doc_number: number.into(),
        ..doc_input(title, formed_on)
    };
    Importable {
        draft: DocumentDraft::parse(&input, today()).unwrap(),
        index_no: index_no.map(String::from),
        published_on: day(formed_on) + Duration::days(2),
    }
}

async fn bulk_import_writes_what_row_by_row_import_writes(t: TestDb) {
    let gov = add_agency(&t.db, "YX0000", "government", "").await;
    let a = importable("甲通知标题", "云府办发〔2024〕3号", "2024-03-01", None);
    let b = importable(
        "乙通知标题",
        "云府办发〔2024〕4号",
        "2024-04-01",
        Some("YX0000/2024-00010"),
    );
    let c = importable("丙通知标题", "", "2024-05-01", None);
    let a_again = importable("甲通知另一标题", "云府办发〔2024〕3号", "2024-03-02", None);
    let items = vec![a.clone(), b.clone(), c.clone(), a_again];
    let mut conn = t.db.conn().await.unwrap();
    let skip = documents_import::skipped(&mut conn, gov.id, &items)
        .await
        .unwrap();
    assert_eq!(
        skip,
        [false, false, false, true],
        "the second 3号 is a repeat"
    );
    drop(conn);
    let (audit_before, outbox_before) = (t.count("audit_log").await, t.count("outbox").await);
    let new = vec![a.clone(), b.clone(), c.clone()];
    let ids =
        t.db.write(async |tx| documents_import::import_many(tx, &actor(), &gov, &new).await)
            .await
            .unwrap();
    assert_eq!(ids.len(), 3);
    let staff = p(Role::Staff, gov.id);
    let mut conn = t.db.conn().await.unwrap();
    let mut got = Vec::new();
    for id in &ids {
        got.push(documents::staff_get(&mut conn, &staff, *id).await.unwrap());
    }
    // The given number is kept and moves the sequence past it before numbers are issued.
    let indexes: Vec<&str> = got.iter().map(|d| d.summary.index_no.as_str()).collect();
    assert_eq!(
        indexes,
        [
            "YX0000/2024-00011",
            "YX0000/2024-00010",
            "YX0000/2024-00012"
        ]
    );
    for (d, item) in got.iter().zip(&new) {
        assert_eq!(d.summary.title, item.draft.title);
        assert_eq!(d.version.status, Status::Published);
        assert_eq!(d.summary.published_on, Some(item.published_on));
        assert_eq!(d.version.body, "第一段\n第二段");
    }
    let (public, total) = documents::by_agency(&mut conn, gov.id, 1, 10)
        .await
        .unwrap();
    assert_eq!((public.len(), total), (3, 3));
    assert_eq!(t.count("audit_log").await, audit_before + 3);
    assert_eq!(t.count("outbox").await, outbox_before + 3);
    let history = audit::for_entity(&mut conn, "document", &ids[1].to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "document.import");
    let after = history[0].after.as_ref().unwrap();
    assert_eq!(after["index_no"], "YX0000/2024-00010");
    assert_eq!(after["status"], "published");
    let outbox = audit::outbox_after(&mut conn, 0, 1000).await.unwrap();
    for id in &ids {
        assert!(
            outbox
                .iter()
                .any(|e| e.topic == "document.changed" && e.entity_id == id.to_string())
        );
    }
    // Run again, every row is found: by 索引号, by 文号, and by title and date.
    let skip = documents_import::skipped(&mut conn, gov.id, &new)
        .await
        .unwrap();
    assert_eq!(skip, [true, true, true]);
    drop(conn);
    // The next number issued one by one follows the batch's.
    let d =
        t.db.write(async |tx| {
            documents::import_published(
                tx,
                &actor(),
                &gov,
                &importable("丁通知标题", "", "2024-06-01", None).draft,
                documents::Earlier {
                    index_no: None,
                    published_on: day("2024-06-03"),
                },
            )
            .await
        })
        .await
        .unwrap();
    let mut conn = t.db.conn().await.unwrap();
    assert_eq!(
        documents::staff_get(&mut conn, &staff, d)
            .await
            .unwrap()
            .summary
            .index_no,
        "YX0000/2024-00013"
    );
    drop(conn);
    // A 索引号 already taken fails the whole batch and writes nothing of it.
    let docs = t.count("documents").await;
    let clash = vec![
        importable("戊通知标题", "", "2024-07-01", None),
        importable("己通知标题", "", "2024-07-02", Some("YX0000/2024-00010")),
    ];
    let err =
        t.db.write(async |tx| documents_import::import_many(tx, &actor(), &gov, &clash).await)
            .await
            .unwrap_err();
    assert!(matches!(err, DomainError::Conflict { .. }), "{err:?}");
    assert_eq!(t.count("documents").await, docs);
    // A draft cannot be imported as published.
    let mut draft = importable("庚通知标题", "", "2024-07-03", None);
    draft.draft.attribute = None;
    let err =
        t.db.write(async |tx| documents_import::import_many(tx, &actor(), &gov, &[draft]).await)
            .await
            .unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
    assert_eq!(t.count("documents").await, docs);
}

/// With PostgreSQL away, a serving node's waits end in seconds: connecting to a host that
/// never answers, a statement that runs too long, and a database that goes silent mid-session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_waits_are_bounded() {
    use gongkai_store::db::Limits;
    use std::time::{Duration, Instant};
    let limits = Limits {
        acquire: Duration::from_secs(1),
        statement: Some(Duration::from_secs(1)),
    };
    // A host that accepts and never answers.
    let hole = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = hole.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut kept = Vec::new();
        while let Ok((s, _)) = hole.accept().await {
            kept.push(s);
        }
    });
    let started = Instant::now();
    let e = Db::open_postgres_with(&format!("postgres://postgres@127.0.0.1:{port}/x"), limits)
        .await
        .err()
        .expect("no database there");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}: {e}",
        started.elapsed()
    );
    assert_eq!(e.code(), "unavailable");
    held.abort();

    // A statement past its limit is stopped by the server.
    let t = TestDb::new(Backend::Postgres).await;
    let url = t.url.clone().expect("a PostgreSQL test database");
    let db = Db::open_postgres_with(&url, limits).await.unwrap();
    let started = Instant::now();
    let e = db
        .conn()
        .await
        .unwrap()
        .fetch_one(Sql::new("SELECT pg_sleep(5) IS NULL AS slept"))
        .await
        .err()
        .expect("stopped");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}: {e}",
        started.elapsed()
    );
    assert_eq!(e.code(), "unavailable", "a timeout is not a bug: {e:?}");

    // The database goes silent: the client gives up on its own.
    let silent = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let through = gongkai_testing::through_silent_proxy(&url, silent.clone()).await;
    let db = Db::open_postgres_with(&through, limits).await.unwrap();
    let mut c = db.conn().await.unwrap();
    assert!(c.fetch_one(Sql::new("SELECT 1 AS one")).await.is_ok());
    silent.store(true, std::sync::atomic::Ordering::SeqCst);
    let started = Instant::now();
    let e = c
        .fetch_one(Sql::new("SELECT 1 AS one"))
        .await
        .err()
        .expect("no answer");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}: {e}",
        started.elapsed()
    );
    assert_eq!(e.code(), "unavailable");
    drop(c);
    // A new connection waits no longer than the acquire limit either.
    let started = Instant::now();
    let r = async {
        let mut c = db.conn().await?;
        c.fetch_one(Sql::new("SELECT 1 AS one")).await
    }
    .await;
    assert!(r.is_err());
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// A statement the database refuses is a bug (500) that keeps the driver's error and the
/// constraint's name; a database that is gone is unavailability (503).
async fn driver_errors_are_bugs_or_unavailability(t: TestDb) {
    let mut c = t.db.conn().await.unwrap();
    let e = c
        .execute(
            Sql::new("INSERT INTO users (username, display_name, role, agency_id, password_hash, created_at, updated_at) \
                 VALUES ('x', 'x', 'staff', 999999, 'h', $1, $1)",
            )
            .bind(now()),
        )
        .await
        .expect_err("no such agency");
    assert_eq!(e.code(), "internal", "{e:?}");
    let fault = e.fault().unwrap().chain();
    assert!(fault.to_lowercase().contains("foreign key"), "{fault}");
    if t.db.backend() == Backend::Postgres {
        assert!(e.fault().unwrap().constraint().is_some(), "{fault}");
    }
    let e = c
        .fetch_all(Sql::new("SELECT no_such_column FROM users"))
        .await
        .err()
        .unwrap();
    assert_eq!(e.code(), "internal", "{e:?}");
    assert!(e.fault().unwrap().chain().contains("no_such_column"));
    let e = c
        .fetch_one(Sql::new("SELECT 1 AS one WHERE 1 = 0"))
        .await
        .err()
        .unwrap();
    assert_eq!(e.code(), "internal", "a missing row the code relied on");
    drop(c);
    t.db.close().await;
    let e = t.db.conn().await.err().expect("closed");
    assert_eq!(e.code(), "unavailable", "{e:?}");
}
