//! 文号 (发文字号): 机关代字 + 〔年份〕 + 序号 + 号, e.g. 嘉府办发〔2021〕18号; orders (令) have no
//! year: 国务院令第711号; announcements (公告) are numbered by year under the agency's name:
//! 国家发展改革委公告2017年第9号, often cited without 公告 (环境保护部2017年第81号).
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
    /// A 公告 number (机关 + 公告 + 年份 + 第N号); `issuer` is the agency without 公告.
    pub announcement: bool,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) if self.announcement => write!(f, "{}公告{y}年第{}号", self.issuer, self.seq),
            Some(y) => write!(f, "{}〔{y}〕{}号", self.issuer, self.seq),
            None => write!(f, "{}第{}号", self.issuer, self.seq),
        }
    }
}

/// How the names of agencies that number 公告 end; 机关代字 of ordinary 文号 end otherwise
/// (发, 函, 规, 字, 府 …), which is how 环境保护部2017年第81号 is told from 嘉府办发2021年第18号.
const AGENCY_ENDINGS: [&str; 9] = [
    "部",
    "委",
    "局",
    "厅",
    "署",
    "委员会",
    "办公室",
    "银行",
    "总署",
];

/// Splits a trailing 公告 off an issuer.
fn announcing(issuer: &str) -> Option<&str> {
    issuer.strip_suffix("公告").filter(|i| !i.is_empty())
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

/// A 文号 typed without its brackets, as people search for one: 嘉府办发2021 18号,
/// 嘉府办发 2021年 第18号, 嘉府办发2021-18号, or the digits run together (嘉府办发202118号: the
/// first four are the year). `s` is already half-width.
fn unbracketed(s: &str) -> Option<DocNumber> {
    let s = s.trim();
    let body = s.strip_suffix('号')?.trim_end();
    let first = body.find(|c: char| c.is_ascii_digit())?;
    let issuer: String = body[..first]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !issuer
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        return None;
    }
    let rest = &body[first..];
    let year_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let digits = &rest[..year_end];
    let mut year_then_number = false;
    let (year_text, seq_text) = if digits.len() == 4 {
        // The year, then a separator (blank, 年, 第, a dash or slash) before the number.
        let after = &rest[year_end..];
        let compact: String = after.chars().filter(|c| !c.is_whitespace()).collect();
        year_then_number = compact.starts_with("年第");
        let seq = after.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '年' | '第' | '-' | '—' | '/' | '_')
        });
        if seq.len() == after.len() {
            return None;
        }
        (digits, seq.trim())
    } else if (5..=8).contains(&digits.len()) && year_end == rest.len() {
        (&digits[..4], &digits[4..])
    } else {
        return None;
    };
    let seq_text = seq_text.strip_prefix('第').unwrap_or(seq_text).trim();
    let year: i32 = year_text.parse().ok()?;
    if !(1949..=2100).contains(&year)
        || seq_text.is_empty()
        || !seq_text.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let seq = seq_text
        .trim_start_matches('0')
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)?;
    let (issuer, announcement) = match announcing(&issuer) {
        Some(agency) => (agency.to_string(), true),
        None => {
            let agency = year_then_number && AGENCY_ENDINGS.iter().any(|e| issuer.ends_with(e));
            (issuer, agency)
        }
    };
    Some(DocNumber {
        issuer,
        year: Some(year),
        seq,
        announcement,
    })
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
            let (issuer, announcement) = match announcing(issuer) {
                Some(agency) => (agency, true),
                None => (issuer, false),
            };
            return Ok(DocNumber {
                issuer: issuer.to_string(),
                year: Some(year),
                seq,
                announcement,
            });
        }
        if !body.contains("令第")
            && let Some(n) = unbracketed(&text::halfwidth(shown))
        {
            check_issuer(&n.issuer, shown)?;
            return Ok(n);
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
                announcement: false,
            });
        }
        Err(expected(shown, "无法识别"))
    }

    /// The normalised text, as stored and shown.
    pub fn normalized(&self) -> String {
        self.to_string()
    }

    /// What two spellings of one number share, whatever form they were written in: a search
    /// for 国家发展改革委〔2017〕9号 finds 国家发展改革委公告2017年第9号.
    pub fn key(&self) -> String {
        match self.year {
            Some(y) => format!("{}|{y}|{}", self.issuer, self.seq),
            None => format!("{}|令|{}", self.issuer, self.seq),
        }
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
            // Typed into a search box, without brackets.
            "嘉府办发2021 18号",
            "嘉府办发 2021年 第18号",
            "嘉府办发2021年18号",
            "嘉府办发2021-18号",
            "嘉府办发２０２１　１８号",
            "嘉府办发202118号",
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
    fn announcements_are_numbered_by_year_under_the_agency() {
        for (typed, normal) in [
            ("国家发展改革委2017年第9号", "国家发展改革委公告2017年第9号"),
            (
                "国家发展改革委公告2017年第9号",
                "国家发展改革委公告2017年第9号",
            ),
            (
                "国家发展改革委公告 2017年 第9号",
                "国家发展改革委公告2017年第9号",
            ),
            (
                "国家发展改革委公告〔2017〕第9号",
                "国家发展改革委公告2017年第9号",
            ),
            (
                "国家发展改革委公告2017第9号",
                "国家发展改革委公告2017年第9号",
            ),
            (
                "国家发展改革委公告２０１７年第９号",
                "国家发展改革委公告2017年第9号",
            ),
            ("环境保护部2017年第81号", "环境保护部公告2017年第81号"),
            (
                "某市工商行政管理局2018年第1号",
                "某市工商行政管理局公告2018年第1号",
            ),
            (
                "中国人民银行公告〔2020〕第1号",
                "中国人民银行公告2020年第1号",
            ),
            (
                "国家税务总局公告2018年第31号",
                "国家税务总局公告2018年第31号",
            ),
        ] {
            assert_eq!(norm(typed), normal, "{typed}");
        }
        // An ordinary 文号 typed with 年第 stays one.
        assert_eq!(norm("嘉府办发2021年第18号"), "嘉府办发〔2021〕18号");
        // Every spelling shares one key, with or without 公告, brackets or 年.
        let key = DocNumber::parse("国家发展改革委公告2017年第9号")
            .unwrap()
            .key();
        for typed in [
            "国家发展改革委〔2017〕9号",
            "国家发展改革委2017年第9号",
            "国家发展改革委公告[2017]9号",
            "国家发展改革委 2017 9号",
        ] {
            assert_eq!(DocNumber::parse(typed).unwrap().key(), key, "{typed}");
        }
        assert_ne!(
            DocNumber::parse("国家发展改革委公告2017年第10号")
                .unwrap()
                .key(),
            key
        );
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
            ("2021年18号", "无法识别"),
            ("嘉府办发2021号", "无法识别"),
            ("嘉府办发1900 1号", "无法识别"),
        ] {
            let err = DocNumber::parse(bad).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(why), "{bad}: {msg}");
            assert!(msg.contains("例如 嘉府办发〔2021〕18号"), "{bad}: {msg}");
            assert_eq!(err.field().unwrap().name, "doc_number");
        }
    }

    fn fullwidth(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    proptest::proptest! {
        /// However a 文号 is typed into a search box — brackets or none, 年 and 第 or not,
        /// blanks, dashes, full-width digits, leading zeros — it reads as the same number.
        #[test]
        fn every_spelling_of_a_doc_number_reads_the_same(
            issuer in proptest::sample::select(vec!["嘉府办发", "国办公开办函", "云发改", "沪府规"]),
            year in 1949i32..=2100,
            seq in 1u32..=9999,
            style in 0usize..9,
            wide in proptest::bool::ANY,
            zeros in 0usize..3,
        ) {
            let n = format!("{}{seq}", "0".repeat(zeros));
            let typed = match style {
                0 => format!("{issuer}〔{year}〕{n}号"),
                1 => format!("{issuer}[{year}]{n}号"),
                2 => format!("{issuer}（{year}）第{n}号"),
                3 => format!("{issuer}{year} {n}号"),
                4 => format!("{issuer} {year}年 第{n}号"),
                5 => format!("{issuer}{year}年{n}号"),
                6 => format!("{issuer}{year}-{n}号"),
                7 => format!(" {issuer}　{year}　{n} 号 "),
                _ => format!("{issuer}{year}年第{n}号"),
            };
            let typed = if wide { fullwidth(&typed) } else { typed };
            let parsed = DocNumber::parse(&typed);
            proptest::prop_assert!(parsed.is_ok(), "{typed}: {parsed:?}");
            proptest::prop_assert_eq!(
                parsed.unwrap().to_string(),
                format!("{issuer}〔{year}〕{seq}号"),
                "{}", typed
            );
        }

        /// A 公告 number reads as one in every spelling that names it as such (公告, or 年第
        /// after an agency's name), and shares its key with every other spelling.
        #[test]
        fn every_spelling_of_an_announcement_reads_the_same(
            agency in proptest::sample::select(vec!["国家发展改革委", "环境保护部", "某市工商行政管理局", "国家税务总局"]),
            year in 1949i32..=2100,
            seq in 1u32..=999,
            style in 0usize..7,
            wide in proptest::bool::ANY,
        ) {
            let typed = match style {
                0 => format!("{agency}公告{year}年第{seq}号"),
                1 => format!("{agency}{year}年第{seq}号"),
                2 => format!("{agency}公告 {year}年 第{seq}号"),
                3 => format!("{agency}公告〔{year}〕第{seq}号"),
                4 => format!("{agency}公告{year}第{seq}号"),
                5 => format!("{agency} {year} 年 第 {seq} 号"),
                _ => format!("{agency}〔{year}〕{seq}号"),
            };
            let typed = if wide { fullwidth(&typed) } else { typed };
            let parsed = DocNumber::parse(&typed);
            proptest::prop_assert!(parsed.is_ok(), "{typed}: {parsed:?}");
            let parsed = parsed.unwrap();
            if style < 6 {
                proptest::prop_assert_eq!(parsed.to_string(), format!("{agency}公告{year}年第{seq}号"), "{}", typed);
            }
            proptest::prop_assert_eq!(parsed.key(), format!("{agency}|{year}|{seq}"));
        }
    }
}
