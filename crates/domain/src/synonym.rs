//! An entry of the office's search synonyms (口语词 → 规范用语): the term residents type and
//! the official terms the texts use for it. Parsed at the boundary from what staff type,
//! separated however they separate words.

use crate::error::{DomainError, Field};
use crate::text::halfwidth;

pub const TERM: Field = Field::new("term", "口语词");
pub const OFFICIAL: Field = Field::new("official", "规范用语");

/// Terms of 2–20 characters: a lone character is no word of the index.
const MIN_CHARS: usize = 2;
const MAX_CHARS: usize = 20;
/// The most official terms an entry may add (each is one more lookup per search).
pub const MAX_OFFICIAL: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synonym {
    pub term: String,
    pub official: Vec<String>,
}

fn word(input: &str, field: Field) -> Result<String, DomainError> {
    let w = halfwidth(input).trim().to_string();
    if w.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DomainError::invalid(
            field,
            format!("“{w}”中不能有空格;多个词请分别填写"),
        ));
    }
    let n = w.chars().count();
    if !(MIN_CHARS..=MAX_CHARS).contains(&n) || !w.chars().any(char::is_alphanumeric) {
        return Err(DomainError::invalid(
            field,
            format!("“{w}”应为 {MIN_CHARS}–{MAX_CHARS} 个字的词语"),
        ));
    }
    Ok(w)
}

/// Separators staff use between official terms: spaces of either width, 、 ， , ； ; / and
/// line breaks.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／' | '|')
}

impl Synonym {
    pub fn parse(term: &str, official: &str) -> Result<Synonym, DomainError> {
        let term = word(term, TERM)?;
        let mut list: Vec<String> = Vec::new();
        for piece in official
            .split(is_separator)
            .filter(|p| !p.trim().is_empty())
        {
            let w = word(piece, OFFICIAL)?;
            if w != term && !list.contains(&w) {
                list.push(w);
            }
        }
        if list.is_empty() {
            return Err(DomainError::invalid(
                OFFICIAL,
                "请填写至少一个与口语词不同的规范用语",
            ));
        }
        if list.len() > MAX_OFFICIAL {
            return Err(DomainError::invalid(
                OFFICIAL,
                format!("规范用语最多 {MAX_OFFICIAL} 个"),
            ));
        }
        Ok(Synonym {
            term,
            official: list,
        })
    }

    /// The official terms as stored: separated by single spaces.
    pub fn official_text(&self) -> String {
        self.official.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_entries_are_refused_with_a_chinese_message() {
        for (term, official, field) in [
            ("狗", "犬只", "term"),
            ("养 狗", "犬只", "term"),
            ("养狗", "", "official"),
            ("养狗", "养狗", "official"),
            ("养狗", "犬", "official"),
            (
                "养狗",
                "一 二三 四五 六七 八九 十一 十二 十三 十四 十五",
                "official",
            ),
            ("??", "犬只", "term"),
        ] {
            match Synonym::parse(term, official) {
                Err(DomainError::Invalid { field: f, message }) => {
                    assert_eq!(f.name, field, "{term} {official}");
                    assert!(
                        message
                            .chars()
                            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    );
                }
                other => panic!("{term} {official}: {other:?}"),
            }
        }
    }

    proptest::proptest! {
        /// However staff separate the official terms, and in whichever width they type, the
        /// entry is the same.
        #[test]
        fn separators_and_widths_do_not_change_the_entry(
            seps in proptest::collection::vec("[ 　、，,；;/\n]{1,3}", 3),
            wide in proptest::bool::ANY,
        ) {
            let words = ["犬只", "养犬", "犬只登记", "A1证"];
            let mut typed = String::new();
            for (w, s) in words.iter().zip(seps.iter().chain(std::iter::once(&String::new()))) {
                typed.push_str(w);
                typed.push_str(s);
            }
            let typed = if wide { typed.replace('A', "Ａ").replace('1', "１") } else { typed };
            let s = Synonym::parse(" 养狗 ", &typed).unwrap();
            proptest::prop_assert_eq!(s.term, "养狗");
            proptest::prop_assert_eq!(s.official, words.map(String::from).to_vec());
        }
    }
}
