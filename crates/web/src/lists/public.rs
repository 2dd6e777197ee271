//! The public typed lists: an index of all kinds, each list with its filters, paging and
//! downloads, each record with its change history, and an Atom feed per list. Everything
//! shown comes from [`PublicRecord`], the masked public form of a record.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::lists::field::Material;
use gongkai_domain::lists::{FieldSpec, FieldType, KindSpec, ListKind, RecordStatus};
use gongkai_store::lists::{self, Record};
use gongkai_store::{agencies, db};

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::{Choice, page};
use crate::shared::session::Visitor;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;
use gongkai_app::list_query::{self, ListQuery, PublicRecord};

/// Most rows one download holds; larger lists are narrowed by filters or read page by page
/// through the API.
pub const MAX_EXPORT: i64 = 50_000;
const FEED_ENTRIES: i64 = 50;

pub fn kind_or_404(slug: &str) -> AppResult<ListKind> {
    ListKind::from_slug(slug).ok_or(AppError(DomainError::NotFound { what: "清单" }))
}

/// One group of kinds on the index page.
struct Group {
    name: &'static str,
    kinds: Vec<(ListKind, i64)>,
}

#[derive(Template)]
#[template(path = "lists.html")]
struct IndexPage {
    chrome: Chrome,
    groups: Vec<Group>,
}

pub async fn index(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let mut c = state.db.conn().await?;
    let today = db::now().date_naive();
    let mut groups: Vec<Group> = Vec::new();
    for kind in ListKind::ALL {
        let (_, n) = lists::public_list(&mut c, *kind, &Default::default(), today, 0, 0).await?;
        let g = kind.spec().group;
        match groups.iter_mut().find(|x| x.name == g) {
            Some(x) => x.kinds.push((*kind, n)),
            None => groups.push(Group {
                name: g,
                kinds: vec![(*kind, n)],
            }),
        }
    }
    page(
        &IndexPage {
            chrome: visitor.chrome("公开清单"),
            groups,
        },
        StatusCode::OK,
        None,
    )
}

/// A filter as a select: its field, and the options with their counts.
pub struct FilterView {
    pub key: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String)>,
    pub chosen: String,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    chrome: Chrome,
    spec: &'static KindSpec,
    columns: Vec<&'static FieldSpec>,
    filters: Vec<FilterView>,
    agencies: Vec<Choice>,
    agency: String,
    keyword: String,
    rows: Vec<PublicRecord>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    query: String,
    error: Option<String>,
    adjustments: Vec<PublicRecord>,
}

async fn filter_views(
    c: &mut impl gongkai_store::Exec,
    spec: &'static KindSpec,
    q: &ListQuery,
) -> AppResult<Vec<FilterView>> {
    let counts = lists::facet_counts(c, spec.kind, db::now().date_naive()).await?;
    let count = |key: &str, value: &str| {
        counts
            .iter()
            .find(|(k, v, _)| k == key && v == value)
            .map_or(0, |(_, _, n)| *n)
    };
    Ok(spec
        .filters()
        .map(|f| {
            let options = match f.ty {
                FieldType::Choice(o) | FieldType::Choices(o) => o
                    .iter()
                    .map(|v| (v.to_string(), format!("{v}({})", count(f.key, v))))
                    .collect(),
                _ => counts
                    .iter()
                    .filter(|(k, _, _)| k == f.key)
                    .map(|(_, v, n)| (v.clone(), format!("{v}({n})")))
                    .collect(),
            };
            FilterView {
                key: f.key,
                label: if matches!(f.ty, FieldType::Date) {
                    year_label(f)
                } else {
                    f.label
                },
                options,
                chosen: q.chosen(f.key).to_string(),
            }
        })
        .collect())
}

