//! A list record's values: read from a form or an import row, checked field by field and
//! across fields, and what follows from them (key, title, dates, filters).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::field::{CHOICE_SEP, FieldSpec, FieldType, date_of};
use super::kinds::{self, KindSpec, ListKind};
use super::public;
use super::timing::{self, penalty_public_until};
use crate::calendar::WorkCalendar;
use crate::error::{DomainError, Field};

/// Field key → canonical text. Absent keys are empty fields.
pub type Values = BTreeMap<String, String>;

/// Parses every declared field from `input` (by key), then the rules across fields. All
/// problems are returned, not just the first, so an import row or a form lists them together.
pub fn parse_values<'a>(
    spec: &KindSpec,
    input: impl Fn(&FieldSpec) -> Option<&'a str>,
) -> Result<Values, Vec<DomainError>> {
    let mut values = Values::new();
    let mut errors = Vec::new();
    for f in spec.fields {
        match f.parse(input(f).unwrap_or("")) {
            Ok(Some(v)) => {
                values.insert(f.key.to_string(), v);
            }
            Ok(None) if f.required => errors.push(DomainError::invalid(
                f.as_field(),
                format!("{}不能为空", f.label),
            )),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        errors = rules(spec, &values);
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

fn get<'v>(values: &'v Values, key: &str) -> Option<&'v str> {
    values.get(key).map(String::as_str)
}

fn err(spec: &KindSpec, key: &'static str, message: &str) -> DomainError {
    let field = spec
        .field(key)
        .map(FieldSpec::as_field)
        .unwrap_or(Field::new("record", "记录"));
    DomainError::invalid(field, message.to_string())
}

/// The rules that involve more than one field.
fn rules(spec: &KindSpec, v: &Values) -> Vec<DomainError> {
    let mut out = Vec::new();
    match spec.kind {
        ListKind::Licence | ListKind::Penalty => {
            let natural = get(v, "party_kind") == Some(kinds::NATURAL_PERSON);
            if !natural && !v.contains_key("credit_code") {
                out.push(err(
                    spec,
                    "credit_code",
                    "法人、非法人组织和个体工商户应填写统一社会信用代码",
                ));
            }
            if natural && v.contains_key("legal_rep") {
                out.push(err(spec, "legal_rep", "自然人不填写法定代表人"));
            }
            if let (Some(from), Some(to)) = (get(v, "valid_from"), get(v, "valid_to"))
                && to < from
            {
                out.push(err(spec, "valid_to", "有效期至不能早于有效期自"));
            }
            if spec.kind == ListKind::Penalty {
                let fined =
                    get(v, "category").is_some_and(|c| c.split(CHOICE_SEP).any(|k| k == "罚款"));
                if fined && !v.contains_key("fine") {
                    out.push(err(spec, "fine", "处罚类别含罚款时应填写罚款金额"));
                }
            }
        }
        ListKind::Powers => {
            if v.contains_key("adjustment") != v.contains_key("adjusted_on") {
                out.push(err(spec, "adjusted_on", "调整类型和调整日期应同时填写"));
            }
        }
        ListKind::Proposal => match get(v, "mode") {
            Some(kinds::SUMMARY_ONLY) if !v.contains_key("summary") => {
                out.push(err(spec, "summary", "摘要公开的应填写答复摘要"));
            }
            Some(kinds::NOT_DISCLOSED) if !v.contains_key("reason") => {
                out.push(err(spec, "reason", "不公开的应说明理由"));
            }
            _ => {}
        },
        ListKind::Event => {
            if get(v, "capacity") == Some("0") {
                out.push(err(spec, "capacity", "名额应大于 0"));
            }
        }
        ListKind::Guide
        | ListKind::Fees
        | ListKind::Budget
        | ListKind::Negative
        | ListKind::Dataset => {}
    }
    out
}

/// What follows from a record's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    /// Identifies the record within its agency and kind.
    pub key: String,
    /// Public title (masked).
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The date the update limit counts from.
    pub event: Option<NaiveDate>,
    /// After this day the record is no longer public.
    pub public_until: Option<NaiveDate>,
    /// (field key, value) pairs for the list's filters: choices as they are, dates by year.
    pub facets: Vec<(&'static str, String)>,
    /// Every public value (masked), for keyword filtering and search.
    pub public_text: String,
    /// The record says the item ceased (a power 取消): it leaves the current list.
    pub ceased: bool,
}

pub fn derive(spec: &KindSpec, v: &Values) -> Derived {
    let key = spec
        .key
        .iter()
        .map(|k| get(v, k).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("/");
    let shown = public::fields(spec, v);
    let title = spec
        .title
        .iter()
        .filter_map(|k| shown.iter().find(|s| s.key == *k))
        .map(|s| s.value.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let date = spec.date.and_then(|k| get(v, k)).and_then(date_of);
    let event = spec.event.and_then(|(k, _)| get(v, k)).and_then(date_of);
    let public_until = match (spec.kind, date) {
        (ListKind::Penalty, Some(d)) => Some(penalty_public_until(
            d,
            get(v, "severity") == Some(kinds::SERIOUS_DISHONESTY),
        )),
        _ => None,
    };
    let mut facets = Vec::new();
    for f in spec.filters() {
        let Some(value) = get(v, f.key) else { continue };
        match f.ty {
            FieldType::Choices(_) => {
                facets.extend(value.split(CHOICE_SEP).map(|c| (f.key, c.to_string())));
            }
            FieldType::Date => {
                if let Some(d) = date_of(value) {
                    facets.push((f.key, timing::year_of(d)));
                }
            }
            _ => facets.push((f.key, value.to_string())),
        }
    }
    let mut public_text = title.clone();
    for s in &shown {
        public_text.push('\n');
        public_text.push_str(&s.value);
    }
    Derived {
        key,
        title,
        date,
        event,
        public_until,
        facets,
        public_text,
        ceased: spec.kind == ListKind::Powers && get(v, "adjustment") == Some(kinds::CANCELLED),
    }
}

/// By when a record with these values must be public, if its kind has an update limit.
pub fn due_on(
    spec: &KindSpec,
    v: &Values,
    calendar: &WorkCalendar,
) -> Result<Option<NaiveDate>, DomainError> {
    let Some((key, limit)) = spec.event else {
        return Ok(None);
    };
    match get(v, key).and_then(date_of) {
        Some(event) => limit.due(event, calendar).map(Some),
        None => Ok(None),
    }
}

/// The file of a list import, as a form field.
pub const IMPORT_FILE: Field = Field::new("file", "导入文件");

/// Maps import columns to fields.
#[derive(Clone, Debug)]
pub struct Columns {
    fields: Vec<&'static FieldSpec>,
}

impl Columns {
    /// A file's header row for `kind`, its problems as one error of the file.
    pub fn for_import(kind: ListKind, headers: &[String]) -> Result<Columns, DomainError> {
        Columns::from_headers(kind.spec(), headers).map_err(|errors| {
            DomainError::invalid(IMPORT_FILE, format!("表头有误:{}", errors.join(";")))
        })
    }

    /// Reads a header row. Unknown or repeated columns and missing required ones are errors
    /// of the whole file: no row could be read right.
    pub fn from_headers(
        spec: &'static KindSpec,
        headers: &[String],
    ) -> Result<Columns, Vec<String>> {
        let mut fields = Vec::new();
        let mut errors = Vec::new();
        for h in headers {
            match spec.field_for_header(h) {
                Some(f) if fields.iter().any(|g: &&FieldSpec| g.key == f.key) => {
                    errors.push(format!("列“{}”重复", h.trim()));
                }
                Some(f) => fields.push(f),
                None => errors.push(format!("未知的列“{}”", h.trim())),
            }
        }
        for f in spec.fields.iter().filter(|f| f.required) {
            if !fields.iter().any(|g| g.key == f.key) {
                errors.push(format!("缺少必填列“{}”", f.label));
            }
        }
        if errors.is_empty() {
            Ok(Columns { fields })
        } else {
            Err(errors)
        }
    }

    /// The values of one data row.
    pub fn read(&self, spec: &KindSpec, cells: &[String]) -> Result<Values, Vec<DomainError>> {
        if cells.len() > self.fields.len()
            && cells[self.fields.len()..]
                .iter()
                .any(|c| !c.trim().is_empty())
        {
            return Err(vec![DomainError::invalid(
                Field::new("row", "行"),
                format!("本行有 {} 个值,多于 {} 列", cells.len(), self.fields.len()),
            )]);
        }
        parse_values(spec, |f| {
            self.fields
                .iter()
                .position(|g| g.key == f.key)
                .and_then(|i| cells.get(i))
                .map(String::as_str)
        })
    }
}

/// The header row of an import template: every field's label, required ones marked `*`.
pub fn template_headers(spec: &KindSpec) -> Vec<String> {
    spec.fields
        .iter()
        .map(|f| {
            if f.required {
                format!("{}*", f.label)
            } else {
                f.label.to_string()
            }
        })
        .collect()
}
