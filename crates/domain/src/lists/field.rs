//! Field declarations of the typed lists and the parsing of one value. Every value is kept as
//! its canonical text (dates `2026-03-05`, amounts `1200.50`, several choices joined by `、`),
//! so a record is a plain map that round-trips through CSV, XLSX and JSON unchanged.

use chrono::NaiveDate;

use crate::calendar::parse_date;
use crate::error::{DomainError, Field};
use crate::text::halfwidth;

/// Separator of several choices in canonical text.
pub const CHOICE_SEP: &str = "、";

const MAX_LINE: usize = 500;
const MAX_LONG: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Paragraphs.
    LongText,
    Date,
    /// A calendar year, 2000–2100.
    Year,
    /// A count, zero or more.
    Count,
    /// An amount of money in yuan, up to two decimals; kept as `1200.50`.
    Yuan,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// Any number of the listed values.
    Choices(&'static [&'static str]),
    /// 统一社会信用代码: 18 characters with the GB 32100 check character.
    CreditCode,
    /// 居民身份证号码: 18 characters with the GB 11643 check. Never public.
    IdNumber,
    /// A telephone number: digits, spaces and `-`, `(`, `)`, `,`, `、`.
    Phone,
    /// An http(s) address or a path on this site.
    Link,
    /// The name of a party (行政相对人): masked when the party is a natural person.
    PartyName,
    /// 申请材料: one material per line, `名称|形式|份数`, optionally `|样表链接|空白表格链接`.
    Materials,
}

/// One declared field of a list kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Stable machine name: JSON keys, form names, query parameters.
    pub key: &'static str,
    /// Chinese label: shown to people and used as the CSV/XLSX column header.
    pub label: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Offered as a filter on the public list (choices by value, dates by year).
    pub filter: bool,
    /// Shown to the public (subject to masking). Non-public fields are for staff only.
    pub public: bool,
    /// Shown as a column of the public list.
    pub column: bool,
}

impl FieldSpec {
    pub const fn new(key: &'static str, label: &'static str, ty: FieldType) -> Self {
        FieldSpec {
            key,
            label,
            ty,
            required: false,
            filter: false,
            public: !matches!(ty, FieldType::IdNumber),
            column: false,
        }
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn filter(mut self) -> Self {
        self.filter = true;
        self
    }
    pub const fn column(mut self) -> Self {
        self.column = true;
        self
    }
    pub const fn internal(mut self) -> Self {
        self.public = false;
        self
    }

    pub fn as_field(&self) -> Field {
        Field::new(self.key, self.label)
    }

    pub fn is_long(&self) -> bool {
        matches!(self.ty, FieldType::LongText | FieldType::Materials)
    }

    /// The values offered for a choice field.
    pub fn options(&self) -> &'static [&'static str] {
        match self.ty {
            FieldType::Choice(o) | FieldType::Choices(o) => o,
            _ => &[],
        }
    }

    /// Parses `input` to its canonical text; empty input gives `None`.
    pub fn parse(&self, input: &str) -> Result<Option<String>, DomainError> {
        let field = self.as_field();
        let bad = |m: String| DomainError::invalid(field, format!("{}:{m}", self.label));
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars()
            .any(|c| c.is_control() && !(self.is_long() && (c == '\n' || c == '\r' || c == '\t')))
        {
            return Err(bad("含有控制字符".into()));
        }
        let max = if self.is_long() { MAX_LONG } else { MAX_LINE };
        if s.chars().count() > max {
            return Err(bad(format!("不能超过 {max} 个字")));
        }
        let v = match self.ty {
            FieldType::Text | FieldType::PartyName => s.to_string(),
            FieldType::LongText => s.replace("\r\n", "\n"),
            FieldType::Date => parse_date(s, field)?.to_string(),
            FieldType::Year => {
                let y: i32 = halfwidth(s)
                    .trim_end_matches('年')
                    .parse()
                    .map_err(|_| bad(format!("“{s}”不是年份")))?;
                if !(2000..=2100).contains(&y) {
                    return Err(bad(format!("年份“{s}”超出 2000–2100")));
                }
                y.to_string()
            }
            FieldType::Count => {
                let n: u64 = halfwidth(s)
                    .parse()
                    .map_err(|_| bad(format!("“{s}”不是非负整数")))?;
                n.to_string()
            }
            FieldType::Yuan => parse_yuan(s)
                .ok_or_else(|| bad(format!("金额“{s}”无效,应为元,最多两位小数,例如 1200.50")))?,
            FieldType::Choice(options) => match options.iter().find(|o| **o == s) {
                Some(o) => (*o).to_string(),
                None => {
                    return Err(bad(format!(
                        "未知的值“{s}”,可选:{}",
                        options.join(CHOICE_SEP)
                    )));
                }
            },
            FieldType::Choices(options) => {
                let mut picked: Vec<&str> = Vec::new();
                for part in s.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}', '\n']) {
                    let part = part.trim();
                    if part.is_empty() {
                        continue;
                    }
                    let Some(o) = options.iter().find(|o| **o == part) else {
                        return Err(bad(format!(
                            "未知的值“{part}”,可选:{}",
                            options.join(CHOICE_SEP)
                        )));
                    };
                    if !picked.contains(o) {
                        picked.push(o);
                    }
                }
                // Only separators (`;`, `、、`) choose nothing, like an empty cell; an empty
                // text would not parse back to itself.
                if picked.is_empty() {
                    return Ok(None);
                }
                // Declaration order, so equal sets have equal text.
                picked.sort_by_key(|p| options.iter().position(|o| o == p));
                picked.join(CHOICE_SEP)
            }
            FieldType::CreditCode => {
                let code = halfwidth(s).to_ascii_uppercase();
                if !credit_code_valid(&code) {
                    return Err(bad(format!("统一社会信用代码“{s}”无效(18 位,校验位不符)")));
                }
                code
            }
            FieldType::IdNumber => {
                let id = halfwidth(s).to_ascii_uppercase();
                if !id_number_valid(&id) {
                    return Err(bad("身份证号码无效(18 位,校验位不符)".into()));
                }
                id
            }
            FieldType::Phone => {
                let p = halfwidth(s);
                if !p.chars().any(|c| c.is_ascii_digit())
                    || !p
                        .chars()
                        .all(|c| c.is_ascii_digit() || " -()、,;转".contains(c))
                {
                    return Err(bad(format!("电话“{s}”无效")));
                }
                p
            }
            FieldType::Link => {
                if !(s.starts_with("https://") || s.starts_with("http://") || s.starts_with('/'))
                    || s.chars().any(char::is_whitespace)
                {
                    return Err(bad(format!("链接“{s}”无效,应以 https:// 或 / 开头")));
                }
                s.to_string()
            }
            FieldType::Materials => {
                let mut lines = Vec::new();
                for (i, line) in s.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let m =
                        Material::parse(line).map_err(|m| bad(format!("第 {} 行{m}", i + 1)))?;
                    lines.push(m.to_line());
                }
                lines.join("\n")
            }
        };
        Ok(Some(v))
    }
}

