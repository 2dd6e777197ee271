//! The office area every staff member sees: home and the work calendar.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_domain::calendar::{CalendarOverride, DayInfo, WorkdaySpan, parse_date};
use gongkai_domain::document::{
    ClockState, DEFAULT_PUBLICATION_LIMIT, PublicationClock, publication_clock,
};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::documents::{self, Unpublished};
use gongkai_store::{calendar, db};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::page;
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// An unpublished proactive document against its publication deadline.
pub struct ClockLine {
    pub item: Unpublished,
    pub clock: PublicationClock,
    pub overdue: bool,
    pub explanation: Vec<String>,
}

pub struct AgencyLine {
    pub agency: Agency,
    pub documents: usize,
}

#[derive(Template)]
#[template(path = "office/home.html")]
struct OfficeHome {
    chrome: Chrome,
    agency_name: String,
    role_label: &'static str,
    sees_all: bool,
    warnings: Vec<String>,
    lines: Vec<AgencyLine>,
    clock: Vec<ClockLine>,
    /// Open information requests: (overdue, due soon, unconfirmed, awaiting review, open).
    requests: [usize; 6],
    /// Feedback reports due, with whether each is overdue.
    reports_due: Vec<(gongkai_store::consultations::ReportDue, bool)>,
    /// Agencies without a published decision catalogue this year, and its due date.
    catalogues_missing: usize,
    /// Messages: (due soon, overdue, valid and unanswered beyond three months).
    messages: [usize; 3],
    catalogue_due: String,
}

