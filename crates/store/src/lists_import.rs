//! List import jobs and their progress: an import started from the office is a job whose
//! progress is committed with each batch of rows, so the page following it may be served by
//! any node. The import itself (header, rows, batches) is `gongkai_app::lists`.

use chrono::{DateTime, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::lists::{ImportStatus, ListKind, Target};
use gongkai_domain::user::Principal;
use serde::{Deserialize, Serialize};

use crate::db::{Exec, Result, Row, Sql, Tx};

/// Bad rows a job keeps to show; the count goes on beyond.
const KEPT_ERRORS: usize = 1000;

#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowError {
    /// The row's line as a person counts it (the header is line 1).
    pub line: usize,
    pub messages: Vec<String>,
}

/// A data row: its line number and its cells, or why it could not be read.
pub type Line = (usize, std::result::Result<Vec<String>, String>);

/// An office import and how far it has got.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: ListKind,
    pub agency_id: i64,
    pub file_name: String,
    pub publish: bool,
    pub status: ImportStatus,
    pub total_rows: i64,
    pub done_rows: i64,
    pub created_rows: i64,
    pub unchanged_rows: i64,
    pub error_rows: i64,
    /// The first [`KEPT_ERRORS`] bad rows.
    pub errors: Vec<RowError>,
    pub message: Option<String>,
    pub created_by: i64,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Job {
    pub fn percent(&self) -> i64 {
        (self.done_rows * 100)
            .checked_div(self.total_rows)
            .unwrap_or(100)
    }
}

/// A job that has not moved for this long lost its node (a restart): it is shown as failed.
pub const STALLED_AFTER: chrono::Duration = chrono::Duration::minutes(5);

fn job(r: &Row) -> Result<Job> {
    let errors: String = r.get("errors")?;
    Ok(from_row!(r => Job {
        id,
        kind: code,
        agency_id,
        file_name,
        publish,
        status: code,
        total_rows,
        done_rows,
        created_rows,
        unchanged_rows,
        error_rows,
        errors = serde_json::from_str(&errors).unwrap_or_default(),
        message,
        created_by,
        started_at,
        updated_at,
    }))
}

/// Records a job for `to`, started by `who` (checked by the caller against the target).
pub async fn start_job(
    e: &mut impl Exec,
    who: &Principal,
    to: Target,
    file_name: &str,
    total_rows: usize,
) -> Result<i64> {
    let Target {
        kind,
        agency_id,
        publish,
    } = to;
    let now = crate::db::now();
    e.fetch_one(
        Sql::new(
            "INSERT INTO list_imports (kind, agency_id, file_name, publish, status, total_rows, done_rows, \
             created_rows, unchanged_rows, error_rows, errors, created_by, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $8, $5, 0, 0, 0, 0, '[]', $6, $7, $7) RETURNING id",
        )
        .bind(kind.as_str())
        .bind(agency_id)
        .bind(file_name)
        .bind(publish)
        .bind(total_rows as i64)
        .bind(who.user_id)
        .bind(now)
        .bind(ImportStatus::Running.as_str()),
    )
    .await?
    .get("id")
}

/// Commits how far a job has got, with the first bad rows.
pub async fn record_progress(tx: &mut Tx, id: i64, r: &ImportReport) -> Result<()> {
    let kept: Vec<&RowError> = r.errors.iter().take(KEPT_ERRORS).collect();
    let errors = serde_json::to_string(&kept).map_err(DomainError::internal)?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE list_imports SET done_rows = $1, created_rows = $2, unchanged_rows = $3, \
             error_rows = $4, errors = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(r.rows as i64)
        .bind(r.created as i64)
        .bind(r.unchanged as i64)
        .bind(r.errors.len() as i64)
        .bind(errors)
        .bind(now)
        .bind(id),
    )
    .await
    .map(drop)
}

/// Ends a job: finished, or failed with the reason (shown to staff).
pub async fn finish_job(e: &mut impl Exec, id: i64, failure: Option<&str>) -> Result<()> {
    let status = if failure.is_some() {
        ImportStatus::Failed
    } else {
        ImportStatus::Finished
    };
    e.execute(
        Sql::new(
            "UPDATE list_imports SET status = $1, message = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(failure)
        .bind(crate::db::now())
        .bind(id),
    )
    .await
    .map(drop)
}

/// A job `who` may follow; a running one that stalled shows as failed.
pub async fn get_job(
    e: &mut impl Exec,
    who: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Job> {
    let row = e
        .fetch_optional(
            Sql::new(
                "SELECT id, kind, agency_id, file_name, publish, status, total_rows, done_rows, created_rows, \
                 unchanged_rows, error_rows, errors, message, created_by, started_at, updated_at \
                 FROM list_imports WHERE id = $1",
            )
            .bind(id),
        )
        .await?;
    let mut j = row
        .as_ref()
        .map(job)
        .transpose()?
        .filter(|j| who.may_act_for(j.agency_id))
        .ok_or(DomainError::NotFound {
            what: "导入任务"
        })?;
    if j.status == ImportStatus::Running && now - j.updated_at > STALLED_AFTER {
        j.status = ImportStatus::Failed;
        j.message = Some("导入中断(服务器重启);已导入的行已保存,重新导入同一文件会跳过它们".into());
    }
    Ok(j)
}
