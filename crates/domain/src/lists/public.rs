//! What the public sees of a record. Every public output — pages, feeds, exports, the API, the
//! search index — goes through [`fields`], so the masking rule holds on each of them:
//! a natural person's name becomes its surname and `**` (also where it appears in other
//! fields, however spaced), identity, mobile and bank card numbers are never shown however
//! written ([`crate::personal`]), and texts an agency chose not to disclose stay
//! out.

use super::field::{FieldSpec, FieldType};
use super::kinds::{self, KindSpec, ListKind};
use super::record::Values;

/// One public field of a record.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Shown {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    #[serde(skip)]
    pub spec: &'static FieldSpec,
}

pub use crate::personal::mask_name;

/// Stars every identity, mobile and bank card number, however it was typed and whatever field
/// it was typed into.
pub fn mask_id_numbers(text: &str) -> String {
    crate::personal::mask(text)
}

fn natural_person(v: &Values) -> bool {
    v.get("party_kind").map(String::as_str) == Some(kinds::NATURAL_PERSON)
}

/// Whether the public may see field `f` of a record with values `v`.
fn visible(spec: &KindSpec, f: &FieldSpec, v: &Values) -> bool {
    if !f.public || matches!(f.ty, FieldType::IdNumber) {
        return false;
    }
    match (spec.kind, f.key) {
        (ListKind::Licence | ListKind::Penalty, "credit_code" | "legal_rep") => !natural_person(v),
        (ListKind::Proposal, "reply" | "summary" | "reason") => {
            let mode = v.get("mode").map(String::as_str);
            match f.key {
                "reply" => mode == Some(kinds::FULL_TEXT),
                "summary" => mode == Some(kinds::SUMMARY_ONLY),
                _ => mode == Some(kinds::NOT_DISCLOSED),
            }
        }
        _ => true,
    }
}

/// The public fields of a record, in declaration order, masked.
pub fn fields(spec: &KindSpec, v: &Values) -> Vec<Shown> {
    let person = natural_person(v)
        .then(|| v.get("party").cloned())
        .flatten()
        .filter(|n| !n.trim().is_empty());
    spec.fields
        .iter()
        .filter(|f| visible(spec, f, v))
        .filter_map(|f| {
            let raw = v.get(f.key)?;
            let mut value = mask_id_numbers(raw);
            if let Some(name) = &person {
                value = crate::personal::mask_name_in(&value, name);
            }
            Some(Shown {
                key: f.key,
                label: f.label,
                value,
                spec: f,
            })
        })
        .collect()
}

/// The public fields as a map, for JSON.
pub fn map(spec: &KindSpec, v: &Values) -> serde_json::Map<String, serde_json::Value> {
    fields(spec, v)
        .into_iter()
        .map(|s| (s.key.to_string(), serde_json::Value::String(s.value)))
        .collect()
}

/// The public fields that may appear as export columns: every field the kind could show.
pub fn export_fields(spec: &KindSpec) -> impl Iterator<Item = &'static FieldSpec> + '_ {
    spec.fields
        .iter()
        .filter(|f| f.public && !matches!(f.ty, FieldType::IdNumber))
}
