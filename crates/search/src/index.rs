//! The tantivy index of everything public. One tantivy document per public record, keyed
//! `kind:id`; the indexer's cursor and the analysis version live in the commit payload, so an
//! index always knows how far it has read and whether it must be rebuilt.

use std::path::Path;

use chrono::NaiveDate;
use gongkai_domain::doc_number::DocNumber;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term, doc,
};

use crate::analysis::{self, ANALYSIS_VERSION};
use crate::query::Parsed;
use crate::snippet;
use crate::tokenizers::{BIGRAMS, BIGRAMS_ANALYZER, GRAMS, GRAMS_ANALYZER, WORDS, WORDS_ANALYZER};

/// How much of a body the snippet is looked for in.
const SNIPPET_SCAN_CHARS: usize = 3000;

/// A match in the title counts this many times one in the body.
const TITLE_BOOST: f32 = 2.0;
/// A word of a question found in a title counts for little more than in the text: what
/// answers a question is usually inside a text whose title names something broader (the
/// article of a code, the paragraph of a plan). On the search-eval dev questions a title
/// boost of 2.0 gave Recall@10 0.46, 0.5 gave 0.60, 0.2 gave 0.62 and 0 gave 0.63
/// (`benches/search-quality.sh`); a small one keeps a title hit ahead of an equal text hit.
const QUESTION_TITLE_BOOST: f32 = 0.25;
/// A part of a question's word (`工商户` of `个体工商户`) counts this much of the word: the
/// text may say the part alone. On the search-eval dev questions 0.3 and 0.6 gave Recall@10
/// 0.768 against 0.759 without parts, 1.0 gave 0.753.
const PART_BOOST: f32 = 0.3;
/// An official term for a colloquial one (`crate::synonyms`) counts this much of the term as
/// typed: a text that says 养狗 comes before one that says 犬只.
const SYNONYM_BOOST: f32 = 0.5;

/// Deepest result a page may show: deep paging costs the index and helps nobody.
pub const MAX_DEPTH: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Document,
    Interpretation,
    Gazette,
    Catalogue,
    Answer,
    Consultation,
    /// A record of a typed list (双公示, 权责清单 …).
    List,
    /// A message with its reply, as published (选登: the edited copy, without the asker).
    Message,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Document,
        Kind::Interpretation,
        Kind::Gazette,
        Kind::Catalogue,
        Kind::Answer,
        Kind::Consultation,
        Kind::List,
        Kind::Message,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Interpretation => "interpretation",
            Kind::Gazette => "gazette",
            Kind::Catalogue => "catalogue",
            Kind::Answer => "answer",
            Kind::Consultation => "consultation",
            Kind::List => "list",
            Kind::Message => "message",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Document => "政策文件",
            Kind::Interpretation => "政策解读",
            Kind::Gazette => "政府公报",
            Kind::Catalogue => "公开目录",
            Kind::Answer => "问答",
            Kind::Consultation => "意见征集",
            Kind::List => "公开清单",
            Kind::Message => "留言答复",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One public record as the index sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub url: String,
    pub doc_number: Option<String>,
    pub agency_code: String,
    pub agency_name: String,
    pub topic: Option<String>,
    /// 文种 code.
    pub doc_kind: Option<String>,
    pub validity: Option<String>,
    pub date: Option<NaiveDate>,
}

impl Entry {
    /// A document with only a title and a body (corpora, tests), agency and dates unset.
    pub fn document(id: i64, title: impl Into<String>, body: impl Into<String>) -> Entry {
        Entry {
            kind: Kind::Document,
            id,
            title: title.into(),
            body: body.into(),
            url: format!("/documents/{id}"),
            doc_number: None,
            agency_code: String::new(),
            agency_name: String::new(),
            topic: None,
            doc_kind: None,
            validity: None,
            date: None,
        }
    }

    pub fn key(&self) -> String {
        key(self.kind, self.id)
    }
}

pub fn key(kind: Kind, id: i64) -> String {
    format!("{}:{id}", kind.as_str())
}

/// What the commit payload records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Outbox entries up to here are in the index.
    pub cursor: i64,
    pub analysis: u32,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    title: Field,
    title_words: Field,
    title_bigrams: Field,
    /// The grams fields came with analysis version 3: an older index, still served while its
    /// successor is built, has none, and its searches and writes leave them out.
    title_grams: Option<Field>,
    body: Field,
    body_words: Field,
    body_bigrams: Field,
    body_grams: Option<Field>,
    /// The normalised opening of a body that normalisation changes (traditional text), so a
    /// snippet needs no conversion at search time; also from version 3.
    lead_normalized: Option<Field>,
    doc_number: Field,
    doc_key: Option<Field>,
    url: Field,
    agency_name: Field,
    date: Field,
    facets: Field,
    kind: Field,
    /// The facet columns counted by [`crate::tally::Tally`], in [`FACETS`] order.
    tallied: [Field; 6],
    /// The passage fields came with analysis version 6.
    passage: Option<PassageFields>,
}

/// A passage (an article of a law, a run of paragraphs) is a tantivy document of its own,
/// keyed `passage:<entry key>:<anchor>`, with the entry's facets (so filters apply) and only
/// the words of its text indexed: no query but a question's passage query reaches it.
#[derive(Clone, Copy)]
struct PassageFields {
    /// The entry's key, indexed to delete an entry's passages with it, and a column to group
    /// passages by entry without reading what they store.
    parent: Field,
    anchor: Field,
    words: Field,
}

impl Fields {
    /// The fields of an index, found by name in its own schema.
    fn of(schema: &Schema) -> R<Fields> {
        let get = |name: &str| schema.get_field(name).map_err(err);
        let tallied: Vec<Field> = FACETS
            .iter()
            .map(|name| get(&crate::tally::field_name(name)))
            .collect::<R<_>>()?;
        Ok(Fields {
            key: get("key")?,
            title: get("title")?,
            title_words: get("title_words")?,
            title_bigrams: get("title_bigrams")?,
            title_grams: schema.get_field("title_grams").ok(),
            body: get("body")?,
            body_words: get("body_words")?,
            body_bigrams: get("body_bigrams")?,
            body_grams: schema.get_field("body_grams").ok(),
            lead_normalized: schema.get_field("lead_normalized").ok(),
            doc_number: get("doc_number")?,
            doc_key: schema.get_field("doc_key").ok(),
            url: get("url")?,
            agency_name: get("agency_name")?,
            date: get("date")?,
            facets: get("facets")?,
            kind: get("kind")?,
            tallied: tallied.try_into().map_err(|_| err("facet columns"))?,
            passage: match (
                schema.get_field("parent"),
                schema.get_field("anchor"),
                schema.get_field("passage_words"),
            ) {
                (Ok(parent), Ok(anchor), Ok(words)) => Some(PassageFields {
                    parent,
                    anchor,
                    words,
                }),
                _ => None,
            },
        })
    }
}

/// The opening of a body that snippets are taken from: scanning a whole long text for each
/// hit would cost more than the search.
fn lead(body: &str) -> &str {
    match body.char_indices().nth(SNIPPET_SCAN_CHARS) {
        Some((cut, _)) => &body[..cut],
        None => body,
    }
}

fn read_checkpoint(index: &Index) -> R<Option<Checkpoint>> {
    let metas = index.load_metas().map_err(err)?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok()))
}

fn schema() -> Schema {
    schema_with(true)
}

