//! Bodies of documents and interpretations are Markdown. Staff write headings, lists and tables
//! without an editor that could smuggle markup in; raw HTML in the source is shown as text,
//! never interpreted, and links may only go to the web, mail or this site. Chinese official
//! texts put one paragraph or clause per line, so a single line break is kept as a break.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Only these link targets survive; anything else (`javascript:`, `data:`, other schemes)
/// becomes a link to nowhere.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

fn neutralise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        other => other,
    }
}

/// Safe HTML for a Markdown body. Each passage ([`crate::passage::split`]) begins with an
/// empty element carrying its anchor (`id="第五十四条"`, `id="p12"`), so a search answer can
/// link to the article or paragraph that holds it.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let mut passages = crate::passage::split(markdown).into_iter().peekable();
    let events = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .flat_map(|(event, range)| {
            let mut anchor = None;
            // A heading carries the anchor of the passage it opens; otherwise the first text
            // at or after a passage's start is where it shows.
            if matches!(event, Event::Text(_) | Event::Start(Tag::Heading { .. })) {
                while let Some(p) = passages.next_if(|p| p.start <= range.start) {
                    anchor = Some(p.anchor);
                }
            }
            // Anchors are headings or `p` and a number; cleaned all the same.
            let anchor = anchor.map(|a| {
                a.chars()
                    .filter(|c| !matches!(c, '"' | '<' | '>' | '&' | '\'') && !c.is_whitespace())
                    .collect::<String>()
            });
            let (mark, event) = match (anchor, neutralise(event)) {
                (
                    Some(id),
                    Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }),
                ) => (
                    None,
                    Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes,
                        attrs,
                    }),
                ),
                (Some(id), event) => (
                    Some(Event::InlineHtml(CowStr::from(format!(
                        "<span id=\"{id}\"></span>"
                    )))),
                    event,
                ),
                (None, event) => (None, event),
            };
            mark.into_iter().chain(std::iter::once(event))
        });
    html::push_html(&mut out, events);
    out
}

/// The words of a body without markup, for search, feeds and summaries.
pub fn to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_structure_is_kept() {
        let html = to_html(
            "## 一、总则\n\n第一条 为了规范……\n第二条 本办法适用于……\n\n- 甲\n- 乙\n\n| 项目 | 金额 |\n|---|---|\n| 收费 | 0 |\n",
        );
        assert!(html.contains("一、总则</h2>"), "{html}");
        // One clause per line stays one per line.
        assert!(html.contains("规范……<br />"), "{html}");
        assert!(html.contains("<li>甲</li>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn each_passage_is_marked_where_it_begins() {
        let md = "## 第一章 总则\n\n**第一条** 为了规范……\n第二条　本办法适用于：\n（一）甲；\n\n- 第三条 乙\n";
        let html = to_html(md);
        for id in ["第一条", "第二条", "第三条"] {
            assert_eq!(
                html.matches(&format!("<span id=\"{id}\"></span>")).count(),
                1,
                "{html}"
            );
        }
        assert!(
            html.contains("<strong><span id=\"第一条\"></span>第一条</strong>"),
            "{html}"
        );
        assert!(
            html.contains("<span id=\"第二条\"></span>第二条　本办法"),
            "{html}"
        );
        // Paragraph passages are marked too, by the line they start on; a heading carries
        // the anchor itself.
        let html = to_html("一、总体要求\n\n坚持以人民为中心。");
        assert!(
            html.starts_with("<p><span id=\"p1\"></span>一、总体要求"),
            "{html}"
        );
        let html = to_html("## 查阅场所\n\n5 号窗口");
        assert!(html.starts_with("<h2 id=\"p1\">查阅场所</h2>"), "{html}");
    }

    #[test]
    fn raw_html_is_text_and_bad_links_go_nowhere() {
        let html = to_html("<b onclick=\"x()\">粗</b>\n\n<div>块</div>");
        assert!(!html.contains("<b"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;b onclick"), "{html}");
        let html = to_html(
            "[点我](javascript:alert(1)) [数据](data:text/html,x) [网](https://www.gov.cn/) [本站](/documents/1) [邮件](mailto:a@b.cn) [协议相对](//evil.example/)",
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("//evil"), "{html}");
        assert!(html.contains("href=\"https://www.gov.cn/\""), "{html}");
        assert!(html.contains("href=\"/documents/1\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.cn\""), "{html}");
        let html = to_html("![图](javascript:x)");
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain("## 标题\n\n正文**加粗**与[链接](https://a.cn)。"),
            "标题\n正文加粗与链接。"
        );
    }

    const ALLOWED: &[&str] = &[
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "hr",
        "span",
    ];

    proptest::proptest! {
        /// Whatever is typed, the output holds only harmless elements, and every link target
        /// is one of the safe kinds.
        #[test]
        fn no_active_markup_survives(s in "[<>a-z=\"':/()\\[\\]!#*_ \n]{0,80}") {
            let html = to_html(&s);
            for tag in html.split('<').skip(1) {
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                proptest::prop_assert!(ALLOWED.contains(&name.as_str()), "{name} in {html}");
                for attr in ["href=\"", "src=\""] {
                    if let Some(rest) = tag.split(attr).nth(1) {
                        let url = rest.split('"').next().unwrap_or("");
                        proptest::prop_assert!(url == "#" || safe_url(url), "{url} in {html}");
                    }
                }
            }
        }
    }
}
