//! Chinese text analysis. Text is normalised (NFKC, lower case, traditional → simplified with
//! Taiwan and Hong Kong vocabulary, so 資訊 becomes 信息 and 軟體 软件), then cut two ways: every
//! jieba dictionary word that occurs in it (with the government terms of [`GOV_TERMS`]) — so
//! 北京大学 is a word of 北京大学图书馆 and a one-word query is one posting list — and
//! overlapping CJK bigrams, which find what no dictionary holds (names, new terms, phrases
//! across words). Latin words and numbers are tokens of both. Every token keeps its byte range
//! in the original text, so snippets highlight what the reader sees.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use jieba_rs::Jieba;
use unicode_normalization::UnicodeNormalization;

/// Bumped whenever analysis changes what an indexed text yields, or the index holds a kind of
/// record it did not (4: published messages; 5: identity, mobile and card numbers masked
/// before indexing; 6: passages of documents and interpretations; 7: characters separated only
/// by soft marks — 双随机、一公开, 《…》 — are adjacent; 8: every kind of record ranked by
/// passages; 9: 文号 matched by their form-free key, 公告 numbers in every spelling): every
/// node then rebuilds its index.
pub const ANALYSIS_VERSION: u32 = 9;

/// Words jieba's general dictionary splits but a government reader types whole.
pub const GOV_TERMS: &[&str] = &[
    "政务公开",
    "政府信息公开",
    "信息公开",
    "依申请公开",
    "依申请",
    "主动公开",
    "行政规范性文件",
    "规范性文件",
    "一网通办",
    "一网通管",
    "一网通查",
    "一网通答",
    "双随机一公开",
    "双随机",
    "放管服",
    "政策解读",
    "政府公报",
    "公开目录",
    "公开指南",
    "办事指南",
    "年度报告",
    "意见征集",
    "重大行政决策",
    "信息处理费",
    "行政复议",
    "行政诉讼",
    "营商环境",
    "互联网+政务服务",
    "人民政府",
    "人民政府办公室",
    "办公室",
    "发展和改革委员会",
    "教育局",
    "卫生健康委员会",
    "生态环境局",
    "规划和自然资源局",
    "市场监督管理局",
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "财政局",
    "审计局",
    "统计局",
    "应急管理局",
    "街道办事处",
    "居民委员会",
    "村民委员会",
];

struct Tools {
    opencc: Option<OpenCC>,
    /// Characters OpenCC changes on their own (traditional forms), one bit per code point of
    /// the basic plane: text with none of them is left alone, which skips the converter for
    /// ordinary simplified text. (A bit test, not a hash lookup: every character indexed or
    /// highlighted is checked.)
    traditional: Vec<u64>,
    jieba: Jieba,
}

impl Tools {
    fn is_traditional(&self, c: char) -> bool {
        let c = c as usize;
        self.traditional
            .get(c >> 6)
            .is_some_and(|bits| bits & (1 << (c & 63)) != 0)
    }
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut jieba = Jieba::new();
        for term in GOV_TERMS {
            // A high frequency makes the whole term win over its parts.
            jieba.add_word(term, Some(100_000), None);
        }
        let opencc = OpenCC::from_config(BuiltinConfig::Tw2sp)
            .map_err(|e| tracing::error!("traditional-to-simplified conversion unavailable: {e}"))
            .ok();
        let traditional = match &opencc {
            Some(cc) => {
                // One pass over the CJK blocks, joined so the converter runs once per block.
                let mut set = vec![0u64; 0x10000 / 64];
                for (from, to) in [(0x3400u32, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)] {
                    let chars: Vec<char> = (from..=to).filter_map(char::from_u32).collect();
                    let joined: String = chars.iter().flat_map(|c| [*c, '\n']).collect();
                    let converted = cc.convert(&joined);
                    let lines: Vec<&str> = converted.split('\n').collect();
                    for (c, out) in chars.iter().zip(lines) {
                        if out.chars().ne(std::iter::once(*c)) {
                            set[*c as usize >> 6] |= 1 << (*c as usize & 63);
                        }
                    }
                }
                set
            }
            None => Default::default(),
        };
        Tools {
            opencc,
            traditional,
            jieba,
        }
    })
}

