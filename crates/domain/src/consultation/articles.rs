//! The articles (条) of a draft, so a comment can name the one it is about. A line opening
//! with 第…条 starts an article; chapter headings (第…章) and the preamble belong to none.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Article {
    /// 1-based, as numbered in the text.
    pub number: u32,
    /// "第十二条".
    pub label: String,
    pub text: String,
}

/// A Chinese or Arabic numeral up to 9999: 十二, 一百零五, 二十, 105.
pub fn numeral(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n > 0);
    }
    let digit = |c: char| match c {
        '零' | '〇' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|i| i as u32 + 1),
    };
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                current = Some(digit(c)?);
                continue;
            }
        };
        // 十 alone at the start means 一十.
        total += current.take().unwrap_or(1) * unit;
    }
    total += current.unwrap_or(0);
    (total > 0).then_some(total)
}

/// The article number a line opens with, and where its text starts.
fn heading(line: &str) -> Option<(u32, &str, &str)> {
    let rest = line.trim_start().strip_prefix('第')?;
    let end = rest.find('条')?;
    let number = numeral(&rest[..end])?;
    let label_len = '第'.len_utf8() + end + '条'.len_utf8();
    let start = line.len() - line.trim_start().len();
    let label = &line[start..start + label_len];
    Some((number, label, line[start + label_len..].trim()))
}

/// The draft's non-blank lines before its first article (its title, a first chapter heading).
pub fn preamble(draft: &str) -> Vec<String> {
    draft
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take_while(|l| heading(l).is_none())
        .map(String::from)
        .collect()
}

pub fn articles(draft: &str) -> Vec<Article> {
    let mut out: Vec<Article> = Vec::new();
    for line in draft.lines() {
        if let Some((number, label, text)) = heading(line) {
            out.push(Article {
                number,
                label: label.to_string(),
                text: text.to_string(),
            });
        } else if let Some(last) = out.last_mut() {
            // A chapter heading ends the article before it.
            let t = line.trim();
            let chapter = t.starts_with('第')
                && t.find('章')
                    .is_some_and(|i| numeral(&t['第'.len_utf8()..i]).is_some());
            if chapter {
                out.push(Article {
                    number: 0,
                    label: String::new(),
                    text: String::new(),
                });
            } else if !t.is_empty() {
                last.text.push('\n');
                last.text.push_str(t);
            }
        }
    }
    out.retain(|a| a.number > 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_parse() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百", 100),
            ("一百零五", 105),
            ("一百一十", 110),
            ("12", 12),
        ] {
            assert_eq!(numeral(s), Some(n), "{s}");
        }
        for s in ["", "零", "0", "甲", "十x"] {
            assert_eq!(numeral(s), None, "{s}");
        }
    }

    #[test]
    fn articles_are_found_with_their_continuation_lines() {
        let a = articles(
            "嘉定区养犬管理办法\n第一章 总则\n第一条 为规范养犬行为,制定本办法。\n（一）第一项\n\n第二条　本办法适用于本区。\n第二章 附则\n第十二条 本办法自公布之日起施行。",
        );
        let got: Vec<(u32, &str)> = a.iter().map(|a| (a.number, a.label.as_str())).collect();
        assert_eq!(got, [(1, "第一条"), (2, "第二条"), (12, "第十二条")]);
        assert_eq!(a[0].text, "为规范养犬行为,制定本办法。\n（一）第一项");
        assert_eq!(a[1].text, "本办法适用于本区。");
        assert!(articles("没有条文的草案").is_empty());
        assert_eq!(
            preamble("办法\n\n第一章 总则\n第一条 目的。"),
            ["办法", "第一章 总则"]
        );
    }
}
