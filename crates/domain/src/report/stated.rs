//! Figures a report's text states (“予以公开1191件，占33.8%”) and the check that they are the
//! table's. Real reports have said 258 in the text where the table says 275; ours refuses to
//! publish that.

use super::checks::{Finding, Severity};
use super::tables::{Row, TOTAL_COLUMN, Table3};
use crate::request::Outcome;
use crate::request::outcome::Unavailable;

/// Words that join two named rows into one statement (“予以公开及部分公开6件”): the figure
/// is their sum.
const JOINERS: [&str; 6] = ["以及", "及", "和", "与", "、", "或"];

/// What a phrase in the text refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Row(Row),
    /// A group of outcome rows, e.g. （三）不予公开.
    Group(&'static str),
}

/// Phrases and what they name. Longer phrases are tried first, so “上年结转政府信息公开申请”
/// wins over “上年结转”.
const PHRASES: &[(&str, Target)] = &[
    ("本年新收政府信息公开申请", Target::Row(Row::New)),
    ("新收政府信息公开申请", Target::Row(Row::New)),
    ("收到政府信息公开申请", Target::Row(Row::New)),
    ("上年结转政府信息公开申请", Target::Row(Row::CarriedIn)),
    ("上年结转", Target::Row(Row::CarriedIn)),
    ("结转下年度继续办理", Target::Row(Row::CarriedOut)),
    ("结转下年度", Target::Row(Row::CarriedOut)),
    ("本年度办结", Target::Row(Row::Total)),
    ("予以公开", Target::Row(Row::Outcome(Outcome::Disclosed))),
    (
        "部分公开",
        Target::Row(Row::Outcome(Outcome::PartlyDisclosed)),
    ),
    ("不予公开", Target::Group("（三）不予公开")),
    (
        "本机关不掌握相关政府信息",
        Target::Row(Row::Outcome(Outcome::Unavailable(Unavailable::NotHeld))),
    ),
    (
        "不掌握相关政府信息",
        Target::Row(Row::Outcome(Outcome::Unavailable(Unavailable::NotHeld))),
    ),
    (
        "没有现成信息需要另行制作",
        Target::Row(Row::Outcome(Outcome::Unavailable(
            Unavailable::NeedsCreation,
        ))),
    ),
    (
        "需要另行制作",
        Target::Row(Row::Outcome(Outcome::Unavailable(
            Unavailable::NeedsCreation,
        ))),
    ),
    (
        "补正后申请内容仍不明确",
        Target::Row(Row::Outcome(Outcome::Unavailable(
            Unavailable::StillUnclear,
        ))),
    ),
    ("无法提供", Target::Group("（四）无法提供")),
    ("不予处理", Target::Group("（五）不予处理")),
    ("其他处理", Target::Group("（六）其他处理")),
];

/// One figure found in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Stated {
    pub phrase: &'static str,
    pub count: Option<i64>,
    /// A share of （七）总计, as written ("33.8") and as a number.
    pub percent: Option<(String, f64)>,
    /// The words as they appear, for the message.
    pub quote: String,
    /// What it names: one row or group, or several joined (their sum).
    targets: Vec<Target>,
}

fn phrase_at(chars: &[char], at: usize) -> Option<(&'static str, Target, usize)> {
    let mut best: Option<(&'static str, Target, usize)> = None;
    for (p, t) in PHRASES {
        let n = p.chars().count();
        if at + n <= chars.len()
            && chars[at..at + n].iter().copied().eq(p.chars())
            && best.is_none_or(|(_, _, m)| n > m)
        {
            best = Some((p, *t, n));
        }
    }
    best
}

fn is_stop(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | ';' | '\n' | '，' | ',' | '、' | '？' | '！'
    )
}

/// A number starting at `at` ("1,191", "33.8"): its text, value and end.
fn number_at(chars: &[char], at: usize) -> Option<(String, f64, usize)> {
    let mut end = at;
    let mut text = String::new();
    while end < chars.len() {
        let c = chars[end];
        if c.is_ascii_digit() || (c == '.' && !text.is_empty()) {
            text.push(c);
        } else if c == ','
            && !text.is_empty()
            && chars.get(end + 1).is_some_and(char::is_ascii_digit)
        {
            // thousands separator: not kept
        } else {
            break;
        }
        end += 1;
    }
    let text = text.trim_end_matches('.').to_string();
    let value: f64 = text.parse().ok()?;
    Some((text, value, end))
}

/// The next number within `window` characters that are neither stops nor the start of
/// another phrase.
fn next_number(chars: &[char], from: usize, window: usize) -> Option<(String, f64, usize)> {
    let mut i = from;
    while i < chars.len() && i < from + window + 1 {
        let c = chars[i];
        if c.is_ascii_digit() {
            return number_at(chars, i);
        }
        if is_stop(c) || phrase_at(chars, i).is_some() {
            return None;
        }
        i += 1;
    }
    None
}