/// Loads the dictionaries now rather than on the first query.
pub fn warm_up() {
    let _ = tools();
}

/// Text after normalisation, with each character's byte range in the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// Per character of `text`: (start, end) bytes in the original.
    spans: Vec<(usize, usize)>,
}

impl Normalized {
    /// `text` as the normalised form of `original` character for character (each character
    /// of `text` standing for the one at the same place in `original`); `None` when their
    /// lengths differ.
    pub fn aligned(original: &str, text: String) -> Option<Normalized> {
        let spans: Vec<(usize, usize)> = original
            .char_indices()
            .map(|(at, c)| (at, at + c.len_utf8()))
            .collect();
        (spans.len() == text.chars().count()).then_some(Normalized { text, spans })
    }

    /// Whether each character stands for the one at the same place in the original, so the
    /// text alone (with [`Normalized::aligned`]) gives back this normalisation.
    pub fn is_aligned(&self, original: &str) -> bool {
        self.spans.len() == original.chars().count()
            && self
                .spans
                .iter()
                .zip(original.char_indices())
                .all(|(s, (at, c))| *s == (at, at + c.len_utf8()))
    }

    /// The original byte range of normalised characters `from..to`.
    pub fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let start = self.spans.get(from).map_or(0, |s| s.0);
        let end = to
            .checked_sub(1)
            .and_then(|i| self.spans.get(i))
            .map_or(start, |s| s.1);
        (start, end.max(start))
    }
}

/// NFKC, lower case, traditional → simplified.
pub fn normalize(original: &str) -> Normalized {
    let (mut text, mut spans) = fold(original);
    let t = tools();
    if let Some(cc) = &t.opencc
        && text.chars().any(|c| t.is_traditional(c))
    {
        (text, spans) = convert_runs(cc, t, &text, spans);
    }
    Normalized { text, spans }
}

/// NFKC and lower case, control characters as spaces, with each character's original range.
fn fold(original: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(original.len());
    let mut spans = Vec::with_capacity(original.len() / 2);
    for (at, c) in original.char_indices() {
        let end = at + c.len_utf8();
        // Control characters become spaces, so they neither join nor break words oddly.
        if c.is_control() {
            text.push(' ');
            spans.push((at, end));
            continue;
        }
        // Fast path: ASCII and the main CJK blocks are their own NFKC form.
        if c.is_ascii() {
            text.push(c.to_ascii_lowercase());
            spans.push((at, end));
            continue;
        }
        if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
            text.push(c);
            spans.push((at, end));
            continue;
        }
        for n in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
            text.push(n);
            spans.push((at, end));
        }
    }
    (text, spans)
}

/// Converts to simplified the runs of Han characters that hold a traditional one, and only
/// those: the converter's phrases are Han characters, and most of a mixed text (a simplified
/// document quoting a traditional one) needs no conversion, which is the costly part of
/// indexing and highlighting such text. A run that changes length spreads its own original
/// ranges over its converted characters.
fn convert_runs(
    cc: &OpenCC,
    t: &Tools,
    text: &str,
    spans: Vec<(usize, usize)>,
) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut out_spans = Vec::with_capacity(spans.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let han = is_han(chars[i].1);
        while i < chars.len() && is_han(chars[i].1) == han {
            i += 1;
        }
        let from = chars[start].0;
        let to = chars.get(i).map_or(text.len(), |c| c.0);
        let run = &text[from..to];
        let run_spans = &spans[start..i];
        if !han || !run.chars().any(|c| t.is_traditional(c)) {
            out.push_str(run);
            out_spans.extend_from_slice(run_spans);
            continue;
        }
        let converted = cc.convert(run);
        let count = converted.chars().count();
        if count == run_spans.len() {
            out_spans.extend_from_slice(run_spans);
        } else {
            // A phrase changed length (rare): spread the run's original ranges evenly.
            out_spans.extend(
                (0..count)
                    .map(|k| run_spans[(k * run_spans.len() / count).min(run_spans.len() - 1)]),
            );
        }
        out.push_str(&converted);
    }
    (out, out_spans)
}

