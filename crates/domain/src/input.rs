//! Single values from a form or a query string that are not part of a whole draft: a count, a
//! choice among a few codes, a list of record numbers, the step a button names. Handlers call
//! these instead of writing their own messages, so every field reads the same spellings: people
//! type full-width digits (１５) from a Chinese input method, paste `15 ` with a space or
//! `1,000` with a separator, and list numbers as `#3、#5，7`.

use std::str::FromStr;

use crate::error::{DomainError, Field};
use crate::text::halfwidth;

/// The field of a form's step buttons.
pub const ACTION: Field = Field::new("action", "操作");

/// The step a button named is not one this form offers (a stale page or a hand-made request).
pub fn unknown_action() -> DomainError {
    DomainError::invalid(ACTION, "未知的操作")
}

/// Like [`unknown_action`], naming the codes the API accepts.
pub fn unknown_action_of(given: &str, accepted: &[&str]) -> DomainError {
    DomainError::invalid(
        ACTION,
        format!("未知的操作“{given}”:应为 {}", accepted.join("、")),
    )
}

/// A whole number as people type it: half- or full-width digits, blanks around and inside,
/// thousands separators (`,`, `，`). `message` says what is expected.
pub fn number<T: FromStr>(
    input: &str,
    field: Field,
    message: impl Into<String>,
) -> Result<T, DomainError> {
    let cleaned: String = halfwidth(input)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '_'))
        .collect();
    cleaned
        .parse()
        .map_err(|_| DomainError::invalid(field, message))
}

/// [`number`] within `range` (inclusive); outside it, the same `message`.
pub fn number_in<T: FromStr + PartialOrd>(
    input: &str,
    field: Field,
    range: std::ops::RangeInclusive<T>,
    message: impl Into<String>,
) -> Result<T, DomainError> {
    let message = message.into();
    let n: T = number(input, field, message.clone())?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(DomainError::invalid(field, message))
    }
}

/// One of a few codes (`options`: code → value). Blanks around the code are ignored; anything
/// else is `message`.
pub fn choice<T: Copy>(
    input: &str,
    field: Field,
    options: &[(&str, T)],
    message: impl Into<String>,
) -> Result<T, DomainError> {
    let code = input.trim();
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, v)| *v)
        .ok_or_else(|| DomainError::invalid(field, message))
}

/// Record numbers as a list: separated by commas, 、, semicolons or blanks, each with an
/// optional leading `#` or `＃`, in half- or full-width digits. Empty input is an empty list.
pub fn ids(input: &str, field: Field, what: &str) -> Result<Vec<i64>, DomainError> {
    halfwidth(input)
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| DomainError::invalid(field, format!("{what}编号“{p}”无效")))
        })
        .collect()
}

/// A text that must not be blank; `message` says what is missing.
pub fn required(
    input: &str,
    field: Field,
    message: impl Into<String>,
) -> Result<&str, DomainError> {
    match input.trim() {
        "" => Err(DomainError::invalid(field, message)),
        t => Ok(t),
    }
}

/// A body that is not the form the page sends (another content type, a broken multipart
/// stream): nothing was read.
pub fn not_a_form(field: Field, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: Field = Field::new("n", "数量");

    #[test]
    fn numbers_as_people_type_them() {
        for (s, n) in [
            ("15", 15),
            (" 15 ", 15),
            ("１５", 15),
            ("1,000", 1000),
            ("1，000", 1000),
            ("1 000", 1000),
            ("\u{3000}２０\u{3000}", 20),
            ("-3", -3),
        ] {
            assert_eq!(number::<i64>(s, F, "x").unwrap(), n, "{s:?}");
        }
        for s in ["", "abc", "1.5", "十五", "1e3"] {
            assert!(number::<i64>(s, F, "应为整数").is_err(), "{s:?}");
        }
        let e = number::<u32>("-1", F, "应为 0 或正整数").unwrap_err();
        assert_eq!(e.to_string(), "应为 0 或正整数");
        assert_eq!(number_in("２０", F, 1..=20, "1 至 20").unwrap(), 20u32);
        assert!(number_in("21", F, 1..=20u32, "1 至 20").is_err());
        assert!(number_in("0", F, 1..=20u32, "1 至 20").is_err());
    }

    #[test]
    fn choices_and_ids() {
        let opts = [("workday", true), ("off", false)];
        assert!(choice(" workday ", F, &opts, "x").unwrap());
        assert!(!choice("off", F, &opts, "x").unwrap());
        assert_eq!(
            choice("holiday", F, &opts, "请选择")
                .unwrap_err()
                .to_string(),
            "请选择"
        );
        assert_eq!(
            ids("#3、#5，7 ８;９", F, "意见").unwrap(),
            vec![3, 5, 7, 8, 9]
        );
        assert_eq!(ids("  ", F, "意见").unwrap(), Vec::<i64>::new());
        assert_eq!(ids("＃12", F, "意见").unwrap(), vec![12]);
        assert_eq!(
            ids("3,x", F, "意见").unwrap_err().to_string(),
            "意见编号“x”无效"
        );
        assert!(ids("0", F, "意见").is_err());
        assert_eq!(required("  a ", F, "x").unwrap(), "a");
        assert!(required(" \t", F, "请填写").is_err());
        assert_eq!(unknown_action().to_string(), "未知的操作");
        assert_eq!(
            unknown_action_of("zap", &["submit", "publish"]).to_string(),
            "未知的操作“zap”:应为 submit、publish"
        );
    }

    /// Full-width digits, surrounding blanks and separators every three digits.
    fn spelled(n: u64) -> impl Strategy<Value = String> {
        (any::<bool>(), any::<bool>(), 0usize..3, 0usize..3).prop_map(
            move |(wide, grouped, before, after)| {
                let digits = n.to_string();
                let mut s = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if grouped && i > 0 && (digits.len() - i).is_multiple_of(3) {
                        s.push(if wide { '，' } else { ',' });
                    }
                    s.push(if wide {
                        char::from_u32(c as u32 + 0xFEE0).unwrap()
                    } else {
                        c
                    });
                }
                format!(
                    "{}{s}{}",
                    [" ", "\u{3000}", "\t"][before].repeat(before),
                    " ".repeat(after)
                )
            },
        )
    }

    proptest! {
        #[test]
        fn every_spelling_of_a_number_reads_the_same(
            (n, s) in (0u64..10_000_000).prop_flat_map(|n| (Just(n), spelled(n)))
        ) {
            prop_assert_eq!(number::<u64>(&s, F, "x").unwrap(), n);
        }

        #[test]
        fn an_id_list_reads_back_whatever_the_separators(
            list in proptest::collection::vec(1i64..100_000, 0..8),
            seps in proptest::collection::vec(prop::sample::select(vec![",", "，", "、", " ", "; ", "；"]), 8),
            hashes in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let text: String = list
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{}{n}{}", if hashes[i] { "#" } else { "" }, seps[i]))
                .collect();
            prop_assert_eq!(ids(&text, F, "意见").unwrap(), list);
        }
    }
}
