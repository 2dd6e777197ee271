//! Persistence for gongkai: one schema and one migration history over SQLite (the embedded
//! default) and PostgreSQL (for several app servers). Every change to a public record writes
//! its audit entry and outbox event in the same transaction.

#[macro_use]
mod row;

pub mod agencies;
pub mod answers;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod catalogue;
pub mod consultations;
pub mod db;
pub mod decisions;
pub mod documents;
pub mod documents_import;
pub mod gazette;
pub mod interpretations;
pub mod list_extras;
pub mod lists;
pub mod lists_import;
pub mod mail;
pub mod messages;
pub mod migrate;
pub mod oversight;
pub mod passwords;
pub mod reports;
pub mod requests;
pub mod schema;
pub mod search_synonyms;
pub mod search_terms;
pub mod secret;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod users;

pub use audit::Actor;
pub use db::{Backend, Db, Exec, Sql, Tx};
