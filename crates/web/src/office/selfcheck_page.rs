//! The website self-check for the disclosure office: the national inspection indicators
//! judged from a crawl of the portal and the records, on request.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::selfcheck::ColumnState;
use gongkai_store::db;

use crate::office::selfcheck::SiteReport;
use crate::shared::error::{AppError, AppResult};
use crate::shared::render::page;
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// Enough for a district portal's columns and their first pages; `gongkai check site` goes
/// further.
const MAX_PAGES: usize = 500;

#[derive(Template)]
#[template(path = "office/selfcheck.html")]
struct SelfCheckPage {
    chrome: Chrome,
    r: SiteReport,
    columns: Vec<(String, String, String)>,
}

pub async fn office(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let who = staff.user.principal();
    if !who.role.sees_all_agencies() {
        return Err(AppError(DomainError::Forbidden));
    }
    let r = crate::office::selfcheck::run(&state, &who, db::now().date_naive(), MAX_PAGES).await?;
    let columns = r
        .columns
        .iter()
        .filter_map(|c| {
            let what = match &c.state {
                ColumnState::Empty => "空白栏目".to_string(),
                ColumnState::Stale { days, cadence } => {
                    format!("{days} 天未更新,超过{}", cadence.label())
                }
                ColumnState::Fresh => return None,
            };
            Some((c.agency.clone(), c.column.clone(), what))
        })
        .collect();
    page(
        &SelfCheckPage {
            chrome: staff.chrome("网站自查"),
            r,
            columns,
        },
        StatusCode::OK,
        None,
    )
}
