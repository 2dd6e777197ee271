//! The disclosure office's dashboard: per agency what is overdue or due soon (publications,
//! requests, interpretations, consultation feedback reports, messages, catalogue columns),
//! the score sheet by the office's weights, and the trends of the last twelve months.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use gongkai_domain::DomainError;
use gongkai_domain::document::{ClockState, DEFAULT_PUBLICATION_LIMIT, publication_clock};
use gongkai_domain::message::{DueState, is_stale};
use gongkai_domain::oversight::{self, ITEMS, Indicators, Sheet, Weights};
use gongkai_domain::request::clock::Alert;
use gongkai_domain::selfcheck::{ColumnState, column_state};
use gongkai_store::oversight::Month;
use gongkai_store::{
    Actor, agencies, audit, calendar, catalogue, consultations, db, documents, interpretations,
    messages, requests, settings,
};
use serde::Deserialize;
use serde_json::json;

use super::page;
use crate::error::{AppError, AppResult};
use crate::form::Form;
use crate::session::Staff;
use crate::state::AppState;
use crate::views::Chrome;

const WEIGHTS_KEY: &str = "oversight_weights";

pub struct AgencyRow {
    pub name: String,
    pub i: Indicators,
    pub sheet: Sheet,
}

#[derive(Template)]
#[template(path = "office/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    rows: Vec<AgencyRow>,
    weights: Weights,
    items: [&'static str; 6],
    months: Vec<Month>,
    sees_all: bool,
    error: Option<String>,
    error_field: String,
}

async fn weights(state: &AppState) -> AppResult<Weights> {
    let mut c = state.db.conn().await?;
    Ok(settings::get(&mut c, WEIGHTS_KEY)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Every agency `staff` may see, with what it has outstanding today.
async fn indicators(state: &AppState, staff: &Staff) -> AppResult<Vec<(i64, String, Indicators)>> {
    let who = staff.user.principal();
    let mut c = state.db.conn().await?;
    let cal = calendar::work_calendar(&mut c).await?;
    let today = db::now().date_naive();
    let mut by: BTreeMap<i64, Indicators> = BTreeMap::new();
    let names: Vec<(i64, String)> = agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| who.may_act_for(a.id))
        .map(|a| (a.id, a.name))
        .collect();
    for item in documents::unpublished(&mut c, &who).await? {
        let limit = item
            .publication_limit
            .and_then(|l| u32::try_from(l).ok())
            .unwrap_or(DEFAULT_PUBLICATION_LIMIT);
        if publication_clock(&cal, item.formed_on, limit, None, today)?.state == ClockState::Overdue
        {
            by.entry(item.agency_id).or_default().publications_overdue += 1;
        }
    }
    for q in requests::queue(&mut c, &who, today, 100_000).await? {
        let i = by.entry(q.request.agency_id).or_default();
        match q.clock.as_ref().and_then(|c| c.alert) {
            Some(Alert::Overdue { .. }) => i.requests_overdue += 1,
            Some(Alert::DueSoon { .. } | Alert::DueTomorrow | Alert::DueToday) => {
                i.requests_due_soon += 1
            }
            _ => {}
        }
    }
    for (id, _, cov) in interpretations::coverage(&mut c, today.year()).await? {
        let i = by.entry(id).or_default();
        i.policies = u32::try_from(cov.policies).unwrap_or(u32::MAX);
        i.interpreted = u32::try_from(cov.interpreted).unwrap_or(u32::MAX);
    }
    for r in consultations::reports_due(&mut c, &who).await? {
        let i = by.entry(r.agency_id).or_default();
        i.feedback_reports_due += 1;
        if r.due_on < today {
            i.feedback_reports_overdue += 1;
        }
    }
    for m in messages::for_staff(&mut c, &who).await? {
        let i = by.entry(m.agency_id).or_default();
        if m.due_state(&cal, today)? == DueState::Overdue {
            i.messages_overdue += 1;
        }
        if is_stale(m.status, m.received_on, today) {
            i.messages_stale += 1;
        }
    }
    for item in catalogue::all_items(&mut c, &who).await? {
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
    Ok(names
        .into_iter()
        .map(|(id, name)| {
            let i = by.remove(&id).unwrap_or_default();
            (id, name, i)
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    #[serde(default)]
    agency: String,
}

async fn dashboard_page(
    state: &AppState,
    staff: &Staff,
    agency: &str,
    error: Option<DomainError>,
) -> AppResult<DashboardPage> {
    let w = weights(state).await?;
    let rows = indicators(state, staff)
        .await?
        .into_iter()
        .map(|(_, name, i)| AgencyRow {
            sheet: oversight::score(&i, &w),
            name,
            i,
        })
        .collect();
    let who = staff.user.principal();
    let mut c = state.db.conn().await?;
    // Trends: the whole platform for the office, the own agency for everyone else.
    let agency_id = if who.role.sees_all_agencies() {
        match agency.trim() {
            "" => None,
            code => {
                let code = gongkai_domain::agency::AgencyCode::parse(code)?;
                Some(
                    agencies::by_code(&mut c, &code)
                        .await?
                        .ok_or(AppError(DomainError::NotFound { what: "机构" }))?
                        .id,
                )
            }
        }
    } else {
        Some(who.agency_id)
    };
    let months = oversight::last_months(db::now().date_naive(), 12);
    let (error, error_field) = super::split_error(error);
    Ok(DashboardPage {
        chrome: staff.chrome("政务公开工作看板"),
        rows,
        weights: w,
        items: ITEMS,
        months: gongkai_store::oversight::trends(&mut c, agency_id, &months).await?,
        sees_all: who.role.sees_all_agencies(),
        error,
        error_field,
    })
}

pub async fn office(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DashboardQuery>,
) -> AppResult<Response> {
    let p = dashboard_page(&state, &staff, &q.agency, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct WeightsForm {
    csrf: String,
    w0: String,
    w1: String,
    w2: String,
    w3: String,
    w4: String,
    w5: String,
    assessment: String,
}

/// The office sets the weights (audited).
pub async fn set_weights(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<WeightsForm>,
) -> AppResult<Response> {
    staff.visitor.verify_csrf(&f.csrf)?;
    let who = staff.user.principal();
    if !who.role.sees_all_agencies() {
        return Err(AppError(DomainError::Forbidden));
    }
    let before = weights(&state).await?;
    let actor: Actor = staff.actor();
    let result = async {
        let w = Weights::parse([&f.w0, &f.w1, &f.w2, &f.w3, &f.w4, &f.w5], &f.assessment)?;
        let value = serde_json::to_string(&w).map_err(DomainError::internal)?;
        state
            .db
            .write(async |tx| {
                let now = tx.now();
                settings::set(tx, WEIGHTS_KEY, &value, now).await?;
                audit::record(
                    tx,
                    &actor,
                    "oversight.weights",
                    ("setting", WEIGHTS_KEY),
                    Some(&json!(before)),
                    Some(&json!(w)),
                )
                .await
            })
            .await
    }
    .await;
    super::after_post(
        result,
        |_| "/office/dashboard".to_string(),
        async |e| dashboard_page(&state, &staff, "", Some(e)).await,
    )
    .await
}