/// The schema; `current` false gives the one before analysis version 3, without grams or
/// passages (for the test that an index of an older version is still served).
fn schema_with(current: bool) -> Schema {
    let mut b = Schema::builder();
    // Positions only where phrases are matched: a word or gram token is matched on its own.
    // The title words have no length norm: full-mode cutting gives some titles more tokens
    // than their length says (the title bigrams measure it).
    let text = |tokenizer: &str, norms: bool| {
        let record = if tokenizer == BIGRAMS {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record)
                .set_fieldnorms(norms),
        )
    };
    b.add_text_field("key", STRING | STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("title_words", text(WORDS, false));
    b.add_text_field("title_bigrams", text(BIGRAMS, true));
    b.add_text_field("body", STORED);
    b.add_text_field("body_words", text(WORDS, true));
    b.add_text_field("body_bigrams", text(BIGRAMS, true));
    b.add_text_field("doc_number", STRING | STORED);
    b.add_text_field("url", STORED);
    b.add_text_field("agency_name", STORED);
    b.add_i64_field("date", INDEXED | FAST | STORED);
    b.add_facet_field("facets", FacetOptions::default());
    b.add_text_field("kind", STRING | STORED);
    for name in FACETS {
        b.add_text_field(
            &crate::tally::field_name(name),
            TextOptions::default().set_fast("raw"),
        );
    }
    if current {
        b.add_text_field("title_grams", text(GRAMS, true));
        b.add_text_field("body_grams", text(GRAMS, true));
        b.add_text_field("lead_normalized", STORED);
        b.add_text_field("parent", STRING.set_fast("raw"));
        b.add_text_field("anchor", STORED);
        b.add_text_field("passage_words", text(WORDS, true));
        // The 文号's form-free key (DocNumber::key): every spelling of one number matches.
        b.add_text_field("doc_key", STRING);
    }
    b.build()
}

/// What a search marks in its hits: each term and phrase as written, and the words of each.
fn needles(p: &Parsed) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let official = p.synonyms.iter().flat_map(|(_, o)| o);
    for t in p.terms.iter().chain(&p.phrases).chain(official) {
        let n = analysis::normalize(t);
        out.push(n.text.trim().to_string());
        out.extend(analysis::query_words_of(&n).0);
    }
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The best `limit` hits after `offset`, by score or newest first. The top hits alone let
/// tantivy skip blocks that cannot reach them (block-max WAND); the count and the facets must
/// see every match, without scores.
fn top_hits(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    by_date: bool,
    limit: usize,
    offset: usize,
) -> R<Vec<(f32, DocAddress)>> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    if by_date {
        let by_date = top.order_by_fast_field::<i64>("date", Order::Desc);
        let found = searcher.search(query, &by_date).map_err(err)?;
        Ok(found.into_iter().map(|(_, a)| (0.0, a)).collect())
    } else {
        searcher.search(query, &top.order_by_score()).map_err(err)
    }
}

/// The text stored in `field` of `d`; empty when it has none.
fn stored(d: &TantivyDocument, field: Field) -> String {
    d.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// `text` in a words field: its one token, or all the words it is cut into; `None` when it
/// holds a lone character, which is no word of the index.
fn words_query(field: Field, text: &str, boost: f32) -> Option<Box<dyn Query>> {
    let (words, complete) = analysis::query_words_of(&analysis::normalize(text));
    if !complete || words.is_empty() {
        return None;
    }
    let q = all_of(
        words
            .iter()
            .map(|w| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Must, q)
            })
            .collect(),
    );
    Some(Box::new(BoostQuery::new(q, boost)))
}

/// Which of `addresses` `query` matches.
fn matching(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    addresses: impl IntoIterator<Item = DocAddress>,
) -> R<std::collections::HashSet<DocAddress>> {
    let mut sorted: Vec<DocAddress> = addresses.into_iter().collect();
    sorted.sort();
    let weight = query
        .weight(tantivy::query::EnableScoring::disabled_from_searcher(
            searcher,
        ))
        .map_err(err)?;
    let mut out = std::collections::HashSet::new();
    for segment in sorted.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let ord = segment[0].segment_ord;
        let mut scorer = weight
            .scorer(searcher.segment_reader(ord), 1.0)
            .map_err(err)?;
        for at in segment {
            if tantivy::DocSet::seek(&mut scorer, at.doc_id) == at.doc_id {
                out.insert(*at);
            }
        }
    }
    Ok(out)
}

/// The conjunction of `clauses`, or the one clause itself: tantivy prunes with block-max WAND
/// only when it sees the term scorers directly, not through a boolean of one.
fn all_of(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1
        && clauses[0].0 == Occur::Must
        && let Some((_, q)) = clauses.pop()
    {
        return q;
    }
    Box::new(BooleanQuery::new(clauses))
}

fn err(e: impl std::fmt::Display) -> gongkai_domain::DomainError {
    gongkai_domain::DomainError::unavailable(format!("检索索引:{e}"))
}

type R<T> = Result<T, gongkai_domain::DomainError>;

/// Days since 1970-01-01, the date's fast-field value.
fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days()
}

fn from_day_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(chrono::Duration::try_days(n)?)
}

/// Facet paths cannot hold '/'. A topic "一级\二级" is a two-level path, so filtering on the
/// first level finds both.
fn facet(kind: &str, value: &str) -> Facet {
    let mut path = vec![kind.to_string()];
    if kind == "topic" {
        path.extend(value.split('\\').map(|p| p.replace('/', "／")));
    } else {
        path.push(value.replace('/', "／"));
    }
    Facet::from_path(path)
}

/// The facets an entry is filtered by; its passages carry them too.
fn facets_of(e: &Entry) -> Vec<Facet> {
    let mut out = vec![facet("kind", e.kind.as_str())];
    if !e.agency_code.is_empty() {
        out.push(facet("agency", &e.agency_code));
    }
    if let Some(date) = e.date {
        out.push(facet("year", &chrono::Datelike::year(&date).to_string()));
    }
    for (name, value) in [
        ("topic", &e.topic),
        ("doc_kind", &e.doc_kind),
        ("validity", &e.validity),
    ] {
        if let Some(v) = value {
            out.push(facet(name, v));
        }
    }
    out
}

/// The kinds whose pages mark their passages (`rich_text::to_html`): a hit of theirs shows its
/// passage and links to it.
fn has_passages(kind: Kind) -> bool {
    matches!(kind, Kind::Document | Kind::Interpretation)
}

/// A search over the index: query, filters, order and page.
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub parsed: Parsed,
    pub kind: Option<Kind>,
    pub agency: Option<String>,
    pub topic: Option<String>,
    pub doc_kind: Option<String>,
    pub validity: Option<String>,
    pub year: Option<i32>,
    pub by_date: bool,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl Search {
    /// The first page of a plain query, no filters.
    pub fn text(q: &str, per_page: usize) -> R<Search> {
        Ok(Search {
            parsed: crate::query::parse(q)?,
            page: 1,
            per_page,
            ..Search::default()
        })
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub url: String,
    pub title: String,
    /// Escaped HTML with matches in `<mark>`.
    pub title_html: String,
    pub snippet_html: String,
    pub agency_name: String,
    pub doc_number: Option<String>,
    pub date: Option<NaiveDate>,
    pub score: f32,
    /// For a question, the passage of this text that best answers it (its url then points
    /// at the passage's anchor).
    pub passage: Option<Excerpt>,
}

/// A passage shown as an answer: an article of a law with its text, or a run of paragraphs.
#[derive(Clone, Debug, Serialize)]
pub struct Excerpt {
    /// The anchor on the text's page: `第五十四条`, or `p12` for paragraphs from line 12.
    pub anchor: String,
    /// The passage as stored (masked like the text).
    pub text: String,
    /// Escaped HTML with the question's words in `<mark>`.
    pub html: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Results {
    pub total: usize,
    /// Matched by a share of the query's words, not by every one (a question, or a query that
    /// matched nothing as typed).
    pub relaxed: bool,
    /// For a question: the passage that best answers it, from the first result that has one,
    /// shown above the results.
    pub answer: Option<Answer>,
    pub hits: Vec<Hit>,
    /// Per facet ("kind", "agency", "year", "topic", "doc_kind", "validity"): (value, count).
    pub facets: Vec<(String, Vec<(String, u64)>)>,
}

/// A passage answer: which text it is from, where, and what it says.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    /// The text's page at the passage's anchor.
    pub url: String,
    pub passage: Excerpt,
}

pub const FACETS: [&str; 6] = ["kind", "agency", "year", "topic", "doc_kind", "validity"];

/// The parts of a search besides finding the top hits.
#[derive(Clone, Copy, Debug)]
pub struct Parts {
    pub count: bool,
    pub facets: bool,
    pub snippets: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        count: true,
        facets: true,
        snippets: true,
    };
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The analysis this index was built by, which its commits keep recording: an older
    /// index tailed while its successor is built must not pass for a current one after a
    /// restart.
    analysis: u32,
    /// Facet totals per segment, for queries that match most of one.
    totals: std::sync::Arc<crate::tally::Totals>,
}

