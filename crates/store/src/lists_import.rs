//! Importing list records from a table (CSV or XLSX rows): the header is checked first, then
//! every row on its own — a bad row is reported with all its problems and the good rows are
//! kept. Rows are committed in batches; a key seen twice in the file is an error on the second
//! row, and a row identical to a record already there is counted as unchanged, so re-running
//! an import changes nothing.

use std::collections::HashSet;

use gongkai_domain::lists::{self, Columns, ListKind};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;

use crate::audit::Actor;
use crate::db::{Db, Result};
use crate::lists::{Created, create};

/// Rows per transaction: one fsync shared by many rows, little lost to a crash.
const BATCH: usize = 500;

#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RowError {
    /// The row's line as a person counts it (the header is line 1).
    pub line: usize,
    pub messages: Vec<String>,
}

pub const FILE: Field = Field::new("file", "导入文件");

/// A data row: its line number and its cells, or why it could not be read.
pub type Line = (usize, std::result::Result<Vec<String>, String>);

/// Imports `rows` under `headers` into `agency_id`'s list of `kind`; `progress` is told how
/// many rows are done after each batch.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    db: &Db,
    actor: &Actor,
    who: &Principal,
    kind: ListKind,
    agency_id: i64,
    headers: &[String],
    rows: impl IntoIterator<Item = Line>,
    publish: bool,
    mut progress: impl FnMut(usize),
) -> Result<ImportReport> {
    who.require_agency(agency_id)?;
    if publish {
        lists::require_publisher(who)?;
    }
    let spec = kind.spec();
    let columns = Columns::from_headers(spec, headers)
        .map_err(|errors| DomainError::invalid(FILE, format!("表头有误:{}", errors.join(";"))))?;
    let calendar = {
        let mut conn = db.conn().await?;
        crate::calendar::work_calendar(&mut conn).await?
    };
    let mut report = ImportReport::default();
    let mut seen = HashSet::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut tx = db.begin().await?;
        for (line, cells) in rows.by_ref().take(BATCH) {
            report.rows += 1;
            let values = match cells.map_err(|e| vec![e]).and_then(|cells| {
                columns
                    .read(spec, &cells)
                    .map_err(|es| es.iter().map(ToString::to_string).collect())
            }) {
                Ok(v) => v,
                Err(messages) => {
                    report.errors.push(RowError { line, messages });
                    continue;
                }
            };
            let key = lists::derive(spec, &values).key;
            if !seen.insert(key.clone()) {
                report.errors.push(RowError {
                    line,
                    messages: vec![format!("与前面的行重复:{key}")],
                });
                continue;
            }
            match create(
                &mut tx, actor, who, kind, agency_id, values, &calendar, publish,
            )
            .await
            {
                Ok(Created::New(_)) => report.created += 1,
                Ok(Created::Unchanged(_)) => report.unchanged += 1,
                Err(e) if e.is_input_error() => report.errors.push(RowError {
                    line,
                    messages: vec![e.to_string()],
                }),
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        progress(report.rows);
    }
    Ok(report)
}
