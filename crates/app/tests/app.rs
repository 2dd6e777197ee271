//! Use-case tests: each operation through the app layer, on SQLite and on PostgreSQL, from a
//! fresh database per test.

use chrono::NaiveDate;
use gongkai_app::Ctx;
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_domain::calendar::CalendarOverride;
use gongkai_domain::document::{
    Action, DocKind, DocumentDraft, DocumentInput, RelationKind, Status,
};
use gongkai_domain::user::{Principal, Role, UserDraft};
use gongkai_store::{Actor, Backend, Db, Exec, Sql};
use gongkai_store::{agencies, audit, calendar, documents, users};
use gongkai_testing::TestDb;

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

#[path = "app/agencies.rs"]
mod agencies_tests;
#[path = "app/answers.rs"]
mod answers_tests;
#[path = "app/consultations.rs"]
mod consultations_tests;
#[path = "app/decisions.rs"]
mod decisions_tests;
#[path = "app/messages.rs"]
mod messages_tests;
#[path = "app/oversight.rs"]
mod oversight_tests;
#[path = "app/reports.rs"]
mod reports_tests;
#[path = "app/requests.rs"]
mod requests_tests;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An instant on day `s` (early morning UTC, the same day in China).
fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    day(s).and_hms_opt(1, 0, 0).unwrap().and_utc()
}

fn actor() -> Actor {
    Actor::system("test")
}

/// `who` acting on `today`.
fn ctx<'a>(db: &'a Db, who: &Principal, today: NaiveDate) -> Ctx<'a> {
    Ctx::new(db, actor(), *who).on(today)
}

fn p(role: Role, agency_id: i64) -> Principal {
    Principal {
        user_id: 0,
        role,
        agency_id,
    }
}

/// A member of the public, now.
fn public(db: &Db) -> Ctx<'_> {
    Ctx::public(db, actor())
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
