//! The public document filters, parsed once for the list page and the API.

use gongkai_domain::agency::AgencyCode;
use gongkai_domain::document::{DocKind, Validity};
use gongkai_domain::topics::Topic;
use gongkai_domain::{DomainError, Field};
use gongkai_store::documents::{Filter, MAX_PAGE_SIZE};
use gongkai_store::{Exec, agencies};
use serde::Deserialize;

/// Query-string filters, all optional; echoed back into the list page's form.
#[derive(Clone, Debug, Deserialize, Default)]
#[serde(default)]
pub struct DocumentQuery {
    pub agency: String,
    pub kind: String,
    pub topic: String,
    pub year: String,
    pub validity: String,
    pub page: String,
    pub per_page: String,
}

pub struct Parsed {
    pub filter: Filter,
    pub page: i64,
    pub per_page: i64,
}

fn number(s: &str, field: Field, default: i64) -> Result<i64, DomainError> {
    if s.trim().is_empty() {
        return Ok(default);
    }
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| DomainError::invalid(field, format!("{field}应为正整数")))
}

impl DocumentQuery {
    pub async fn parse(&self, e: &mut impl Exec) -> Result<Parsed, DomainError> {
        let mut filter = Filter::default();
        if !self.agency.trim().is_empty() {
            let code = AgencyCode::parse(&self.agency)?;
            let a = agencies::by_code(e, &code)
                .await?
                .ok_or(DomainError::NotFound { what: "机构" })?;
            filter.agency_id = Some(a.id);
        }
        if !self.kind.trim().is_empty() {
            filter.kind = Some(DocKind::parse(&self.kind)?);
        }
        if !self.topic.trim().is_empty() {
            filter.topic = Some(Topic::parse(&self.topic)?.to_string());
        }
        if !self.validity.trim().is_empty() {
            filter.validity = Some(Validity::parse(&self.validity)?);
        }
        if !self.year.trim().is_empty() {
            let y = number(&self.year, Field::new("year", "年份"), 0)?;
            filter.year = Some(
                i32::try_from(y)
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| {
                        DomainError::invalid(Field::new("year", "年份"), "年份超出范围")
                    })?,
            );
        }
        Ok(Parsed {
            filter,
            page: number(&self.page, Field::new("page", "页码"), 1)?.min(10_000),
            per_page: number(&self.per_page, Field::new("per_page", "每页条数"), 20)?
                .min(MAX_PAGE_SIZE),
        })
    }

    /// The query string for another page of the same results.
    pub fn with_page(&self, page: i64) -> String {
        let mut pairs = Vec::new();
        for (k, v) in [
            ("agency", &self.agency),
            ("kind", &self.kind),
            ("topic", &self.topic),
            ("year", &self.year),
            ("validity", &self.validity),
            ("per_page", &self.per_page),
        ] {
            if !v.trim().is_empty() {
                pairs.push((k, v.trim()));
            }
        }
        let page = page.to_string();
        pairs.push(("page", &page));
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}
