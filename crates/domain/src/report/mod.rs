//! 政府信息公开工作年度报告 in the 2021 national format (国办公开办函〔2021〕30号): the tables,
//! built from plain counts; the cross-checks every report must pass before it is published;
//! the interchange JSON (`report-json.md`) that `gongkai report check` reads; and the figures
//! a report's text states, checked against its tables.

pub mod checks;
pub mod facts;
pub mod interchange;
pub mod manual;
pub mod markdown;
pub mod money;
pub mod stated;
pub mod tables;

use chrono::NaiveDate;
use serde::Serialize;

pub use checks::{Finding, Severity, check};
pub use money::WanYuan;
pub use tables::{DocCounts, RequestCounts, Row, Table2, Table3, Table4};

use crate::error::{DomainError, Field};

pub const FORMAT_2021: &str = "2021";

/// The keys of the three text sections.
pub const OVERVIEW: &str = "一、总体情况";
pub const PROBLEMS: &str = "五、存在的主要问题及改进情况";
pub const OTHER: &str = "六、其他需要报告的事项";
pub const SECTIONS: [&str; 3] = [OVERVIEW, PROBLEMS, OTHER];

/// The figures of the year before that this year's must continue (check 6).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Previous {
    /// Last year's 四、结转下年度继续办理.
    pub carried_out: Option<tables::Line>,
    /// Last year's 现行有效件数 of 规章 and 行政规范性文件.
    pub rules_in_force: Option<i64>,
    pub normative_in_force: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Texts {
    pub overview: String,
    pub problems: String,
    pub other: String,
}

impl Texts {
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            OVERVIEW => Some(&self.overview),
            PROBLEMS => Some(&self.problems),
            OTHER => Some(&self.other),
            _ => None,
        }
    }

    /// The texts as they may be kept: each section at most 20,000 characters, line breaks
    /// kept, no active markup (the texts are shown as the report's body).
    pub fn checked(&self) -> Result<Texts, DomainError> {
        let one = |s: &str, key: &'static str, label: &'static str| {
            let field = Field::new(key, label);
            let v = crate::text::bounded_multiline(s, field, 0, TEXT_LIMIT)?;
            crate::text::reject_active_markup(&v, field)?;
            Ok::<_, DomainError>(v)
        };
        Ok(Texts {
            overview: one(&self.overview, "overview", OVERVIEW)?,
            problems: one(&self.problems, "problems", PROBLEMS)?,
            other: one(&self.other, "other", OTHER)?,
        })
    }

    pub fn sections(&self) -> [(&'static str, &str); 3] {
        [
            (OVERVIEW, &self.overview),
            (PROBLEMS, &self.problems),
            (OTHER, &self.other),
        ]
    }
}

/// One agency's (or one government's) report for one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub format: String,
    pub agency: String,
    pub year: i32,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
    pub previous: Option<Previous>,
    pub texts: Option<Texts>,
}

/// The report's title as agencies publish it.
pub fn title(agency: &str, year: i32) -> String {
    format!("{agency}{year}年政府信息公开工作年度报告")
}

/// 规章 are promulgated by 令 (《规章制定程序条例》第三十一条: 签署命令予以公布), so a
/// published 令 of an agency is a 规章 for table 二; 行政规范性文件 are flagged as such.
pub const RULE_KIND: crate::document::DocKind = crate::document::DocKind::Order;

labelled_enum!(
    ReportStatus, Field::new("status", "报告状态"), "报告状态", {
    /// Figures counted from the records whenever shown; texts and manual figures editable.
    Draft => ("draft", "草稿"),
    /// Frozen and in the disclosure workflow as a document of kind 报告.
    Submitted => ("submitted", "已提交发布"),
    /// An earlier year's published report, read from its JSON and checked.
    Imported => ("imported", "已导入"),
});

const TEXT_LIMIT: usize = 20_000;

/// Only a draft is edited or submitted; `doing` says what was refused (“不能再修改”).
pub fn check_draft(status: ReportStatus, doing: &str) -> Result<(), DomainError> {
    if status != ReportStatus::Draft {
        return Err(DomainError::conflict(
            None,
            format!("年度报告{},{doing}", status.label()),
        ));
    }
    Ok(())
}

