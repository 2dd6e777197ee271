//! The two analyses as tantivy tokenizers.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis;

pub const WORDS: &str = "zh_words";
pub const BIGRAMS: &str = "zh_bigrams";
pub const GRAMS: &str = "zh_grams";

/// Tokens computed up front; analysis needs the whole text (normalisation, jieba's DAG).
pub struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokens {
    fn new(tokens: Vec<analysis::Token>) -> Tokens {
        Tokens {
            tokens: tokens
                .into_iter()
                .enumerate()
                .map(|(position, t)| Token {
                    offset_from: t.from,
                    offset_to: t.to,
                    position,
                    text: t.text,
                    position_length: 1,
                })
                .collect(),
            at: 0,
        }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.at < self.tokens.len() {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

/// One analysis of [`analysis`] as a tokenizer, over the text's shared normalisation.
#[derive(Clone)]
pub struct Analyzer(pub fn(&analysis::Normalized) -> Vec<analysis::Token>);

pub const WORDS_ANALYZER: Analyzer = Analyzer(analysis::words_of);
pub const BIGRAMS_ANALYZER: Analyzer = Analyzer(analysis::bigrams_of);
pub const GRAMS_ANALYZER: Analyzer = Analyzer(analysis::grams_of);

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens::new((self.0)(&analysis::normalize_recent(text)))
    }
}
