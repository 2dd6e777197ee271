//! Text rules shared by every input: width normalisation and bounded fields.

use crate::error::{DomainError, Field};

/// Full-width ASCII forms (ＡＢＣ１２３) and the ideographic space become their ASCII
/// counterparts. Chinese punctuation such as 〔〕 is left alone: it carries meaning in 文号.
pub fn halfwidth(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A single-line text field: trimmed, `min..=max` characters (not bytes), no control
/// characters.
pub fn bounded(input: &str, field: Field, min: usize, max: usize) -> Result<String, DomainError> {
    let value = input.trim();
    if value.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("{field}不能包含换行或控制字符"),
        ));
    }
    check_length(value, field, min, max)?;
    Ok(value.to_string())
}

/// A multi-line text field: like [`bounded`] but newlines and tabs are allowed; line endings
/// are normalised to `\n`.
pub fn bounded_multiline(
    input: &str,
    field: Field,
    min: usize,
    max: usize,
) -> Result<String, DomainError> {
    let value = input.trim().replace("\r\n", "\n").replace('\r', "\n");
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::invalid(
            field,
            format!("{field}包含不可见的控制字符"),
        ));
    }
    check_length(&value, field, min, max)?;
    Ok(value)
}

/// The non-blank lines of a text, trimmed: its paragraphs (official texts put one paragraph
/// per line).
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// An optional single-line field: empty input gives `None`.
pub fn optional(input: &str, field: Field, max: usize) -> Result<Option<String>, DomainError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        bounded(input, field, 1, max).map(Some)
    }
}

fn check_length(value: &str, field: Field, min: usize, max: usize) -> Result<(), DomainError> {
    let n = value.chars().count();
    if n < min {
        let message = if min == 1 {
            format!("请填写{field}")
        } else {
            format!("{field}至少需要 {min} 个字符")
        };
        return Err(DomainError::invalid(field, message));
    }
    if n > max {
        return Err(DomainError::invalid(
            field,
            format!("{field}最多 {max} 个字符,当前 {n} 个"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Field = Field::new("name", "名称");

    #[test]
    fn halfwidth_converts_fullwidth_ascii() {
        assert_eq!(halfwidth("ＹＸ０１　ab"), "YX01 ab");
        assert_eq!(halfwidth("〔2021〕"), "〔2021〕");
    }

    #[test]
    fn bounded_counts_characters_not_bytes() {
        assert_eq!(bounded(" 区教育局 ", F, 1, 4).unwrap(), "区教育局");
        let err = bounded("区教育局局", F, 1, 4).unwrap_err();
        assert_eq!(err.code(), "invalid-input");
        assert!(err.to_string().contains("最多 4 个字符"), "{err}");
    }

    #[test]
    fn bounded_rejects_empty_and_control_characters() {
        assert!(
            bounded("   ", F, 1, 10)
                .unwrap_err()
                .to_string()
                .contains("请填写名称")
        );
        assert!(bounded("a\nb", F, 1, 10).is_err());
        assert!(bounded("a\u{0}b", F, 1, 10).is_err());
        assert_eq!(bounded_multiline("a\r\nb", F, 1, 10).unwrap(), "a\nb");
        assert!(bounded_multiline("a\u{7}b", F, 1, 10).is_err());
    }

    #[test]
    fn optional_maps_blank_to_none() {
        assert_eq!(optional("  ", F, 5).unwrap(), None);
        assert_eq!(optional(" x ", F, 5).unwrap(), Some("x".into()));
    }
}

/// Tags a text may carry as typed (pasted from a word processor): plain emphasis and breaks,
/// without any attribute.
const HARMLESS_TAGS: &[&str] = &[
    "b", "i", "u", "em", "strong", "br", "p", "sub", "sup", "s", "del", "ins", "small",
];

/// Refuses markup in text that will be shown on public pages, by an allow-list: a tag is
/// accepted only if it is one of [`HARMLESS_TAGS`] with no attribute; comments, declarations
/// and script URLs are refused. Escaping on output already keeps markup inert; refusing it at
/// the door means nothing of the kind is ever stored. (A deny-list of dangerous tags let
/// `<details/open/ontoggle=…>` through.)
pub fn reject_active_markup(value: &str, field: Field) -> Result<(), DomainError> {
    if has_active_markup(value) {
        Err(DomainError::invalid(
            field,
            format!("{field}中含有脚本或网页代码,请删除后再提交"),
        ))
    } else {
        Ok(())
    }
}

fn has_active_markup(value: &str) -> bool {
    // Every pattern is ASCII, so ASCII folding finds them without a Unicode case table lookup
    // for each Chinese character of a long body.
    let lower = value.to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return true;
    }
    let b = lower.as_bytes();
    for (i, _) in lower.match_indices('<') {
        let rest = &b[i + 1..];
        match rest.first() {
            Some(b'!' | b'?') => return true,
            Some(b'/') => {
                let name: Vec<u8> = rest[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .copied()
                    .collect();
                if !name.is_empty() && !harmless(&name) {
                    return true;
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name: Vec<u8> = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .copied()
                    .collect();
                // What follows the name: `>` (or `/>`) ends a plain tag; anything else before
                // the next `>` (a space, a slash, an attribute) makes it a tag with attributes.
                let after = &rest[name.len()..];
                let plain = matches!(after.first(), Some(b'>'))
                    || after.starts_with(b"/>")
                    || !after.contains(&b'>');
                if !harmless(&name) || !plain {
                    // `a<b` in prose is not a tag: an unknown name with no closing `>`.
                    if after.contains(&b'>')
                        || after
                            .first()
                            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
                    {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

fn harmless(name: &[u8]) -> bool {
    HARMLESS_TAGS.iter().any(|t| t.as_bytes() == name)
}

#[cfg(test)]
mod markup_tests {
    use super::*;

    #[test]
    fn active_markup_is_refused() {
        let f = Field::new("body", "正文");
        for bad in [
            "<script>alert(1)</script>",
            "点击<a href=\"JavaScript:x\">",
            "<img src=x onerror=alert(1)>",
            "<div onclick = \"x\">",
            "<IFRAME src=x>",
            "<details/open/ontoggle=alert(1)>",
            "<svg><animate onbegin=alert(1)>",
            "<a href=https://x.example>点此</a>",
            "<p style=\"x\">",
            "<!-- x -->",
            "<math><mtext>",
            "<ScRiPt >",
        ] {
            assert!(reject_active_markup(bad, f).is_err(), "{bad}");
        }
        for good in [
            "依申请公开 <20 个工作日",
            "a < b and c > d",
            "online 办理",
            "请于 2024年 on time 提交",
            "x<5 且 y>3",
            "<<条例>> 第十条",
            "<b>加粗</b> 与 <br/> 换行",
            "a<b",
        ] {
            assert!(reject_active_markup(good, f).is_ok(), "{good}");
        }
    }
}