impl SearchIndex {
    fn with_index(mut index: Index) -> R<SearchIndex> {
        // A search visits the segments on every core: counting and faceting a query that
        // matches most of a large index is the slow part, and it splits by segment.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if cores > 1 {
            index.set_multithread_executor(cores).map_err(err)?;
        }
        index.tokenizers().register(WORDS, WORDS_ANALYZER);
        index.tokenizers().register(BIGRAMS, BIGRAMS_ANALYZER);
        index.tokenizers().register(GRAMS, GRAMS_ANALYZER);
        let fields = Fields::of(&index.schema())?;
        let recorded = read_checkpoint(&index)?.map(|c| c.analysis);
        let analysis = if index.schema() == schema() {
            recorded.unwrap_or(ANALYSIS_VERSION)
        } else {
            recorded.unwrap_or(0).min(ANALYSIS_VERSION - 1)
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            analysis,
            totals: Default::default(),
        })
    }

    /// Opens the index in `dir`, creating it when there is none.
    pub fn open(dir: &Path) -> R<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(err)?;
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(err)?;
        // An index of an older analysis has an older schema: it is opened as it is, served
        // (not current) and replaced by a rebuild.
        let index = if Index::exists(&directory).map_err(err)? {
            Index::open(directory).map_err(err)?
        } else {
            Index::create(directory, schema(), Default::default()).map_err(err)?
        };
        SearchIndex::with_index(index)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> R<SearchIndex> {
        SearchIndex::with_index(Index::create_in_ram(schema()))
    }

    /// What the last commit recorded; `None` for a new index.
    pub fn checkpoint(&self) -> R<Option<Checkpoint>> {
        read_checkpoint(&self.index)
    }

    /// Whether this index was built by the current analysis.
    pub fn is_current(&self) -> R<bool> {
        Ok(self.analysis == ANALYSIS_VERSION && self.checkpoint()?.is_some())
    }

    /// A writer with a large buffer, for building a whole index.
    pub fn bulk_writer(&self) -> R<Writer> {
        let writer = self.index.writer(400_000_000).map_err(err)?;
        Ok(Writer {
            writer,
            fields: self.fields,
            analysis: self.analysis,
        })
    }

    pub fn writer(&self) -> R<Writer> {
        let writer = self.index.writer(50_000_000).map_err(err)?;
        Ok(Writer {
            writer,
            fields: self.fields,
            analysis: self.analysis,
        })
    }

    /// Makes the latest commit visible to searches.
    pub fn refresh(&self) -> R<()> {
        self.reader.reload().map_err(err)
    }

    /// The entries in the index (their passages not counted).
    pub fn num_docs(&self) -> u64 {
        let searcher = self.reader.searcher();
        let passages = searcher
            .search(
                &TermQuery::new(
                    Term::from_field_text(self.fields.kind, "passage"),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )
            .unwrap_or(0);
        searcher.num_docs().saturating_sub(passages as u64)
    }

    /// What one term of a query must match. A term that is one dictionary word (or one Latin
    /// word or number) is that token of the words fields, which hold every dictionary word
    /// wherever it occurs: one posting list per field, which tantivy prunes. Any other term
    /// must appear as written (its bigrams in order) or, unless it is quoted, have all its
    /// words somewhere in the title or the body. A term of three or four characters that
    /// occurs as written somewhere is that gram only: one posting list per field again, where a
    /// phrase would read positions in every document holding its bigrams (most documents, for
    /// 公开工作 in a government corpus); scattered words are looked for only when it occurs
    /// nowhere.
    fn clauses(
        &self,
        searcher: &tantivy::Searcher,
        text: &str,
        phrase_only: bool,
    ) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let n = analysis::normalize(text);
        let bigrams = analysis::bigrams_of(&n);
        if bigrams.is_empty() {
            return None;
        }
        let term = |field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            );
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let (words, complete) = analysis::query_words_of(&n);
        let whole = n.text.trim();
        let word = if analysis::is_word(whole) {
            Some(whole)
        } else {
            match words.as_slice() {
                [w] if complete => Some(w.as_str()),
                _ => None,
            }
        };
        if let Some(word) = word {
            let mut should = vec![
                term(f.title_words, word, 3.0 * TITLE_BOOST),
                term(f.body_words, word, 2.0),
            ];
            // A two-character word is also a bigram: counting it in both (as for a phrase)
            // weighs the body as other terms do, and it is still one posting list per field.
            if let [b] = bigrams.as_slice()
                && b.text == word
            {
                should.push(term(f.title_bigrams, word, TITLE_BOOST));
                should.push(term(f.body_bigrams, word, 1.0));
            }
            return Some(Box::new(BooleanQuery::new(should)));
        }
        if let (Some(title), Some(body), Some(gram)) =
            (f.title_grams, f.body_grams, analysis::as_gram(whole))
        {
            let occurs = [title, body].iter().any(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(*field, gram))
                    .is_ok_and(|n| n > 0)
            });
            if occurs {
                return Some(Box::new(BooleanQuery::new(vec![
                    term(title, gram, TITLE_BOOST),
                    term(body, gram, 1.0),
                ])));
            }
        }
        let in_order = |field, boost: f32| -> (Occur, Box<dyn Query>) {
            let terms: Vec<Term> = bigrams
                .iter()
                .map(|t| Term::from_field_text(field, &t.text))
                .collect();
            let q: Box<dyn Query> = match <[Term; 1]>::try_from(terms) {
                Ok([term]) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                Err(terms) => Box::new(PhraseQuery::new(terms)),
            };
            (Occur::Should, Box::new(BoostQuery::new(q, boost)))
        };
        let mut should = vec![
            in_order(f.title_bigrams, TITLE_BOOST),
            in_order(f.body_bigrams, 1.0),
        ];
        // All the words in any order: a lone character is no word of the index, so a term
        // with one is matched in order only.
        if !phrase_only && complete && !words.is_empty() {
            let mut seen = std::collections::BTreeSet::new();
            let words: Vec<&String> = words.iter().filter(|w| seen.insert(*w)).collect();
            let all = |field| -> Box<dyn Query> {
                all_of(
                    words
                        .iter()
                        .map(|w| {
                            let q = TermQuery::new(
                                Term::from_field_text(field, w),
                                IndexRecordOption::WithFreqs,
                            );
                            (Occur::Must, Box::new(q) as Box<dyn Query>)
                        })
                        .collect(),
                )
            };
            // Below the in-order match of the same field: scattered words are a weaker hit.
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(all(f.title_words), TITLE_BOOST * 0.5)),
            ));
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(all(f.body_words), 0.5)),
            ));
        }
        Some(Box::new(BooleanQuery::new(should)))
    }

    /// One clause per keyword of a question (or of a query matched by a share of its words):
    /// the keyword, or with less weight one of its parts or of its official terms, in any of
    /// `fields` (each with its boost).
    fn keyword_groups(&self, p: &Parsed, fields: &[(Field, f32)]) -> Vec<(Occur, Box<dyn Query>)> {
        let none = Vec::new();
        p.keywords
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let parts = p.parts.get(i).unwrap_or(&none);
                let official = p
                    .synonyms
                    .iter()
                    .find(|(k, _)| k == w)
                    .map_or(&none, |(_, o)| o);
                let alternatives = std::iter::once((w, 1.0))
                    .chain(parts.iter().map(|x| (x, PART_BOOST)))
                    .chain(official.iter().map(|x| (x, SYNONYM_BOOST)));
                let mut either = Vec::new();
                for (alt, weight) in alternatives {
                    for (field, boost) in fields {
                        if let Some(q) = words_query(*field, alt, weight * boost) {
                            either.push((Occur::Should, q));
                        }
                    }
                }
                (
                    Occur::Should,
                    Box::new(BooleanQuery::new(either)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// What a term typed as it is must match, or — with less weight — one of its official
    /// terms as written.
    fn term_clause(
        &self,
        searcher: &tantivy::Searcher,
        p: &Parsed,
        t: &str,
        phrase_only: bool,
    ) -> Option<Box<dyn Query>> {
        let typed = self.clauses(searcher, t, phrase_only);
        let Some((_, official)) = p.synonyms.iter().find(|(k, _)| k == t) else {
            return typed;
        };
        let mut either: Vec<(Occur, Box<dyn Query>)> =
            typed.into_iter().map(|q| (Occur::Should, q)).collect();
        for o in official {
            if let Some(q) = self.clauses(searcher, o, true) {
                either.push((Occur::Should, Box::new(BoostQuery::new(q, SYNONYM_BOOST))));
            }
        }
        (!either.is_empty()).then(|| Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
    }

    fn filter(&self, s: &Search) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields.facets;
        let term = |kind: &str, value: &str| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_facet(f, &facet(kind, value)),
                    IndexRecordOption::Basic,
                )),
            )
        };
        let mut out = Vec::new();
        if let Some(k) = s.kind {
            out.push(term("kind", k.as_str()));
        }
        for (name, value) in [
            ("agency", &s.agency),
            ("topic", &s.topic),
            ("doc_kind", &s.doc_kind),
            ("validity", &s.validity),
        ] {
            if let Some(v) = value {
                out.push(term(name, v));
            }
        }
        if let Some(y) = s.year {
            out.push(term("year", &y.to_string()));
        }
        out
    }

    /// The query of a search: every term and phrase must match, no exclusion may; a matching
    /// 文号 is enough on its own and ranks first. `relaxed` (a question, or a query that
    /// matched nothing as typed) asks instead for a share of the query's words
    /// (`question::min_should_match`), the terms as typed ranking first where they occur.
    fn query(&self, searcher: &tantivy::Searcher, s: &Search, relaxed: bool) -> Box<dyn Query> {
        let p = &s.parsed;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if relaxed {
            let f = &self.fields;
            let words = self.keyword_groups(
                p,
                &[(f.title_words, QUESTION_TITLE_BOOST), (f.body_words, 1.0)],
            );
            if !words.is_empty() {
                let need = crate::question::min_should_match(words.len());
                must.push((
                    Occur::Must,
                    Box::new(BooleanQuery::with_minimum_required_clauses(words, need)),
                ));
            }
            for t in &p.terms {
                if let Some(q) = self.clauses(searcher, t, true) {
                    must.push((Occur::Should, Box::new(BoostQuery::new(q, 2.0))));
                }
            }
        } else {
            for t in &p.terms {
                if let Some(q) = self.term_clause(searcher, p, t, false) {
                    must.push((Occur::Must, q));
                }
            }
        }
        for t in &p.phrases {
            if let Some(q) = self.clauses(searcher, t, true) {
                must.push((Occur::Must, q));
            }
        }
        for t in &p.as_typed {
            if let Some(q) = self.clauses(searcher, t, true) {
                must.push((Occur::Should, Box::new(BoostQuery::new(q, 2.0))));
            }
        }
        for t in &p.excluded {
            if let Some(q) = self.clauses(searcher, t, true) {
                must.push((Occur::MustNot, q));
            }
        }
        let text: Box<dyn Query> = if must.iter().any(|(o, _)| *o == Occur::Must) {
            all_of(must)
        } else {
            Box::new(EmptyQuery)
        };
        // The number's key where the index has it; the normalised text in an older index.
        let by_number = match (self.fields.doc_key, &p.doc_key, &p.doc_number) {
            (Some(field), Some(key), _) => Some((field, key)),
            (None, _, Some(number)) => Some((self.fields.doc_number, number)),
            _ => None,
        };
        let matched: Box<dyn Query> = match by_number {
            Some((field, number)) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, text),
                // A constant far above any text score: the document with this 文号 is first.
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, number),
                            IndexRecordOption::Basic,
                        )),
                        1.0e6,
                    )),
                ),
            ])),
            None => text,
        };
        let mut all = vec![(Occur::Must, matched)];
        all.extend(self.filter(s));
        all_of(all)
    }

    /// Loads and highlights the hits at `addresses`; `needles` are the normalised texts to mark.
    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        needles: &[String],
        addresses: Vec<(f32, DocAddress)>,
        passages: &std::collections::HashMap<DocAddress, DocAddress>,
    ) -> R<Vec<Hit>> {
        let f = self.fields;
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let passage = match passages.get(&address) {
                Some(at) => self.excerpt(searcher, needles, *at)?,
                None => None,
            };
            let d: TantivyDocument = searcher.doc(address).map_err(err)?;
            let text = |field| stored(&d, field);
            let key = text(f.key);
            let Some((kind, id)) = key
                .split_once(':')
                .and_then(|(k, i)| Some((Kind::parse(k)?, i.parse().ok()?)))
            else {
                continue;
            };
            let title = text(f.title);
            let body = text(f.body);
            let body = lead(&body);
            let title_html = snippet::marked(&title, needles);
            // Converting traditional text is most of a snippet's cost: the index holds it
            // converted.
            let normalized = f
                .lead_normalized
                .and_then(|field| d.get_first(field))
                .and_then(|v| v.as_str())
                .and_then(|n| analysis::Normalized::aligned(body, n.to_string()));
            let snippet_html = match (&passage, normalized) {
                (Some(p), _) => snippet::passage(&p.text, needles, 120),
                (None, Some(n)) => snippet::passage_in(body, &n, needles, 120),
                (None, None) => snippet::passage(body, needles, 120),
            };
            let date = d
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(from_day_number);
            let number = text(f.doc_number);
            let mut url = text(f.url);
            if let Some(p) = &passage {
                url = format!("{url}#{}", p.anchor);
            }
            hits.push(Hit {
                kind,
                id,
                url,
                title,
                title_html,
                snippet_html,
                agency_name: text(f.agency_name),
                doc_number: (!number.is_empty()).then_some(number),
                date,
                score,
                passage,
            });
        }
        Ok(hits)
    }

    /// The passage stored at `at`, its words marked.
    fn excerpt(
        &self,
        searcher: &tantivy::Searcher,
        needles: &[String],
        at: DocAddress,
    ) -> R<Option<Excerpt>> {
        let Some(p) = self.fields.passage else {
            return Ok(None);
        };
        let d: TantivyDocument = searcher.doc(at).map_err(err)?;
        let text = |field| stored(&d, field);
        let anchor = text(p.anchor);
        let body = text(self.fields.body);
        if anchor.is_empty() {
            return Ok(None);
        }
        Ok(Some(Excerpt {
            anchor,
            html: snippet::marked(&body, needles),
            text: body,
        }))
    }

    /// The best passages for a question's words, grouped by text ([`crate::fusion::by_text`]):
    /// (the text's key, its score, its best passage's address), best first. A passage must
    /// hold as many of the question's words and their parts as a text must
    /// ([`crate::question::min_should_match`]), so every text found by a passage is one the
    /// search counts.
    fn best_passages(
        &self,
        searcher: &tantivy::Searcher,
        s: &Search,
    ) -> R<Vec<(String, f32, DocAddress)>> {
        let Some(p) = self.fields.passage else {
            return Ok(Vec::new());
        };
        let keywords = &s.parsed.keywords;
        if keywords.is_empty() {
            return Ok(Vec::new());
        }
        let words = self.keyword_groups(&s.parsed, &[(p.words, 1.0)]);
        let need = crate::question::min_should_match(words.len());
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(words, need)),
        )];
        all.extend(self.filter(s));
        let top = searcher
            .search(
                &BooleanQuery::new(all),
                &TopDocs::with_limit(crate::fusion::PASSAGE_DEPTH).order_by_score(),
            )
            .map_err(err)?;
        let mut columns = std::collections::HashMap::new();
        let mut found = Vec::with_capacity(top.len());
        for (score, at) in top {
            let column = columns.entry(at.segment_ord).or_insert_with(|| {
                searcher
                    .segment_reader(at.segment_ord)
                    .fast_fields()
                    .str("parent")
                    .ok()
                    .flatten()
            });
            let Some(column) = column else { continue };
            let Some(ord) = column.term_ords(at.doc_id).next() else {
                continue;
            };
            let mut parent = String::new();
            if column.ord_to_str(ord, &mut parent).is_ok() {
                found.push((parent, score, at));
            }
        }
        Ok(crate::fusion::by_text(found))
    }

    /// Where the live entry keyed `key` is.
    fn address_of(&self, searcher: &tantivy::Searcher, key: &str) -> R<Option<DocAddress>> {
        let term = Term::from_field_text(self.fields.key, key);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(self.fields.key).map_err(err)?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(err)?
            else {
                continue;
            };
            let mut doc = tantivy::DocSet::doc(&postings);
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) {
                    return Ok(Some(DocAddress::new(ord as u32, doc)));
                }
                doc = tantivy::DocSet::advance(&mut postings);
            }
        }
        Ok(None)
    }

    /// The Q&A entries that best answer a question typed into the search box: most of its
    /// words must appear, the question's own words count most.
    pub fn answers(&self, text: &str, limit: usize) -> R<Vec<Hit>> {
        let f = self.fields;
        let mut seen = std::collections::BTreeSet::new();
        let words: Vec<String> = analysis::query_words_of(&analysis::normalize(text))
            .0
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let per_word: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let term = |field| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::WithFreqs,
                    ))
                };
                let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(term(f.title_words), 3.0)),
                    ),
                    (Occur::Should, term(f.body_words)),
                ]));
                (Occur::Should, either)
            })
            .collect();
        let needed = words.len().div_ceil(2);
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    per_word, needed,
                )),
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_facet(f.facets, &facet("kind", Kind::Answer.as_str())),
                    IndexRecordOption::Basic,
                )),
            ),
        ]));
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &query,
                &TopDocs::with_limit(limit.clamp(1, 5)).order_by_score(),
            )
            .map_err(err)?;
        self.hits(&searcher, &words, top, &Default::default())
    }

    pub fn search(&self, s: &Search) -> R<Results> {
        self.search_parts(s, Parts::ALL)
    }

    /// A search doing only some of the work (for measuring where time goes).
    pub fn search_parts(&self, s: &Search, parts: Parts) -> R<Results> {
        let per_page = s.per_page.clamp(1, 50);
        let page = s.page.max(1);
        let offset = (page - 1) * per_page;
        if offset >= MAX_DEPTH {
            return Err(gongkai_domain::DomainError::invalid(
                gongkai_domain::Field::new("page", "页码"),
                format!("最多显示前 {MAX_DEPTH} 条结果,请缩小检索范围"),
            ));
        }
        let searcher = self.reader.searcher();
        let limit = per_page.min(MAX_DEPTH - offset);
        let p = &s.parsed;
        let mut relaxed = p.question && !p.keywords.is_empty();
        // A question is answered by a passage: within the first results, texts are ranked by
        // their passages (`crate::fusion`); deeper pages keep the ranking of whole texts.
        let fused =
            |relaxed: bool| relaxed && !s.by_date && offset + limit <= crate::fusion::FUSE_DEPTH;
        let tally = || crate::tally::Tally {
            totals: self.totals.clone(),
        };
        // The texts a page is made of; for a question, to the depth that is fused, with the
        // count and facets in the same pass (it reads every match anyway: its words are
        // matched by a share, which no block can be skipped for).
        type Found = (Vec<(f32, DocAddress)>, Option<crate::tally::Tallied>);
        let first_pass = |query: &dyn Query, relaxed: bool| -> R<Found> {
            let depth = crate::fusion::FUSE_DEPTH;
            if fused(relaxed) && parts.facets {
                let top = TopDocs::with_limit(depth).order_by_score();
                let (texts, tallied) = searcher.search(query, &(top, tally())).map_err(err)?;
                Ok((texts, Some(tallied)))
            } else if fused(relaxed) {
                Ok((top_hits(&searcher, query, false, depth, 0)?, None))
            } else {
                Ok((top_hits(&searcher, query, s.by_date, limit, offset)?, None))
            }
        };
        let mut query = self.query(&searcher, s, relaxed);
        let (mut found, mut tallied) = first_pass(&*query, relaxed)?;
        // Nothing matches as typed: a share of the words, rather than a dead end.
        if found.is_empty()
            && !relaxed
            && !p.keywords.is_empty()
            && searcher.search(&query, &Count).map_err(err)? == 0
        {
            relaxed = true;
            query = self.query(&searcher, s, true);
            (found, tallied) = first_pass(&*query, true)?;
        }
        let mut passages = std::collections::HashMap::new();
        let addresses = if fused(relaxed) {
            let mut by_passage = Vec::new();
            for (key, score, at) in self.best_passages(&searcher, s)? {
                if let Some(text) = self.address_of(&searcher, &key)? {
                    passages.insert(text, at);
                    by_passage.push((score, text));
                }
            }
            // Only texts the search counts: the passage query knows nothing of exclusions,
            // quoted phrases or a text's other words.
            let counted = matching(&searcher, &*query, by_passage.iter().map(|(_, at)| *at))?;
            by_passage.retain(|(_, at)| counted.contains(at));
            crate::fusion::fuse(&by_passage, &found)
                .into_iter()
                .skip(offset)
                .take(limit)
                .collect()
        } else {
            found
        };
        let tallied = match tallied {
            Some(t) => t,
            None if parts.facets => searcher.search(&query, &tally()).map_err(err)?,
            None if parts.count => crate::tally::Tallied {
                total: searcher.search(&query, &Count).map_err(err)?,
                values: Vec::new(),
            },
            None => crate::tally::Tallied::default(),
        };
        let hits = if parts.snippets {
            self.hits(&searcher, &needles(&s.parsed), addresses, &passages)?
        } else {
            Vec::new()
        };
        let facets = FACETS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut values: Vec<(String, u64)> = tallied
                    .values
                    .get(i)
                    .map(|v| v.iter().map(|(k, n)| (k.clone(), *n)).collect())
                    .unwrap_or_default();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (name.to_string(), values)
            })
            .collect();
        let total = tallied.total;
        let answer = hits.iter().filter(|_| offset == 0).find_map(|h| {
            let passage = h.passage.clone()?;
            Some(Answer {
                kind: h.kind,
                id: h.id,
                title: h.title.clone(),
                url: h.url.clone(),
                passage,
            })
        });
        Ok(Results {
            total,
            hits,
            facets,
            relaxed,
            answer,
        })
    }
}

