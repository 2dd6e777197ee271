//! The passages of a text: what a question's answer points at. A law or regulation answers by
//! its articles (第五十四条 with its items), anything else by its paragraphs. Search indexes
//! each passage and the page marks where each begins, so an answer links to the place that
//! holds it; both take the passages from here, from the same text.

/// One passage: its anchor on the page and where it lies in the text (byte offsets, `start`
/// at the beginning of a line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// `第五十四条` for an article (stable while the law is not renumbered), `p12` for the
    /// paragraphs from line 12 on.
    pub anchor: String,
    pub start: usize,
    pub end: usize,
    /// The headings the passage stands under (编, 章, 节, Markdown headings), outermost
    /// first: what the passage is about when its own words do not say it (第五十六条 speaks of
    /// 债务 under 第四节 个体工商户和农村承包经营户).
    pub context: String,
}

impl Passage {
    pub fn text<'a>(&self, of: &'a str) -> &'a str {
        of.get(self.start..self.end).unwrap_or_default().trim()
    }

    /// Whether the passage is an article of a law.
    pub fn is_article(&self) -> bool {
        self.anchor.starts_with('第')
    }
}

/// Paragraphs are gathered until a passage holds this many characters: one line of a work
/// report is often a heading or a sentence, too little to answer anything on its own.
const PARAGRAPH_CHARS: usize = 200;

/// A text is read by articles when it has at least this many.
const MIN_ARTICLES: usize = 2;

const NUMERALS: &str = "零〇一二三四五六七八九十百千0123456789０１２３４５６７８９";

/// The line without what Markdown and typists put before a heading: `## `, `**`, `- `, `> `,
/// spaces of either width.
fn content(line: &str) -> &str {
    line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '#' | '*' | '-' | '>' | '_' | '\u{3000}')
    })
}

/// `第N条` or `第N条之一` opening a line, followed by a space, a mark or the line's end; `None`
/// for anything else (`第三条修改为…` in an amending decision is a sentence, not an article).
pub fn article_heading(line: &str) -> Option<&str> {
    let rest = content(line).strip_prefix('第')?;
    let digits = rest.find(|c: char| !NUMERALS.contains(c))?;
    if digits == 0 {
        return None;
    }
    let after = rest[digits..].strip_prefix('条')?;
    let mut len = '第'.len_utf8() + digits + '条'.len_utf8();
    let suffix = after
        .strip_prefix('之')
        .map(|s| s.find(|c: char| !NUMERALS.contains(c)).unwrap_or(s.len()))
        .filter(|n| *n > 0);
    let after = match suffix {
        Some(n) => {
            len += '之'.len_utf8() + n;
            &after['之'.len_utf8() + n..]
        }
        None => after,
    };
    let ends = after
        .chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '\u{3000}' | '*' | '：' | ':' | '】'));
    let start = line.len() - content(line).len();
    ends.then(|| &line[start..start + len])
}

/// The level of a line that starts a part above articles (编, 章, 节) or of a Markdown
/// heading (its number of `#`); `None` for any other line. A heading closes the passage
/// before it.
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.trim_start().chars().take_while(|c| *c == '#').count();
    if hashes > 0 {
        return Some(hashes);
    }
    let rest = content(line).strip_prefix('第')?;
    let digits = rest.find(|c: char| !NUMERALS.contains(c)).unwrap_or(0);
    if digits == 0 || rest[digits..].chars().count() > 40 {
        return None;
    }
    match rest[digits..].chars().next()? {
        '编' => Some(1),
        '分' if rest[digits..].starts_with("分编") => Some(2),
        '章' => Some(3),
        '节' => Some(4),
        _ => None,
    }
}

/// The lines of `text` with the byte offset each starts at.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

