//! The schema as the migrations declare it: every table in creation order with its columns'
//! portable types (`{ts}`, `{date}` …). Backup and restore read this instead of a backend's
//! catalogue, which on SQLite cannot tell a date from any other text.

use crate::migrate::{MIGRATIONS, Step};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Date,
    Time,
    Bytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    pub kind: Kind,
    /// The table a foreign key points at.
    pub references: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDef {
    pub name: String,
    pub columns: Vec<ColumnDef>,
}

impl TableDef {
    /// Columns that point at the table itself (a parent, a hand-over): restored in a second
    /// pass, since a row may point at a later one.
    pub fn self_references(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns
            .iter()
            .filter(|c| c.references.as_deref() == Some(self.name.as_str()))
    }
}

fn kind(token: &str) -> Option<Kind> {
    match token.trim_end_matches(',') {
        "{id}" | "BIGINT" | "INTEGER" => Some(Kind::Int),
        "TEXT" => Some(Kind::Text),
        "BOOLEAN" => Some(Kind::Bool),
        "{date}" => Some(Kind::Date),
        "{ts}" => Some(Kind::Time),
        "{bytes}" => Some(Kind::Bytes),
        _ => None,
    }
}

/// `name TYPE … [REFERENCES other (…)]`, or `None` for a table constraint.
fn column(def: &str) -> Option<ColumnDef> {
    let mut words = def.split_whitespace();
    let name = words.next()?;
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let kind = kind(words.next()?)?;
    let rest: Vec<&str> = words.collect();
    let references = rest
        .iter()
        .position(|w| *w == "REFERENCES")
        .and_then(|i| rest.get(i + 1))
        .map(|t| t.trim_end_matches(['(', ',']).to_string());
    Some(ColumnDef {
        name: name.to_string(),
        kind,
        references,
    })
}

/// Splits on commas outside parentheses.
fn top_level(body: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&body[start..]);
    out
}

/// Every table the migrations create, in creation order (so a table comes after the tables
/// its foreign keys point at), with the columns later migrations add.
pub fn tables() -> Vec<TableDef> {
    let mut tables: Vec<TableDef> = Vec::new();
    for m in MIGRATIONS {
        for step in m.steps {
            let Step::Portable(sql) = step else { continue };
            let text: String = sql
                .lines()
                .map(|l| l.split("--").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            for stmt in text.split(';').map(str::trim) {
                if let Some(rest) = stmt.strip_prefix("CREATE TABLE ") {
                    let Some((name, body)) = rest.split_once('(') else {
                        continue;
                    };
                    let body = body.rsplit_once(')').map_or(body, |(b, _)| b);
                    tables.push(TableDef {
                        name: name.trim().to_string(),
                        columns: top_level(body).into_iter().filter_map(column).collect(),
                    });
                } else if let Some(rest) = stmt.strip_prefix("ALTER TABLE ") {
                    let mut words = rest.split_whitespace();
                    let table = words.next().unwrap_or("");
                    let rest: Vec<&str> = words.collect();
                    if rest.first() == Some(&"ADD") && rest.get(1) == Some(&"COLUMN") {
                        let def = rest[2..].join(" ");
                        if let (Some(t), Some(c)) =
                            (tables.iter_mut().find(|t| t.name == table), column(&def))
                        {
                            t.columns.push(c);
                        }
                    }
                }
            }
        }
    }
    tables
}
