//! Chinese full-text search (一网通查): analysis, the tantivy index, query parsing, and the
//! indexer that keeps each node's index in step with the database through the outbox.

pub mod analysis;
pub mod corpus;
pub mod fusion;
pub mod index;
pub mod indexer;
pub mod params;
pub mod query;
pub mod question;
pub mod snippet;
pub mod sources;
pub mod synonyms;
pub mod tally;
pub mod tokenizers;

pub use index::{Entry, Hit, Kind, Results, Search, SearchIndex};
pub use indexer::Node;
