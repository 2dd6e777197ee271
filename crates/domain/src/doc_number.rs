//! 文号 (发文字号): 机关代字 + 〔年份〕 + 序号 + 号, e.g. 嘉府办发〔2021〕18号; orders (令) have no
//! year: 国务院令第711号.
//!
//! Staff type them in many ways: [] or () or （） instead of 〔〕, full-width digits, spaces,
//! a 第 before the number, a leading zero. All of these parse and are stored in the normalised
//! GB/T 9704 form; a two-digit year or a missing number does not.

use std::fmt;

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::text;

pub const FIELD: Field = Field::new("doc_number", "文号");

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    /// 机关代字, e.g. 嘉府办发.
    pub issuer: String,
    /// The year; `None` for orders (令).
    pub year: Option<i32>,
    pub seq: u32,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{}〔{y}〕{}号", self.issuer, self.seq),
            None => write!(f, "{}第{}号", self.issuer, self.seq),
        }
    }
}

const OPEN: [char; 4] = ['〔', '[', '(', '【'];
const CLOSE: [char; 4] = ['〕', ']', ')', '】'];

fn expected(input: &str, why: &str) -> DomainError {
    DomainError::invalid(
        FIELD,
        format!(
            "文号“{input}”{why}:应为 机关代字〔年份〕序号号,例如 嘉府办发〔2021〕18号;命令类为 国务院令第711号"
        ),
    )
}

fn parse_seq(digits: &str, input: &str) -> Result<u32, DomainError> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(expected(input, "的序号无法识别"));
    }
    match digits.trim_start_matches('0').parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(expected(input, "的序号必须大于 0")),
    }
}

fn check_issuer(issuer: &str, input: &str) -> Result<(), DomainError> {
    let bad = issuer.is_empty()
        || issuer.chars().count() > 30
        || issuer
            .chars()
            .any(|c| OPEN.contains(&c) || CLOSE.contains(&c) || c.is_control());
    if bad {
        Err(expected(input, "的机关代字无法识别"))
    } else {
        Ok(())
    }
}

impl DocNumber {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let shown = input.trim();
        let s: String = text::halfwidth(shown)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let body = s
            .strip_suffix('号')
            .ok_or_else(|| expected(shown, "缺少“号”"))?;
        if let Some(open) = body.find(OPEN) {
            let issuer = &body[..open];
            let rest = &body[open + body[open..].chars().next().map_or(1, char::len_utf8)..];
            let close = rest
                .find(CLOSE)
                .ok_or_else(|| expected(shown, "的括号不完整"))?;
            let year_text = &rest[..close];
            let after = &rest[close + rest[close..].chars().next().map_or(1, char::len_utf8)..];
            check_issuer(issuer, shown)?;
            if year_text.len() != 4 || !year_text.chars().all(|c| c.is_ascii_digit()) {
                return Err(expected(shown, "的年份应为四位数字"));
            }
            let year: i32 = year_text
                .parse()
                .map_err(|_| expected(shown, "的年份无法识别"))?;
            if !(1949..=2100).contains(&year) {
                return Err(expected(shown, "的年份超出范围"));
            }
            let seq = parse_seq(after.strip_prefix('第').unwrap_or(after), shown)?;
            return Ok(DocNumber {
                issuer: issuer.to_string(),
                year: Some(year),
                seq,
            });
        }
        // Orders: …令第N号
        if let Some(pos) = body.rfind("令第") {
            let issuer = &body[..pos + "令".len()];
            check_issuer(issuer, shown)?;
            let seq = parse_seq(&body[pos + "令第".len()..], shown)?;
            return Ok(DocNumber {
                issuer: issuer.to_string(),
                year: None,
                seq,
            });
        }
        Err(expected(shown, "无法识别"))
    }

    /// The normalised text, as stored and shown.
    pub fn normalized(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        DocNumber::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .to_string()
    }

    #[test]
    fn accepts_the_usual_variants() {
        for variant in [
            "嘉府办发〔2021〕18号",
            "嘉府办发[2021]18号",
            "嘉府办发(2021)18号",
            "嘉府办发（2021）18号",
            "嘉府办发【2021】18号",
            "嘉府办发〔２０２１〕１８号",
            " 嘉府办发 〔2021〕 18 号 ",
            "嘉府办发〔2021〕第18号",
            "嘉府办发〔2021〕018号",
        ] {
            assert_eq!(norm(variant), "嘉府办发〔2021〕18号", "{variant}");
        }
        let n = DocNumber::parse("国办公开办函〔2021〕30号").unwrap();
        assert_eq!(
            (n.issuer.as_str(), n.year, n.seq),
            ("国办公开办函", Some(2021), 30)
        );
        assert_eq!(norm("穗公积金规字〔2023〕1号"), "穗公积金规字〔2023〕1号");
    }

    #[test]
    fn orders_have_no_year() {
        let n = DocNumber::parse("国务院令第711号").unwrap();
        assert_eq!((n.issuer.as_str(), n.year, n.seq), ("国务院令", None, 711));
        assert_eq!(norm("国令第707号"), "国令第707号");
        assert_eq!(norm("沪府令第 ５ 号"), "沪府令第5号");
    }

    #[test]
    fn rejects_what_cannot_be_parsed_naming_the_form() {
        for (bad, why) in [
            ("嘉府办发〔21〕18号", "年份应为四位数字"),
            ("嘉府办发〔2021〕号", "序号无法识别"),
            ("嘉府办发〔2021〕0号", "序号必须大于 0"),
            ("嘉府办发〔2021〕18", "缺少“号”"),
            ("〔2021〕18号", "机关代字无法识别"),
            ("嘉府办发〔2021 18号", "括号不完整"),
            ("关于印发要点的通知", "缺少“号”"),
            ("第18号", "无法识别"),
            ("嘉府办发〔1900〕1号", "年份超出范围"),
        ] {
            let err = DocNumber::parse(bad).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(why), "{bad}: {msg}");
            assert!(msg.contains("例如 嘉府办发〔2021〕18号"), "{bad}: {msg}");
            assert_eq!(err.field().unwrap().name, "doc_number");
        }
    }
}
