//! The rules of gongkai, free of I/O: no database, no HTTP, no clock. Time is passed in.

#[macro_use]
mod labelled;
pub use labelled::Code;

pub mod agency;
pub mod answer;
pub mod attachment;
pub mod backup;
pub mod calendar;
pub mod client_addr;
pub mod error;
pub mod fees;
pub mod text;
pub mod user;

pub use error::{DomainError, Fault, Field};
pub mod catalogue;
pub mod consultation;
pub mod decision;
pub mod doc_number;
pub mod document;
pub mod gazette;
pub mod index_number;
pub mod input;
pub mod interpretation;
pub mod lists;
pub mod login;
pub mod message;
pub mod oversight;
pub mod passage;
pub mod personal;
pub mod report;
pub mod request;
pub mod rich_text;
pub mod selfcheck;
pub mod synonym;
pub mod topics;