pub async fn home(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let all = agencies::list(&mut c).await?;
    let principal = staff.user.principal();
    let own = all
        .iter()
        .find(|a| a.id == staff.user.agency_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let mut lines = Vec::new();
    // Staff see their own agency only; the office and administrators see every agency.
    for a in all.into_iter().filter(|a| principal.may_act_for(a.id)) {
        let documents = documents::count_public(&mut c, a.id).await? as usize;
        lines.push(AgencyLine {
            agency: a,
            documents,
        });
    }
    let cal = calendar::work_calendar(&mut c).await?;
    let today = db::now().date_naive();
    let warnings = cal.coverage_warning(today).into_iter().collect();
    let mut clock = Vec::new();
    for item in documents::unpublished(&mut c, &principal).await? {
        let limit = item
            .publication_limit
            .and_then(|l| u32::try_from(l).ok())
            .unwrap_or(DEFAULT_PUBLICATION_LIMIT);
        let pc = publication_clock(&cal, item.formed_on, limit, None, today)?;
        let explanation = pc.span.skipped().map(|s| s.to_string()).collect();
        clock.push(ClockLine {
            overdue: pc.state == ClockState::Overdue,
            item,
            clock: pc,
            explanation,
        });
    }
    // Overdue first, then by due date.
    clock.sort_by_key(|l| (!l.overdue, l.clock.due));
    let open = gongkai_store::requests::queue(&mut c, &principal, today, 1000).await?;
    use gongkai_domain::request::queue::QueueView;
    let requests = [
        QueueView::Overdue,
        QueueView::DueSoon,
        QueueView::Pending,
        QueueView::Review,
        QueueView::All,
        QueueView::ToClose,
    ]
    .map(|view| {
        open.iter()
            .filter(|q| crate::requests::office::in_view(view, q, staff.user.id))
            .count()
    });
    let reports_due = gongkai_store::consultations::reports_due(&mut c, &principal)
        .await?
        .into_iter()
        .map(|r| {
            let overdue = r.due_on < today;
            (r, overdue)
        })
        .collect();
    let mut messages = [0usize; 3];
    for m in gongkai_store::messages::for_staff(&mut c, &principal).await? {
        match m.due_state(&cal, today)? {
            gongkai_domain::message::DueState::DueSoon => messages[0] += 1,
            gongkai_domain::message::DueState::Overdue => messages[1] += 1,
            _ => {}
        }
        if gongkai_domain::message::is_stale(m.status, m.received_on, today) {
            messages[2] += 1;
        }
    }
    let year = chrono::Datelike::year(&today);
    let catalogues_missing = gongkai_store::decisions::unpublished(&mut c, &principal, year)
        .await?
        .len();
    page(
        &OfficeHome {
            messages,
            catalogues_missing,
            catalogue_due: gongkai_domain::decision::catalogue_due(year)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            reports_due,
            requests,
            chrome: staff.chrome("工作台"),
            agency_name: own,
            role_label: staff.user.role.label(),
            sees_all: staff.user.role.sees_all_agencies(),
            warnings,
            lines,
            clock,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    prev_year: i32,
    next_year: i32,
    has_data: bool,
    workday_count: usize,
    holidays: Vec<DayInfo>,
    makeups: Vec<DayInfo>,
    overrides: Vec<CalendarOverride>,
    notices: Vec<calendar::Notice>,
    warning: Option<String>,
    is_admin: bool,
    calc_from: String,
    calc_days: String,
    calc: Option<WorkdaySpan>,
    calc_error: Option<String>,
    form_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    days: String,
}

async fn calendar_page(
    state: &AppState,
    staff: &Staff,
    q: &CalendarQuery,
    form_error: Option<String>,
) -> AppResult<CalendarPage> {
    let today = db::now().date_naive();
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year());
    let mut c = state.db.conn().await?;
    let cal = calendar::work_calendar(&mut c).await?;
    let summary = cal.year_summary(year)?;
    let (mut calc, mut calc_error) = (None, None);
    if !q.from.trim().is_empty() || !q.days.trim().is_empty() {
        let result = parse_date(&q.from, Field::new("from", "起算日期")).and_then(|from| {
            let n: u32 = gongkai_domain::input::number(
                &q.days,
                Field::new("days", "工作日数"),
                "工作日数应为 0 或正整数",
            )?;
            cal.add_workdays(from, n)
        });
        match result {
            Ok(span) => calc = Some(span),
            Err(e) => calc_error = Some(e.to_string()),
        }
    }
    Ok(CalendarPage {
        chrome: staff.chrome(&format!("{year} 年工作日历")),
        year,
        prev_year: year - 1,
        next_year: year + 1,
        has_data: summary.has_official_data,
        workday_count: summary.workdays.len(),
        holidays: summary.holidays_on_weekdays,
        makeups: summary.makeup_workdays,
        overrides: calendar::overrides(&mut c).await?,
        notices: calendar::notices(&mut c).await?,
        warning: cal.coverage_warning(today),
        is_admin: staff.require_admin().is_ok(),
        calc_from: q.from.clone(),
        calc_days: q.days.clone(),
        calc,
        calc_error,
        form_error,
    })
}

pub async fn calendar_view(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CalendarQuery>,
) -> AppResult<Response> {
    let p = calendar_page(&state, &staff, &q, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct OverrideForm {
    date: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
}

pub async fn set_override(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<OverrideForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let workday = gongkai_domain::input::choice(
        &form.kind,
        Field::new("kind", "类型"),
        &[("workday", true), ("off", false)],
        "请选择“调整为工作日”或“调整为休息日”",
    );
    let parsed = workday.and_then(|w| CalendarOverride::parse(&form.date, w, &form.note));
    let o = match parsed {
        Ok(o) => o,
        Err(e) => {
            let p = calendar_page(
                &state,
                &staff,
                &CalendarQuery::default(),
                Some(e.to_string()),
            )
            .await?;
            return page(&p, StatusCode::UNPROCESSABLE_ENTITY, None);
        }
    };
    gongkai_app::admin::set_calendar_override(&staff.ctx(&state.db), &o).await?;
    Ok(
        crate::shared::render::redirect(&format!("/office/calendar?year={}", o.date.year()))
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct RemoveOverrideForm {
    date: String,
}

pub async fn remove_override(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<RemoveOverrideForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let date: NaiveDate = parse_date(&form.date, Field::new("date", "日期")).map_err(AppError)?;
    let removed = gongkai_app::admin::remove_calendar_override(&staff.ctx(&state.db), date).await?;
    if !removed {
        return Err(AppError(DomainError::NotFound {
            what: "该日期的调整",
        }));
    }
    Ok(
        crate::shared::render::redirect(&format!("/office/calendar?year={}", date.year()))
            .into_response(),
    )
}