/// Canonical yuan text (`1200.50`) from what staff type: `1200.5`, `1,200.50`, `１２００`.
pub fn parse_yuan(s: &str) -> Option<String> {
    let s = halfwidth(s).replace([',', ','], "");
    let s = s.trim().trim_end_matches('元');
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty()
        || int.len() > 13
        || frac.len() > 2
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let cents: u64 = format!("{frac:0<2}").parse().ok()?;
    Some(format!("{int}.{cents:02}"))
}

/// Canonical yuan text as cents.
/// An amount in 元 as typed (`1,200.5元`, full-width digits) in cents, or the message that
/// says how to write one.
pub fn cents(s: &str, field: Field) -> Result<i64, DomainError> {
    parse_yuan(s)
        .and_then(|a| yuan_cents(&a))
        .ok_or_else(|| DomainError::invalid(field, "金额无效,应为元,最多两位小数"))
}

pub fn yuan_cents(canonical: &str) -> Option<i64> {
    let (i, f) = canonical.split_once('.')?;
    Some(i.parse::<i64>().ok()? * 100 + f.parse::<i64>().ok()?)
}

pub fn date_of(canonical: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(canonical, "%Y-%m-%d").ok()
}

/// GB 32100-2015: 18 characters from 0-9 and A–Y without I, O, S, V, Z; the last is a check
/// character over the first 17 with weights 3^i mod 31.
pub fn credit_code_valid(code: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let mut values = Vec::with_capacity(18);
    for c in &chars {
        match ALPHABET.find(*c) {
            Some(v) => values.push(v as u32),
            None => return false,
        }
    }
    let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// GB 11643-1999: 17 digits and a check character (0–9 or X) over them, weights 2^(17-i) mod 11.
pub fn id_number_valid(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b[17] == CHECK[(sum % 11) as usize]
}

/// One 申请材料 of a 办事指南.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Material {
    pub name: String,
    /// 原件, 复印件, 电子件 …
    pub form: String,
    pub copies: u32,
    pub sample: Option<String>,
    pub blank: Option<String>,
}

impl Material {
    pub fn parse(line: &str) -> Result<Material, String> {
        let parts: Vec<&str> = line.split(['|', '|']).map(str::trim).collect();
        if parts.len() < 3 || parts.len() > 5 {
            return Err("应为“名称|形式|份数”,可再加“|样表链接|空白表格链接”".into());
        }
        if parts[0].is_empty() || parts[1].is_empty() {
            return Err("材料名称和形式不能为空".into());
        }
        let copies: u32 = halfwidth(parts[2])
            .trim_end_matches('份')
            .parse()
            .map_err(|_| format!("份数“{}”不是整数", parts[2]))?;
        let link = |i: usize| -> Result<Option<String>, String> {
            match parts.get(i).copied().filter(|p| !p.is_empty()) {
                None => Ok(None),
                Some(p)
                    if p.starts_with("https://")
                        || p.starts_with("http://")
                        || p.starts_with('/') =>
                {
                    Ok(Some(p.to_string()))
                }
                Some(p) => Err(format!("链接“{p}”无效")),
            }
        };
        Ok(Material {
            name: parts[0].to_string(),
            form: parts[1].to_string(),
            copies,
            sample: link(3)?,
            blank: link(4)?,
        })
    }

    pub fn to_line(&self) -> String {
        let mut s = format!("{}|{}|{}", self.name, self.form, self.copies);
        if self.sample.is_some() || self.blank.is_some() {
            s.push('|');
            s.push_str(self.sample.as_deref().unwrap_or(""));
        }
        if let Some(b) = &self.blank {
            s.push('|');
            s.push_str(b);
        }
        s
    }

    /// The materials of canonical text (each line parsed when the record was accepted).
    pub fn all(canonical: &str) -> Vec<Material> {
        canonical
            .lines()
            .filter_map(|l| Material::parse(l).ok())
            .collect()
    }
}
