//! How a question's results are ordered. A question is answered by a passage (an article,
//! a few paragraphs), not by a text as a whole: ranking whole texts hides the one article of a
//! thousand-article code that answers it behind short texts that mention its words. So texts
//! are ranked by their passages — the best passage, plus a little for each further passage
//! that matches — and the texts that match only as a whole follow in their own order.
//!
//! On the search-eval dev questions (`cargo bench -p gongkai-search --bench quality`, documents
//! only, before headings, parts and synonyms were added): ranking whole texts gave Recall@10
//! 0.565 and MRR@10 0.295; reciprocal-rank fusion of both rankings 0.645/0.385; passages alone
//! 0.665/0.449, and 0.691/0.512 counting further passages with weight 0.1 (0.3: 0.696/0.503).

use std::collections::{HashMap, HashSet};

use tantivy::DocAddress;

/// How many texts the fused order covers: deeper pages keep the order of whole texts.
pub const FUSE_DEPTH: usize = 100;

/// How many passages are read for the order (several may be from one text).
pub const PASSAGE_DEPTH: usize = 300;

/// What each further matching passage of a text adds, as a share of its score.
pub const FURTHER_PASSAGE_WEIGHT: f32 = 0.1;

/// The best passage of each text, with the text's score: its best passage's score plus
/// [`FURTHER_PASSAGE_WEIGHT`] of each other one. `passages` are (text, score, passage) best
/// first; the result is best first, one per text, each with its best passage.
pub fn by_text<T: Clone + Eq + std::hash::Hash>(
    passages: impl IntoIterator<Item = (T, f32, DocAddress)>,
) -> Vec<(T, f32, DocAddress)> {
    let mut out: Vec<(T, f32, DocAddress)> = Vec::new();
    let mut at: HashMap<T, usize> = HashMap::new();
    for (text, score, passage) in passages {
        match at.get(&text) {
            Some(i) => out[*i].1 += score * FURTHER_PASSAGE_WEIGHT,
            None => {
                at.insert(text.clone(), out.len());
                out.push((text, score, passage));
            }
        }
    }
    // Stable: equal scores keep the order of their best passages.
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// The texts ranked by their passages, then the other texts in their own order, each once.
pub fn fuse(
    by_passage: &[(f32, DocAddress)],
    texts: &[(f32, DocAddress)],
) -> Vec<(f32, DocAddress)> {
    let mut seen = HashSet::new();
    by_passage
        .iter()
        .chain(texts)
        .filter(|(_, at)| seen.insert(*at))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: u32) -> DocAddress {
        DocAddress::new(0, n)
    }

    #[test]
    fn a_text_counts_its_best_passage_and_a_little_of_the_others() {
        // Text "b" has the second-best passage and two more: it passes "c", not "a".
        let ranked = by_text([
            ("a", 10.0, at(1)),
            ("c", 8.5, at(2)),
            ("b", 8.0, at(3)),
            ("b", 6.0, at(4)),
            ("b", 5.0, at(5)),
        ]);
        let order: Vec<(&str, u32)> = ranked.iter().map(|(t, _, p)| (*t, p.doc_id)).collect();
        assert_eq!(order, [("a", 1), ("b", 3), ("c", 2)]);
        assert!((ranked[1].1 - 9.1).abs() < 1e-4);
    }

    #[test]
    fn texts_found_only_whole_follow_those_found_by_passages() {
        let order: Vec<u32> = fuse(&[(3.0, at(4)), (2.0, at(2))], &[(9.0, at(1)), (8.0, at(2))])
            .into_iter()
            .map(|(_, a)| a.doc_id)
            .collect();
        assert_eq!(order, [4, 2, 1]);
    }
}
