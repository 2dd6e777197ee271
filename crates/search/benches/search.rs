//! Search benchmark (not a test): builds an index of DOCS documents re-sampled from the
//! sentences of real government documents (the demo seeds, plus the seeds themselves as known
//! items), then runs a fixed set of 2–4 character queries (dictionary words and terms of two
//! words) and of typed questions, and does the same with SQLite FTS5 (trigram tokenizer) over
//! the same corpus in the same run. Prints build speed, p50/p99 latency, the speed ratio and
//! each engine's recall on the known items. Asserts nothing.
//!
//!   DOCS=1000000 cargo bench -p gongkai-search --bench search      (benches/search.sh)

use std::time::{Duration, Instant};

use gongkai_search::corpus::{Rng, resampled, sentences};
use gongkai_search::{Entry, Search, SearchIndex};
use sqlx::{Connection, Row};

const QUERIES: [&str; 16] = [
    "公开",
    "政务",
    "信息",
    "解读",
    "脱贫",
    "招标",
    "网站",
    "依申请",
    "政务公开",
    "信息公开",
    "年度报告",
    "政策解读",
    "主动公开",
    "办事指南",
    "双随机",
    "营商环境",
];

/// Terms of several dictionary words: matched as written (one three- or four-character gram),
/// reported on their own and with the words.
const PHRASES: [&str; 4] = ["公开工作", "解读材料", "信息发布", "办理答复"];

/// Questions as residents type them: matched by a share of their words, ranked by passages,
/// expanded with the shipped synonyms (the full results page, as the API answers it).
const QUESTIONS: [&str; 8] = [
    "怎么申请政府信息公开？",
    "政务公开工作要点有哪些重点任务",
    "如何查询行政许可和行政处罚信息",
    "年度报告什么时候公布？",
    "政策解读材料应该怎么发布",
    "办事指南在哪里可以看到",
    "招标投标信息是否需要公开",
    "政府网站建设有什么要求吗",
];

