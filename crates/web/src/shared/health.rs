//! Liveness and readiness for load balancers and orchestration.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use gongkai_store::{calendar, db, migrate};
use serde_json::json;

use crate::shared::state::AppState;

pub async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

/// How long readiness may take: a load balancer's health check gives up after about a second,
/// and a node whose database does not answer by then is not ready.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_millis(900);

/// Ready when the database answers (within [`READY_WITHIN`]) and its schema is current.
/// Missing calendar data for next year is a warning, not unreadiness: deadlines still compute,
/// on Monday–Friday.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let backend = state.db.backend().name();
    match tokio::time::timeout(READY_WITHIN, readiness(state)).await {
        Ok(answer) => answer,
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": backend,
                            "reason": format!("database did not answer within {} ms", READY_WITHIN.as_millis())})),
            )
        }
    }
}

async fn readiness(state: AppState) -> (StatusCode, Json<serde_json::Value>) {
    let backend = state.db.backend().name();
    let version = match migrate::current_version(&state.db).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database not reachable");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({"status": "unavailable", "database": backend, "reason": "database unreachable"}),
                ),
            );
        }
    };
    let latest = migrate::latest_version();
    if version != Some(latest) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "database": backend, "schema_version": version,
                        "reason": format!("schema is not at version {latest}; run `gongkai migrate`")}),
            ),
        );
    }
    let mut warnings = Vec::new();
    match state.db.conn().await {
        Ok(mut c) => {
            match calendar::work_calendar(&mut c).await {
                Ok(cal) => warnings.extend(cal.coverage_warning(db::now().date_naive())),
                Err(e) => warnings.push(format!("calendar overrides unreadable: {e}")),
            }
            match gongkai_store::mail::backlog(&mut c).await {
                Ok((_, failed)) if failed > 0 => warnings.push(format!(
                    "{failed} e-mail(s) to applicants could not be sent"
                )),
                Ok(_) => {}
                Err(e) => warnings.push(format!("mail outbox unreadable: {e}")),
            }
        }
        Err(e) => warnings.push(format!("database: {e}")),
    }
    // Search lag is reported, not a reason to take the node out: it serves the index it has.
    let search = state.search.as_ref().map(|node| {
        let s = node.status();
        if let Some(e) = &s.last_error {
            warnings.push(format!("search indexer: {e}"));
        }
        if s.rebuilding.is_some() {
            warnings.push("search index is being rebuilt; results come from the previous index".into());
        }
        json!({"cursor": s.cursor, "head": s.head, "lag": s.lag(), "documents": s.documents, "rebuilding": s.rebuilding})
    });
    (
        StatusCode::OK,
        Json(
            json!({"status": "ready", "database": backend, "schema_version": version, "search": search, "warnings": warnings}),
        ),
    )
}
