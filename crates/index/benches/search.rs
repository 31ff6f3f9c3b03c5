//! Search latency on the shared corpus repeated to a few thousand documents.
//!
//! `cargo bench -p taizhang-index` indexes the corpus (located through
//! `TAIZHANG_CORPUS` or the first `shared/corpus` above this crate) repeated to at
//! least 3,000 documents in a temporary directory, then runs 1,000 queries (phrases,
//! two-word queries, with and without filters) and prints the indexing time and the
//! latency percentiles. It checks the hit counts, so it cannot time a wrong answer.

use std::time::{Duration, Instant};

use taizhang_index::{Index, IndexDoc, SearchQuery};

#[path = "../../store/benches/support/corpus.rs"]
mod corpus;

const MIN_DOCS: usize = 3000;
const QUERIES: usize = 1000;

const PHRASES: &[&str] = &[
    "成渝地区双城经济圈",
    "高质量发展",
    "新质生产力",
    "乡村振兴",
    "碳达峰",
    "碳中和",
    "人工智能",
    "数字经济",
    "营商环境",
    "城镇化率",
    "地区生产总值",
    "一般公共预算收入",
    "科技创新",
    "生态环境",
    "工业互联网",
    "十四五",
    "2025年",
    "现代化产业体系",
];

const TWO_WORDS: &[&str] = &[
    "人工智能 产业",
    "数字经济 核心产业",
    "乡村振兴 农业",
    "生态 保护",
    "新能源 汽车",
    "教育 质量",
    "投资 增长",
    "城乡 居民收入",
    "成渝 经济圈",
    "营商环境 改革",
];

const REGIONS: &[&str] = &[
    "110000", "320000", "330000", "370000", "440000", "500000", "510000", "520000", "530000",
    "620000",
];

fn main() {
    let texts = corpus::texts();
    if texts.is_empty() {
        println!("skipped: no shared/corpus with .txt documents (set TAIZHANG_CORPUS)");
        return;
    }
    let rounds = MIN_DOCS.div_ceil(texts.len());
    let docs: Vec<IndexDoc> = (0..rounds)
        .flat_map(|round| {
            texts.iter().enumerate().map(move |(i, (name, text))| IndexDoc {
                id: i64::try_from(round * 1000 + i).expect("small ids"),
                title: format!("{name} #{round}"),
                text: text.clone(),
                region_code: Some(REGIONS[round % REGIONS.len()].to_owned()),
                region_name: None,
                kind: Some(kind_of(name).to_owned()),
                year: Some(2015 + i32::try_from(round % 12).expect("small")),
                date: None,
            })
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();

    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut index = Index::open(tmp.path()).expect("opens");
    let started = Instant::now();
    let count = index.rebuild(docs.into_iter(), "bench").expect("indexing works");
    let indexing = started.elapsed();
    assert_eq!(index.len(), count);
    println!(
        "indexed {count} documents ({:.0} MB of text) in {:.1} s",
        bytes as f64 / 1e6,
        indexing.as_secs_f64()
    );

    // Answers first: the benchmark must not time wrong results.
    let with_phrase = texts.iter().filter(|(_, t)| t.contains("成渝地区双城经济圈")).count();
    let all = SearchQuery {
        limit: taizhang_index::MAX_LIMIT,
        ..SearchQuery::new("成渝地区双城经济圈")
    };
    let hits = index.search(&all).expect("valid query");
    assert_eq!(hits.len(), (with_phrase * rounds).min(taizhang_index::MAX_LIMIT));
    assert!(hits.iter().all(|h| !h.highlights.is_empty()));

    let queries = queries();
    for q in queries.iter().take(50) {
        index.search(q).expect("valid query");
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut empty = 0;
    let mut phrase_hits = 0;
    for q in &queries {
        let started = Instant::now();
        let hits = index.search(q).expect("valid query");
        latencies.push(started.elapsed());
        if hits.is_empty() {
            empty += 1;
        }
        if q.text == "高质量发展" && q.region_code.is_none() && q.year.is_none() {
            phrase_hits = phrase_hits.max(hits.len());
        }
    }
    assert!(phrase_hits > 0, "高质量发展 is found");
    assert!(empty < queries.len() / 2, "most queries find something");
    latencies.sort_unstable();
    let ms = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[i].as_secs_f64() * 1000.0
    };
    println!(
        "{} queries (limit 10, with snippets; {empty} without hits): \
         p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        queries.len(),
        ms(0.5),
        ms(0.9),
        ms(0.99),
        ms(1.0)
    );
}

/// A deterministic mix: phrases and two-word queries, a third with a filter.
fn queries() -> Vec<SearchQuery> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        // xorshift: reproducible without a dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).expect("small")
    };
    (0..QUERIES)
        .map(|_| {
            let text = if next(2) == 0 {
                PHRASES[next(PHRASES.len())]
            } else {
                TWO_WORDS[next(TWO_WORDS.len())]
            };
            let mut q = SearchQuery::new(text);
            match next(6) {
                0 => q.region_code = Some(REGIONS[next(REGIONS.len())].to_owned()),
                1 => q.year = Some(2015 + i32::try_from(next(12)).expect("small")),
                _ => {}
            }
            q
        })
        .collect()
}

fn kind_of(name: &str) -> &'static str {
    if name.contains("gwr") {
        "work_report"
    } else if name.contains("fyp") {
        "plan_outline"
    } else if name.contains("action_plan") {
        "action_plan"
    } else {
        "other"
    }
}