/// [`normalize`], remembering the last two texts of this thread: an entry's title and body
/// are each indexed in three fields (words, bigrams, grams), one after the other, and each
/// field's tokenizer would convert the same traditional text again.
pub fn normalize_recent(original: &str) -> std::rc::Rc<Normalized> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static RECENT: RefCell<Vec<(String, Rc<Normalized>)>> = const { RefCell::new(Vec::new()) };
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some((_, n)) = recent.iter().find(|(text, _)| text == original) {
            return n.clone();
        }
        let n = Rc::new(normalize(original));
        if recent.len() >= 2 {
            recent.remove(0);
        }
        recent.push((original.to_string(), n.clone()));
        n
    })
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// A token: its text (normalised) and its byte range in the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// Runs of Latin letters and digits (one token each), as (start, end) char indices.
fn latin_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() && !is_han(chars[i]) {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() && !is_han(chars[i]) {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Overlapping bigrams of each run of Han characters (a lone character stands alone), and
/// the Latin words, in text order.
pub fn bigrams(original: &str) -> Vec<Token> {
    let n = normalize(original);
    bigrams_of(&n)
}

pub fn bigrams_of(n: &Normalized) -> Vec<Token> {
    let chars: Vec<char> = n.text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let latin = latin_runs(&chars);
    let mut latin_iter = latin.iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&&(s, e)) = latin_iter.peek()
            && s == i
        {
            let (from, to) = n.span(s, e);
            out.push(Token {
                text: chars[s..e].iter().collect(),
                from,
                to,
            });
            latin_iter.next();
            i = e;
            continue;
        }
        if is_han(chars[i]) {
            let run = han_run(&chars, i);
            i = run.last().map_or(i, |last| last + 1);
            if let [only] = run.as_slice() {
                let (from, to) = n.span(*only, only + 1);
                out.push(Token {
                    text: chars[*only].to_string(),
                    from,
                    to,
                });
            } else {
                for pair in run.windows(2) {
                    let (from, to) = n.span(pair[0], pair[1] + 1);
                    out.push(Token {
                        text: [chars[pair[0]], chars[pair[1]]].iter().collect(),
                        from,
                        to,
                    });
                }
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Marks that separate the characters of one phrase without ending it: 、 in 双随机、一公开,
/// the 《》 and quotes around a title, brackets, dashes, spaces. A reader types the phrase
/// without them, so characters separated only by these count as adjacent. Not the comma: it
/// ends a clause, nobody types across it, and it is the commonest mark (on the search-eval
/// corpus the index is 251 MB without bridging, 274 MB with these marks, 300 MB with commas
/// too, and the dev questions are found no better).
fn is_soft_mark(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || "、·・•《》〈〉「」『』“”‘’\"'（）()【】[]-—–_/／~～".contains(c)
}

/// Most soft marks between two characters that still count as adjacent (`》“`).
const MAX_MARKS: usize = 3;

/// The indices of the Han characters from `start` on that read as one run: each next to the
/// one before, or separated from it only by a few soft marks.
fn han_run(chars: &[char], start: usize) -> Vec<usize> {
    let mut run = vec![start];
    let mut i = start + 1;
    loop {
        let mut j = i;
        while j < chars.len() && j - i < MAX_MARKS && is_soft_mark(chars[j]) {
            j += 1;
        }
        match chars.get(j) {
            Some(c) if is_han(*c) => {
                run.push(j);
                i = j + 1;
            }
            _ => return run,
        }
    }
}

/// Every run of Han characters in `chars` ([`han_run`]), in order.
fn han_runs(chars: &[char]) -> Vec<Vec<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i]) {
            i += 1;
            continue;
        }
        let run = han_run(chars, i);
        i = run.last().map_or(i, |last| last + 1);
        runs.push(run);
    }
    runs
}

