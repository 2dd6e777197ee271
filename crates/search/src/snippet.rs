//! Highlighting: where a query's terms occur in a stored text, and the passage that shows
//! most of them. Matching is on the normalised text (so 資訊 in a text is marked for 信息),
//! marking on the original, which is what the reader sees.

use std::ops::Range;

use crate::analysis;

/// How far before the first match a passage starts, in characters.
const LEAD_CHARS: usize = 20;

/// Most occurrences looked at when choosing a passage.
const MAX_OCCURRENCES: usize = 200;

/// The byte ranges of `original` where any of `needles` (normalised texts) occurs, in order.
pub fn occurrences(original: &str, needles: &[String]) -> Vec<(Range<usize>, usize)> {
    occurrences_in(&analysis::normalize(original), needles)
}

/// [`occurrences`] in a text already normalised.
fn occurrences_in(n: &analysis::Normalized, needles: &[String]) -> Vec<(Range<usize>, usize)> {
    // Byte offset in the normalised text → character index (for the original ranges).
    let mut char_at = vec![0usize; n.text.len() + 1];
    let mut count = 0;
    for (i, c) in n.text.char_indices() {
        for slot in &mut char_at[i..i + c.len_utf8()] {
            *slot = count;
        }
        count += 1;
    }
    char_at[n.text.len()] = count;
    let mut found = Vec::new();
    for (which, needle) in needles.iter().enumerate() {
        if needle.is_empty() {
            continue;
        }
        for (at, m) in n.text.match_indices(needle.as_str()) {
            let (from, to) = n.span(char_at[at], char_at[at + m.len()]);
            found.push((from..to, which));
            if found.len() >= MAX_OCCURRENCES * 4 {
                break;
            }
        }
    }
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    found
}

/// Escapes `text` and marks every occurrence of the needles.
pub fn marked(text: &str, needles: &[String]) -> String {
    let ranges: Vec<Range<usize>> = occurrences(text, needles)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    mark(text, &ranges)
}

/// A passage of at most `max_chars` characters of `text` showing as many different needles
/// as it can (the earliest such passage), escaped, with the matches marked; the opening of
/// the text when none occurs.
pub fn passage(text: &str, needles: &[String], max_chars: usize) -> String {
    passage_in(text, &analysis::normalize(text), needles, max_chars)
}

/// [`passage`] of a text whose normalised form `n` is known.
pub fn passage_in(
    text: &str,
    n: &analysis::Normalized,
    needles: &[String],
    max_chars: usize,
) -> String {
    let found = occurrences_in(n, needles);
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let total = starts.len();
    let byte_of = |ch: usize| starts.get(ch).copied().unwrap_or(text.len());
    let first = choose(&found, &starts, text.len(), needles.len(), max_chars);
    let (from, to) = (byte_of(first), byte_of(first + max_chars));
    let inside: Vec<Range<usize>> = found
        .iter()
        .filter(|(r, _)| r.start >= from && r.end <= to)
        .map(|(r, _)| r.start - from..r.end - from)
        .collect();
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    out.push_str(&mark(&text[from..to], &inside));
    if first + max_chars < total {
        out.push('…');
    }
    out
}

/// The first character of the passage of `max_chars` showing the most distinct needles (the
/// earliest such), among passages opening a little before each of the first occurrences.
fn choose(
    found: &[(Range<usize>, usize)],
    starts: &[usize],
    len: usize,
    needles: usize,
    max_chars: usize,
) -> usize {
    let char_of = |byte: usize| starts.partition_point(|&s| s < byte);
    let byte_of = |ch: usize| starts.get(ch).copied().unwrap_or(len);
    // Each candidate window opens a little before an occurrence. Windows only move right, so
    // the occurrences inside one are kept by two cursors with a count per needle: linear in the
    // occurrences, which a common word repeats hundreds of times in a long text. An occurrence
    // straddling a window's end waits (`pending`) until a later window takes it whole.
    let mut best: Option<(usize, usize)> = None; // (distinct needles, first char)
    let mut w = Window {
        counts: vec![0; needles],
        inside: vec![false; found.len()],
        distinct: 0,
    };
    let mut pending: Vec<usize> = Vec::new();
    let (mut left, mut right) = (0, 0);
    for (r, _) in found.iter().take(MAX_OCCURRENCES) {
        let first = char_of(r.start).saturating_sub(LEAD_CHARS);
        let (from, end) = (byte_of(first), byte_of(first + max_chars));
        while left < found.len() && found[left].0.start < from {
            w.leave(left, found[left].1);
            left += 1;
        }
        right = right.max(left);
        pending.retain(|&i| {
            if i < left {
                false
            } else if found[i].0.end <= end {
                w.enter(i, found[i].1);
                false
            } else {
                true
            }
        });
        while right < found.len() && found[right].0.start < end {
            if found[right].0.end <= end {
                w.enter(right, found[right].1);
            } else {
                pending.push(right);
            }
            right += 1;
        }
        if best.is_none_or(|(n, _)| w.distinct > n) {
            best = Some((w.distinct, first));
        }
    }
    best.map_or(0, |(_, first)| first)
}

