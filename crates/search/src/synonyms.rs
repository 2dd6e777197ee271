//! Colloquial → official terms (口语词 → 规范用语): a resident types 养狗, the texts say 犬只
//! and 养犬. The list shipped with the project (`data/synonyms.txt`) and the disclosure
//! office's own entries expand a query with lower-weighted alternatives; nothing is indexed
//! for them, so an entry takes effect at the next search.

use std::collections::HashMap;

use gongkai_domain::synonym::MAX_OFFICIAL;

use crate::analysis;
use crate::query::Parsed;

const SHIPPED: &str = include_str!("../data/synonyms.txt");

/// Term → its official terms, both normalised (simplified, half-width) so any spelling of the
/// term finds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synonyms {
    map: HashMap<String, Vec<String>>,
}

fn key(term: &str) -> String {
    analysis::normalize(term.trim()).text.trim().to_string()
}

impl Synonyms {
    /// The list shipped with the project.
    pub fn shipped() -> Synonyms {
        let mut s = Synonyms::default();
        for line in SHIPPED.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            if let Some(term) = words.next() {
                s.add(term, words);
            }
        }
        s
    }

    /// The shipped list with `entries` (term, official terms) added; an entry for a term the
    /// list has adds to its official terms.
    pub fn with<'a>(
        mut self,
        entries: impl IntoIterator<Item = (&'a str, &'a [String])>,
    ) -> Synonyms {
        for (term, official) in entries {
            self.add(term, official.iter().map(String::as_str));
        }
        self
    }

    fn add<'a>(&mut self, term: &str, official: impl IntoIterator<Item = &'a str>) {
        let term = key(term);
        if term.is_empty() {
            return;
        }
        let list = self.map.entry(term.clone()).or_default();
        for o in official {
            let o = key(o);
            if !o.is_empty() && o != term && !list.contains(&o) && list.len() < MAX_OFFICIAL {
                list.push(o);
            }
        }
        if list.is_empty() {
            self.map.remove(&term);
        }
    }

    /// Every entry, by term.
    pub fn entries(&self) -> Vec<(&str, &[String])> {
        let mut out: Vec<(&str, &[String])> = self
            .map
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect();
        out.sort();
        out
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The official terms for `term`, in any spelling; empty when there are none.
    pub fn of(&self, term: &str) -> &[String] {
        self.map.get(&key(term)).map_or(&[], Vec::as_slice)
    }

    /// Fills `parsed.synonyms` for each term and each keyword that has official terms.
    pub fn expand(&self, parsed: &mut Parsed) {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for t in parsed.terms.iter().chain(&parsed.keywords) {
            let official = self.of(t);
            if !official.is_empty() && !out.iter().any(|(k, _)| k == t) {
                out.push((t.clone(), official.to_vec()));
            }
        }
        parsed.synonyms = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_has_a_few_hundred_entries_each_with_an_official_term() {
        let s = Synonyms::shipped();
        assert!(s.len() >= 250, "{}", s.len());
        assert!(
            s.map
                .values()
                .all(|v| !v.is_empty() && v.len() <= MAX_OFFICIAL)
        );
        assert!(s.map.iter().all(|(k, v)| !v.contains(k)));
        for (term, official) in [
            ("养狗", "犬只"),
            ("上学", "入学"),
            ("低保", "最低生活保障"),
            ("停车费", "停车收费"),
        ] {
            assert!(s.of(term).contains(&official.to_string()), "{term}");
        }
    }

    #[test]
    fn a_term_is_found_however_it_is_written_and_office_entries_add_to_the_list() {
        let office = vec!["犬只登记".to_string(), "犬只".to_string()];
        let s = Synonyms::shipped().with([("養狗", office.as_slice()), ("撸串", &[][..])]);
        assert!(s.of(" 养狗 ").contains(&"犬只登记".to_string()));
        assert_eq!(
            s.of("养狗").iter().filter(|o| *o == "犬只").count(),
            1,
            "no official term twice"
        );
        assert!(
            s.of("撸串").is_empty(),
            "an entry with no official term is none"
        );
        let mut p = crate::query::parse("养狗 登记").unwrap();
        s.expand(&mut p);
        assert_eq!(p.synonyms.len(), 1, "{:?}", p.synonyms);
        assert_eq!(p.synonyms[0].0, "养狗");
    }
}
