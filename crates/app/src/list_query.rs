//! The query of a public typed list, shared by its page, its exports, its feed and the API:
//! filters by the kind's declared filter fields, an agency, keywords and a page. Every value
//! is checked against the declaration, so an unknown value is a clear message, not a silent
//! empty list.

use std::collections::BTreeMap;

use gongkai_domain::lists::{FieldType, KindSpec};
use gongkai_domain::{DomainError, Field};
use gongkai_store::lists::{Filter, Record};
use gongkai_store::{Exec, agencies};
use serde::Serialize;

/// Deepest page: beyond it, narrow the filters or download the list.
pub const MAX_PAGE: i64 = 500;
pub const PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;
const MAX_KEYWORD: usize = 100;

#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub filter: Filter,
    pub agency_code: String,
    pub keyword: String,
    pub page: i64,
    pub per_page: i64,
}

impl ListQuery {
    /// Reads `params` (the query string) for `spec`. Parameters that are not filters of this
    /// kind are ignored, like any web form's extra fields.
    pub async fn parse(
        e: &mut impl Exec,
        spec: &KindSpec,
        params: &BTreeMap<String, String>,
    ) -> Result<ListQuery, DomainError> {
        let mut q = ListQuery {
            page: 1,
            per_page: PER_PAGE,
            ..ListQuery::default()
        };
        for f in spec.filters() {
            let Some(v) = params
                .get(f.key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            let ok = match f.ty {
                FieldType::Choice(o) | FieldType::Choices(o) => o.contains(&v),
                FieldType::Date | FieldType::Year => {
                    v.len() == 4 && v.chars().all(|c| c.is_ascii_digit())
                }
                _ => !v.chars().any(char::is_control) && v.chars().count() <= 200,
            };
            if !ok {
                return Err(DomainError::invalid(
                    f.as_field(),
                    format!("{}没有“{}”这一项", f.label, v),
                ));
            }
            q.filter.facets.push((f.key.to_string(), v.to_string()));
        }
        if let Some(code) = params
            .get("agency")
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            let field = Field::new("agency", "发布机构");
            let unknown = || DomainError::invalid(field, format!("没有机构“{code}”"));
            let parsed = gongkai_domain::agency::AgencyCode::parse(code).map_err(|_| unknown())?;
            let a = agencies::by_code(e, &parsed).await?.ok_or_else(unknown)?;
            q.filter.agency_id = Some(a.id);
            q.agency_code = a.code;
        }
        if let Some(k) = params.get("q").map(|k| k.trim()).filter(|k| !k.is_empty()) {
            if k.chars().count() > MAX_KEYWORD || k.chars().any(char::is_control) {
                return Err(DomainError::invalid(
                    Field::new("q", "关键词"),
                    format!("关键词不能超过 {MAX_KEYWORD} 个字,且不能含控制字符"),
                ));
            }
            q.keyword = k.to_string();
            q.filter.keyword = Some(k.to_string());
        }
        q.page = number(params, "page", "页码", 1, MAX_PAGE)?;
        q.per_page = number(params, "per_page", "每页条数", PER_PAGE, MAX_PER_PAGE)?;
        Ok(q)
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The query string of these filters (without the page), for links.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(String, String)> = self.filter.facets.clone();
        if !self.agency_code.is_empty() {
            pairs.push(("agency".into(), self.agency_code.clone()));
        }
        if !self.keyword.is_empty() {
            pairs.push(("q".into(), self.keyword.clone()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    pub fn with_page(&self, page: i64) -> String {
        let qs = self.query_string();
        if qs.is_empty() {
            format!("page={page}")
        } else {
            format!("{qs}&page={page}")
        }
    }

    pub fn chosen(&self, key: &str) -> &str {
        self.filter
            .facets
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

fn number(
    params: &BTreeMap<String, String>,
    key: &'static str,
    label: &'static str,
    default: i64,
    max: i64,
) -> Result<i64, DomainError> {
    let Some(v) = params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match v.parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(DomainError::invalid(
            Field::new(key, label),
            format!("{label}应为 1 到 {max} 之间的整数"),
        )),
    }
}

/// A record as the public sees it anywhere: pages, exports, the feed, the API.
#[derive(Clone, Debug, Serialize)]
pub struct PublicRecord {
    pub id: i64,
    /// The kind's code (its URL slug).
    pub kind: &'static str,
    pub url: String,
    pub title: String,
    pub agency_code: String,
    pub agency_name: String,
    pub version: i64,
    pub date: Option<chrono::NaiveDate>,
    pub effective_from: Option<chrono::NaiveDate>,
    pub effective_to: Option<chrono::NaiveDate>,
    pub change_note: Option<String>,
    /// Field key → masked public value.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl From<&Record> for PublicRecord {
    fn from(r: &Record) -> Self {
        PublicRecord {
            id: r.id,
            kind: r.kind.as_str(),
            url: format!("/lists/{}/{}", r.kind.as_str(), r.id),
            title: r.title.clone(),
            agency_code: r.agency_code.clone(),
            agency_name: r.agency_name.clone(),
            version: r.version,
            date: r.record_on,
            effective_from: r.effective_from,
            effective_to: r.effective_to,
            change_note: r.change_note.clone(),
            fields: gongkai_domain::lists::public::map(r.kind.spec(), &r.values),
        }
    }
}

impl PublicRecord {
    pub fn field(&self, key: &str) -> &str {
        self.fields.get(key).and_then(|v| v.as_str()).unwrap_or("")
    }
}

/// Export columns: the agency, every field the public may see, the version's dates, the link.
pub fn export_headers(spec: &KindSpec) -> Vec<String> {
    let mut h = vec!["发布机构".to_string()];
    h.extend(gongkai_domain::lists::public::export_fields(spec).map(|f| f.label.to_string()));
    h.extend([
        "版本".to_string(),
        "生效日期".to_string(),
        "链接".to_string(),
    ]);
    h
}

pub fn export_row(spec: &KindSpec, r: &PublicRecord, base: &str) -> Vec<String> {
    let mut row = vec![r.agency_name.clone()];
    row.extend(
        gongkai_domain::lists::public::export_fields(spec).map(|f| r.field(f.key).to_string()),
    );
    row.push(r.version.to_string());
    row.push(r.effective_from.map(|d| d.to_string()).unwrap_or_default());
    row.push(format!("{base}{}", r.url));
    row
}
