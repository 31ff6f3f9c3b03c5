//! Throughput of `extract` against a jieba-rs segmentation pass over the same text.
//!
//! `cargo bench -p taizhang-extract --bench throughput` repeats the shared corpus until the
//! input reaches 20 MB, runs every document through [`taizhang_extract::extract`] and through
//! `Jieba::cut`, and prints both speeds and their ratio on the last line. It then runs one
//! giant document of about 100 MB to show that extraction completes and that its peak memory
//! grows linearly with the input.
//!
//! The bench checks its own output (tantivy's `benches/analyzer.rs` does the same), so it
//! cannot measure a wrong answer fast: every repetition must find exactly the facts and
//! tokens that one pass over the distinct documents finds.
//!
//! Run by `cargo test --benches` (no `--bench` argument), it makes one small pass only, as a
//! smoke test.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jieba_rs::Jieba;
use taizhang_extract::{Format, extract};

/// The size the repeated corpus must reach.
const REPEATED_BYTES: usize = 20_000_000;
/// The size of the single giant document.
const GIANT_BYTES: usize = 100_000_000;
/// A smaller giant document, to compare peak memory against.
const QUARTER_GIANT_BYTES: usize = GIANT_BYTES / 4;

/// Timed rounds of each pass; the fastest counts.
const ROUNDS: usize = 3;

const MB: f64 = 1_000_000.0;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let docs = corpus();
    let distinct: usize = docs.iter().map(String::len).sum();
    assert!(distinct > 0, "the input is empty");
    let reps = if full { REPEATED_BYTES.div_ceil(distinct) } else { 1 };
    println!(
        "input: {} documents, {:.2} MB distinct, repeated {reps}× = {:.2} MB",
        docs.len(),
        distinct as f64 / MB,
        (distinct * reps) as f64 / MB
    );

    // One pass over the distinct documents gives the expected counts, and warms the caches.
    let facts_once: usize =
        docs.iter().map(|d| extract(d.as_bytes(), Format::Text).facts.len()).sum();
    assert!(facts_once > 0, "extract finds no fact in the corpus");
    let jieba = Jieba::new();
    let tokens_once: usize = docs.iter().map(|d| jieba.cut(d, true).len()).sum();
    assert!(tokens_once > 0, "jieba-rs finds no token in the corpus");

    // Rounds alternate the two passes, so that load from elsewhere on the machine slows both
    // alike; the fastest round of each counts.
    let rounds = if full { ROUNDS } else { 1 };
    let mut t_extract = Timing::MAX;
    let mut t_jieba = Timing::MAX;
    let (mut facts, mut tokens) = (0, 0);
    for _ in 0..rounds {
        let t;
        (facts, t) = timed(|| {
            let mut n = 0;
            for _ in 0..reps {
                for d in &docs {
                    n += black_box(extract(black_box(d.as_bytes()), Format::Text)).facts.len();
                }
            }
            n
        });
        assert_eq!(facts, reps * facts_once, "extract found a different number of facts per pass");
        t_extract = t_extract.min(t);

        let t;
        (tokens, t) = timed(|| {
            let mut n = 0;
            for _ in 0..reps {
                for d in &docs {
                    n += black_box(jieba.cut(black_box(d), true)).len();
                }
            }
            n
        });
        assert_eq!(
            tokens,
            reps * tokens_once,
            "jieba-rs found a different number of tokens per pass"
        );
        t_jieba = t_jieba.min(t);
    }

    let total = (distinct * reps) as f64 / MB;
    let extract_speed = total / t_extract.wall.as_secs_f64();
    let jieba_speed = total / t_jieba.wall.as_secs_f64();
    println!(
        "extract:  {extract_speed:8.2} MB/s  ({facts} facts, {facts_once} per pass; best of {rounds}: {:.2} s)",
        t_extract.wall.as_secs_f64()
    );
    println!(
        "jieba-rs: {jieba_speed:8.2} MB/s  ({tokens} tokens, {tokens_once} per pass; best of {rounds}: {:.2} s)",
        t_jieba.wall.as_secs_f64()
    );
    // On a busy machine the wall clock also counts time spent waiting for a core; the time
    // on the CPU does not, so its ratio is the steadier one.
    if let (Some(e), Some(j)) = (t_extract.cpu, t_jieba.cpu) {
        let (e, j) = (total / e.as_secs_f64(), total / j.as_secs_f64());
        println!("on-CPU:   extract {e:.2} MB/s, jieba-rs {j:.2} MB/s, ratio {:.2}", e / j);
    }
    if let Some(kb) = peak_kb() {
        println!("peak memory (VmHWM) so far: {:.1} MB", kb as f64 * 1024.0 / MB);
    }

    if full {
        // Two sizes, so the reader can see that peak memory scales with the input.
        for size in [QUARTER_GIANT_BYTES, GIANT_BYTES] {
            giant(&docs, size, facts_once);
        }
    }

    // The ratio stays the last line, for scripts that read it.
    println!("ratio extract/jieba-rs: {:.2}", extract_speed / jieba_speed);
}

