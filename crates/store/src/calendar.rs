//! Administrator overrides of the official work calendar.

use chrono::NaiveDate;
use gongkai_domain::calendar::{CalendarOverride, WorkCalendar};
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

/// The official calendar with this installation's overrides: what every deadline uses.
pub async fn work_calendar(e: &mut impl Exec) -> Result<WorkCalendar> {
    Ok(WorkCalendar::with_overrides(overrides(e).await?))
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