/// FTS5's reference for a question: an OR of its trigrams, ranked by bm25.
fn fts_question(q: &str) -> String {
    let chars: Vec<char> = q.chars().filter(|c| c.is_alphanumeric()).collect();
    let grams: std::collections::BTreeSet<String> =
        chars.windows(3).map(|w| w.iter().collect()).collect();
    grams
        .into_iter()
        .map(|g| format!("\"{g}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Known items: query → the seed it must find (ids 1..=5).
const KNOWN: [(&str, i64); 10] = [
    ("嘉府办发〔2021〕18号", 2),
    ("沪委办发〔2017〕14号", 5),
    ("嘉定区政务公开工作要点", 2),
    ("松江区政务公开工作要点", 1),
    ("双城区政务公开工作要点", 3),
    ("杨浦区 年度报告", 4),
    ("松江區政務公開工作要點", 1),
    ("全面推进政务公开工作的实施意见", 5),
    ("松江", 1),
    ("嘉定", 2),
];

fn seeds() -> Vec<Entry> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/seeds");
    let titles = [
        (
            "000_bc04e441d24dcaac.txt",
            "2018年松江区政务公开工作要点",
            None,
        ),
        (
            "001_fedb41de06f635a6.txt",
            "上海市嘉定区人民政府办公室关于印发《2021年上海市嘉定区政务公开工作要点》的通知",
            Some("嘉府办发〔2021〕18号"),
        ),
        (
            "002_4ed54002f05e18c6.txt",
            "2017年双城区政务公开工作要点",
            None,
        ),
        (
            "003_e12181306ca0a942.txt",
            "2018年楊浦區政府信息公開工作年度報告",
            None,
        ),
        (
            "004_4ec3008c1d2e73c8.txt",
            "中共上海市委办公厅 上海市人民政府办公厅印发《关于全面推进政务公开工作的实施意见》的通知",
            Some("沪委办发〔2017〕14号"),
        ),
    ];
    titles
        .iter()
        .enumerate()
        .map(|(i, (file, title, number))| Entry {
            doc_number: number.map(String::from),
            agency_code: "YX0100".into(),
            ..Entry::document(
                i as i64 + 1,
                *title,
                std::fs::read_to_string(dir.join(file)).expect("seed file"),
            )
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// FTS5 wants a phrase in double quotes; the 文号 brackets are plain characters inside one.
fn fts_query(q: &str) -> String {
    q.split_whitespace()
        .map(|t| format!("\"{}\"", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let docs: i64 = std::env::var("DOCS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(100_000);
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(20);
    let seeds = seeds();
    let pool: Vec<String> = seeds.iter().flat_map(|s| sentences(&s.body)).collect();
    let sentence_count = pool.len();
    // The same documents, in the same order, every time it is called.
    let pool = &pool;
    let corpus = || {
        let mut rng = Rng::new(1_000_003);
        seeds
            .clone()
            .into_iter()
            .chain((0..docs).map(move |id| resampled(100 + id, pool, &mut rng)))
    };
    let work = std::env::temp_dir().join(format!("gongkai-search-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    println!(
        "corpus: {} seed documents + {docs} re-sampled from their {} sentences",
        seeds.len(),
        sentence_count
    );

    // tantivy (gongkai's index).
    gongkai_search::analysis::warm_up();
    let total = docs + seeds.len() as i64;
    // Rates in characters too: docs/s alone depends on how long the documents are (the import
    // bench's generated rows are about a third of the length of these).
    let text_chars: usize = corpus()
        .map(|e| e.title.chars().count() + e.body.chars().count())
        .sum();
    let per_doc = text_chars as f64 / total as f64;
    println!("text: {text_chars} characters, {per_doc:.0} per document");
    // KEEP_INDEX=DIR keeps the tantivy index between runs (for query work on one build); a
    // kept index of the right size is searched as it is and its build time not reported.
    let kept = std::env::var_os("KEEP_INDEX").map(std::path::PathBuf::from);
    let index_dir = kept.clone().unwrap_or_else(|| work.join("tantivy"));
    let index = SearchIndex::open(&index_dir).unwrap();
    let reused = kept.is_some() && index.num_docs() == total as u64;
    let started = Instant::now();
    if !reused {
        let mut w = index.bulk_writer().unwrap();
        w.delete_all().unwrap();
        for e in corpus() {
            w.upsert(&e).unwrap();
        }
        w.commit(1).unwrap();
    }
    index.refresh().unwrap();
    let tantivy_build = started.elapsed();
    if reused {
        println!("tantivy: reusing the index in {}", index_dir.display());
    } else {
        println!(
            "build: gongkai/tantivy {total} docs in {:.1} s = {:.0} docs/s = {:.2} M chars/s",
            tantivy_build.as_secs_f64(),
            total as f64 / tantivy_build.as_secs_f64(),
            text_chars as f64 / tantivy_build.as_secs_f64() / 1e6
        );
    }

    if std::env::var_os("PROFILE").is_some() {
        profile(&index, reps);
    }
    if std::env::var_os("SKIP_FTS").is_some() {
        let _ = std::fs::remove_dir_all(&work);
        return;
    }

    // SQLite FTS5, trigram tokenizer, same rows.
    let fts_path = work.join("fts.db");
    let mut db =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", fts_path.display()))
            .await
            .unwrap();
    sqlx::query("PRAGMA journal_mode=WAL")
        .execute(&mut db)
        .await
        .unwrap();
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
        .execute(&mut db)
        .await
        .unwrap();
    let started = Instant::now();
    let mut rows = corpus().peekable();
    while rows.peek().is_some() {
        let mut tx = db.begin().await.unwrap();
        for e in rows.by_ref().take(10_000) {
            sqlx::query("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)")
                .bind(e.id)
                .bind(e.title)
                .bind(e.body)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let fts_build = started.elapsed();

    // Queries: each engine answers each query `reps` times; the top 10.
    // The same work on both sides: the top 10 with a snippet each. The results page does more
    // (the total and the facet counts over every match), measured on its own as `page`.
    let search = |q: &str| Search::text(q, 10).unwrap();
    let same_work = gongkai_search::index::Parts {
        count: false,
        facets: false,
        snippets: true,
    };
    let all: Vec<&str> = QUERIES.iter().chain(PHRASES.iter()).copied().collect();
    let mut timed: std::collections::HashMap<&str, Timed> = Default::default();
    // Round 0 is the first query of each term on an index just built (its files not yet in the
    // page cache, nothing compiled): reported on its own, as a server's first minute would see.
    let (mut cold_gongkai, mut cold_fts) = (Vec::new(), Vec::new());
    for round in 0..=reps {
        for &q in &all {
            let s = search(q);
            let started = Instant::now();
            let r = index.search_parts(&s, same_work).unwrap();
            if round == 0 {
                cold_gongkai.push(started.elapsed());
                continue;
            }
            let t = timed.entry(q).or_default();
            t.gongkai.push(started.elapsed());
            t.gongkai_found = !r.hits.is_empty();
            let started = Instant::now();
            index.search(&s).unwrap();
            t.page.push(started.elapsed());
        }
    }
    for round in 0..=reps {
        for &q in &all {
            let started = Instant::now();
            let r = sqlx::query(
                "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 16) FROM docs \
                 WHERE docs MATCH ? ORDER BY rank LIMIT 10",
            )
            .bind(fts_query(q))
            .fetch_all(&mut db)
            .await
            .unwrap_or_default();
            if round == 0 {
                cold_fts.push(started.elapsed());
                continue;
            }
            let t = timed.entry(q).or_default();
            t.fts.push(started.elapsed());
            t.fts_found = !r.is_empty();
        }
    }

    // Questions: the whole results page on gongkai's side (count and facets included), the
    // top 10 by an OR of trigrams on FTS5's.
    let synonyms = gongkai_search::synonyms::Synonyms::shipped();
    let (mut q_gongkai, mut q_fts) = (Vec::new(), Vec::new());
    for round in 0..=reps {
        for q in QUESTIONS {
            let mut s = search(q);
            let started = Instant::now();
            synonyms.expand(&mut s.parsed);
            index.search(&s).unwrap();
            if round > 0 {
                q_gongkai.push(started.elapsed());
            }
            let started = Instant::now();
            sqlx::query("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10")
                .bind(fts_question(q))
                .fetch_all(&mut db)
                .await
                .unwrap_or_default();
            if round > 0 {
                q_fts.push(started.elapsed());
            }
        }
    }
    q_gongkai.sort();
    q_fts.sort();

    // Recall on the known items: found in the top 10.
    let mut t_found = 0;
    let mut f_found = 0;
    // A miss is named with how many documents match: a bare place name matches thousands of
    // re-sampled documents whose titles hold it too, so its known item may rank below 10.
    let mut t_missed = Vec::new();
    for (q, id) in KNOWN {
        let r = index.search(&search(q)).unwrap();
        if r.hits.iter().any(|h| h.id == id) {
            t_found += 1;
        } else {
            t_missed.push(format!("{q} ({} matches)", r.total));
        }
        let rows = sqlx::query("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10")
            .bind(fts_query(q))
            .fetch_all(&mut db)
            .await
            .unwrap_or_default();
        if rows.iter().any(|r| r.get::<i64, _>(0) == id) {
            f_found += 1;
        }
    }
    let size = walk;
    println!(
        "build: FTS5 trigram {total} docs in {:.1} s = {:.0} docs/s = {:.2} M chars/s",
        fts_build.as_secs_f64(),
        total as f64 / fts_build.as_secs_f64(),
        text_chars as f64 / fts_build.as_secs_f64() / 1e6
    );
    println!(
        "index size: tantivy {:.0} MiB, FTS5 {:.0} MiB",
        size(&work.join("tantivy")) as f64 / 1048576.0,
        size(&fts_path) as f64 / 1048576.0
    );
    for (label, set) in [
        ("dictionary words", &QUERIES[..]),
        ("multi-word terms", &PHRASES[..]),
        ("all 2–4 character queries", &all[..]),
    ] {
        let pick = |f: fn(&Timed) -> &Vec<Duration>| -> Vec<Duration> {
            let mut v: Vec<Duration> = set.iter().flat_map(|q| f(&timed[q]).clone()).collect();
            v.sort();
            v
        };
        let (g, f, page) = (pick(|t| &t.gongkai), pick(|t| &t.fts), pick(|t| &t.page));
        let (g50, g99, f50, f99) = (
            ms(percentile(&g, 0.5)),
            ms(percentile(&g, 0.99)),
            ms(percentile(&f, 0.5)),
            ms(percentile(&f, 0.99)),
        );
        println!(
            "{label} ({} × {reps}, top 10 with snippets): gongkai p50 {g50:.2} ms p99 {g99:.2} ms; \
             FTS5 p50 {f50:.2} ms p99 {f99:.2} ms; speed ratio (FTS5 / gongkai) p50 {:.1}×, p99 {:.1}×",
            set.len(),
            f50 / g50,
            f99 / g99,
        );
        println!(
            "  gongkai results page (+ total + facet counts over every match): p50 {:.2} ms p99 {:.2} ms; \
             ratio to FTS5's top 10: p50 {:.1}×, p99 {:.1}×",
            ms(percentile(&page, 0.5)),
            ms(percentile(&page, 0.99)),
            f50 / ms(percentile(&page, 0.5)),
            f99 / ms(percentile(&page, 0.99)),
        );
        println!(
            "  queries with any result: gongkai {}/{}, FTS5 {}/{}",
            set.iter().filter(|q| timed[*q].gongkai_found).count(),
            set.len(),
            set.iter().filter(|q| timed[*q].fts_found).count(),
            set.len(),
        );
    }
    println!("(FTS5 trigram cannot match a query of fewer than 3 characters)");
    println!(
        "questions ({} × {reps}): gongkai results page p50 {:.2} ms p99 {:.2} ms; \
         FTS5 OR of trigrams, top 10: p50 {:.2} ms p99 {:.2} ms",
        QUESTIONS.len(),
        ms(percentile(&q_gongkai, 0.5)),
        ms(percentile(&q_gongkai, 0.99)),
        ms(percentile(&q_fts, 0.5)),
        ms(percentile(&q_fts, 0.99)),
    );
    cold_gongkai.sort();
    cold_fts.sort();
    println!(
        "first round (each query once, cold, before the rounds above): gongkai p50 {:.2} ms max {:.2} ms; \
         FTS5 p50 {:.2} ms max {:.2} ms",
        ms(percentile(&cold_gongkai, 0.5)),
        ms(percentile(&cold_gongkai, 1.0)),
        ms(percentile(&cold_fts, 0.5)),
        ms(percentile(&cold_fts, 1.0)),
    );
    println!(
        "known-item recall (top 10): gongkai {t_found}/{}, FTS5 {f_found}/{}",
        KNOWN.len(),
        KNOWN.len()
    );
    if !t_missed.is_empty() {
        println!("  gongkai missed: {}", t_missed.join(", "));
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// Where a query's time goes: the same queries with parts of the work left out.
fn profile(index: &SearchIndex, reps: usize) {
    for (label, parts) in [
        (
            "top 10 only",
            gongkai_search::index::Parts {
                count: false,
                facets: false,
                snippets: false,
            },
        ),
        (
            "+ count",
            gongkai_search::index::Parts {
                count: true,
                facets: false,
                snippets: false,
            },
        ),
        (
            "+ facets",
            gongkai_search::index::Parts {
                count: true,
                facets: true,
                snippets: false,
            },
        ),
        (
            "+ snippets (full)",
            gongkai_search::index::Parts {
                count: true,
                facets: true,
                snippets: true,
            },
        ),
    ] {
        let queries: Vec<&str> = QUERIES.iter().chain(PHRASES.iter()).copied().collect();
        let mut times = Vec::new();
        let mut per_query = vec![Vec::new(); queries.len()];
        for _ in 0..reps {
            for (i, q) in queries.iter().enumerate() {
                let s = Search::text(q, 10).unwrap();
                let t = Instant::now();
                index.search_parts(&s, parts).unwrap();
                times.push(t.elapsed());
                per_query[i].push(t.elapsed());
            }
        }
        times.sort();
        println!(
            "profile {label}: p50 {:.2} ms p99 {:.2} ms",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
        // Each query's median, to see which queries make the tail.
        let medians: Vec<String> = queries
            .iter()
            .zip(per_query.iter_mut())
            .map(|(q, t)| {
                t.sort();
                format!("{q} {:.1}", ms(percentile(t, 0.5)))
            })
            .collect();
        println!("  per query (ms): {}", medians.join(", "));
    }
}

/// One query's timings and whether each engine found anything.
#[derive(Default)]
struct Timed {
    gongkai: Vec<Duration>,
    page: Vec<Duration>,
    fts: Vec<Duration>,
    gongkai_found: bool,
    fts_found: bool,
}

fn walk(p: &std::path::Path) -> u64 {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => std::fs::read_dir(p)
            .map(|d| d.flatten().map(|e| walk(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}
