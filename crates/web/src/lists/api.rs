//! The JSON API of the typed lists: each kind's declaration, its records with the same
//! filters as the pages, one record with its versions, an open dataset's rows, and the DCAT
//! catalogue of the open data. Only the masked public form of a record is ever returned.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::lists::{FieldType, ListKind, RecordStatus};
use gongkai_store::{db, list_extras, lists};
use serde_json::{Value, json};

use crate::lists::public::kind_or_404;
use crate::shared::error::{AppError, AppResult};
use crate::shared::state::AppState;
use gongkai_app::list_query::{ListQuery, PublicRecord};

fn type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::Text | FieldType::PartyName => "text",
        FieldType::LongText => "long_text",
        FieldType::Date => "date",
        FieldType::Year => "year",
        FieldType::Count => "count",
        FieldType::Yuan => "yuan",
        FieldType::Choice(_) => "choice",
        FieldType::Choices(_) => "choices",
        FieldType::CreditCode => "credit_code",
        FieldType::IdNumber => "id_number",
        FieldType::Phone => "phone",
        FieldType::Link => "link",
        FieldType::Materials => "materials",
    }
}

/// Every kind with its public fields and its current count.
pub async fn kinds(State(state): State<AppState>) -> AppResult<Json<Value>> {
    let mut c = state.db.conn().await?;
    let today = db::now().date_naive();
    let mut out = Vec::new();
    for kind in ListKind::ALL {
        let spec = kind.spec();
        let (_, total) =
            lists::public_list(&mut c, *kind, &Default::default(), today, 0, 0).await?;
        let fields: Vec<Value> = gongkai_domain::lists::public::export_fields(spec)
            .map(|f| {
                json!({"key": f.key, "label": f.label, "type": type_name(f.ty), "filter": f.filter,
                       "options": f.options()})
            })
            .collect();
        out.push(json!({
            "kind": kind.as_str(), "title": kind.label(), "group": spec.group, "intro": spec.intro,
            "total": total, "href": format!("/api/v1/lists/{}", kind.as_str()), "fields": fields,
        }));
    }
    Ok(Json(Value::Array(out)))
}

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Json<Value>> {
    let kind = kind_or_404(&slug)?;
    let mut c = state.db.conn().await?;
    let q = ListQuery::parse(&mut c, kind.spec(), &params).await?;
    let (rows, total) = lists::public_list(
        &mut c,
        kind,
        &q.filter,
        db::now().date_naive(),
        q.offset(),
        q.per_page,
    )
    .await?;
    let items: Vec<PublicRecord> = rows.iter().map(PublicRecord::from).collect();
    Ok(Json(json!({
        "kind": kind.as_str(), "total": total, "page": q.page, "per_page": q.per_page, "items": items,
    })))
}

pub async fn record(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let kind = kind_or_404(&slug)?;
    let id = crate::shared::error::id_or_404(&id, "清单记录")?;
    let mut c = state.db.conn().await?;
    let r = lists::public_get(&mut c, id, db::now().date_naive())
        .await?
        .filter(|r| r.kind == kind)
        .ok_or(AppError(DomainError::NotFound {
            what: "清单记录"
        }))?;
    let versions: Vec<PublicRecord> = lists::versions(&mut c, kind, r.agency_id, &r.key)
        .await?
        .iter()
        .filter(|v| matches!(v.status, RecordStatus::Published | RecordStatus::Superseded))
        .map(PublicRecord::from)
        .collect();
    let mut out = serde_json::to_value(PublicRecord::from(&r))
        .map_err(|e| AppError(DomainError::internal(format!("json: {e}"))))?;
    out["current"] = json!(r.status == RecordStatus::Published);
    out["versions"] = json!(versions);
    if kind == ListKind::Dataset {
        let resources = list_extras::resources(&mut c, r.agency_id, &r.key).await?;
        out["resources"] = json!(
            resources
                .iter()
                .map(|res| resource_json(res, ""))
                .collect::<Vec<_>>()
        );
    }
    Ok(Json(out))
}

fn resource_json(res: &list_extras::Resource, base: &str) -> Value {
    json!({
        "id": res.id, "title": res.title, "format": res.format.as_str(), "file_name": res.file_name,
        "size": res.size, "rows": res.row_count, "downloads": res.downloads,
        "download_url": res.url.is_none().then(|| format!("{base}/datasets/resources/{}/download", res.id)),
        "api_url": res.url,
        "rows_url": res.format.tabular().then(|| format!("{base}/api/v1/datasets/resources/{}/rows", res.id)),
    })
}

/// Rows of a tabular resource, paged, filtered by column: `?列名=值` keeps the rows whose
/// column equals the value.
pub async fn rows(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> AppResult<Json<Value>> {
    let id = crate::shared::error::id_or_404(&id, "数据资源")?;
    let today = db::now().date_naive();
    let d = gongkai_app::lists::dataset_rows(&state.db, id, &params, today).await?;
    let rows: Vec<Value> = d
        .rows
        .iter()
        .map(|row| {
            Value::Object(
                d.columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        (
                            c.clone(),
                            Value::String(row.get(i).cloned().unwrap_or_default()),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(Json(json!({
        "resource": d.resource.id, "title": d.resource.title, "columns": d.columns,
        "total": d.total, "page": d.page, "per_page": d.per_page, "rows": rows,
    })))
}

/// The open data catalogue as DCAT in JSON-LD.
pub async fn dcat(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::feeds::base(&state, &headers);
    let mut c = state.db.conn().await?;
    let today = db::now().date_naive();
    let (datasets, _) = lists::public_list(
        &mut c,
        ListKind::Dataset,
        &Default::default(),
        today,
        0,
        10_000,
    )
    .await?;
    let mut out = Vec::new();
    for d in &datasets {
        let p = PublicRecord::from(d);
        let resources = list_extras::resources(&mut c, d.agency_id, &d.key).await?;
        let distributions: Vec<Value> = resources
            .iter()
            .map(|r| {
                let mut x = json!({"@type": "dcat:Distribution", "dct:title": r.title, "dct:format": r.format.label()});
                match &r.url {
                    Some(u) => x["dcat:accessURL"] = json!({"@id": u}),
                    None => {
                        x["dcat:downloadURL"] = json!({"@id": format!("{base}/datasets/resources/{}/download", r.id)});
                        x["dcat:mediaType"] = json!(r.format.content_type().split(';').next().unwrap_or(""));
                        x["dcat:byteSize"] = json!(r.size);
                    }
                }
                x
            })
            .collect();
        out.push(json!({
            "@id": format!("{base}{}", p.url),
            "@type": "dcat:Dataset",
            "dct:identifier": p.field("code"),
            "dct:title": p.field("title"),
            "dct:description": p.field("description"),
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": p.agency_name},
            "dcat:theme": p.field("topic"),
            "dct:accrualPeriodicity": p.field("frequency"),
            "dct:license": p.field("licence"),
            "dct:temporal": p.field("temporal"),
            "dct:spatial": p.field("spatial"),
            "dct:modified": {"@value": p.field("updated_on"), "@type": "xsd:date"},
            "dcat:landingPage": {"@id": format!("{base}{}", p.url)},
            "dcat:distribution": distributions,
        }));
    }
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{base}/lists/sjml/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": format!("{} 开放数据目录", state.config.site_name),
        "dct:language": "zh-CN",
        "dcat:dataset": out,
    });
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    Ok(res)
}
