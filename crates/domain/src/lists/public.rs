//! What the public sees of a record. Every public output — pages, feeds, exports, the API, the
//! search index — goes through [`fields`], so the masking rule holds on each of them:
//! a natural person's name becomes its surname and `**` (also where it appears in other
//! fields), identity numbers are never shown, and texts an agency chose not to disclose stay
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

/// Two-character surnames kept whole by the mask.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "轩辕", "呼延", "万俟", "澹台", "公冶",
];

/// 张三丰 → 张**, 欧阳娜娜 → 欧阳**. Always two stars, so the mask does not tell the length.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    let keep = if chars.len() > 2 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) {
        2
    } else {
        1
    };
    let surname: String = chars.iter().take(keep.min(chars.len())).collect();
    format!("{surname}**")
}

/// Replaces anything shaped like an 18-character identity number with stars, whatever field
/// it was typed into.
pub fn mask_id_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take(18)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let preceded = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        if !preceded && run >= 17 {
            let len = if run == 17 && chars.get(i + 17).is_some_and(|c| *c == 'X' || *c == 'x') {
                18
            } else {
                run
            };
            let followed = chars
                .get(i + len)
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if len == 18 && !followed {
                out.push_str("******************");
                i += 18;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
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
    let mask = person.as_ref().map(|n| mask_name(n));
    spec.fields
        .iter()
        .filter(|f| visible(spec, f, v))
        .filter_map(|f| {
            let raw = v.get(f.key)?;
            let mut value = mask_id_numbers(raw);
            if let (Some(name), Some(mask)) = (&person, &mask) {
                value = value.replace(name.trim(), mask);
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