/// Whether a run's characters are all next to each other in the text.
fn is_contiguous(run: &[usize]) -> bool {
    run.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Lengths of the character n-grams of [`grams_of`]/// Lengths of the character n-grams of [`grams_of`]: a query of this many Chinese characters
/// that is no single word is one term of the grams fields.
pub const GRAM_LENGTHS: std::ops::RangeInclusive<usize> = 3..=4;

/// The three- and four-character substrings of each run of Han characters. A query of three
/// or four characters that is no dictionary word (公开工作, 解读材料) is then one posting list,
/// which tantivy prunes to the best hits, instead of a phrase whose positions must be read for
/// every document holding all its bigrams.
pub fn grams(original: &str) -> Vec<Token> {
    let n = normalize(original);
    grams_of(&n)
}

pub fn grams_of(n: &Normalized) -> Vec<Token> {
    let chars: Vec<char> = n.text.chars().collect();
    let mut out = Vec::with_capacity(chars.len() * 2);
    for run in han_runs(&chars) {
        for k in 0..run.len() {
            for len in GRAM_LENGTHS {
                let Some(last) = run.get(k + len - 1) else {
                    break;
                };
                let (from, to) = n.span(run[k], last + 1);
                out.push(Token {
                    text: run[k..k + len].iter().map(|&c| chars[c]).collect(),
                    from,
                    to,
                });
            }
        }
    }
    out
}

/// The text of a query term the grams fields hold whole: three or four Han characters.
pub fn as_gram(normalized: &str) -> Option<&str> {
    let count = normalized.chars().count();
    (GRAM_LENGTHS.contains(&count) && normalized.chars().all(is_han)).then_some(normalized)
}

/// Every dictionary word that occurs in the text (jieba's full mode) and the Latin words and
/// numbers: a word is found wherever its characters stand, whatever the best segmentation of
/// the text around it, so a query that is one word is one posting list, not a phrase. Lone
/// Chinese characters are left to the bigrams.
pub fn words(original: &str) -> Vec<Token> {
    let n = normalize(original);
    words_of(&n)
}

pub fn words_of(n: &Normalized) -> Vec<Token> {
    let mut out = Vec::new();
    for t in tools().jieba.cut_all(&n.text) {
        if !keep_word(t.word) {
            continue;
        }
        let (from, to) = n.span(t.start, t.end);
        out.push(Token {
            text: t.word.to_string(),
            from,
            to,
        });
    }
    // The words that stand across soft marks: 双随机、一公开 holds 双随机一公开.
    let chars: Vec<char> = n.text.chars().collect();
    for run in han_runs(&chars) {
        if is_contiguous(&run) {
            continue;
        }
        let joined: String = run.iter().map(|&c| chars[c]).collect();
        for t in tools().jieba.cut_all(&joined) {
            let across = &run[t.start..t.end];
            if keep_word(t.word) && !is_contiguous(across) {
                let (from, to) = n.span(across[0], across[across.len() - 1] + 1);
                out.push(Token {
                    text: t.word.to_string(),
                    from,
                    to,
                });
            }
        }
    }
    out
}

/// The words of a query: one segmentation by the dictionary (without HMM guesses, which no
/// index holds), with the Latin words; a lone Chinese character is dropped (it is no word of
/// the index) and reported by `false`.
pub fn query_words_of(n: &Normalized) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut complete = true;
    for t in tools().jieba.cut(&n.text, false) {
        if keep_word(t.word) {
            out.push(t.word.to_string());
        } else if t.word.chars().any(is_han) {
            complete = false;
        }
    }
    (out, complete)
}

/// Whether the text is one word of the dictionary (and so one token of the words fields).
pub fn is_word(text: &str) -> bool {
    let mut chars = text.chars();
    let latin = text.chars().all(|c| c.is_alphanumeric() && !is_han(c));
    (latin && !text.is_empty())
        || (chars.next().is_some() && chars.next().is_some() && tools().jieba.has_word(text))
}