/// The document a report goes out as once submitted: kind 报告, proactive and full, formed
/// on the day of submission, its body the report in Markdown.
pub fn document_draft(
    title: String,
    report: &Report,
    today: NaiveDate,
) -> crate::document::DocumentDraft {
    use crate::document::{Attribute, DisclosureMode, DisclosureScope, DocKind};
    crate::document::DocumentDraft {
        title,
        doc_number: None,
        co_issuers: Vec::new(),
        kind: DocKind::Report,
        topic: None,
        keywords: vec!["政府信息公开".into(), "年度报告".into()],
        formed_on: today,
        effective_on: None,
        is_normative: false,
        needs_interpretation: false,
        body: markdown::render(report),
        attribute: Some(Attribute {
            mode: DisclosureMode::Proactive,
            scope: Some(DisclosureScope::Full),
            ground: None,
            note: String::new(),
        }),
    }
}

/// Whose report: one agency's own, or a government's with every agency under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Agency,
    Government,
}

impl crate::Code for Scope {
    fn from_code(code: &str) -> Option<Self> {
        [Scope::Agency, Scope::Government]
            .into_iter()
            .find(|s| s.as_str() == code)
    }
}

impl Scope {
    pub fn parse(s: &str) -> Result<Scope, DomainError> {
        match s.trim() {
            "agency" | "本机关" => Ok(Scope::Agency),
            "government" | "本级政府" => Ok(Scope::Government),
            other => Err(DomainError::invalid(
                Field::new("scope", "报告范围"),
                format!("未知的报告范围“{other}”"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Agency => "agency",
            Scope::Government => "government",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Agency => "本机关",
            Scope::Government => "本级政府(含所属各机关)",
        }
    }
}

/// 条例第四十九条: departments publish by 31 January, a government's office publishes the
/// government's report by 31 March of the next year.
pub fn due_on(year: i32, scope: Scope) -> Option<NaiveDate> {
    match scope {
        Scope::Agency => NaiveDate::from_ymd_opt(year + 1, 1, 31),
        Scope::Government => NaiveDate::from_ymd_opt(year + 1, 3, 31),
    }
}

pub const YEAR_FIELD: Field = Field::new("year", "报告年度");

/// A report year's first and last day (the period every figure counts).
pub fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), DomainError> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1);
    let end = NaiveDate::from_ymd_opt(year, 12, 31);
    start
        .zip(end)
        .ok_or_else(|| DomainError::invalid(YEAR_FIELD, format!("{year} 不是有效的年份")))
}

/// Who may draw up a report of `scope` for an agency of `kind`: someone who acts for the
/// agency, and for a government's own report (本级政府年度报告) only a people's government.
pub fn check_scope(
    who: &crate::user::Principal,
    kind: crate::agency::AgencyKind,
    agency_id: i64,
    scope: Scope,
) -> Result<(), DomainError> {
    who.require_agency(agency_id)?;
    if scope == Scope::Government && kind != crate::agency::AgencyKind::Government {
        return Err(DomainError::invalid(
            Field::new("scope", "报告范围"),
            "只有人民政府可以编制本级政府年度报告",
        ));
    }
    Ok(())
}

/// A report year: the 2021 format applies from the 2021 reports; the year must be covered by
/// the official calendar (`has_calendar`), and a report can be drafted during its year but
/// only published after it.
pub fn parse_year(input: &str, has_calendar: impl Fn(i32) -> bool) -> Result<i32, DomainError> {
    let year: i32 = input
        .trim()
        .parse()
        .map_err(|_| DomainError::invalid(YEAR_FIELD, format!("“{}”不是年份", input.trim())))?;
    if !(2021..=2100).contains(&year) {
        return Err(DomainError::invalid(
            YEAR_FIELD,
            format!("{year} 年不适用 2021 年版年度报告格式(自 2021 年度起适用)"),
        ));
    }
    if !has_calendar(year) {
        return Err(DomainError::invalid(
            YEAR_FIELD,
            format!("缺少 {year} 年的节假日安排数据,无法按工作日统计,请先导入该年日历"),
        ));
    }
    Ok(year)
}

/// Publishing needs the year to be over and every check passed.
pub fn check_publishable(report: &Report, today: NaiveDate) -> Result<(), DomainError> {
    use chrono::Datelike;
    if today.year() <= report.year {
        return Err(DomainError::conflict(
            Some(YEAR_FIELD),
            format!("{} 年度尚未结束,年度报告须在次年发布", report.year),
        ));
    }
    let errors: Vec<Finding> = check(report)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(DomainError::conflict(
            None,
            format!(
                "年度报告未通过校验({} 处):{}",
                errors.len(),
                errors
                    .iter()
                    .take(5)
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
