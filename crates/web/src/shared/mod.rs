//! What every feature's handlers share: the error with its two faces, the strict form reader
//! that checks CSRF, sessions and the staff/API extractors, rendering helpers, middleware,
//! the page cache, health checks and static assets.

#[macro_use]
pub mod render;

pub mod assets;
pub mod error;
pub mod form;
pub mod health;
pub mod middleware;
pub mod page_cache;
pub mod session;
pub mod state;
pub mod upload;
pub mod views;
