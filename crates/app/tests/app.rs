//! Use-case tests: each operation through the app layer, on SQLite and on PostgreSQL, from a
//! fresh database per test.

use chrono::NaiveDate;
use gongkai_app::Ctx;
use gongkai_domain::DomainError;
use gongkai_domain::calendar::CalendarOverride;
use gongkai_domain::document::{
    Action, DocKind, DocumentDraft, DocumentInput, RelationKind, Status,
};
use gongkai_domain::user::{Principal, Role, UserDraft};
use gongkai_store::{Backend, Db, Exec, Sql};
use gongkai_store::{audit, calendar, documents};
use gongkai_testing::TestDb;
use gongkai_testing::fixtures::{actor, add_agency, at, day, p};

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

#[path = "app/accounts.rs"]
mod accounts_tests;
#[path = "app/agencies.rs"]
mod agencies_tests;
#[path = "app/answers.rs"]
mod answers_tests;
#[path = "app/calendar_notices.rs"]
mod calendar_notices_tests;
#[path = "app/catalogue.rs"]
mod catalogue_tests;
#[path = "app/consultations.rs"]
mod consultations_tests;
#[path = "app/decisions.rs"]
mod decisions_tests;
#[path = "app/documents.rs"]
mod documents_tests;
#[path = "app/interpretations.rs"]
mod interpretations_tests;
#[path = "app/lists.rs"]
mod lists_tests;
#[path = "app/messages.rs"]
mod messages_tests;
#[path = "app/oversight.rs"]
mod oversight_tests;
#[path = "app/reports.rs"]
mod reports_tests;
#[path = "app/requests.rs"]
mod requests_tests;
#[path = "app/users.rs"]
mod users_tests;

/// `who` acting on `today`.
fn ctx<'a>(db: &'a Db, who: &Principal, today: NaiveDate) -> Ctx<'a> {
    Ctx::new(db, actor(), *who).on(today)
}

/// A member of the public, now.
fn public(db: &Db) -> Ctx<'_> {
    Ctx::public(db, actor())
}
