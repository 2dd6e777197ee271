//! Agencies (机关/单位): the tree every record hangs from, and the data each agency's
//! 政府信息公开指南 page shows.

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::text;

/// An agency code (机构代码) as used in 索引号, e.g. `YX0201`. Upper-case ASCII letters and
/// digits, 2–20 characters; full-width input is accepted and normalised.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AgencyCode(String);

impl AgencyCode {
    pub const FIELD: Field = Field::new("code", "机构代码");

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let code = text::halfwidth(input.trim()).to_ascii_uppercase();
        if code.is_empty() {
            return Err(DomainError::invalid(Self::FIELD, "请填写机构代码"));
        }
        let valid_chars = code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !valid_chars || !(2..=20).contains(&code.len()) {
            return Err(DomainError::invalid(
                Self::FIELD,
                format!(
                    "机构代码“{}”无效:应为 2–20 位字母或数字,例如 YX0201",
                    input.trim()
                ),
            ));
        }
        Ok(AgencyCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The level of an agency in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// 人民政府 (city, district or county government)
    Government,
    /// 政府办公室, which usually runs the disclosure office
    Office,
    /// 委、办、局
    Department,
    /// 街道、镇
    Town,
    /// 村(居)民委员会
    Village,
}

code_by_all!(AgencyKind);

impl AgencyKind {
    pub const ALL: [AgencyKind; 5] = [
        AgencyKind::Government,
        AgencyKind::Office,
        AgencyKind::Department,
        AgencyKind::Town,
        AgencyKind::Village,
    ];
    pub const FIELD: Field = Field::new("kind", "机构类型");

    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Government => "government",
            AgencyKind::Office => "office",
            AgencyKind::Department => "department",
            AgencyKind::Town => "town",
            AgencyKind::Village => "village",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::Government => "人民政府",
            AgencyKind::Office => "政府办公室",
            AgencyKind::Department => "政府部门",
            AgencyKind::Town => "街道、镇",
            AgencyKind::Village => "村(居)委会",
        }
    }

    /// 人民政府: the level that publishes a 政府公报 and answers for its departments.
    pub fn is_government(self) -> bool {
        self == AgencyKind::Government
    }

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == input.trim())
            .ok_or_else(|| {
                DomainError::invalid(Self::FIELD, format!("未知的机构类型“{}”", input.trim()))
            })
    }

    /// Which parent a kind may hang under. A government may be a root or sit under a higher
    /// government (a city above its districts); villages belong to towns.
    pub fn check_parent(self, parent: Option<AgencyKind>) -> Result<(), DomainError> {
        let ok = match (self, parent) {
            (AgencyKind::Government, None | Some(AgencyKind::Government)) => true,
            (AgencyKind::Office | AgencyKind::Department | AgencyKind::Town, Some(p)) => {
                p == AgencyKind::Government
            }
            (AgencyKind::Village, Some(p)) => p == AgencyKind::Town,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            let want = match self {
                AgencyKind::Government => "不设上级或上级为人民政府",
                AgencyKind::Village => "上级必须是街道或镇",
                _ => "上级必须是人民政府",
            };
            Err(DomainError::invalid(
                Field::new("parent", "上级机构"),
                format!("{}{want}", self.label()),
            ))
        }
    }
}

pub const PARENT: Field = Field::new("parent", "上级机构");

/// The parent a draft names, looked up: it must exist.
pub fn parent_named(code: &AgencyCode, found: bool) -> Result<(), DomainError> {
    if found {
        Ok(())
    } else {
        Err(DomainError::invalid(
            PARENT,
            format!("上级机构代码“{code}”不存在"),
        ))
    }
}

/// An agency moved under a new parent must not end up under itself: `lineage` is the new
/// parent and the agencies above it.
pub fn check_not_under_itself(id: i64, lineage: &[i64]) -> Result<(), DomainError> {
    if lineage.contains(&id) {
        return Err(DomainError::invalid(
            PARENT,
            "上级机构不能是本机构或其下级机构",
        ));
    }
    Ok(())
}