/// Dates filter by year: 决定日期 → 决定年份.
fn year_label(f: &FieldSpec) -> &'static str {
    match f.key {
        "decided_on" => "决定年份",
        "held_on" => "活动年份",
        _ => "年份",
    }
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let kind = kind_or_404(&slug)?;
    let spec = kind.spec();
    let mut c = state.db.conn().await?;
    let today = db::now().date_naive();
    let (q, rows, total, error, status) = match ListQuery::parse(&mut c, spec, &params).await {
        Ok(q) => {
            let (rows, total) =
                lists::public_list(&mut c, kind, &q.filter, today, q.offset(), q.per_page).await?;
            (q, rows, total, None, StatusCode::OK)
        }
        Err(e) if e.is_input_error() => (
            ListQuery {
                page: 1,
                per_page: list_query::PER_PAGE,
                ..Default::default()
            },
            Vec::new(),
            0,
            Some(e.to_string()),
            crate::shared::error::status_of(&e),
        ),
        Err(e) => return Err(AppError(e)),
    };
    let pages = ((total + q.per_page - 1) / q.per_page).clamp(1, list_query::MAX_PAGE);
    let agencies = agencies::tree_order(agencies::list(&mut c).await?)
        .into_iter()
        .map(|(depth, a)| Choice {
            value: a.code.clone(),
            label: format!("{}{}", "\u{3000}".repeat(depth), a.name),
        })
        .collect();
    let adjustments = if kind == ListKind::Powers {
        lists::adjustments(&mut c, kind, 20)
            .await?
            .iter()
            .map(PublicRecord::from)
            .collect()
    } else {
        Vec::new()
    };
    page(
        &ListPage {
            chrome: visitor.chrome(kind.label()),
            spec,
            columns: spec.columns().collect(),
            filters: filter_views(&mut c, spec, &q).await?,
            agencies,
            agency: q.agency_code.clone(),
            keyword: q.keyword.clone(),
            rows: rows.iter().map(PublicRecord::from).collect(),
            total,
            page: q.page,
            pages,
            prev: (q.page > 1).then(|| q.with_page(q.page - 1)),
            next: (q.page < pages).then(|| q.with_page(q.page + 1)),
            query: q.query_string(),
            error,
            adjustments,
        },
        status,
        None,
    )
}

/// A public field prepared for the record page.
pub struct FieldView {
    pub label: &'static str,
    pub value: String,
    pub paragraphs: Vec<String>,
    pub materials: Vec<Material>,
    pub link: bool,
}

