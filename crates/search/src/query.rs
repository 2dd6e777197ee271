//! What a reader types, checked and split: words (all must match, in either analysis),
//! "quoted phrases" (matched as written), -exclusions, and a 文号 recognised whole. Bad input
//! gets a Chinese message, never a crash: over-long, empty, operators alone.

use gongkai_domain::doc_number::DocNumber;
use gongkai_domain::{DomainError, Field};

pub const MAX_CHARS: usize = 200;
const FIELD: Field = Field::new("q", "检索词");

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Each must match (in the title or body, as words or as characters in order).
    pub terms: Vec<String>,
    /// Each must match as written (consecutive characters).
    pub phrases: Vec<String>,
    /// None may match.
    pub excluded: Vec<String>,
    /// The query read as a 文号, normalised, for an exact match that ranks first.
    pub doc_number: Option<String>,
    /// Its form-free key ([`DocNumber::key`]), what the index matches.
    pub doc_key: Option<String>,
    /// The cleaned query, for echoing and for popular-query counts.
    pub text: String,
    /// Terms as typed that were split where digits meet other characters (`2024年`,
    /// `2021年嘉定区…`): each must not match whole, but a text holding one as written ranks
    /// higher.
    pub as_typed: Vec<String>,
    /// The query asks (a question mark, 怎么, 是否 …): it is matched by a share of its words.
    pub question: bool,
    /// The words that carry the meaning of the terms and phrases (`question::keywords`): what a
    /// question, or a query that matches nothing as typed, is matched by.
    pub keywords: Vec<String>,
    /// The shorter words inside each keyword (`question::parts`): one of them stands for the
    /// keyword, with less weight.
    pub parts: Vec<Vec<String>>,
    /// Terms and keywords with their official terms (`synonyms::Synonyms::expand`): each also
    /// matches by one of them, with less weight.
    pub synonyms: Vec<(String, Vec<String>)>,
}

fn meaningful(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Whether a query may be shown to others as a popular search: short, and with nothing that
/// looks like personal data (an ID or phone number, an e-mail address).
pub fn is_suggestible(text: &str) -> bool {
    let n = text.chars().count();
    // Digits however written (full width, spaced, hyphenated) count as one run.
    let plain = gongkai_domain::text::halfwidth(text);
    let mut digits = 0;
    let mut longest = 0;
    for c in plain.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            longest = longest.max(digits);
        } else if !(c.is_whitespace() || matches!(c, '-' | '.' | '·' | '_')) {
            digits = 0;
        }
    }
    (2..=20).contains(&n)
        && longest < 7
        && !plain.contains(['@', '﹫', '*', '＊'])
        && gongkai_domain::personal::find(text).is_empty()
        && meaningful(text)
}

/// A term split where a run of digits begins or ends: `2024年` is the year 2024 (and 年, one
/// character, which is no term), `2021年嘉定区政务公开工作要点` is 2021 and the words after it.
/// Texts write numbers next to Chinese characters in every way (2024年, 2024 年, 二〇二四年
/// aside); the number is what has to match. Full-width digits count as digits.
fn at_digits(term: &str) -> Vec<&str> {
    // Latin letters and digits together (a model number, A4) stay one term.
    if term.chars().any(|c| c.is_ascii_alphabetic()) {
        return vec![term];
    }
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = Vec::new();
    let mut start = 0;
    let mut last: Option<bool> = None;
    for (i, c) in term.char_indices() {
        let d = digit(c);
        if last.is_some_and(|l| l != d) {
            out.push(&term[start..i]);
            start = i;
        }
        last = Some(d);
    }
    out.push(&term[start..]);
    out
}

