//! Test and benchmark corpora made from real public government texts (the demo's seed
//! documents): whole documents, their paragraphs, and documents re-sampled from their
//! sentences, so relevance tests and benchmarks run on real Chinese, not lorem ipsum.

use crate::index::Entry;

/// A source text: its first non-empty line is taken as the title.
pub fn title_and_body(text: &str) -> (String, String) {
    // Breadcrumbs ("位置:首页 > …") and the letterhead ("…人民政府办公室文件") are not titles.
    let not_title = |l: &str| {
        l.contains('>') || l.starts_with('√') || (l.ends_with("文件") && l.chars().count() < 20)
    };
    let title = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !not_title(l))
        .unwrap_or_default();
    (title.chars().take(120).collect(), text.trim().to_string())
}

/// Paragraphs of at least `min` characters.
pub fn paragraphs(text: &str, min: usize) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= min)
        .map(String::from)
        .collect()
}

/// Sentences (split after 。！？； and their ASCII forms), trimmed, of at least 6 characters.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            if !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        current.push(c);
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| s.chars().count() >= 6)
        .collect()
}

/// A small deterministic generator (xorshift64*): the same seed gives the same corpus.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A run of 3–8 Han characters from a random sentence.
fn fragment(sentences: &[String], rng: &mut Rng) -> String {
    for _ in 0..20 {
        let chars: Vec<char> = sentences[rng.below(sentences.len())].chars().collect();
        let len = 3 + rng.below(6);
        if chars.len() <= len {
            continue;
        }
        let start = rng.below(chars.len() - len);
        let piece = &chars[start..start + len];
        if piece.iter().all(|c| crate::analysis::is_han(*c)) {
            return piece.iter().collect();
        }
    }
    "政务公开".into()
}

/// Document `id` of a re-sampled corpus: a title joined from two fragments of different
/// sentences ("关于…的通知", so titles do not copy a sentence whole), a body of 8–24 whole
/// sentences drawn from all of them.
pub fn resampled(id: i64, sentences: &[String], rng: &mut Rng) -> Entry {
    let title = format!(
        "关于{}{}的通知",
        fragment(sentences, rng),
        fragment(sentences, rng)
    );
    let n = 8 + rng.below(17);
    let body = (0..n)
        .map(|_| sentences[rng.below(sentences.len())].as_str())
        .collect::<Vec<_>>()
        .join("");
    let agencies = ["YX0100", "YX0201", "YX0202", "YX0203", "YX0204", "YX0205"];
    let year = 2015 + rng.below(11) as i32;
    Entry {
        agency_code: agencies[rng.below(agencies.len())].into(),
        doc_kind: Some(gongkai_domain::document::DocKind::Notice.as_str().into()),
        date: chrono::NaiveDate::from_ymd_opt(
            year,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        ),
        ..Entry::document(id, title, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_skip_breadcrumbs_and_sentences_split_on_chinese_punctuation() {
        let (title, _) = title_and_body(
            "位置:首页 > 政府信息公开\n√ 所在位置\n2018年松江区政务公开工作要点\n正文",
        );
        assert_eq!(title, "2018年松江区政务公开工作要点");
        let (title, _) = title_and_body(
            "上海市嘉定区人民政府办公室文件\n上海市嘉定区人民政府办公室关于印发通知\n",
        );
        assert_eq!(title, "上海市嘉定区人民政府办公室关于印发通知");
        assert_eq!(
            sentences("第一句话在这里。第二句话也在这;短\n第三句话没有句号"),
            ["第一句话在这里。", "第二句话也在这;", "第三句话没有句号"]
        );
    }

    #[test]
    fn the_generator_is_deterministic() {
        let s: Vec<String> = (0..20)
            .map(|i| format!("第{i}句政务公开的内容。"))
            .collect();
        let a = resampled(1, &s, &mut Rng::new(7));
        let b = resampled(1, &s, &mut Rng::new(7));
        assert_eq!(a, b);
        assert!(a.body.chars().count() > 8 * 6);
    }
}