pub fn field_views(r: &Record) -> Vec<FieldView> {
    r.public_fields()
        .into_iter()
        .map(|s| FieldView {
            label: s.label,
            paragraphs: if s.spec.is_long() {
                gongkai_domain::text::paragraphs(&s.value)
                    .map(String::from)
                    .collect()
            } else {
                Vec::new()
            },
            materials: if matches!(s.spec.ty, FieldType::Materials) {
                Material::all(&s.value)
            } else {
                Vec::new()
            },
            link: matches!(s.spec.ty, FieldType::Link),
            value: s.value,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "list_record.html")]
struct RecordPage {
    chrome: Chrome,
    spec: &'static KindSpec,
    r: PublicRecord,
    fields: Vec<FieldView>,
    current: bool,
    current_id: Option<i64>,
    history: Vec<PublicRecord>,
    extra: crate::lists::extras::Extra,
}

pub async fn record(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let kind = kind_or_404(&slug)?;
    let id = crate::shared::error::id_or_404(&id, "清单记录")?;
    let mut c = state.db.conn().await?;
    let today = db::now().date_naive();
    let r = lists::public_get(&mut c, id, today)
        .await?
        .filter(|r| r.kind == kind)
        .ok_or(AppError(DomainError::NotFound {
            what: "清单记录"
        }))?;
    let versions = lists::versions(&mut c, kind, r.agency_id, &r.key).await?;
    let history: Vec<PublicRecord> = versions
        .iter()
        .filter(|v| matches!(v.status, RecordStatus::Published | RecordStatus::Superseded))
        .map(PublicRecord::from)
        .collect();
    let current_id = versions
        .iter()
        .find(|v| v.status == RecordStatus::Published)
        .map(|v| v.id);
    let extra = crate::lists::extras::for_record(&state, &mut c, &r).await?;
    drop(c);
    // The registration form carries a CSRF token, so it needs a session.
    let cookie = match &extra.event {
        Some((_, None)) if r.status == RecordStatus::Published => visitor.ensure_session().await?,
        _ => None,
    };
    page(
        &RecordPage {
            chrome: visitor.chrome(&r.title),
            spec: kind.spec(),
            fields: field_views(&r),
            current: r.status == RecordStatus::Published,
            current_id,
            r: PublicRecord::from(&r),
            history,
            extra,
        },
        StatusCode::OK,
        cookie,
    )
}

/// Every public record matching the query, up to [`MAX_EXPORT`].
async fn all_matching(
    state: &AppState,
    kind: ListKind,
    params: &BTreeMap<String, String>,
) -> AppResult<Vec<PublicRecord>> {
    let mut c = state.db.conn().await?;
    let q = ListQuery::parse(&mut c, kind.spec(), params).await?;
    let (rows, _) = lists::public_list(
        &mut c,
        kind,
        &q.filter,
        db::now().date_naive(),
        0,
        MAX_EXPORT,
    )
    .await?;
    Ok(rows.iter().map(PublicRecord::from).collect())
}

/// The list (with the same filters as the page) as CSV, XLSX or JSON.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, format)): Path<(String, String)>,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let kind = kind_or_404(&slug)?;
    let spec = kind.spec();
    let rows = all_matching(&state, kind, &params).await?;
    let base = crate::feeds::base(&state, &headers);
    let table = || -> (Vec<String>, Vec<Vec<String>>) {
        (
            list_query::export_headers(spec),
            rows.iter()
                .map(|r| list_query::export_row(spec, r, &base))
                .collect(),
        )
    };
    let (content_type, body) = match format.as_str() {
        "csv" => {
            let (h, r) = table();
            (
                "text/csv; charset=utf-8",
                gongkai_formats::tabular::write_csv(&h, &r),
            )
        }
        "xlsx" => {
            let (h, r) = table();
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                gongkai_formats::tabular::write_xlsx(kind.label(), &h, &r)?,
            )
        }
        "json" => (
            "application/json",
            serde_json::to_vec_pretty(&serde_json::json!({
                "kind": kind.as_str(),
                "title": kind.label(),
                "total": rows.len(),
                "records": rows,
            }))
            .map_err(|e| AppError(DomainError::internal(format!("json: {e}"))))?,
        ),
        _ => {
            return Err(AppError(DomainError::NotFound {
                what: "下载格式"
            }));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{format}\"", kind.as_str()),
            ),
        ],
        body,
    )
        .into_response())
}

/// The newest public records of a list.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let kind = kind_or_404(&slug)?;
    let spec = kind.spec();
    let mut c = state.db.conn().await?;
    let (rows, _) = lists::public_list(
        &mut c,
        kind,
        &Default::default(),
        db::now().date_naive(),
        0,
        FEED_ENTRIES,
    )
    .await?;
    let entries: Vec<crate::feeds::Entry> = rows
        .iter()
        .map(|r| {
            let p = PublicRecord::from(r);
            crate::feeds::Entry {
                summary: spec
                    .columns()
                    .map(|f| format!("{}:{}", f.label, p.field(f.key)))
                    .collect::<Vec<_>>()
                    .join(";"),
                title: p.title,
                path: p.url,
                date: r
                    .effective_from
                    .or(r.record_on)
                    .unwrap_or_else(|| r.created_at.date_naive()),
                author: p.agency_name,
            }
        })
        .collect();
    let title = format!("{} · {}", state.config.site_name, kind.label());
    Ok(crate::feeds::xml(
        crate::feeds::ATOM,
        crate::feeds::atom(
            &crate::feeds::base(&state, &headers),
            &title,
            &format!("/lists/{}/feed.atom", kind.as_str()),
            &format!("/lists/{}", kind.as_str()),
            &entries,
        ),
    ))
}