pub fn parse(input: &str) -> Result<Parsed, DomainError> {
    // Control characters are dropped rather than refused: pasted text often carries them.
    let cleaned: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(DomainError::invalid(FIELD, "请输入检索词"));
    }
    if text.chars().count() > MAX_CHARS {
        return Err(DomainError::invalid(
            FIELD,
            format!("检索词过长(最多 {MAX_CHARS} 个字符)"),
        ));
    }
    let number = DocNumber::parse(&text).ok();
    let mut parsed = Parsed {
        doc_number: number.as_ref().map(DocNumber::normalized),
        doc_key: number.as_ref().map(DocNumber::key),
        text: text.clone(),
        ..Parsed::default()
    };
    // Quotes, ASCII or Chinese; an unbalanced quote is read as if closed at the end.
    let mut rest = text.replace(['“', '”', '「', '」'], "\"");
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let (phrase, tail) = match after.find('"') {
            Some(close) => (&after[..close], &after[close + 1..]),
            None => (after, ""),
        };
        if meaningful(phrase) {
            parsed.phrases.push(phrase.trim().to_string());
        }
        rest = format!("{} {}", &rest[..open], tail);
    }
    for word in rest.split_whitespace() {
        match word.strip_prefix(['-', '－']) {
            Some(ex) if meaningful(ex) => parsed.excluded.push(ex.to_string()),
            Some(_) => {}
            None if matches!(word, "AND" | "OR" | "NOT" | "&&" | "||") => {}
            None if meaningful(word) => {
                let pieces = if parsed.doc_number.is_some() {
                    vec![word]
                } else {
                    at_digits(word)
                };
                let split = pieces.len() > 1;
                if split {
                    parsed.as_typed.push(word.to_string());
                }
                // A lone character split off a number (the 年 of 2024年) is no term: the
                // number with it ranks first through `as_typed`.
                parsed.terms.extend(
                    pieces
                        .into_iter()
                        .filter(|p| meaningful(p) && !(split && p.chars().count() == 1))
                        .map(String::from),
                );
            }
            None => {}
        }
    }
    let wanted = parsed
        .terms
        .iter()
        .chain(&parsed.phrases)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    parsed.question = crate::question::is_question(&wanted);
    parsed.keywords = crate::question::keywords(&wanted);
    parsed.parts = crate::question::parts(&parsed.keywords);
    if parsed.terms.is_empty() && parsed.phrases.is_empty() {
        return Err(DomainError::invalid(
            FIELD,
            if parsed.excluded.is_empty() {
                "检索词只有符号或运算符,请输入要查找的字词"
            } else {
                "请至少输入一个要查找的字词(不能只有排除词)"
            },
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_next_to_chinese_characters_are_terms_of_their_own() {
        let p = parse("2024年").unwrap();
        assert_eq!(p.terms, ["2024"]);
        assert_eq!(p.as_typed, ["2024年"]);
        let p = parse("2021年嘉定区政务公开工作要点").unwrap();
        assert_eq!(p.terms, ["2021", "年嘉定区政务公开工作要点"]);
        let p = parse("于２０１６年度科学技术奖").unwrap();
        assert_eq!(p.terms, ["２０１６", "年度科学技术奖"]);
        // A 文号 and a model number stay whole.
        assert_eq!(
            parse("嘉府办发〔2021〕18号").unwrap().terms,
            ["嘉府办发〔2021〕18号"]
        );
        assert_eq!(parse("A4纸").unwrap().terms, ["A4纸"]);
        assert!(parse("政务公开").unwrap().as_typed.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// A number typed against Chinese characters, in half- or full-width digits, is a term of
        /// its own; the words around it stay whole.
        #[test]
        fn a_number_beside_characters_is_its_own_term(
            n in 1u32..=99_999,
            before in proptest::sample::select(vec!["", "云溪区", "关于"]),
            after in proptest::sample::select(vec!["年", "年度预算", "号文件", "年政务公开工作要点"]),
            wide in proptest::bool::ANY,
        ) {
            let digits = if wide {
                n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect()
            } else {
                n.to_string()
            };
            let typed = format!("{before}{digits}{after}");
            let p = parse(&typed).unwrap();
            proptest::prop_assert!(p.terms.contains(&digits), "{}: {:?}", typed, p.terms);
            if !before.is_empty() {
                proptest::prop_assert!(p.terms.contains(&before.to_string()), "{}: {:?}", typed, p.terms);
            }
            if after.chars().count() > 1 {
                proptest::prop_assert!(p.terms.contains(&after.to_string()), "{}: {:?}", typed, p.terms);
            }
            proptest::prop_assert_eq!(p.as_typed, vec![typed.clone()]);
        }
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let p = parse("信息公开  \"年度报告\" -2019 工作要点").unwrap();
        assert_eq!(p.terms, ["信息公开", "工作要点"]);
        assert_eq!(p.phrases, ["年度报告"]);
        assert_eq!(p.excluded, ["2019"]);
        assert_eq!(p.text, "信息公开 \"年度报告\" -2019 工作要点");
    }

    #[test]
    fn an_unbalanced_quote_closes_at_the_end_and_chinese_quotes_work() {
        assert_eq!(parse("公开 \"年度报告").unwrap().phrases, ["年度报告"]);
        let p = parse("“政务公开”要点").unwrap();
        assert_eq!(
            (p.phrases, p.terms),
            (vec!["政务公开".to_string()], vec!["要点".to_string()])
        );
    }

    #[test]
    fn a_doc_number_in_any_bracket_style_is_recognised() {
        for q in [
            "嘉府办发〔2021〕18号",
            "嘉府办发[2021]18号",
            "嘉府办发(2021)18号",
        ] {
            assert_eq!(
                parse(q).unwrap().doc_number.as_deref(),
                Some("嘉府办发〔2021〕18号"),
                "{q}"
            );
        }
        assert_eq!(parse("信息公开").unwrap().doc_number, None);
    }

    #[test]
    fn only_short_queries_without_personal_data_are_suggested() {
        assert!(is_suggestible("政务公开"));
        assert!(is_suggestible("2024年 预算"));
        assert!(!is_suggestible("王小明 11010519491231002X"), "an ID number");
        assert!(!is_suggestible("13800138000"), "a phone number");
        assert!(!is_suggestible("wang@example.cn"));
        for typed in [
            "138 0000 2222",
            "138-0000-2222",
            "１３８００００２２２２",
            "１１０１０５１９４９",
            "WANG＠EXAMPLE.CN",
            "张** 处罚",
            "张＊＊",
        ] {
            assert!(!is_suggestible(typed), "{typed}");
        }
        assert!(is_suggestible("2024年第18号"));
        assert!(!is_suggestible("公"));
        assert!(!is_suggestible(&"公".repeat(21)));
    }

    #[test]
    fn bad_input_gets_a_chinese_message() {
        for (q, msg) in [
            ("", "请输入检索词"),
            ("   \u{0}\t ", "请输入检索词"),
            ("AND OR -", "只有符号或运算符"),
            ("\"\" ——", "只有符号或运算符"),
            ("-公开", "不能只有排除词"),
        ] {
            let e = parse(q).unwrap_err().to_string();
            assert!(e.contains(msg), "{q:?}: {e}");
        }
        let long = "公".repeat(MAX_CHARS + 1);
        assert!(parse(&long).unwrap_err().to_string().contains("过长"));
        assert!(parse(&"公".repeat(MAX_CHARS)).is_ok());
    }

    proptest::proptest! {
        /// Any string parses or is refused with a message; never a panic.
        #[test]
        fn any_string_is_parsed_or_refused(s in "(?s).{0,250}") {
            match parse(&s) {
                Ok(p) => proptest::prop_assert!(!p.terms.is_empty() || !p.phrases.is_empty()),
                Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}
