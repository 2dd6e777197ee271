//! The JSON API for 重大行政决策事项目录: an agency's published catalogues, and one entry with
//! its stages in the procedure's order.

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use gongkai_domain::decision::{EntryStatus, StageKind};
use serde::Serialize;

use crate::shared::error::AppResult;
use crate::shared::state::AppState;

#[derive(Serialize)]
pub struct EntrySummary {
    id: i64,
    title: String,
    responsible: String,
    planned_on: NaiveDate,
    status: EntryStatus,
    href: String,
}

#[derive(Serialize)]
pub struct CatalogueOut {
    year: i32,
    published_on: Option<NaiveDate>,
    entries: Vec<EntrySummary>,
}

pub async fn catalogues(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Vec<CatalogueOut>>> {
    let mut conn = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut conn, &code).await?;
    drop(conn);
    let mut out = Vec::new();
    for (c, entries) in gongkai_app::decisions::published_catalogues(&state.db, agency.id).await? {
        let entries = entries
            .into_iter()
            .map(|e| EntrySummary {
                href: format!("/api/v1/decisions/{}", e.id),
                id: e.id,
                title: e.title,
                responsible: e.responsible_name,
                planned_on: e.planned_on,
                status: e.status,
            })
            .collect();
        out.push(CatalogueOut {
            year: c.year,
            published_on: c.published_at.map(|at| at.date_naive()),
            entries,
        });
    }
    Ok(Json(out))
}

#[derive(Serialize)]
pub struct StageOut {
    kind: StageKind,
    label: &'static str,
    happened_on: NaiveDate,
    summary: String,
    document_id: Option<i64>,
    consultation_id: Option<i64>,
    representatives: Option<String>,
}

#[derive(Serialize)]
pub struct EntryOut {
    id: i64,
    year: i32,
    agency: String,
    title: String,
    responsible: String,
    basis: String,
    planned_on: NaiveDate,
    status: EntryStatus,
    note: Option<String>,
    stages: Vec<StageOut>,
}

pub async fn entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<EntryOut>> {
    let id = crate::shared::error::id_or_404(&id, "决策事项")?;
    let (c, e, stages) = gongkai_app::decisions::published_entry(&state.db, id).await?;
    let stages = stages
        .into_iter()
        .map(|s| StageOut {
            kind: s.kind,
            label: s.kind.label(),
            happened_on: s.happened_on,
            summary: s.summary,
            document_id: s.document.map(|d| d.0),
            consultation_id: s.consultation.map(|c| c.0),
            representatives: s.representatives,
        })
        .collect();
    Ok(Json(EntryOut {
        id: e.id,
        year: c.year,
        agency: c.agency_code,
        title: e.title,
        responsible: e.responsible_name,
        basis: e.basis,
        planned_on: e.planned_on,
        status: e.status,
        note: e.note,
        stages,
    }))
}