fn keep_word(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_alphanumeric() && !is_han(c),
        _ => word.chars().any(char::is_alphanumeric),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn characters_separated_only_by_soft_marks_are_adjacent() {
        let plain = bigrams("双随机一公开");
        assert_eq!(texts(&bigrams("双随机、一公开")), texts(&plain));
        assert_eq!(texts(&bigrams("“双随机、一公开”")), texts(&plain));
        // A full stop ends the phrase.
        assert!(!texts(&bigrams("双随机。一公开")).contains(&"机一"));
        // What a bridged token marks runs over the mark.
        let t = bigrams("随机、一");
        assert_eq!(&"随机、一"[t[1].from..t[1].to], "机、一");
        assert!(texts(&words("双随机、一公开")).contains(&"双随机一公开"));
        assert!(texts(&words("《政府工作报告》重点")).contains(&"报告"));
        assert!(texts(&grams("双随机、一公开")).contains(&"机一公"));
        // Without marks nothing is added twice.
        let w = words("双随机一公开");
        assert_eq!(
            texts(&w).iter().filter(|t| **t == "双随机一公开").count(),
            1
        );
    }

    #[test]
    fn traditional_becomes_simplified_with_regional_vocabulary() {
        assert_eq!(normalize("資訊公開").text, "信息公开");
        assert_eq!(normalize("軟體").text, "软件");
        assert_eq!(normalize("政府資訊公開條例").text, "政府信息公开条例");
    }

    proptest::proptest! {
        /// However a phrase is punctuated between its characters — 、, spaces, quotes, book
        /// title marks —, its bigrams and grams are those of the phrase typed plainly.
        #[test]
        fn soft_marks_between_characters_change_no_token(
            marks in proptest::collection::vec("(|、| |　|《|》|“|”|·|（|）|-)", 5),
        ) {
            let phrase: Vec<char> = "政府工作报告".chars().collect();
            let mut typed = String::new();
            for (c, m) in phrase.iter().zip(marks.iter().chain(std::iter::once(&String::new()))) {
                typed.push(*c);
                typed.push_str(m);
            }
            let (b, plain_b) = (bigrams(&typed), bigrams("政府工作报告"));
            proptest::prop_assert_eq!(texts(&b), texts(&plain_b));
            let (g, plain_g) = (grams(&typed), grams("政府工作报告"));
            proptest::prop_assert_eq!(texts(&g), texts(&plain_g));
        }
    }

    proptest::proptest! {
        /// The fast path agrees with per-character NFKC and lower-casing.
        #[test]
        fn the_fast_path_is_nfkc(s in "[a-zA-Z0-9\u{4e00}-\u{9fff}\u{3400}-\u{4dbf} ,.]{0,40}") {
            let slow: String = s.chars().flat_map(|c| std::iter::once(c).nfkc().flat_map(char::to_lowercase).collect::<Vec<_>>()).collect();
            let n = normalize(&s);
            // OpenCC may change traditional characters afterwards; compare where it did not.
            if !s.chars().any(|c| tools().is_traditional(c)) {
                proptest::prop_assert_eq!(n.text, slow);
            }
        }
    }

    #[test]
    fn traditional_text_converts_as_a_whole_and_simplified_text_is_left_alone() {
        let t = tools();
        let cc = t.opencc.as_ref().expect("converter");
        let traditional = "本機關依據《政府資訊公開條例》,於本年度主動公開政府資訊共計一千二百件,\
                           並受理申請三十件;軟體與網路服務之資訊,詳見附件。";
        let (folded, spans) = fold(traditional);
        let (runs, run_spans) = convert_runs(cc, t, &folded, spans.clone());
        assert_eq!(runs, cc.convert(&folded));
        assert_eq!(run_spans, spans);
        assert!(
            runs.contains("政府信息公开条例") && runs.contains("软件"),
            "{runs}"
        );
        // Converting the whole of a simplified text that holds one traditional character
        // reads it all as Taiwanese (程序 → 进程, 智慧 → 智能): only the runs of Han characters
        // holding a traditional one are converted.
        let mixed = "本机关依法定程序建设智慧型政府网站,見《政府資訊公開條例》第一條。";
        assert_ne!(
            cc.convert(mixed),
            "本机关依法定程序建设智慧型政府网站,见《政府信息公开条例》第一条。"
        );
        assert_eq!(
            normalize(mixed).text,
            "本机关依法定程序建设智慧型政府网站,见《政府信息公开条例》第一条。"
        );
    }

    #[test]
    fn full_width_letters_and_digits_are_folded_and_lowercased() {
        let n = normalize("ＡＢＣ２０２４年");
        assert_eq!(n.text, "abc2024年");
        // Each folded character points at its full-width original (3 bytes each).
        assert_eq!(n.span(0, 3), (0, 9));
    }

    #[test]
    fn bigrams_cover_every_adjacent_pair_and_keep_original_offsets() {
        let b = bigrams("北京大学图书馆");
        assert_eq!(texts(&b), ["北京", "京大", "大学", "学图", "图书", "书馆"]);
        assert_eq!((b[2].from, b[2].to), (6, 12));
        // A space between characters does not part them; a number or a Latin word does.
        let b = bigrams("第3号 公 (A类)");
        assert_eq!(texts(&b), ["第", "3", "号公", "a", "类"]);
    }

    #[test]
    fn words_include_government_terms_whole_and_the_parts_of_long_words() {
        let w = words("关于做好依申请公开工作的通知");
        assert!(texts(&w).contains(&"依申请公开"), "{:?}", texts(&w));
        assert!(texts(&w).contains(&"申请"), "{:?}", texts(&w));
        // Every dictionary word inside, not only the parts search mode keeps.
        let w = words("北京大学图书馆");
        for part in ["北京", "北京大学", "大学", "图书馆"] {
            assert!(texts(&w).contains(&part), "{part}: {:?}", texts(&w));
        }
        // Whatever the best cut of the text around it.
        let w = words("政府信息公开条例");
        assert!(texts(&w).contains(&"信息公开"), "{:?}", texts(&w));
        assert!(!texts(&w).iter().any(|t| t.chars().count() == 1));
        let w = words("2024年一网通办 report");
        assert!(texts(&w).contains(&"一网通办") && texts(&w).contains(&"report"));
        for t in &w {
            assert!(t.from < t.to);
        }
    }

    #[test]
    fn queries_are_cut_once_and_whole_words_are_known() {
        let (w, complete) = query_words_of(&normalize("杨浦区年度报告"));
        assert!(w.contains(&"年度报告".to_string()) && complete, "{w:?}");
        let (_, complete) = query_words_of(&normalize("的通知"));
        assert!(!complete);
        assert!(is_word("信息公开") && is_word("公开") && is_word("report") && is_word("2021"));
        assert!(!is_word("息公") && !is_word("公") && !is_word("信息 公开") && !is_word(""));
    }

    #[test]
    fn grams_are_the_three_and_four_character_substrings_of_han_runs() {
        let g = grams("公开工作,解读材料ab");
        assert_eq!(
            texts(&g),
            [
                "公开工",
                "公开工作",
                "开工作",
                "解读材",
                "解读材料",
                "读材料"
            ]
        );
        // Soft marks (、, a space) do not end a run.
        let g = grams("公开、工作");
        assert_eq!(texts(&g), ["公开工", "公开工作", "开工作"]);
        // Offsets are in the original (traditional, three bytes a character).
        let g = grams("資訊公開");
        assert_eq!(texts(&g), ["信息公", "信息公开", "息公开"]);
        assert_eq!((g[1].from, g[1].to), (0, 12));
        assert_eq!(as_gram("公开工作"), Some("公开工作"));
        assert_eq!(as_gram("公开"), None);
        assert_eq!(as_gram("公开a作"), None);
        assert_eq!(as_gram("政务公开工作"), None);
    }

    #[test]
    fn traditional_text_yields_the_same_tokens_as_simplified() {
        assert_eq!(texts(&bigrams("資訊公開")), texts(&bigrams("信息公开")));
        assert_eq!(texts(&words("資訊公開")), texts(&words("信息公开")));
    }

    proptest::proptest! {
        /// Any text analyses without panicking, and every token's range lies inside it on
        /// character boundaries.
        #[test]
        fn any_text_analyses_within_bounds(s in "(?s).{0,60}") {
            for t in bigrams(&s).into_iter().chain(words(&s)).chain(grams(&s)) {
                proptest::prop_assert!(t.from <= t.to && t.to <= s.len());
                proptest::prop_assert!(s.is_char_boundary(t.from) && s.is_char_boundary(t.to));
            }
        }
    }
}