/// The passages of `text`, in order, none of them empty. A text with articles gives one per
/// article (a preamble before the first article gives paragraphs); any other text gives runs
/// of paragraphs of about [`PARAGRAPH_CHARS`] characters, none split inside a line.
pub fn split(text: &str) -> Vec<Passage> {
    let articles = lines(text)
        .filter(|(_, l)| article_heading(l).is_some())
        .take(MIN_ARTICLES)
        .count();
    let by_articles = articles >= MIN_ARTICLES;
    let mut out: Vec<Passage> = Vec::new();
    let mut open: Option<(String, usize, usize, usize)> = None; // anchor, start, end, chars
    let mut used = std::collections::BTreeMap::<String, usize>::new();
    let mut headings: Vec<(usize, &str)> = Vec::new();
    let context = |headings: &[(usize, &str)]| -> String {
        headings
            .iter()
            .map(|(_, h)| content(h).trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut close = |open: &mut Option<(String, usize, usize, usize)>,
                     out: &mut Vec<Passage>,
                     context: String| {
        if let Some((anchor, start, end, chars)) = open.take()
            && chars > 0
        {
            // The same heading twice (a decision quoting another law's articles) gets -2, -3.
            let n = used.entry(anchor.clone()).or_default();
            *n += 1;
            let anchor = if *n == 1 {
                anchor
            } else {
                format!("{anchor}-{n}")
            };
            out.push(Passage {
                anchor,
                start,
                end,
                context,
            });
        }
    };
    for (number, (start, line)) in lines(text).enumerate() {
        let end = start + line.len();
        let chars = line.trim().chars().count();
        let heading = by_articles.then(|| article_heading(line)).flatten();
        if let Some(h) = heading {
            close(&mut open, &mut out, context(&headings));
            open = Some((h.to_string(), start, end, chars));
            continue;
        }
        if let Some(level) = heading_level(line) {
            close(&mut open, &mut out, context(&headings));
            while headings.last().is_some_and(|(l, _)| *l >= level) {
                headings.pop();
            }
            headings.push((level, line));
            // The heading opens the paragraphs after it (in a law, until the next article).
            open = Some((format!("p{}", number + 1), start, end, 0));
            continue;
        }
        if chars == 0 {
            continue;
        }
        match &mut open {
            // An article runs on until the next one, its items (（一）…) with it.
            Some((anchor, _, e, n)) if anchor.starts_with('第') => {
                *e = end;
                *n += chars;
            }
            Some((_, _, e, n)) if *n < PARAGRAPH_CHARS => {
                *e = end;
                *n += chars;
            }
            _ => {
                close(&mut open, &mut out, context(&headings));
                open = Some((format!("p{}", number + 1), start, end, chars));
            }
        }
    }
    close(&mut open, &mut out, context(&headings));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: &str = "# 中华人民共和国民法典\n\n## 第一编 总则\n\n第一条　为了保护民事主体的合法权益，制定本法。\n\n第二条　民法调整平等主体之间的关系。\n（一）人身关系；\n（二）财产关系。\n\n### 第四节 个体工商户\n\n第五十四条　自然人从事工商业经营，经依法登记，为个体工商户。\n第一百二十条之一 对侵害……\n";

    #[test]
    fn a_law_is_read_by_its_articles_with_their_items() {
        let p = split(LAW);
        let anchors: Vec<&str> = p.iter().map(|p| p.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["第一条", "第二条", "第五十四条", "第一百二十条之一"],
            "{p:?}"
        );
        assert_eq!(
            p[1].text(LAW),
            "第二条　民法调整平等主体之间的关系。\n（一）人身关系；\n（二）财产关系。"
        );
        assert!(p[2].text(LAW).starts_with("第五十四条"));
        assert_eq!(p[0].context, "中华人民共和国民法典 第一编 总则");
        assert_eq!(
            p[2].context,
            "中华人民共和国民法典 第一编 总则 第四节 个体工商户"
        );
        assert!(p.iter().all(Passage::is_article));
    }

    #[test]
    fn article_headings_as_people_and_converters_write_them() {
        for (line, heading) in [
            ("第五十四条　自然人", Some("第五十四条")),
            ("第五十四条 自然人", Some("第五十四条")),
            ("**第五十四条** 自然人", Some("第五十四条")),
            ("  第3条：适用范围", Some("第3条")),
            ("第一百二十条之一　对", Some("第一百二十条之一")),
            ("第十条", Some("第十条")),
            ("第三条修改为：", None),
            ("第条 无", None),
            ("第一章　总则", None),
            ("一、将第三条修改为", None),
        ] {
            assert_eq!(article_heading(line), heading, "{line}");
        }
    }

    #[test]
    fn a_report_is_read_by_runs_of_paragraphs() {
        let line = "我们坚持稳中求进工作总基调，经济社会发展取得新成效。".repeat(3);
        let text = format!(
            "# 政府工作报告\n\n一、过去一年的工作\n\n{line}\n{line}\n{line}\n{line}\n{line}\n"
        );
        let p = split(&text);
        assert!(p.len() >= 2, "{p:?}");
        assert_eq!(p[0].anchor, "p1");
        for w in p.windows(2) {
            assert!(w[0].end < w[1].start);
        }
        let covered: usize = p.iter().map(|p| p.text(&text).chars().count()).sum();
        let all: usize = text.chars().filter(|c| !c.is_whitespace()).count();
        assert!(covered >= all, "{covered} {all}");
    }

    #[test]
    fn a_heading_quoted_twice_gets_distinct_anchors() {
        let text = "第一条 甲\n第二条 乙\n第一条 丙\n";
        let anchors: Vec<String> = split(text).into_iter().map(|p| p.anchor).collect();
        assert_eq!(anchors, ["第一条", "第二条", "第一条-2"]);
    }

    proptest::proptest! {
        /// Whatever the text — articles numbered in Chinese, ASCII or full-width digits,
        /// headings, blank lines, marks — its passages are in order, apart, start at a line,
        /// hold text, and have distinct anchors.
        #[test]
        fn passages_are_ordered_apart_and_distinctly_anchored(
            lines in proptest::collection::vec(
                "(第[一二十百0-9０-９]{1,3}条[ 　:：]?|## 第[一二]章 |\\*\\*|- |)[甲乙丙、，。 ]{0,12}",
                0..30,
            )
        ) {
            let text = lines.join("\n");
            let p = split(&text);
            let mut anchors = std::collections::BTreeSet::new();
            for (i, x) in p.iter().enumerate() {
                proptest::prop_assert!(x.start < x.end && x.end <= text.len());
                proptest::prop_assert!(x.start == 0 || text.as_bytes()[x.start - 1] == b'\n');
                proptest::prop_assert!(!x.text(&text).is_empty());
                proptest::prop_assert!(anchors.insert(x.anchor.clone()), "{} twice", x.anchor);
                if let Some(next) = p.get(i + 1) {
                    proptest::prop_assert!(x.end <= next.start);
                }
            }
        }
    }

    #[test]
    fn one_article_is_a_paragraph_not_a_law() {
        let p = split("依据第十条 的规定\n第十条 办理。\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].anchor, "p1");
        assert!(split("").is_empty());
        assert!(split("\n\n  \n").is_empty());
    }
}