/// The occurrences inside a candidate passage: how many of each needle, and how many needles.
struct Window {
    counts: Vec<usize>,
    inside: Vec<bool>,
    distinct: usize,
}

impl Window {
    fn enter(&mut self, occurrence: usize, needle: usize) {
        self.inside[occurrence] = true;
        self.counts[needle] += 1;
        if self.counts[needle] == 1 {
            self.distinct += 1;
        }
    }

    fn leave(&mut self, occurrence: usize, needle: usize) {
        if std::mem::take(&mut self.inside[occurrence]) {
            self.counts[needle] -= 1;
            if self.counts[needle] == 0 {
                self.distinct -= 1;
            }
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes `text` and marks the byte ranges (merged where they touch or overlap).
fn mark(text: &str, ranges: &[Range<usize>]) -> String {
    let mut ranges: Vec<_> = ranges
        .iter()
        .filter(|r| r.start < r.end && r.end <= text.len())
        .cloned()
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for r in merged {
        if !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) || r.start < at {
            continue;
        }
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[r.start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn traditional_text_is_marked_for_a_simplified_needle() {
        assert_eq!(
            marked("政府資訊公開", &needles(&["信息公开"])),
            "政府<mark>資訊公開</mark>"
        );
    }

    #[test]
    fn the_passage_shows_the_most_needles_and_escapes() {
        let text = format!(
            "{}<b>公开</b>{}信息公开年报",
            "甲".repeat(100),
            "乙".repeat(30)
        );
        let p = passage(&text, &needles(&["信息公开", "年报"]), 30);
        assert!(
            p.contains("<mark>信息公开</mark><mark>年报</mark>")
                || p.contains("<mark>信息公开年报</mark>"),
            "{p}"
        );
        assert!(p.starts_with('…') && !p.contains("<b>"));
        // Nothing found: the opening.
        assert_eq!(passage("一二三四", &needles(&["五"]), 2), "一二…");
    }

    /// The choice as first written: every window counted from scratch.
    fn choose_slowly(
        found: &[(Range<usize>, usize)],
        starts: &[usize],
        len: usize,
        max_chars: usize,
    ) -> usize {
        let char_of = |byte: usize| starts.partition_point(|&s| s < byte);
        let byte_of = |ch: usize| starts.get(ch).copied().unwrap_or(len);
        let mut best: Option<(usize, usize)> = None;
        for (r, _) in found.iter().take(MAX_OCCURRENCES) {
            let first = char_of(r.start).saturating_sub(LEAD_CHARS);
            let end = byte_of(first + max_chars);
            let mut seen = std::collections::BTreeSet::new();
            for (o, which) in found {
                if o.start >= byte_of(first) && o.end <= end {
                    seen.insert(*which);
                }
            }
            if best.is_none_or(|(n, _)| seen.len() > n) {
                best = Some((seen.len(), first));
            }
        }
        best.map_or(0, |(_, first)| first)
    }

    proptest::proptest! {
        /// Any text and needles give escaped output without panicking.
        #[test]
        fn any_text_is_marked_safely(text in "(?s).{0,80}", needle in ".{0,4}") {
            let out = passage(&text, &[analysis::normalize(&needle).text], 20);
            let bare = out.replace("<mark>", "").replace("</mark>", "");
            proptest::prop_assert!(!bare.contains('<') && !bare.contains('>'));
            let _ = marked(&text, &[needle]);
        }

        /// The sliding window chooses the passage the count from scratch chooses.
        #[test]
        fn the_window_chooses_as_counting_from_scratch(
            text in "[甲乙丙丁公开信息年报 ]{0,300}",
            width in 5usize..60,
        ) {
            let needles = needles(&["公开", "信息", "年报", "公开信息", "开信"]);
            let found = occurrences(&text, &needles);
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            proptest::prop_assert_eq!(
                choose(&found, &starts, text.len(), needles.len(), width),
                choose_slowly(&found, &starts, text.len(), width)
            );
        }
    }
}
