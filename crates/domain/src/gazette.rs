//! 政府公报: numbered issues per year, each listing documents in order.

use chrono::{Datelike, NaiveDate};

use crate::calendar::parse_date;
use crate::error::{DomainError, Field};

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct IssueInput {
    pub year: String,
    pub number: String,
    pub issued_on: String,
    /// 索引号 of the documents, one per line, in the order they appear in the issue.
    pub documents: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueDraft {
    pub year: i32,
    pub number: i32,
    pub issued_on: NaiveDate,
    pub index_numbers: Vec<String>,
}

impl IssueDraft {
    pub fn parse(i: &IssueInput, today: NaiveDate) -> Result<Self, DomainError> {
        let year_field = Field::new("year", "年份");
        let year: i32 = i
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
            .ok_or_else(|| DomainError::invalid(year_field, "年份应为四位数字,例如 2024"))?;
        let number: i32 = i
            .number
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=366).contains(n))
            .ok_or_else(|| {
                DomainError::invalid(Field::new("number", "期号"), "期号应为 1–366 的整数")
            })?;
        let date_field = Field::new("issued_on", "出版日期");
        let issued_on = parse_date(&i.issued_on, date_field)?;
        if issued_on.year() != year {
            return Err(DomainError::invalid(
                date_field,
                format!("出版日期 {issued_on} 不在 {year} 年"),
            ));
        }
        if issued_on > today {
            return Err(DomainError::invalid(
                date_field,
                format!("出版日期 {issued_on} 晚于今天"),
            ));
        }
        let mut index_numbers: Vec<String> = Vec::new();
        for line in i.documents.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !index_numbers.iter().any(|x| x == line) {
                index_numbers.push(line.to_string());
            }
        }
        if index_numbers.is_empty() || index_numbers.len() > 200 {
            return Err(DomainError::invalid(
                Field::new("documents", "收录文件"),
                "请按顺序填写 1–200 个文件的索引号,每行一个",
            ));
        }
        Ok(IssueDraft {
            year,
            number,
            issued_on,
            index_numbers,
        })
    }

    /// e.g. 2024年第1期
    pub fn label(&self) -> String {
        format!("{}年第{}期", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> IssueInput {
        IssueInput {
            year: "2024".into(),
            number: "1".into(),
            issued_on: "2024-06-30".into(),
            documents: "YX0100/2024-00001\n\nYX0202/2024-00001\nYX0100/2024-00001".into(),
        }
    }

    #[test]
    fn parses_in_order_without_duplicates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = IssueDraft::parse(&input(), today).unwrap();
        assert_eq!(d.index_numbers, ["YX0100/2024-00001", "YX0202/2024-00001"]);
        assert_eq!(d.label(), "2024年第1期");
        for (change, field) in [
            (
                IssueInput {
                    year: "24".into(),
                    ..input()
                },
                "year",
            ),
            (
                IssueInput {
                    number: "0".into(),
                    ..input()
                },
                "number",
            ),
            (
                IssueInput {
                    issued_on: "2023-12-31".into(),
                    ..input()
                },
                "issued_on",
            ),
            (
                IssueInput {
                    year: "2027".into(),
                    issued_on: "2027-01-05".into(),
                    ..input()
                },
                "issued_on",
            ),
            (
                IssueInput {
                    documents: " \n".into(),
                    ..input()
                },
                "documents",
            ),
        ] {
            assert_eq!(
                IssueDraft::parse(&change, today)
                    .unwrap_err()
                    .field()
                    .unwrap()
                    .name,
                field
            );
        }
    }
}
