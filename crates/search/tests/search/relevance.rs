//! Known-item relevance on real public documents: the five seed documents whole, with every
//! paragraph of each as a competing entry (titled by its opening words), and 2,000 documents re-sampled from their
//! sentences. Each query's document must rank in the top 3.

use gongkai_search::corpus::{Rng, paragraphs, resampled, sentences, title_and_body};
use gongkai_search::{Entry, Search, SearchIndex};

/// Text, title as published (the demo's), 文号.
const SEEDS: [(&str, &str, Option<&str>); 5] = [
    (
        include_str!("../../../../demo/seeds/000_bc04e441d24dcaac.txt"),
        "2018年松江区政务公开工作要点",
        None,
    ),
    (
        include_str!("../../../../demo/seeds/001_fedb41de06f635a6.txt"),
        "上海市嘉定区人民政府办公室关于印发《2021年上海市嘉定区政务公开工作要点》的通知",
        Some("嘉府办发〔2021〕18号"),
    ),
    (
        include_str!("../../../../demo/seeds/002_4ed54002f05e18c6.txt"),
        "2017年双城区政务公开工作要点",
        None,
    ),
    (
        include_str!("../../../../demo/seeds/003_e12181306ca0a942.txt"),
        "2018年楊浦區政府信息公開工作年度報告",
        None,
    ),
    (
        include_str!("../../../../demo/seeds/004_4ec3008c1d2e73c8.txt"),
        "中共上海市委办公厅 上海市人民政府办公厅印发《关于全面推进政务公开工作的实施意见》的通知",
        Some("沪委办发〔2017〕14号"),
    ),
];

fn entry(id: i64, title: String, body: String, doc_number: Option<&str>) -> Entry {
    Entry {
        doc_number: doc_number.map(String::from),
        agency_code: "YX0100".into(),
        ..Entry::document(id, title, body)
    }
}

fn corpus() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut w = index.writer().unwrap();
    let mut all_sentences = Vec::new();
    for (i, (text, title, number)) in SEEDS.iter().enumerate() {
        let (first_line, body) = title_and_body(text);
        assert!(!first_line.is_empty());
        w.upsert(&entry(i as i64 + 1, title.to_string(), body, *number))
            .unwrap();
        for (p, para) in paragraphs(text, 30).into_iter().enumerate() {
            // An excerpt is titled by its own opening words, as a separate notice would be.
            let heading: String = para.chars().take(24).collect();
            w.upsert(&entry(
                1000 * (i as i64 + 1) + p as i64,
                heading,
                para,
                None,
            ))
            .unwrap();
        }
        all_sentences.extend(sentences(text));
    }
    let mut rng = Rng::new(2024);
    for id in 0..2000 {
        w.upsert(&resampled(100_000 + id, &all_sentences, &mut rng))
            .unwrap();
    }
    w.commit(1).unwrap();
    index.refresh().unwrap();
    index
}

fn top3(index: &SearchIndex, q: &str) -> Vec<i64> {
    let s = Search::text(q, 3).unwrap();
    index
        .search(&s)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn known_items_rank_in_the_top_three() {
    let index = corpus();
    assert!(index.num_docs() > 2000);
    for (q, expected, why) in [
        ("嘉府办发〔2021〕18号", 2, "文号"),
        ("嘉府办发[2021]18号", 2, "文号 with square brackets"),
        ("沪委办发(2017)14号", 5, "文号 with round brackets"),
        ("嘉定区政务公开工作要点", 2, "title words"),
        ("松江区 政务公开工作要点", 1, "title words, two terms"),
        ("双城区政务公开工作要点", 3, "title words"),
        (
            "杨浦区 年度报告",
            4,
            "simplified query, traditional document",
        ),
        // (Not 楊浦區 政務公開: re-sampled notices with both terms in their titles rightly
        // outrank a report whose title holds only one.)
        ("楊浦區 年度報告", 4, "traditional query"),
        ("松江", 1, "a two-character word"),
        ("脱贫", 3013, "a two-character word opening a paragraph"),
        (
            "松江區政務公開工作要點",
            1,
            "traditional query, simplified document",
        ),
        ("关于全面推进政务公开工作的实施意见", 5, "a long title"),
    ] {
        let got = top3(&index, q);
        if std::env::var_os("SHOW").is_some() {
            let s = Search::text(q, 5).unwrap();
            for h in index.search(&s).unwrap().hits {
                eprintln!("{q}: {} {:.1} {}", h.id, h.score, h.title);
            }
        }
        assert!(
            got.contains(&expected),
            "{q} ({why}): expected document {expected} in the top 3, got {got:?}"
        );
    }
}
