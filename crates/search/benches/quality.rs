//! Search quality benchmark, in process (not a test): indexes the corpus of
//! `../shared/data/search-eval/` (or `EVAL`), asks every dev question with the kind filter
//! `document` as the portal's API would, and prints Recall@10 and MRR@10 at document level,
//! article Hit@10 (the passage answer or a result anchored at a relevant article), p50/p99
//! latency, and the index's size per indexed character. The figures over HTTP beside SQLite
//! FTS5 come from `benches/search-quality.sh`; this one is for tuning without a server.
//! Asserts nothing.
//!
//!   cargo bench -p gongkai-search --bench quality
//!   INDEX=/var/tmp/eval-index cargo bench -p gongkai-search --bench quality   # keep the index
//!   MISSES=1 …                                    # also print each question missed, with its top hits

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use gongkai_search::{Entry, Kind, Search, SearchIndex};

struct Question {
    text: String,
    docs: HashSet<String>,
    articles: HashSet<(String, String)>,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/search-eval");
    let eval = std::env::var("EVAL").map(PathBuf::from).unwrap_or(root);
    let mut gz = Vec::new();
    std::process::Command::new("gzip")
        .arg("-dc")
        .arg(eval.join("corpus.jsonl.gz"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip")
        .stdout
        .expect("stdout")
        .read_to_end(&mut gz)
        .expect("corpus");
    let comment = |s: &str| -> String {
        // LawRefBook leaves `<!-- TABLE -->` comments in its Markdown.
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("<!--") {
            out.push_str(&rest[..i]);
            rest = rest[i..].find("-->").map_or("", |j| &rest[i + j + 3..]);
        }
        out.push_str(rest);
        out
    };
    let mut entries = Vec::new();
    let mut corpus_id = HashMap::new();
    let mut chars = 0usize;
    for (n, line) in String::from_utf8(gz).expect("utf-8").lines().enumerate() {
        let d: serde_json::Value = serde_json::from_str(line).expect("json");
        let body = comment(d["body"].as_str().unwrap_or_default());
        if body.trim().is_empty() {
            continue;
        }
        let id = n as i64 + 1;
        corpus_id.insert(id, d["id"].as_str().unwrap_or_default().to_string());
        let mut e = Entry::document(id, d["title"].as_str().unwrap_or_default(), body);
        e.date = d["issued"]
            .as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        chars += e.title.chars().count() + e.body.chars().count();
        entries.push(e);
    }
    let questions: Vec<Question> = std::fs::read_to_string(eval.join("questions-dev.jsonl"))
        .expect("questions")
        .lines()
        .map(|l| {
            let q: serde_json::Value = serde_json::from_str(l).expect("json");
            let rel = q["relevant"].as_array().cloned().unwrap_or_default();
            let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            Question {
                text: s(&q["question"]),
                docs: rel.iter().map(|r| s(&r["doc"])).collect(),
                articles: rel
                    .iter()
                    .map(|r| (s(&r["doc"]), s(&r["article"])))
                    .collect(),
            }
        })
        .collect();

    let dir = std::env::var("INDEX")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            std::env::temp_dir().join(format!("gongkai-quality-{}", std::process::id()))
        });
    let keep = std::env::var("INDEX").is_ok();
    let mut index = SearchIndex::open(&dir).expect("index");
    if !(keep && index.is_current().unwrap_or(false) && index.num_docs() == entries.len() as u64) {
        if keep {
            drop(index);
            let _ = std::fs::remove_dir_all(&dir);
            index = SearchIndex::open(&dir).expect("index");
        }
        let t = Instant::now();
        let mut w = index.bulk_writer().expect("writer");
        for e in &entries {
            w.upsert(e).expect("upsert");
        }
        w.commit(1).expect("commit");
        index.refresh().expect("refresh");
        println!(
            "indexed {} texts ({:.1} M characters) in {:.1} s",
            entries.len(),
            chars as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
    let bytes: u64 = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "index: {:.0} MB, {:.1} bytes per indexed character",
        bytes as f64 / 1e6,
        bytes as f64 / chars as f64
    );

    let synonyms = gongkai_search::synonyms::Synonyms::shipped();
    let (mut recall, mut mrr, mut article, mut answered) = (0.0, 0.0, 0.0, 0.0);
    let mut times = Vec::new();
    for q in &questions {
        let mut s = Search::text(&q.text, 10).expect("query");
        s.kind = Some(Kind::Document);
        let t = Instant::now();
        synonyms.expand(&mut s.parsed);
        let r = index.search(&s).expect("search");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let ranked: Vec<&str> = r
            .hits
            .iter()
            .map(|h| corpus_id.get(&h.id).map_or("", String::as_str))
            .collect();
        if let Some(i) = ranked.iter().position(|d| q.docs.contains(*d)) {
            recall += 1.0;
            mrr += 1.0 / (i + 1) as f64;
        } else if std::env::var("MISSES").is_ok() {
            println!(
                "MISS {} {:?}\n   want {:?}\n   got {:?}",
                q.text,
                s.parsed.keywords,
                q.articles,
                r.hits
                    .iter()
                    .take(4)
                    .map(|h| (
                        h.title.chars().take(20).collect::<String>(),
                        h.passage.as_ref().map(|p| p.anchor.clone())
                    ))
                    .collect::<Vec<_>>()
            );
        }
        let mut anchored: Vec<(String, String)> = r
            .hits
            .iter()
            .filter_map(|h| {
                Some((
                    corpus_id.get(&h.id)?.clone(),
                    h.passage.as_ref()?.anchor.clone(),
                ))
            })
            .collect();
        if let Some(a) = &r.answer {
            let at = (
                corpus_id.get(&a.id).cloned().unwrap_or_default(),
                a.passage.anchor.clone(),
            );
            if q.articles.contains(&at) {
                answered += 1.0;
            }
            anchored.push(at);
        }
        if anchored.iter().any(|a| q.articles.contains(a)) {
            article += 1.0;
        }
    }
    let n = questions.len() as f64;
    times.sort_by(f64::total_cmp);
    let p = |x: f64| times[((x * times.len() as f64) as usize).min(times.len() - 1)];
    println!(
        "{} questions: Recall@10 {:.3}, MRR@10 {:.3}, article Hit@10 {:.3} (answer alone {:.3}), p50 {:.1} ms, p99 {:.1} ms",
        questions.len(),
        recall / n,
        mrr / n,
        article / n,
        answered / n,
        p(0.5),
        p(0.99)
    );
    if !keep {
        drop(index);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