/// Extracts one document of at least `size` bytes made by joining the corpus, and prints
/// its time and the peak memory of the process during that extraction.
fn giant(docs: &[String], size: usize, facts_once: usize) {
    let mut text = String::with_capacity(size + docs.iter().map(String::len).max().unwrap_or(0));
    let mut joined = 0;
    'fill: loop {
        for d in docs {
            if text.len() >= size {
                break 'fill;
            }
            text.push_str(d);
            text.push('\n');
            joined += 1;
        }
    }
    let reset = reset_peak();
    let before = peak_kb();
    let (facts, t) =
        timed(|| black_box(extract(black_box(text.as_bytes()), Format::Text)).facts.len());
    let t = t.wall;
    assert!(facts > 0, "extract finds no fact in the giant document");
    // Joined documents share one title, one year and one outline, so the count differs from
    // the per-document one: a glossary (名词解释) at the end of one document, for instance,
    // runs on over the documents after it and hides their figures. It is printed for the
    // reader, not asserted.
    let expected = facts_once * joined / docs.len().max(1);
    print!(
        "giant document {:.1} MB ({joined} documents joined): {:.2} s, {:.2} MB/s, {facts} facts (joined documents alone: ~{expected})",
        text.len() as f64 / MB,
        t.as_secs_f64(),
        text.len() as f64 / MB / t.as_secs_f64()
    );
    match (reset, before, peak_kb()) {
        (true, Some(before), Some(after)) => println!(
            ", VmHWM {:.1} MB (input held: {:.1} MB; {:.1} bytes per input byte above it)",
            after as f64 * 1024.0 / MB,
            before as f64 * 1024.0 / MB,
            (after.saturating_sub(before) * 1024) as f64 / text.len() as f64
        ),
        (_, _, Some(after)) => {
            println!(", VmHWM {:.1} MB (process peak)", after as f64 * 1024.0 / MB)
        }
        _ => println!(),
    }
}

/// How long a pass took: by the wall clock, and on the CPU where Linux tells.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Timing {
    const MAX: Timing = Timing { wall: Duration::MAX, cpu: None };

    /// The fastest of two, each clock on its own.
    fn min(self, other: Timing) -> Timing {
        let cpu = match (self.cpu, other.cpu) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Timing { wall: self.wall.min(other.wall), cpu }
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Timing) {
    let cpu_start = cpu_ns();
    let start = Instant::now();
    let out = f();
    let wall = start.elapsed();
    let cpu = cpu_start.zip(cpu_ns()).map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)));
    (out, Timing { wall, cpu })
}

/// Nanoseconds this thread has spent on a CPU (`/proc/thread-self/schedstat`), on Linux.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// The peak resident set size of this process in kB (`VmHWM`), on Linux.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets `VmHWM` to the current resident set size (Linux ≥ 4.0), so the next reading is
/// the peak of what follows.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The corpus documents, sorted by path; a generated fictional text when the corpus is
/// absent.
fn corpus() -> Vec<String> {
    let Some(dir) = corpus_dir() else {
        println!("corpus not found (set TAIZHANG_CORPUS); using a generated fictional text");
        return generated();
    };
    let mut paths: Vec<PathBuf> = ["docs", "extra"]
        .iter()
        .filter_map(|sub| std::fs::read_dir(dir.join(sub)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs: Vec<String> = paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            // jieba-rs needs `&str`; extract gets the same text as bytes.
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect();
    if docs.is_empty() {
        println!(
            "corpus {} has no .txt documents; using a generated fictional text",
            dir.display()
        );
        return generated();
    }
    println!("corpus: {}", dir.display());
    docs
}

/// `TAIZHANG_CORPUS`, else the first `shared/corpus` above the crate: `../../../shared/corpus`
/// from the main tree, one level further up from a worktree under `wt/`.
fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TAIZHANG_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|p| p.join("docs").is_dir())
}

/// Twenty fictional documents of about 50 kB each, varied deterministically.
fn generated() -> Vec<String> {
    const PLACES: &[&str] = &["示例市", "样本县", "虚构区", "演示州"];
    const INDICATORS: &[(&str, &str, &str)] = &[
        ("地区生产总值增长", "", "%"),
        ("新增城镇就业", "万", "人"),
        ("一般公共预算收入", "亿", "元"),
        ("城镇居民人均可支配收入增长", "", "%"),
        ("粮食产量", "万", "吨"),
        ("新建学校", "", "所"),
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        // A 64-bit LCG (Knuth's MMIX constants): deterministic, no dependency.
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..20)
        .map(|d| {
            let place = PLACES[d % PLACES.len()];
            let mut doc =
                format!("{place}{}年政府工作报告\n\n一、{}年工作回顾\n\n", 2020 + d, 2019 + d);
            while doc.len() < 50_000 {
                for _ in 0..3 {
                    let (name, mag, unit) = INDICATORS[next() % INDICATORS.len()];
                    let v = next() % 1000;
                    doc.push_str(&format!("{place}{name}{}.{}{mag}{unit}，", v / 10, v % 10));
                }
                doc.pop();
                doc.push_str("。\n");
            }
            doc
        })
        .collect()
}
