//! 考核: what each agency has outstanding today, scored by the office's weights.

use std::collections::BTreeMap;

use chrono::Datelike;
use gongkai_domain::DomainError;
use gongkai_domain::document::{ClockState, DEFAULT_PUBLICATION_LIMIT, publication_clock};
use gongkai_domain::message::{DueState, is_stale};
use gongkai_domain::oversight::{Indicators, Weights};
use gongkai_domain::request::clock::Alert;
use gongkai_domain::selfcheck::{ColumnState, column_state};
use gongkai_store::db::Result;
use gongkai_store::{
    Db, audit, calendar, catalogue, consultations, interpretations, messages, requests, settings,
};
use serde_json::json;

use crate::Ctx;

const WEIGHTS_KEY: &str = "oversight_weights";

/// The office's weights, or the defaults before it set any.
pub async fn weights(db: &Db) -> Result<Weights> {
    let mut c = db.conn().await?;
    Ok(settings::get(&mut c, WEIGHTS_KEY)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// The disclosure office sets the weights; the change is audited with the weights before.
pub async fn set_weights(ctx: &Ctx<'_>, w: &Weights) -> Result<()> {
    if !ctx.principal.role.sees_all_agencies() {
        return Err(DomainError::Forbidden);
    }
    let before = weights(ctx.db).await?;
    let value = serde_json::to_string(w).map_err(|e| DomainError::internal_from("weights", e))?;
    ctx.db
        .write(async |tx| {
            let now = tx.now();
            settings::set(tx, WEIGHTS_KEY, &value, now).await?;
            audit::record(
                tx,
                &ctx.actor,
                "oversight.weights",
                ("setting", WEIGHTS_KEY),
                Some(&json!(before)),
                Some(&json!(w)),
            )
            .await
        })
        .await
}

/// What one agency has outstanding.
pub struct AgencyIndicators {
    pub agency_id: i64,
    pub name: String,
    pub indicators: Indicators,
}

/// A count that fits the indicators; more than four billion of anything is a broken invariant.
fn count(n: u64, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|e| DomainError::internal_from(format!("count of {what}"), e))
}

/// Every agency the principal may act for, with what it has outstanding on `ctx.today()`:
/// publications past their limit, requests overdue or due soon, this year's policies and
/// their interpretations, feedback reports due, messages overdue or stale, catalogue
/// columns not kept up, typed-list items past or near a limit.
pub async fn indicators(ctx: &Ctx<'_>) -> Result<Vec<AgencyIndicators>> {
    let (who, today) = (&ctx.principal, ctx.today());
    let mut c = ctx.db.conn().await?;
    let cal = calendar::work_calendar(&mut c).await?;
    let mut by: BTreeMap<i64, Indicators> = BTreeMap::new();
    for item in gongkai_store::documents::unpublished(&mut c, who).await? {
        let limit = item
            .publication_limit
            .and_then(|l| u32::try_from(l).ok())
            .unwrap_or(DEFAULT_PUBLICATION_LIMIT);
        if publication_clock(&cal, item.formed_on, limit, None, today)?.state == ClockState::Overdue
        {
            by.entry(item.agency_id).or_default().publications_overdue += 1;
        }
    }
    for open in requests::open_clocks(&mut c, who, today).await? {
        let i = by.entry(open.agency_id).or_default();
        match open.clock.as_ref().and_then(|c| c.alert) {
            Some(Alert::Overdue { .. }) => i.requests_overdue += 1,
            Some(Alert::DueSoon { .. } | Alert::DueTomorrow | Alert::DueToday) => {
                i.requests_due_soon += 1
            }
            Some(Alert::CorrectionLapsed { .. } | Alert::FeeLapsed { .. }) => {
                i.requests_to_close += 1
            }
            _ => {}
        }
    }
    for (id, _, cov) in interpretations::coverage(&mut c, today.year()).await? {
        let i = by.entry(id).or_default();
        i.policies = count(cov.policies, "policies")?;
        i.interpreted = count(cov.interpreted, "interpreted policies")?;
    }
    for r in consultations::reports_due(&mut c, who).await? {
        let i = by.entry(r.agency_id).or_default();
        i.feedback_reports_due += 1;
        if r.due_on < today {
            i.feedback_reports_overdue += 1;
        }
    }
    for m in messages::for_staff(&mut c, who).await? {
        let i = by.entry(m.agency_id).or_default();
        if m.due_state(&cal, today)? == DueState::Overdue {
            i.messages_overdue += 1;
        }
        if is_stale(m.status, m.received_on, today) {
            i.messages_stale += 1;
        }
    }
    for item in catalogue::all_items(&mut c, who).await? {
        if column_state(
            &item.name,
            item.refresh_days,
            item.filed,
            item.latest,
            today,
        ) != ColumnState::Fresh
        {
            by.entry(item.agency_id).or_default().columns_stale += 1;
        }
    }
    for a in gongkai_store::lists::alerts(&mut c, today).await? {
        let i = by.entry(a.agency_id).or_default();
        if a.overdue {
            i.lists_overdue += 1;
        } else {
            i.lists_due_soon += 1;
        }
    }
    Ok(gongkai_store::agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| who.may_act_for(a.id))
        .map(|a| AgencyIndicators {
            indicators: by.remove(&a.id).unwrap_or_default(),
            agency_id: a.id,
            name: a.name,
        })
        .collect())
}
