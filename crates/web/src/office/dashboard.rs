//! The disclosure office's dashboard: per agency what is overdue or due soon (publications,
//! requests, interpretations, consultation feedback reports, messages, catalogue columns),
//! the score sheet by the office's weights, and the trends of the last twelve months.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::oversight::{self, ITEMS, Indicators, Sheet, Weights};
use gongkai_store::oversight::Month;
use gongkai_store::{agencies, db};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::page;
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

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
    let w = gongkai_app::oversight::weights(&state.db).await?;
    let rows = gongkai_app::oversight::indicators(&staff.ctx(&state.db))
        .await?
        .into_iter()
        .map(|a| AgencyRow {
            sheet: oversight::score(&a.indicators, &w),
            name: a.name,
            i: a.indicators,
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
    let (error, error_field) = crate::shared::render::split_error(error);
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
    CsrfForm(f): CsrfForm<WeightsForm>,
) -> AppResult<Response> {
    // Refused before the form is read: a department's staff learn nothing from it.
    if !staff.user.principal().role.sees_all_agencies() {
        return Err(AppError(DomainError::Forbidden));
    }
    let ctx = staff.ctx(&state.db);
    let result = async {
        let w = Weights::parse([&f.w0, &f.w1, &f.w2, &f.w3, &f.w4, &f.w5], &f.assessment)?;
        gongkai_app::oversight::set_weights(&ctx, &w).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| "/office/dashboard".to_string(),
        async |e| dashboard_page(&state, &staff, "", Some(e)).await,
    )
    .await
}
