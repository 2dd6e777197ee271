//! Administrator overrides of the official work calendar.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::calendar::official::{self, OfficialCalendar};
use gongkai_domain::calendar::{CalendarOverride, WorkCalendar};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

fn from_row(r: &Row) -> Result<CalendarOverride> {
    Ok(from_row!(r => CalendarOverride {
        date: get "day",
        workday,
        note,
    }))
}

pub async fn overrides(e: &mut impl Exec) -> Result<Vec<CalendarOverride>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT day, workday, note FROM calendar_overrides ORDER BY day",
        ))
        .await?;
    rows.iter().map(from_row).collect()
}

/// The official calendar with the notices loaded here and this installation's overrides:
/// what every deadline uses.
pub async fn work_calendar(e: &mut impl Exec) -> Result<WorkCalendar> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT year, body FROM calendar_notices ORDER BY year",
        ))
        .await?;
    let mut files = Vec::with_capacity(rows.len());
    for r in &rows {
        let year: i64 = r.get("year")?;
        files.push((year.to_string(), r.get::<String>("body")?));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(y, b)| (y.as_str(), b.as_str()))
        .collect();
    // Bodies were parsed before they were stored; a failure is a damaged database.
    let notices = OfficialCalendar::from_files(&refs)
        .map_err(|e| DomainError::internal(format!("stored holiday notice: {e}")))?;
    Ok(WorkCalendar::with_overrides(overrides(e).await?).with_notices(notices))
}

/// A deadline that loading a notice moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChange {
    /// `申请` or `留言`.
    pub what: String,
    pub tracking_code: String,
    pub before: NaiveDate,
    pub after: NaiveDate,
}

/// A notice loaded into this installation.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub year: i32,
    pub days: usize,
    pub imported_at: DateTime<Utc>,
    pub changes: Vec<DeadlineChange>,
}

/// The notices loaded here, newest year first.
pub async fn notices(e: &mut impl Exec) -> Result<Vec<Notice>> {
    let rows = e
        .fetch_all(Sql::new(
            "SELECT year, body, changes, imported_at FROM calendar_notices ORDER BY year DESC",
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let body: String = r.get("body")?;
            let (year, days) = official::parse_year(&body)
                .map_err(|e| DomainError::internal(format!("stored holiday notice: {e}")))?;
            let changes: String = r.get("changes")?;
            Ok(Notice {
                year,
                days: days.len(),
                imported_at: r.get("imported_at")?,
                changes: serde_json::from_str(&changes)
                    .map_err(|e| DomainError::internal_from("stored deadline changes", e))?,
            })
        })
        .collect()
}

/// Stores (or replaces) the notice of `year`, already parsed by the caller, with the
/// deadlines it moved; audited and announced so that every node recounts.
pub async fn save_notice(
    tx: &mut Tx,
    actor: &Actor,
    year: i32,
    body: &str,
    changes: &[DeadlineChange],
) -> Result<()> {
    let before = tx
        .fetch_optional(
            Sql::new("SELECT body FROM calendar_notices WHERE year = $1").bind(i64::from(year)),
        )
        .await?
        .map(|r| r.get::<String>("body"))
        .transpose()?;
    let changes_json = serde_json::to_string(changes)
        .map_err(|e| DomainError::internal_from("deadline changes", e))?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO calendar_notices (year, body, changes, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (year) DO UPDATE SET body = $2, changes = $3, imported_by = $4, imported_at = $5",
        )
        .bind(i64::from(year))
        .bind(body)
        .bind(&changes_json)
        .bind(actor.user_id)
        .bind(now),
    )
    .await?;
    let id = year.to_string();
    audit::record(
        tx,
        actor,
        "calendar.notice.import",
        ("calendar_notice", &id),
        before.map(|b| json!({"body": b})).as_ref(),
        Some(&json!({"body": body, "changes": changes})),
    )
    .await?;
    audit::announce(tx, "calendar.changed", ("calendar_notice", &id)).await
}

async fn get(e: &mut impl Exec, day: NaiveDate) -> Result<Option<CalendarOverride>> {
    let row = e
        .fetch_optional(
            Sql::new("SELECT day, workday, note FROM calendar_overrides WHERE day = $1").bind(day),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Sets (or replaces) the override of one date.
pub async fn set_override(tx: &mut Tx, actor: &Actor, o: &CalendarOverride) -> Result<()> {
    let before = get(tx, o.date).await?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO calendar_overrides (day, workday, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day) DO UPDATE SET workday = $2, note = $3, created_by = $4, created_at = $5",
        )
        .bind(o.date)
        .bind(o.workday)
        .bind(&o.note)
        .bind(actor.user_id)
        .bind(now),
    )
    .await?;
    let id = o.date.to_string();
    let to_json =
        |o: &CalendarOverride| json!({"date": o.date, "workday": o.workday, "note": o.note});
    audit::record(
        tx,
        actor,
        "calendar.override.set",
        ("calendar_day", &id),
        before.as_ref().map(to_json).as_ref(),
        Some(&to_json(o)),
    )
    .await?;
    // Deadlines computed from the calendar must be recomputed.
    audit::announce(tx, "calendar.changed", ("calendar_day", &id)).await
}

/// Removes the override of one date; returns whether there was one.
pub async fn remove_override(tx: &mut Tx, actor: &Actor, day: NaiveDate) -> Result<bool> {
    let Some(before) = get(tx, day).await? else {
        return Ok(false);
    };
    tx.execute(Sql::new("DELETE FROM calendar_overrides WHERE day = $1").bind(day))
        .await?;
    let id = day.to_string();
    let before = json!({"date": before.date, "workday": before.workday, "note": before.note});
    audit::record(
        tx,
        actor,
        "calendar.override.remove",
        ("calendar_day", &id),
        Some(&before),
        None,
    )
    .await?;
    audit::announce(tx, "calendar.changed", ("calendar_day", &id)).await?;
    Ok(true)
}
