//! The search form and API parameters, checked once for both: the query text, filters, order
//! and page. Unknown filter values are refused with the field named.

use crate::index::MAX_DEPTH;
use crate::{Kind, Search};
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::document::{DocKind, Validity};
use gongkai_domain::topics::Topic;
use gongkai_domain::{DomainError, Field};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, Default)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub kind: String,
    pub agency: String,
    pub topic: String,
    pub doc_kind: String,
    pub year: String,
    pub validity: String,
    /// `date` for newest first; anything else is relevance.
    pub sort: String,
    pub page: String,
    pub per_page: String,
}

fn positive(s: &str, field: Field, default: usize) -> Result<usize, DomainError> {
    match s.trim() {
        "" => Ok(default),
        t => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| DomainError::invalid(field, format!("{field}应为正整数"))),
    }
}

fn some(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

impl SearchParams {
    pub fn parse(&self) -> Result<Search, DomainError> {
        let parsed = crate::query::parse(&self.q)?;
        let kind = some(&self.kind)
            .map(|k| {
                Kind::parse(k).ok_or_else(|| {
                    DomainError::invalid(Field::new("kind", "类别"), format!("没有“{k}”这一类别"))
                })
            })
            .transpose()?;
        let agency = some(&self.agency)
            .map(|a| AgencyCode::parse(a).map(|c| c.to_string()))
            .transpose()?;
        let topic = some(&self.topic)
            .map(|t| Topic::parse(t).map(|t| t.to_string()))
            .transpose()?;
        let doc_kind = some(&self.doc_kind)
            .map(|k| DocKind::parse(k).map(|k| k.as_str().to_string()))
            .transpose()?;
        let validity = some(&self.validity)
            .map(|v| Validity::parse(v).map(|v| v.as_str().to_string()))
            .transpose()?;
        let year = some(&self.year)
            .map(|y| {
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| {
                        DomainError::invalid(
                            Field::new("year", "年份"),
                            "年份应为 1949–2100 之间的整数",
                        )
                    })
            })
            .transpose()?;
        let per_page = positive(&self.per_page, Field::new("per_page", "每页条数"), 10)?.min(50);
        let page = positive(&self.page, Field::new("page", "页码"), 1)?;
        if (page - 1).saturating_mul(per_page) >= MAX_DEPTH {
            return Err(DomainError::invalid(
                Field::new("page", "页码"),
                format!("最多显示前 {MAX_DEPTH} 条结果,请缩小检索范围"),
            ));
        }
        Ok(Search {
            parsed,
            kind,
            agency,
            topic,
            doc_kind,
            validity,
            year,
            by_date: self.sort.trim() == "date",
            page,
            per_page,
        })
    }

    /// The query string of these parameters with one changed (or removed, when empty), page
    /// reset unless it is the page that changes.
    pub fn with(&self, name: &str, value: &str) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("agency", self.agency.clone()),
            ("topic", self.topic.clone()),
            ("doc_kind", self.doc_kind.clone()),
            ("year", self.year.clone()),
            ("validity", self.validity.clone()),
            ("sort", self.sort.clone()),
            ("page", String::new()),
        ];
        for p in pairs.iter_mut() {
            if p.0 == name {
                p.1 = value.to_string();
            }
        }
        let kept: Vec<(&str, String)> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }
}