/// Validated input for creating or updating an agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyDraft {
    pub code: AgencyCode,
    pub name: String,
    pub short_name: String,
    pub kind: AgencyKind,
    pub parent: Option<AgencyCode>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub office_hours: Option<String>,
    pub fax: Option<String>,
}

/// Raw agency fields as typed into a form, the CLI or the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AgencyInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub office_hours: String,
    #[serde(default)]
    pub fax: String,
}

impl AgencyDraft {
    pub fn parse(input: &AgencyInput) -> Result<Self, DomainError> {
        let name = text::bounded(&input.name, Field::new("name", "机构名称"), 2, 100)?;
        let short_name =
            match text::optional(&input.short_name, Field::new("short_name", "简称"), 30)? {
                Some(s) => s,
                None => name.clone(),
            };
        let email = text::optional(&input.email, Field::new("email", "电子邮箱"), 120)?;
        if let Some(e) = &email
            && !looks_like_email(e)
        {
            return Err(DomainError::invalid(
                Field::new("email", "电子邮箱"),
                format!("电子邮箱“{e}”格式不正确"),
            ));
        }
        let postcode = text::optional(&input.postcode, Field::new("postcode", "邮政编码"), 6)?;
        if let Some(p) = &postcode
            && (p.len() != 6 || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(DomainError::invalid(
                Field::new("postcode", "邮政编码"),
                "邮政编码应为 6 位数字",
            ));
        }
        let parent = if input.parent.trim().is_empty() {
            None
        } else {
            Some(AgencyCode::parse(&input.parent).map_err(|e| match e {
                DomainError::Invalid { message, .. } => {
                    DomainError::invalid(Field::new("parent", "上级机构"), message)
                }
                other => other,
            })?)
        };
        Ok(AgencyDraft {
            code: AgencyCode::parse(&input.code)?,
            name,
            short_name,
            kind: AgencyKind::parse(&input.kind)?,
            parent,
            phone: text::optional(&input.phone, Field::new("phone", "联系电话"), 60)?,
            email,
            address: text::optional(&input.address, Field::new("address", "办公地址"), 200)?,
            postcode,
            office_hours: text::optional(
                &input.office_hours,
                Field::new("office_hours", "办公时间"),
                200,
            )?,
            fax: text::optional(&input.fax, Field::new("fax", "传真"), 60)?,
        })
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, kind: &str) -> AgencyInput {
        AgencyInput {
            code: code.into(),
            name: "云溪区教育局".into(),
            kind: kind.into(),
            parent: "YX0000".into(),
            ..Default::default()
        }
    }

    #[test]
    fn codes_normalise_width_and_case() {
        assert_eq!(
            AgencyCode::parse(" ｙｘ０２01 ").unwrap().as_str(),
            "YX0201"
        );
        for bad in ["", "X", "YX-01", "教育局", "ABCDEFGHIJKLMNOPQRSTU"] {
            let err = AgencyCode::parse(bad).unwrap_err();
            assert_eq!(err.field().unwrap().name, "code", "{bad}");
        }
    }

    #[test]
    fn draft_parses_and_defaults_short_name() {
        let d = AgencyDraft::parse(&input("yx0202", "department")).unwrap();
        assert_eq!(d.code.as_str(), "YX0202");
        assert_eq!(d.short_name, "云溪区教育局");
        assert_eq!(d.parent.unwrap().as_str(), "YX0000");
    }

    #[test]
    fn draft_rejects_bad_fields_with_their_names() {
        let mut i = input("YX0202", "ministry");
        assert_eq!(
            AgencyDraft::parse(&i).unwrap_err().field().unwrap().name,
            "kind"
        );
        i.kind = "department".into();
        i.email = "not-an-email".into();
        assert_eq!(
            AgencyDraft::parse(&i).unwrap_err().field().unwrap().name,
            "email"
        );
        i.email = String::new();
        i.postcode = "20160".into();
        assert_eq!(
            AgencyDraft::parse(&i).unwrap_err().field().unwrap().name,
            "postcode"
        );
        i.postcode = String::new();
        i.parent = "??".into();
        assert_eq!(
            AgencyDraft::parse(&i).unwrap_err().field().unwrap().name,
            "parent"
        );
        i.parent = String::new();
        i.name = "局".repeat(101);
        assert_eq!(
            AgencyDraft::parse(&i).unwrap_err().field().unwrap().name,
            "name"
        );
    }