/// Changes to the index, visible after [`Writer::commit`].
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    analysis: u32,
}

impl Writer {
    /// Adds or replaces an entry.
    pub fn upsert(&mut self, e: &Entry) -> R<()> {
        let f = self.fields;
        let key = e.key();
        self.writer.delete_term(Term::from_field_text(f.key, &key));
        if let Some(p) = f.passage {
            self.writer
                .delete_term(Term::from_field_text(p.parent, &key));
        }
        // An identity, mobile or card number is never indexed nor shown in a snippet, however
        // it was written: the stored and the indexed text are both masked.
        let title = gongkai_domain::personal::mask(&e.title);
        let body = gongkai_domain::personal::mask(&e.body);
        // Every text is ranked by its passages; only the kinds whose pages mark them
        // (`has_passages`) show a passage and link to it.
        let passages = gongkai_domain::passage::split(&body);
        let anchored = has_passages(e.kind);
        // An entry of one passage is its own passage: only the words are indexed twice,
        // nothing is stored twice.
        let whole = passages.len() <= 1;
        let mut d = doc!(
            f.key => key,
            f.kind => e.kind.as_str(),
            f.title => title.as_str(),
            f.title_words => title.as_str(),
            f.title_bigrams => title.as_str(),
            f.body => body.as_str(),
            f.body_words => body.as_str(),
            f.body_bigrams => body.as_str(),
            f.url => e.url.as_str(),
            f.agency_name => e.agency_name.as_str(),
        );
        if let (Some(title_grams), Some(body_grams)) = (f.title_grams, f.body_grams) {
            d.add_text(title_grams, &title);
            d.add_text(body_grams, &body);
        }
        if let Some(field) = f.lead_normalized {
            let lead = lead(&body);
            let n = analysis::normalize(lead);
            if n.text != lead && n.is_aligned(lead) {
                d.add_text(field, n.text);
            }
        }
        if let Some(n) = &e.doc_number {
            d.add_text(f.doc_number, n);
            if let (Some(field), Ok(parsed)) = (f.doc_key, DocNumber::parse(n)) {
                d.add_text(field, parsed.key());
            }
        }
        if let Some(date) = e.date {
            d.add_i64(f.date, day_number(date));
        } else {
            // Undated entries sort last by date.
            d.add_i64(f.date, i64::MIN);
        }
        let facets = facets_of(e);
        for facet in &facets {
            d.add_facet(f.facets, facet.clone());
        }
        // The counted values: a topic counts under its first level.
        let year = e.date.map(|d| chrono::Datelike::year(&d).to_string());
        let topic = e
            .topic
            .as_deref()
            .and_then(|t| t.split('\\').next())
            .map(String::from);
        let values = [
            Some(e.kind.as_str().to_string()),
            (!e.agency_code.is_empty()).then(|| e.agency_code.clone()),
            year,
            topic,
            e.doc_kind.clone(),
            e.validity.clone(),
        ];
        for (field, value) in f.tallied.iter().zip(values) {
            if let Some(v) = value {
                d.add_text(*field, v);
            }
        }
        if let Some(p) = f.passage
            && whole
        {
            let context = passages.first().map_or("", |p| p.context.as_str());
            d.add_text(p.parent, &key);
            // A document's passages are read without its title (see below); a record of
            // another kind (a Q&A entry, a message, a consultation) is often asked by its title.
            let title = if anchored { "" } else { title.as_str() };
            d.add_text(p.words, format!("{title}\n{context}\n{body}"));
            if let (Some(first), true) = (passages.first(), anchored) {
                d.add_text(p.anchor, &first.anchor);
            }
        }
        self.writer.add_document(d).map_err(err)?;
        if let (Some(p), false) = (f.passage, whole) {
            for passage in passages {
                let text = passage.text(&body);
                // The headings it stands under count as its words (a document's title does
                // not: on the search-eval dev questions it cost Recall@10 0.01).
                let words = if anchored {
                    format!("{}\n{text}", passage.context)
                } else {
                    format!("{title}\n{}\n{text}", passage.context)
                };
                let mut d = doc!(
                    f.key => format!("passage:{key}:{}", passage.anchor),
                    f.kind => "passage",
                    p.parent => key.as_str(),
                    p.words => words,
                );
                // What a hit shows and links to, only where the page marks it.
                if anchored {
                    d.add_text(p.anchor, &passage.anchor);
                    d.add_text(f.body, text);
                }
                for facet in &facets {
                    d.add_facet(f.facets, facet.clone());
                }
                self.writer.add_document(d).map_err(err)?;
            }
        }
        Ok(())
    }

