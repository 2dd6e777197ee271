//! The use-case layer. Each public operation is one function taking a [`Ctx`] (database,
//! actor, principal, time) and a typed command; it checks with the domain, writes through the
//! store, records the audit entry and queues what must be announced, all in one transaction.
//! Handlers (pages, API) and CLI commands only translate HTTP or arguments to commands and
//! results to responses; the store only runs SQL and maps rows.
//!
//! Every operation also has an `*_in` form taking an open transaction, for the few callers
//! that must compose several operations atomically (the demo seed, tests of the clock).

pub mod admin;
pub mod agencies;
pub mod answers;
pub mod auth;
pub mod calendar_notices;
pub mod catalogue;
pub mod consultations;
pub mod context;
pub mod decisions;
pub mod doc_query;
pub mod documents;
pub mod documents_import;
pub mod export;
pub mod gazette;
pub mod list_query;
pub mod lists;
pub mod mailer;
pub mod messages;
pub mod oversight;
pub mod publishing;
pub mod requests;
pub mod search_synonyms;

pub use context::Ctx;