/// Every figure the text states for a table 三 row or group.
pub fn figures(text: &str) -> Vec<Stated> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some((phrase, target, len)) = phrase_at(&chars, i) else {
            i += 1;
            continue;
        };
        let start = i;
        i += len;
        let mut targets = vec![target];
        // 予以公开及部分公开, 不予公开、无法提供: one figure for the joined rows.
        'joined: loop {
            for j in JOINERS {
                let n = j.chars().count();
                if chars
                    .get(i..i + n)
                    .is_some_and(|w| w.iter().copied().eq(j.chars()))
                    && let Some((_, next, m)) = phrase_at(&chars, i + n)
                {
                    if !targets.contains(&next) {
                        targets.push(next);
                    }
                    i += n + m;
                    continue 'joined;
                }
            }
            break;
        }
        let Some((written, value, end)) = next_number(&chars, i, 6) else {
            continue;
        };
        let mut stated = Stated {
            phrase,
            count: None,
            percent: None,
            quote: String::new(),
            targets,
        };
        let mut cursor = end;
        match chars.get(end) {
            Some('件') => {
                stated.count = Some(value as i64);
                cursor += 1;
                // “，占…33.8%” in the same sentence.
                let mut j = cursor;
                while j < chars.len() && j < cursor + 20 {
                    let c = chars[j];
                    if matches!(c, '。' | '；' | ';' | '\n') || phrase_at(&chars, j).is_some() {
                        break;
                    }
                    if c == '占' {
                        if let Some((t, v, e)) = next_number(&chars, j + 1, 12)
                            && matches!(chars.get(e), Some('%' | '％'))
                        {
                            stated.percent = Some((t, v));
                            cursor = e + 1;
                        }
                        break;
                    }
                    j += 1;
                }
            }
            Some('%' | '％') => {
                stated.percent = Some((written, value));
                cursor += 1;
            }
            _ => continue,
        }
        stated.quote = chars[start..cursor.min(chars.len())].iter().collect();
        out.push(stated);
        i = cursor;
    }
    out
}

impl Stated {
    /// The quoted words before the figure, for messages.
    fn quote_words(&self) -> String {
        self.quote
            .chars()
            .take_while(|c| !c.is_ascii_digit())
            .collect()
    }
}

/// Check 7: each stated count equals the table's 总计 column; each stated share equals the
/// row's part of （七）总计 to the precision written.
pub fn check_text(section: &str, text: &str, t: &Table3) -> Vec<Finding> {
    let total = t.get(Row::Total, TOTAL_COLUMN).unwrap_or(0);
    let mut out = Vec::new();
    for s in figures(text) {
        let mut actual = 0;
        let mut names = Vec::new();
        for target in &s.targets {
            let (n, what) = match *target {
                Target::Row(r) => (t.get(r, TOTAL_COLUMN).unwrap_or(0), r.key()),
                Target::Group(g) => (t.group_sum(g, TOTAL_COLUMN), g.to_string()),
            };
            actual += n;
            names.push(what);
        }
        let what = names.join("”与“");
        let cell = format!("{section}“{}”", s.quote);
        if let Some(n) = s.count
            && n != actual
        {
            out.push(Finding {
                severity: Severity::Error,
                rule: 7,
                cell: cell.clone(),
                message: if s.targets.len() == 1 {
                    format!("文字称{}{n}件,表三“{what}”总计为 {actual} 件", s.phrase)
                } else {
                    format!(
                        "文字称{}{n}件,表三“{what}”合计为 {actual} 件",
                        s.quote_words()
                    )
                },
            });
        }
        if let Some((written, p)) = &s.percent {
            let is_share = s
                .targets
                .iter()
                .all(|t| matches!(t, Target::Group(_) | Target::Row(Row::Outcome(_))));
            if !is_share {
                continue;
            }
            let places = written.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
            let tolerance = 0.5 * 10f64.powi(-places) + 1e-9;
            let share = if total == 0 {
                None
            } else {
                Some(actual as f64 * 100.0 / total as f64)
            };
            match share {
                Some(share) if (share - p).abs() <= tolerance => {}
                Some(share) => out.push(Finding {
                    severity: Severity::Error,
                    rule: 7,
                    cell,
                    message: format!(
                        "文字称{}占 {written}%,按表三应为 {share:.*}%({actual} ÷ {total})",
                        s.phrase,
                        places.max(1) as usize
                    ),
                }),
                None => out.push(Finding {
                    severity: Severity::Error,
                    rule: 7,
                    cell,
                    message: format!("文字称{}占 {written}%,而本年度办理结果总计为 0", s.phrase),
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_shares() {
        let f = figures(
            "本年新收政府信息公开申请3,525件,上年结转121件。其中予以公开1191件，占办结总数的33.8%；部分公开的共计12件；不予公开占5%。",
        );
        let got: Vec<(&str, Option<i64>, Option<String>)> = f
            .iter()
            .map(|s| (s.phrase, s.count, s.percent.as_ref().map(|p| p.0.clone())))
            .collect();
        assert_eq!(
            got,
            vec![
                ("本年新收政府信息公开申请", Some(3525), None),
                ("上年结转", Some(121), None),
                ("予以公开", Some(1191), Some("33.8".into())),
                ("部分公开", Some(12), None),
                ("不予公开", None, Some("5".into())),
            ]
        );
    }

    #[test]
    fn words_without_a_figure_are_not_figures() {
        assert!(
            figures("对依法不予公开的,说明理由并告知救济途径。予以公开或部分公开的,及时提供。")
                .is_empty()
        );
        assert!(figures("按时办结率100%").is_empty());
    }
}