    pub fn delete(&mut self, kind: Kind, id: i64) {
        let key = key(kind, id);
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, &key));
        if let Some(p) = self.fields.passage {
            self.writer
                .delete_term(Term::from_field_text(p.parent, &key));
        }
    }

    pub fn delete_all(&mut self) -> R<()> {
        self.writer.delete_all_documents().map_err(err)?;
        Ok(())
    }

    /// Commits what was written, with the checkpoint.
    pub fn commit(&mut self, cursor: i64) -> R<()> {
        let payload = serde_json::to_string(&Checkpoint {
            cursor,
            analysis: self.analysis,
        })
        .map_err(err)?;
        let mut prepared = self.writer.prepare_commit().map_err(err)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn entry(id: i64, title: &str, body: &str) -> Entry {
        Entry {
            agency_code: "YX0201".into(),
            agency_name: "云溪区发展和改革委员会".into(),
            topic: Some("综合政务\\政务公开".into()),
            doc_kind: Some("notice".into()),
            validity: Some("effective".into()),
            date: NaiveDate::from_ymd_opt(2021, 4, 20),
            ..Entry::document(id, title, body)
        }
    }

    fn corpus() -> SearchIndex {
        let index = SearchIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        let mut seed = entry(
            1,
            "嘉兴市人民政府办公室关于印发2021年政务公开工作要点的通知",
            "各县(市、区)人民政府:现将《2021年政务公开工作要点》印发给你们。推进政府信息公开标准化。",
        );
        seed.doc_number = Some("嘉府办发〔2021〕18号".into());
        w.upsert(&seed).unwrap();
        w.upsert(&entry(
            2,
            "北京大学图书馆开放日安排",
            "图书馆面向公众开放。",
        ))
        .unwrap();
        let mut e = entry(
            3,
            "2024年义务教育招生计划",
            "本区招生工作按学区划分。<script>alert(1)</script>",
        );
        e.agency_code = "YX0202".into();
        e.agency_name = "云溪区教育局".into();
        e.date = NaiveDate::from_ymd_opt(2024, 5, 1);
        e.kind = Kind::Interpretation;
        w.upsert(&e).unwrap();
        w.upsert(&entry(4, "关于年度工作的报告", "年度 总结 报告 附后。"))
            .unwrap();
        w.upsert(&entry(
            5,
            "2023年政府信息公开工作年度报告",
            "本年度报告依据条例编制。",
        ))
        .unwrap();
        w.commit(42).unwrap();
        index.refresh().unwrap();
        index
    }

    #[test]
    fn identity_and_phone_numbers_are_neither_indexed_nor_shown_however_typed() {
        let index = SearchIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        let spellings = [
            "３２０５０２１９８８１１１１５５１６",
            "320502 19881111 5516",
            "ID320502198811115516",
            "320502-19881111-5516",
        ];
        for (i, id) in spellings.iter().enumerate() {
            w.upsert(&entry(
                i as i64 + 1,
                &format!("行政处罚决定书 当事人证件{id}"),
                &format!("当事人(身份证 {id},手机 138 0000 2222)销售过期食品,处以罚款。"),
            ))
            .unwrap();
        }
        w.commit(1).unwrap();
        index.refresh().unwrap();
        for q in [
            "320502198811115516",
            "19881111",
            "5516",
            "13800002222",
            "2222",
        ] {
            assert!(ids(&index, q).is_empty(), "{q} finds a masked number");
        }
        let found = index
            .search(&Search::text("过期食品", 10).unwrap())
            .unwrap();
        assert_eq!(found.hits.len(), spellings.len());
        for h in &found.hits {
            let shown =
                crate::analysis::normalize(&format!("{} {}", h.title_html, h.snippet_html)).text;
            assert!(
                !shown.contains("5516") && !shown.contains("2222") && !shown.contains("320502"),
                "{shown}"
            );
        }
    }

    fn sorted_ids(index: &SearchIndex, q: &str) -> Vec<i64> {
        let mut found = ids(index, q);
        found.sort();
        found
    }

    fn ids(index: &SearchIndex, q: &str) -> Vec<i64> {
        let s = Search::text(q, 10).unwrap();
        index
            .search(&s)
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn the_known_queries_find_their_documents() {
        let index = corpus();
        assert_eq!(
            ids(&index, "信息公开")[..2]
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>(),
            [1, 5].into()
        );
        assert!(ids(&index, "公开").contains(&1));
        assert!(
            ids(&index, "資訊公開").contains(&1),
            "traditional finds simplified"
        );
        assert_eq!(
            ids(&index, "嘉府办发[2021]18号")[0],
            1,
            "文号 in another bracket style"
        );
        assert_eq!(ids(&index, "嘉府办发〔2021〕18号")[0], 1);
        // A 公告 number, found in every spelling: with or without 公告, brackets or 年.
        let mut w = index.writer().unwrap();
        let mut notice = entry(
            6,
            "关于印发《企业投资项目核准和备案管理办法》配套文件的公告",
            "现将配套文本予以公告。",
        );
        let stored = DocNumber::parse("国家发展改革委2017年第9号")
            .unwrap()
            .normalized();
        assert_eq!(stored, "国家发展改革委公告2017年第9号");
        notice.doc_number = Some(stored);
        w.upsert(&notice).unwrap();
        w.commit(43).unwrap();
        index.refresh().unwrap();
        for typed in [
            "国家发展改革委公告2017年第9号",
            "国家发展改革委2017年第9号",
            "国家发展改革委公告〔2017〕第9号",
            "国家发展改革委〔2017〕9号",
            "国家发展改革委 2017年 第９号",
            "国家发展改革委公告2017第9号",
        ] {
            assert_eq!(ids(&index, typed).first(), Some(&6), "{typed}");
        }
        assert_eq!(ids(&index, "2023年").first(), Some(&5));
        assert_eq!(ids(&index, "2021年政务公开工作要点").first(), Some(&1));
        assert_eq!(ids(&index, "２０２１年政务公开工作要点").first(), Some(&1));
        for loose in [
            "嘉府办发2021 18号",
            "嘉府办发 2021年 第18号",
            "嘉府办发2021-18号",
        ] {
            assert_eq!(
                ids(&index, loose).first(),
                Some(&1),
                "文号 typed as {loose}"
            );
        }
        assert_eq!(ids(&index, "北京大学"), [2], "a word inside a longer word");
        assert_eq!(ids(&index, "招生"), [3], "a two-character word");
        assert_eq!(ids(&index, "图书馆 开放"), [2], "every term must match");
        assert!(ids(&index, "图书馆 招生").is_empty());
        assert_eq!(
            ids(&index, "招生 -学区"),
            Vec::<i64>::new(),
            "an exclusion removes"
        );
        assert!(ids(&index, "ＡＢＣ不存在的词").is_empty());
    }

    #[test]
    fn everyday_words_find_the_official_ones_below_texts_that_use_the_everyday_word() {
        let index = SearchIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        for (id, title, body) in [
            (1, "云溪区犬只管理规定", "养犬人应当为犬只办理登记。"),
            (
                2,
                "关于调整公共停车收费标准的通知",
                "本区公共停车场停车收费按时段计费。",
            ),
            (
                3,
                "2024年义务教育阶段入学工作方案",
                "适龄儿童入学按学区划片招生。",
            ),
            (4, "社区养狗文明公约", "居民养狗应当文明出行。"),
            (5, "最低生活保障工作规程", "最低生活保障对象每年复核。"),
            (6, "关于做好就业工作的通知", "做好高校毕业生就业服务。"),
        ] {
            w.upsert(&entry(id, title, body)).unwrap();
        }
        w.commit(1).unwrap();
        index.refresh().unwrap();
        let synonyms = crate::synonyms::Synonyms::shipped();
        let expanded = |q: &str| -> Vec<i64> {
            let mut s = Search::text(q, 10).unwrap();
            synonyms.expand(&mut s.parsed);
            index
                .search(&s)
                .unwrap()
                .hits
                .iter()
                .map(|h| h.id)
                .collect()
        };
        // The text that says 养狗 first, the one that says 犬只 after it.
        assert_eq!(expanded("养狗"), [4, 1]);
        assert_eq!(expanded("停车费"), [2]);
        assert_eq!(expanded("上学"), [3]);
        assert_eq!(expanded("低保"), [5]);
        assert_eq!(expanded("怎么办低保？").first(), Some(&5));
        assert_eq!(expanded("孩子上学怎么报名").first(), Some(&3));
        // Without the expansion the everyday word finds only itself.
        assert_eq!(ids(&index, "养狗"), [4]);
        // The official term is marked in the snippet.
        let mut s = Search::text("停车费", 10).unwrap();
        synonyms.expand(&mut s.parsed);
        let hit = &index.search(&s).unwrap().hits[0];
        assert!(
            hit.snippet_html.contains("<mark>停车收费</mark>"),
            "{}",
            hit.snippet_html
        );
    }

    #[test]
    fn a_typed_question_finds_the_answer_entry() {
        let index = corpus();
        let mut w = index.writer().unwrap();
        let mut qa = entry(
            9,
            "如何申请政府信息公开?",
            "您可以在本平台“申请公开”栏目在线提交申请,无需注册。",
        );
        qa.kind = Kind::Answer;
        w.upsert(&qa).unwrap();
        w.commit(44).unwrap();
        index.refresh().unwrap();
        let got = index.answers("怎样在网上申请信息公开", 3).unwrap();
        assert_eq!(got.iter().map(|h| h.id).collect::<Vec<_>>(), [9]);
        assert_eq!(got[0].kind, Kind::Answer);
        assert!(
            index.answers("义务教育招生计划", 3).unwrap().is_empty(),
            "unrelated: none"
        );
        // Answers are results of their own kind, too.
        assert!(ids(&index, "申请公开").contains(&9));
    }

    #[test]
    fn a_year_with_its_character_finds_every_title_holding_it() {
        let index = corpus();
        // However the text writes the year beside its characters.
        let mut w = index.writer().unwrap();
        for (id, title) in [
            (20, "云溪区2024年政务公开工作要点"),
            (21, "关于2024年度预算执行情况的报告"),
            (22, "2024 年招生政策解读"),
            (23, "东湖街道关于公布2024年社区为民办实事项目的通告"),
            (24, "云溪区政府信息公开申请办理规定(2024年修订)"),
        ] {
            w.upsert(&entry(id, title, "正文。")).unwrap();
        }
        w.commit(43).unwrap();
        index.refresh().unwrap();
        let found = ids(&index, "2024年");
        for id in [3, 20, 21, 22, 23, 24] {
            assert!(found.contains(&id), "2024年 finds {id}: {found:?}");
        }
    }

    #[test]
    fn questions_and_titles_typed_without_their_marks_find_their_documents() {
        let index = corpus();
        let mut w = index.writer().unwrap();
        for (id, title, body) in [
            (
                10,
                "关于《政府工作报告》重点工作部门分工的通知",
                "各部门:现将《政府工作报告》确定的重点工作分工如下。",
            ),
            (
                11,
                "云溪区政府信息公开申请办理规定",
                "申请人可以通过互联网、信函或者当面提交政府信息公开申请。",
            ),
            (
                12,
                "关于全面推进“双随机、一公开”监管的实施意见",
                "随机抽取检查对象,随机选派执法检查人员,抽查情况及查处结果及时向社会公开。",
            ),
        ] {
            w.upsert(&entry(id, title, body)).unwrap();
        }
        w.commit(45).unwrap();
        index.refresh().unwrap();
        let top3 = |q: &str| {
            let r = index.search(&Search::text(q, 3).unwrap()).unwrap();
            (r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), r.relaxed)
        };
        for (q, want, question) in [
            ("怎么申请政府信息公开？", 11, true),
            ("请问如何申请政府信息公开", 11, true),
            ("政府工作报告重点工作部门分工", 10, false),
        ] {
            let (got, relaxed) = top3(q);
            assert!(got.contains(&want), "{q}: {got:?}");
            if question {
                assert!(
                    relaxed,
                    "{q}: a question is matched by a share of its words"
                );
            }
        }
        // 双随机一公开 is one dictionary word; the text writes 双随机、一公开, which reads as
        // adjacent; so does the title in 《》 typed without them.
        for q in ["双随机一公开", "双随机、一公开", "“双随机一公开”"] {
            assert_eq!(top3(q).0.first(), Some(&12), "{q}");
        }
        // A keyword query that matches as typed stays exact.
        let (got, relaxed) = top3("信息公开");
        assert!(!got.is_empty() && !relaxed);
        assert!(!top3("图书馆 开放").1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the reader types, a search that parses also runs: no panic, no error.
        #[test]
        fn any_parsed_query_runs(q in "(?s)[政务公开信息北京大学\"\\- a-z0-9〔〕\\[\\]()号,。\u{0}-\u{ff}]{0,40}") {
            thread_local!(static INDEX: SearchIndex = corpus());
            if let Ok(s) = Search::text(&q, 10) {
                INDEX.with(|index| {
                    let r = index.search(&s);
                    assert!(r.is_ok(), "{q:?}: {r:?}");
                    assert!(index.answers(&q, 2).is_ok());
                });
            }
        }
    }

    #[test]
    fn a_quoted_phrase_must_appear_as_written() {
        let index = corpus();
        let loose = ids(&index, "年度 报告");
        assert!(loose.contains(&4) && loose.contains(&5));
        assert_eq!(ids(&index, "\"年度报告\""), [5]);
    }

    #[test]
    fn a_short_term_is_matched_as_written_and_by_its_words_only_where_it_is_written_nowhere() {
        assert!(!analysis::is_word("解读材料") && !analysis::is_word("材料解读"));
        let index = SearchIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        w.upsert(&entry(1, "通知", "解读材料已发布。")).unwrap();
        w.upsert(&entry(2, "通知", "材料一份,解读见附件。"))
            .unwrap();
        w.upsert(&entry(3, "解读材料目录", "目录。")).unwrap();
        w.commit(1).unwrap();
        index.refresh().unwrap();
        assert_eq!(sorted_ids(&index, "解读材料"), [1, 3]);
        // A title match ranks first.
        assert_eq!(ids(&index, "解读材料")[0], 3);
        assert_eq!(sorted_ids(&index, "材料解读"), [1, 2, 3]);
        // Traditional characters are the same gram.
        assert_eq!(ids(&index, "解讀材料").len(), 2);
        let s = Search::text("解读材料", 10).unwrap();
        let hit = &index.search(&s).unwrap().hits;
        let body = hit.iter().find(|h| h.id == 1).unwrap();
        assert!(body.snippet_html.contains("<mark>解读材料</mark>"));
    }

    #[test]
    fn a_traditional_body_is_highlighted_from_its_stored_conversion() {
        let index = SearchIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        w.upsert(&entry(1, "通知", "本機關政府資訊公開工作年度報告。"))
            .unwrap();
        w.upsert(&entry(2, "通知", "本机关政府信息公开工作年度报告。"))
            .unwrap();
        w.commit(1).unwrap();
        index.refresh().unwrap();
        let searcher = index.reader.searcher();
        let stored = |id: i64| {
            let q = TermQuery::new(
                Term::from_field_text(index.fields.key, &key(Kind::Document, id)),
                IndexRecordOption::Basic,
            );
            let top = searcher
                .search(&q, &TopDocs::with_limit(1).order_by_score())
                .unwrap();
            let d: TantivyDocument = searcher.doc(top[0].1).unwrap();
            d.get_first(index.fields.lead_normalized.unwrap())
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        assert_eq!(
            stored(1).as_deref(),
            Some("本机关政府信息公开工作年度报告。")
        );
        // Simplified text is stored once.
        assert_eq!(stored(2), None);
        let s = Search::text("信息公开", 10).unwrap();
        let hits = index.search(&s).unwrap().hits;
        let snippet = |id| &hits.iter().find(|h| h.id == id).unwrap().snippet_html;
        assert!(
            snippet(1).contains("<mark>資訊公開</mark>"),
            "{}",
            snippet(1)
        );
        assert!(
            snippet(2).contains("<mark>信息公开</mark>"),
            "{}",
            snippet(2)
        );
    }

    #[test]
    fn an_index_of_the_previous_analysis_is_served_and_written_until_replaced() {
        let dir = std::env::temp_dir().join(format!("gongkai-old-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            let directory = tantivy::directory::MmapDirectory::open(&dir).unwrap();
            let old = Index::create(directory, schema_with(false), Default::default()).unwrap();
            let index = SearchIndex::with_index(old).unwrap();
            assert!(index.fields.body_grams.is_none());
            let mut w = index.writer().unwrap();
            w.upsert(&entry(1, "通知", "公开工作要点。")).unwrap();
            w.commit(7).unwrap();
        }
        let index = SearchIndex::open(&dir).unwrap();
        assert!(index.fields.body_grams.is_none());
        assert_eq!(index.checkpoint().unwrap().map(|c| c.cursor), Some(7));
        assert!(!index.is_current().unwrap());
        let mut w = index.writer().unwrap();
        w.upsert(&entry(2, "公开工作", "正文。")).unwrap();
        w.commit(8).unwrap();
        index.refresh().unwrap();
        assert_eq!(sorted_ids(&index, "公开工作"), [1, 2]);
        // Still not current after its own commits, as after a restart.
        drop(index);
        let index = SearchIndex::open(&dir).unwrap();
        assert!(!index.is_current().unwrap());
        assert_eq!(index.checkpoint().unwrap().map(|c| c.cursor), Some(8));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_deleted_entry_is_gone_after_commit() {
        let index = corpus();
        let mut w = index.writer().unwrap();
        w.delete(Kind::Document, 2);
        w.commit(43).unwrap();
        index.refresh().unwrap();
        assert!(ids(&index, "北京大学").is_empty());
        assert_eq!(index.checkpoint().unwrap().unwrap().cursor, 43);
        assert!(index.is_current().unwrap());
    }

    /// Facet counts equal a count by hand whether the query matches most of the index
    /// (totals minus the rest) or little of it, before and after deletions.
    #[test]
    fn facet_counts_are_exact_on_both_sides_of_half() {
        let index = SearchIndex::in_memory().unwrap();
        let agencies = ["YX0201", "YX0202", "YX0203"];
        let entries: Vec<Entry> = (0..300)
            .map(|i| Entry {
                agency_code: agencies[i % 3].into(),
                date: NaiveDate::from_ymd_opt(2020 + (i % 5) as i32, 1, 1),
                // Every entry says 公开; one in seven also says 招标.
                ..Entry::document(
                    i as i64,
                    "通知",
                    if i % 7 == 0 { "公开招标" } else { "公开" },
                )
            })
            .collect();
        let mut w = index.writer().unwrap();
        for e in &entries {
            w.upsert(e).unwrap();
        }
        w.commit(1).unwrap();
        drop(w);
        index.refresh().unwrap();
        let check = |live: &dyn Fn(&Entry) -> bool| {
            for (q, has) in [("公开", "公开"), ("招标", "招标")] {
                let r = index.search(&Search::text(q, 10).unwrap()).unwrap();
                let matching: Vec<&Entry> = entries
                    .iter()
                    .filter(|e| live(e) && e.body.contains(has))
                    .collect();
                assert_eq!(r.total, matching.len(), "{q}");
                let agency = &r.facets.iter().find(|(n, _)| n == "agency").unwrap().1;
                for a in agencies {
                    let want = matching.iter().filter(|e| e.agency_code == a).count() as u64;
                    let got = agency.iter().find(|(v, _)| v == a).map_or(0, |(_, n)| *n);
                    assert_eq!(got, want, "{q} {a}");
                }
                let year = &r.facets.iter().find(|(n, _)| n == "year").unwrap().1;
                let years: u64 = year.iter().map(|(_, n)| n).sum();
                assert_eq!(years, matching.len() as u64, "{q}");
            }
        };
        check(&|_| true);
        let mut w = index.writer().unwrap();
        for id in (0..300).filter(|i| i % 4 == 0) {
            w.delete(Kind::Document, id);
        }
        w.commit(2).unwrap();
        index.refresh().unwrap();
        check(&|e| e.id % 4 != 0);
    }

    #[test]
    fn filters_facets_snippets_and_paging() {
        let index = corpus();
        let mut s = Search {
            parsed: parse("招生").unwrap(),
            page: 1,
            per_page: 10,
            ..Search::default()
        };
        let r = index.search(&s).unwrap();
        let hit = &r.hits[0];
        assert!(
            hit.title_html.contains("<mark>招生</mark>"),
            "{}",
            hit.title_html
        );
        assert!(hit.snippet_html.contains("<mark>"), "{}", hit.snippet_html);
        assert!(
            !hit.snippet_html.contains("<script>"),
            "{}",
            hit.snippet_html
        );
        let facet =
            |r: &Results, name: &str| r.facets.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(facet(&r, "agency"), [("YX0202".to_string(), 1)]);
        assert_eq!(facet(&r, "kind"), [("interpretation".to_string(), 1)]);
        s.agency = Some("YX0201".into());
        assert_eq!(index.search(&s).unwrap().total, 0);
        s.agency = None;
        s.topic = Some("综合政务".into());
        assert_eq!(
            index.search(&s).unwrap().total,
            1,
            "the first level finds the second"
        );
        s.topic = Some("综合政务\\其他".into());
        assert_eq!(index.search(&s).unwrap().total, 0);
        s.topic = None;
        s.kind = Some(Kind::Interpretation);
        s.year = Some(2024);
        assert_eq!(index.search(&s).unwrap().total, 1);

        let mut all = Search {
            parsed: parse("公开").unwrap(),
            page: 1,
            per_page: 1,
            by_date: true,
            ..Search::default()
        };
        let r = index.search(&all).unwrap();
        assert!(r.total >= 2 && r.hits.len() == 1);
        all.page = MAX_DEPTH + 1;
        let e = index.search(&all).unwrap_err();
        assert!(e.to_string().contains("最多显示前"), "{e}");
    }
}