    #[test]
    fn tree_shape_is_enforced() {
        use AgencyKind::*;
        assert!(Government.check_parent(None).is_ok());
        assert!(Government.check_parent(Some(Government)).is_ok());
        assert!(Department.check_parent(Some(Government)).is_ok());
        assert!(Department.check_parent(None).is_err());
        assert!(Village.check_parent(Some(Town)).is_ok());
        assert!(Village.check_parent(Some(Government)).is_err());
        assert!(Town.check_parent(Some(Department)).is_err());
    }
}

/// An agency's own publication rules and guide text as an administrator types them.
#[derive(Clone, Debug, Default)]
pub struct DisclosureRulesInput {
    /// 索引号 pattern; blank for the default.
    pub index_pattern: String,
    /// Publication limit in working days; blank for the law's 20.
    pub publication_limit: String,
    /// Additions to the 政府信息公开指南 (Markdown); blank for none.
    pub guide_note: String,
}

/// Checked publication rules: a pattern that issues valid 索引号, a limit of 1–20 working days
/// (条例 Art. 26 sets 20 as the ceiling; some cities require 10), a guide note without active
/// markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureRules {
    pub pattern: Option<crate::index_number::IndexPattern>,
    pub limit: Option<u32>,
    pub guide_note: Option<String>,
}

impl DisclosureRules {
    pub fn parse(i: &DisclosureRulesInput) -> Result<DisclosureRules, DomainError> {
        let pattern = Some(i.index_pattern.trim())
            .filter(|p| !p.is_empty())
            .map(crate::index_number::IndexPattern::parse)
            .transpose()?;
        let limit = match i.publication_limit.trim() {
            "" => None,
            l => Some(crate::input::number_in(
                l,
                Field::new("publication_limit", "公开时限"),
                1..=crate::document::DEFAULT_PUBLICATION_LIMIT,
                "公开时限应为 1–20 个工作日(条例第二十六条规定不超过 20 个工作日)",
            )?),
        };
        let guide_field = Field::new("guide_note", "指南补充说明");
        let guide = text::bounded_multiline(&i.guide_note, guide_field, 0, 20_000)?;
        text::reject_active_markup(&guide, guide_field)?;
        Ok(DisclosureRules {
            pattern,
            limit,
            guide_note: Some(guide).filter(|g| !g.is_empty()),
        })
    }
}

#[cfg(test)]
mod disclosure_rules_tests {
    use super::*;

    fn input(pattern: &str, limit: &str, guide: &str) -> DisclosureRulesInput {
        DisclosureRulesInput {
            index_pattern: pattern.into(),
            publication_limit: limit.into(),
            guide_note: guide.into(),
        }
    }

    #[test]
    fn rules_as_an_administrator_types_them() {
        let r = DisclosureRules::parse(&input("", " １０ ", "## 受理地点\n一楼 5 号窗口")).unwrap();
        assert_eq!((r.pattern, r.limit), (None, Some(10)));
        assert!(r.guide_note.unwrap().contains("5 号窗口"));
        let r = DisclosureRules::parse(&input("{agency_code}-{year}-{seq:03}", "", " ")).unwrap();
        assert!(r.pattern.is_some());
        assert_eq!((r.limit, r.guide_note), (None, None));
        for (i, field) in [
            (input("", "30", ""), "publication_limit"),
            (input("", "0", ""), "publication_limit"),
            (input("", "二十", ""), "publication_limit"),
            (input("", "", "<script>alert(1)</script>"), "guide_note"),
        ] {
            let e = DisclosureRules::parse(&i).unwrap_err();
            assert_eq!(e.field().map(|f| f.name), Some(field), "{i:?}: {e:?}");
        }
        assert!(DisclosureRules::parse(&input("{nonsense}", "", "")).is_err());
    }
}
