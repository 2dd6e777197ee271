//! Loading a State Council holiday notice published after the build: the year stops being
//! provisional, every open deadline is counted again, and what moved is listed for the office.

use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::calendar::official;
use gongkai_domain::{DomainError, Field};
use gongkai_store::Tx;
use gongkai_store::calendar::{self, DeadlineChange, Notice};
use gongkai_store::db::Result;
use gongkai_store::{messages, requests};

use crate::Ctx;

const FILE: Field = Field::new("file", "节假日通知文件");

/// Parses a notice in the shipped format (holiday-cn JSON); it must name days and stay
/// within the years the calendar counts.
type Days = Vec<(chrono::NaiveDate, official::OfficialDay)>;

fn parse(body: &str) -> std::result::Result<(i32, Days), DomainError> {
    let (year, days) = official::parse_year(body)
        .map_err(|e| DomainError::invalid(FILE, format!("无法读取节假日通知:{e}")))?;
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::invalid(
            FILE,
            format!("年份 {year} 超出 2000–2100"),
        ));
    }
    if days.is_empty() {
        return Err(DomainError::invalid(
            FILE,
            format!("{year} 年的通知没有列出任何日期(days 为空)"),
        ));
    }
    Ok((year, days))
}

/// Every open deadline on `cal`: requests by their clock, messages by their stored day.
async fn deadlines(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    cal: &WorkCalendar,
) -> Result<Vec<(&'static str, String, chrono::NaiveDate)>> {
    let today = ctx.today();
    let mut out = Vec::new();
    for c in requests::open_clocks_on(tx, &ctx.principal, today, cal).await? {
        if let Some(due) = c.clock.and_then(|c| c.due) {
            out.push(("申请", c.tracking_code, due));
        }
    }
    Ok(out)
}

/// Loads the notice in `body` (replacing an earlier one for its year) and recounts every
/// open deadline; returns the notice with what moved.
pub async fn import(ctx: &Ctx<'_>, body: &str) -> Result<Notice> {
    ctx.principal.require_admin()?;
    let (year, days) = parse(body)?;
    let day_count = days.len();
    ctx.db
        .write(async |tx| {
            let before_cal = calendar::work_calendar(tx).await?;
            let before = deadlines(tx, ctx, &before_cal).await?;
            let after_cal = before_cal.clone().with_notice(year, days.clone());
            let after = deadlines(tx, ctx, &after_cal).await?;
            let mut changes: Vec<DeadlineChange> = before
                .into_iter()
                .zip(after)
                .filter(|(b, a)| b.2 != a.2)
                .map(|(b, a)| DeadlineChange {
                    what: b.0.into(),
                    tracking_code: b.1,
                    before: b.2,
                    after: a.2,
                })
                .collect();
            // Messages store their due day: count the same working days again.
            for m in messages::awaiting_reply(tx).await? {
                if !ctx.principal.may_act_for(m.agency_id) {
                    continue;
                }
                let due = after_cal.recount(&before_cal, m.received_on, m.due_on)?;
                if due != m.due_on {
                    messages::record(tx, m.id, messages::Change::Due(due)).await?;
                    gongkai_store::audit::record(
                        tx,
                        &ctx.actor,
                        "message.due.recount",
                        ("message", &m.id.to_string()),
                        Some(&serde_json::json!({"due_on": m.due_on})),
                        Some(&serde_json::json!({"due_on": due, "notice": year})),
                    )
                    .await?;
                    changes.push(DeadlineChange {
                        what: "留言".into(),
                        tracking_code: m.tracking_code,
                        before: m.due_on,
                        after: due,
                    });
                }
            }
            calendar::save_notice(tx, &ctx.actor, year, body, &changes).await?;
            Ok(Notice {
                year,
                days: day_count,
                imported_at: tx.now(),
                changes,
            })
        })
        .await
}
