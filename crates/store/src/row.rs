//! Rows to structs by field name, so a struct's fields and the columns it is read from cannot
//! drift apart: `from_row!(r => Agency { id, code, kind: code, parent_id, ... })`.
//!
//! Each field is one of
//! - `name` — the column `name`, decoded as the field's type;
//! - `name: code` / `name: code_opt` — a stored code read through [`gongkai_domain::Code`];
//! - `name: get "column"` (or `code "column"`, `code_opt "column"`) — another column;
//! - `name = expr` — computed (JSON columns, lists, sub-structs).
//!
//! It expands to the struct literal, using `?` on each read, inside a function that returns
//! the store's `Result`.

macro_rules! from_row {
    ($r:ident => $ty:ident { $($f:ident $(: $how:ident $($col:literal)?)? $(= $e:expr)?),* $(,)? }) => {
        $ty { $($f: from_row!(@field $r, $f $(, $how $($col)?)? $(= $e)?)),* }
    };
    (@field $r:ident, $f:ident) => { $r.get(stringify!($f))? };
    (@field $r:ident, $f:ident, $how:ident) => { $r.$how(stringify!($f))? };
    (@field $r:ident, $f:ident, $how:ident $col:literal) => { $r.$how($col)? };
    (@field $r:ident, $f:ident = $e:expr) => { $e };
}

/// SQL composed from constants (column lists, shared clauses, enum codes): formatted once, on
/// first use, then shared by every call like a literal. A format argument that is not a
/// constant does not compile here (a `static` cannot capture it); such SQL is
/// `Sql::dynamic`.
macro_rules! sql_once {
    ($($fmt:tt)*) => {{
        static TEXT: ::std::sync::LazyLock<String> =
            ::std::sync::LazyLock::new(|| format!($($fmt)*));
        crate::db::Sql::new(TEXT.as_str())
    }};
}
