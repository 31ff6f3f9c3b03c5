//! The score module must agree with the reference scorer, `eval/score.py`, to 0.005 on every
//! metric. Real predictions do not exist yet, so these tests derive prediction sets from the
//! gold files by deterministic perturbations (dropped facts, shifted spans, refolded units,
//! wrong attributes, spurious and duplicate facts, facts on `ignore` spans), write them out,
//! and score each set with both scorers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};
use taizhang_extract::score::{Report, parse_jsonl, score_document};

const TOLERANCE: f64 = 0.005;

type Object = Map<String, Value>;

/// The corpus: `TAIZHANG_CORPUS`, or the first `shared/corpus` above this crate (the work
/// tree's sibling `../shared/corpus` in a checkout of main).
pub(crate) fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TAIZHANG_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|d| d.join("gold").is_dir());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|d| d.join("gold").is_dir())
}

/// The reference scorer, `TAIZHANG_SCORE_PY` or the first `shared/eval/score.py` above this
/// crate, when it and `python3` are there.
fn reference_scorer() -> Option<PathBuf> {
    let script = match std::env::var_os("TAIZHANG_SCORE_PY") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared/eval/score.py"))
            .find(|p| p.is_file())?,
    };
    let python = Command::new("python3").arg("--version").output();
    (script.is_file() && python.is_ok_and(|o| o.status.success())).then_some(script)
}

/// A small deterministic generator (xorshift64*), so that every run tests the same sets.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

fn int(fact: &Object, key: &str) -> i64 {
    fact.get(key).and_then(Value::as_i64).expect("gold offsets are integers")
}

fn set_span(fact: &mut Object, start: i64, end: i64) {
    fact.insert("start".into(), json!(start.max(0)));
    fact.insert("end".into(), json!(end.max(0)));
}

fn unit(fact: &Object) -> String {
    fact.get("unit").and_then(Value::as_str).unwrap_or("").to_owned()
}

fn value(fact: &Object) -> Option<f64> {
    fact.get("value").and_then(Value::as_f64)
}

/// Moves the span: narrower, wider, shifted by a little or by more than its length.
fn shift_span(fact: &mut Object, rng: &mut Rng) {
    let (start, end) = (int(fact, "start"), int(fact, "end"));
    let len = end - start;
    let d = 1 + rng.below(6) as i64;
    match rng.below(6) {
        0 => set_span(fact, start + d.min(len - 1), end),
        1 => set_span(fact, start, end - d.min(len - 1)),
        2 => set_span(fact, start - d, end + d),
        3 => set_span(fact, start + d, end + d),
        4 => set_span(fact, start + len + d, end + len + d),
        _ => set_span(fact, start - 30, end + 30),
    }
}

/// Rewrites unit and value, mostly keeping the folded value (亿元 → 万元 with the value times
/// 10⁴) and sometimes breaking it.
fn refold_unit(fact: &mut Object, rng: &mut Rng) {
    let (u, Some(v)) = (unit(fact), value(fact)) else { return };
    let (u, v) = match rng.below(9) {
        0 if u.starts_with('亿') => (u.replacen('亿', "万", 1), v * 1e4),
        0 | 1 if u.starts_with('万') => (u.replacen('万', "", 1), v * 1e4),
        0..=2 if u == "%" => ("％".to_owned(), v),
        0..=3 if u == "公里" => ("km".to_owned(), v),
        0..=4 => (format!("十{u}"), v / 10.0),
        5 => (format!("千{u}"), v),
        6 => (u, v + 1.0),
        7 => (u, v * (1.0 + 1e-12)),
        _ => {
            fact.insert("value".into(), Value::Null);
            return;
        }
    };
    fact.insert("unit".into(), json!(u));
    fact.insert("value".into(), json!(v));
}

/// Gets one attribute wrong, or right in another spelling.
fn change_attribute(fact: &mut Object, rng: &mut Rng) {
    let swap = |v: Option<&Value>, a: &str, b: &str| {
        if v.and_then(Value::as_str) == Some(a) { json!(b) } else { json!(a) }
    };
    match rng.below(12) {
        0 => {
            let kind = swap(fact.get("kind"), "target", "actual");
            fact.insert("kind".into(), kind);
        }
        1 => {
            let measure = swap(fact.get("measure"), "growth", "level");
            fact.insert("measure".into(), measure);
        }
        2 => {
            let q = rng.pick(&[json!(null), json!(""), json!("approx"), json!("at_least")]).clone();
            fact.insert("qualifier".into(), q);
        }
        3 => {
            fact.remove("qualifier");
        }
        4 => {
            let year = fact.get("year").and_then(Value::as_i64);
            let year = rng.pick(&[json!(null), json!(year.map(|y| y + 1)), json!(2025.0)]).clone();
            fact.insert("year".into(), year);
        }
        5 => {
            fact.remove(*rng.pick(&["kind", "measure", "year", "indicator"]));
        }
        _ => {
            let indicator = fact.get("indicator").and_then(Value::as_str).unwrap_or("");
            let chars: Vec<char> = indicator.chars().collect();
            let n = chars.len();
            let changed: String = match rng.below(7) {
                0 => chars.iter().take(2).collect(),
                1 => format!("{indicator}增长率"),
                2 => "其他统计指标".to_owned(),
                3 => chars.iter().rev().collect(),
                4 => {
                    chars.iter().enumerate().filter(|&(i, _)| i != n / 2).map(|(_, c)| c).collect()
                }
                5 => {
                    chars.iter().enumerate().filter(|&(i, _)| i % 3 != 1).map(|(_, c)| c).collect()
                }
                _ => format!("“{}”，", chars.iter().skip(n / 3).collect::<String>()),
            };
            fact.insert("indicator".into(), json!(changed));
        }
    }
}

/// A fact at a random place, often with a value and unit that some gold fact has.
fn spurious(gold: &[Object], rng: &mut Rng) -> Object {
    let max_end = gold.iter().map(|g| int(g, "end")).max().unwrap_or(100) + 50;
    let start = rng.below(max_end as usize) as i64;
    let mut fact = if !gold.is_empty() && rng.chance(0.7) {
        rng.pick(gold).clone()
    } else {
        json!({"value": rng.below(100), "unit": "个", "indicator": "某指标"})
            .as_object()
            .expect("an object")
            .clone()
    };
    fact.remove("ignore");
    set_span(&mut fact, start, start + 1 + rng.below(12) as i64);
    fact
}

/// A fact on an `ignore` span of the gold, unmatched or marked `ignore` itself.
fn on_ignore_span(gold: &[Object], rng: &mut Rng) -> Option<Object> {
    let ignored: Vec<&Object> =
        gold.iter().filter(|g| g.get("ignore") == Some(&json!(true))).collect();
    if ignored.is_empty() {
        return None;
    }
    let mut fact = (*rng.pick(&ignored)).clone();
    fact.remove("ignore");
    let (start, end) = (int(&fact, "start"), int(&fact, "end"));
    match rng.below(3) {
        0 => set_span(&mut fact, start + 1, end + 3),
        1 => {
            fact.insert("value".into(), json!(value(&fact).unwrap_or(0.0) + 7.0));
        }
        _ => {}
    }
    Some(fact)
}

/// The perturbations, by name; each maps one document's gold facts to predictions.
const SETS: [&str; 12] = [
    "copy",
    "copy_without_ignore_flags",
    "drop",
    "spans",
    "units",
    "attributes",
    "spurious",
    "duplicates",
    "ignore",
    "mixed1",
    "mixed2",
    "mixed3",
];

fn for_some(facts: &mut [Object], rng: &mut Rng, p: f64, f: impl Fn(&mut Object, &mut Rng)) {
    for fact in facts {
        if rng.chance(p) {
            f(fact, rng);
        }
    }
}

fn predictions(set: &str, gold: &[Object], rng: &mut Rng) -> Vec<Object> {
    let mut pred: Vec<Object> = gold.to_vec();
    match set {
        "copy" => {}
        "copy_without_ignore_flags" => pred.iter_mut().for_each(|p| drop(p.remove("ignore"))),
        "drop" => pred.retain(|_| rng.chance(0.7)),
        "spans" => for_some(&mut pred, rng, 0.5, shift_span),
        "units" => for_some(&mut pred, rng, 0.6, refold_unit),
        "attributes" => for_some(&mut pred, rng, 0.6, change_attribute),
        "spurious" => {
            for _ in 0..gold.len() / 3 + 2 {
                pred.push(spurious(gold, rng));
            }
        }
        "duplicates" => {
            // Copies with another indicator, some before the original: equal overlaps whose
            // ties the order of predictions decides.
            let mut copies: Vec<Object> =
                gold.iter().filter(|_| rng.chance(0.4)).cloned().collect();
            copies.iter_mut().for_each(|c| change_attribute(c, rng));
            pred.extend(copies);
            rng.shuffle(&mut pred);
        }
        "ignore" => {
            for_some(&mut pred, rng, 0.2, |p, rng| {
                let flag = rng.pick(&[json!(true), json!(1), json!("yes")]).clone();
                p.insert("ignore".into(), flag);
            });
            for _ in 0..4 {
                pred.extend(on_ignore_span(gold, rng));
            }
        }
        _ => {
            pred.retain(|_| rng.chance(0.85));
            for p in &mut pred {
                if rng.chance(0.25) {
                    shift_span(p, rng);
                }
                if rng.chance(0.25) {
                    refold_unit(p, rng);
                }
                if rng.chance(0.4) {
                    change_attribute(p, rng);
                }
                if rng.chance(0.05) {
                    p.remove("ignore");
                }
            }
            for _ in 0..rng.below(gold.len() / 4 + 3) {
                pred.push(spurious(gold, rng));
            }
            pred.extend(on_ignore_span(gold, rng));
            rng.shuffle(&mut pred);
        }
    }
    pred
}

fn write_jsonl(path: &Path, facts: &[Object]) {
    let lines: Vec<String> =
        facts.iter().map(|f| serde_json::to_string(f).expect("JSON serialises")).collect();
    std::fs::write(path, lines.join("\n") + "\n").expect("writing predictions");
}

fn read_jsonl(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn run_reference(script: &Path, gold: &Path, pred: &Path, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg(script)
        .arg("--gold-dir")
        .arg(gold)
        .arg("--pred-dir")
        .arg(pred)
        .args(args)
        .output()
        .expect("running score.py");
    assert!(
        output.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("score.py prints UTF-8")
}

/// Compares two JSON values: the same keys, equal integers, floats within [`TOLERANCE`].
/// Returns the largest float difference.
fn compare(path: &str, ours: &Value, theirs: &Value) -> f64 {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = |m: &Object| m.keys().cloned().collect::<Vec<_>>();
            let (mut ka, mut kb) = (keys(a), keys(b));
            ka.sort();
            kb.sort();
            assert_eq!(ka, kb, "keys of {path}");
            a.iter().map(|(k, v)| compare(&format!("{path}.{k}"), v, &b[k])).fold(0.0, f64::max)
        }
        (Value::Number(a), Value::Number(b)) if a.is_u64() || b.is_u64() => {
            assert_eq!(a.as_u64(), b.as_u64(), "{path}");
            0.0
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().expect("finite"), b.as_f64().expect("finite"));
            assert!((a - b).abs() <= TOLERANCE, "{path}: ours {a}, score.py {b}");
            (a - b).abs()
        }
        _ => {
            assert_eq!(ours, theirs, "{path}");
            0.0
        }
    }
}

/// `(document, "miss" or "extra", start, end)` for each error `score.py --show-errors` lists.
fn reference_errors(text: &str) -> Vec<(String, &'static str, usize, usize)> {
    let mut doc = String::new();
    let mut errors = Vec::new();
    for line in text.lines() {
        let (kind, rest) = if let Some(rest) = line.strip_prefix("  miss  ") {
            ("miss", rest)
        } else if let Some(rest) = line.strip_prefix("  extra ") {
            ("extra", rest)
        } else {
            if let Some((name, _)) = line.split_once(": tp ") {
                doc = name.to_owned();
            }
            continue;
        };
        let span = rest.split(' ').next().expect("a span");
        let (start, end) = span.split_once('-').expect("start-end");
        let parse = |s: &str| s.parse::<usize>().expect("an offset");
        errors.push((doc.clone(), kind, parse(start), parse(end)));
    }
    errors
}

fn jsonl_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listing a directory of JSONL files")
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".jsonl").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Scores `pred_dir` against `gold_dir` with both scorers and asserts that they agree: the
/// same JSON report within [`TOLERANCE`], and the same misses and false positives. Returns
/// the largest difference.
fn assert_agreement(script: &Path, gold_dir: &Path, pred_dir: &Path, label: &str) -> f64 {
    let mut documents = Vec::new();
    for name in jsonl_names(gold_dir) {
        let gold = parse_jsonl(&read_jsonl(&gold_dir.join(format!("{name}.jsonl"))))
            .expect("gold files parse");
        // score.py reads a missing prediction file as no predictions.
        let path = pred_dir.join(format!("{name}.jsonl"));
        let pred = if path.exists() {
            parse_jsonl(&read_jsonl(&path)).expect("prediction files parse")
        } else {
            Vec::new()
        };
        documents.push(score_document(&name, &gold, &pred));
    }
    let report = Report::from_documents(documents);

    let theirs: Value =
        serde_json::from_str(&run_reference(script, gold_dir, pred_dir, &["--json"]))
            .expect("score.py --json prints JSON");
    let ours = serde_json::to_value(&report).expect("a report serialises");
    let difference = compare(label, &ours, &theirs);

    let listing = run_reference(script, gold_dir, pred_dir, &["--show-errors"]);
    let ours_errors: Vec<_> = report
        .documents
        .iter()
        .flat_map(|d| {
            let missed = d.missed.iter().map(|g| (d.name.clone(), "miss", g.start, g.end));
            let extra = d.spurious.iter().map(|p| (d.name.clone(), "extra", p.start, p.end));
            missed.chain(extra)
        })
        .collect();
    assert_eq!(ours_errors, reference_errors(&listing), "errors listed for {label}");

    let acc = report.accuracy;
    println!(
        "{label}: tp {} fp {} fn {}  F1 {:.3} strict F1 {:.3}  kind {:?} indicator {:?} year {:?}  \
         max difference {difference:e}",
        report.true_positives,
        report.false_positives,
        report.false_negatives,
        report.f1,
        report.strict.f1,
        acc.kind,
        acc.indicator,
        acc.year,
    );
    difference
}

fn temporary_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn score_module_agrees_with_score_py_on_perturbed_corpus_predictions() {
    let Some(corpus) = corpus() else {
        println!("skipped: no corpus (set TAIZHANG_CORPUS or put shared/corpus above the tree)");
        return;
    };
    let Some(script) = reference_scorer() else {
        println!("skipped: python3 or shared/eval/score.py is missing");
        return;
    };
    let gold_dir = corpus.join("gold");
    let names = jsonl_names(&gold_dir);
    let gold: BTreeMap<&str, Vec<Object>> = names
        .iter()
        .map(|name| {
            let content = read_jsonl(&gold_dir.join(format!("{name}.jsonl")));
            let facts = content
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).expect("gold lines are JSON objects"))
                .collect();
            (name.as_str(), facts)
        })
        .collect();

    let tmp = temporary_dir("score_agreement_corpus");
    let mut max_difference: f64 = 0.0;
    for (seed, set) in SETS.iter().enumerate() {
        let mut rng = Rng::new(seed as u64 + 1);
        let pred_dir = tmp.join(set);
        std::fs::create_dir_all(&pred_dir).expect("creating a temporary directory");
        for (name, facts) in &gold {
            // The mixed sets leave out a document now and then.
            if !(set.starts_with("mixed") && rng.chance(0.15)) {
                let path = pred_dir.join(format!("{name}.jsonl"));
                write_jsonl(&path, &predictions(set, facts, &mut rng));
            }
        }
        let difference = assert_agreement(&script, &gold_dir, &pred_dir, set);
        max_difference = max_difference.max(difference);
    }
    println!("largest difference from score.py over all sets: {max_difference:e}");
}

/// Unit spellings by family, with the factor of each to the family's base unit, plus decoys
/// that look like one family but are another to `score.py` (`百分点` keeps its `百`, `千米` is
/// `公里` but `千千米` is 10⁶ `米`).
const UNITS: [(&str, f64); 22] = [
    ("元", 1.0),
    ("万元", 1e4),
    ("亿元", 1e8),
    ("十亿元", 1e9),
    (" 千万元", 1e7),
    ("公里", 1.0),
    ("km", 1.0),
    ("千米", 1.0),
    ("万公里", 1e4),
    ("米", 1.0),
    ("千千米", 1e6),
    ("%", 1.0),
    ("％", 1.0),
    ("percent", 1.0),
    ("万％", 1e4),
    ("百分点", 1.0),
    ("万百分点", 1e4),
    ("分点", 1.0),
    ("个百分点", 1.0),
    ("兆瓦", 1e6),
    ("瓦", 1.0),
    ("", 1.0),
];

const INDICATORS: [&str; 8] = [
    "地区生产总值",
    "地区生产总值增速",
    "城镇居民人均可支配收入",
    "农村居民人均可支配收入",
    "“十四五”规划目标",
    "规模工业增加值",
    "规模以上工业增加值",
    "甲",
];

/// A random fact in a crowded span range, from small pools so that values, units and spans
/// often coincide.
fn random_fact(rng: &mut Rng) -> Object {
    let start = rng.below(120) as i64;
    let (unit, _) = *rng.pick(&UNITS);
    let mut fact = json!({
        "start": start,
        "end": start + 1 + rng.below(10) as i64,
        "value": rng.pick(&[json!(1), json!(2), json!(1.5), json!(10), json!(0)]),
        "unit": unit,
        "indicator": rng.pick(&INDICATORS),
        "kind": rng.pick(&[json!("target"), json!("actual"), json!(null)]),
        "measure": rng.pick(&[json!("growth"), json!("level")]),
        "qualifier": rng.pick(&[json!(null), json!(""), json!("exact"), json!("approx")]),
        "year": rng.pick(&[json!(null), json!(2024), json!(2025)]),
    });
    let fact = fact.as_object_mut().expect("an object");
    for key in ["kind", "qualifier", "year", "indicator"] {
        if rng.chance(0.05) {
            fact.remove(key);
        }
    }
    fact.clone()
}

/// Another spelling of a fact's unit and value: the same folded value in the same family,
/// a decoy family, or a mere change of scale.
fn respell(fact: &mut Object, rng: &mut Rng) {
    let u = unit(fact);
    let Some(&(_, from)) = UNITS.iter().find(|(name, _)| *name == u) else { return };
    let (to_name, to) = *rng.pick(&UNITS);
    fact.insert("unit".into(), json!(to_name));
    fact.insert("value".into(), json!(value(fact).unwrap_or(1.0) * from / to));
}

#[test]
fn score_module_agrees_with_score_py_on_crowded_random_facts() {
    let Some(script) = reference_scorer() else {
        println!("skipped: python3 or shared/eval/score.py is missing");
        return;
    };
    let tmp = temporary_dir("score_agreement_random");
    let mut max_difference: f64 = 0.0;
    for seed in 1..=4 {
        let mut rng = Rng::new(1000 + seed);
        let (gold_dir, pred_dir) =
            (tmp.join(format!("gold{seed}")), tmp.join(format!("pred{seed}")));
        std::fs::create_dir_all(&gold_dir).expect("creating a temporary directory");
        std::fs::create_dir_all(&pred_dir).expect("creating a temporary directory");
        for doc in 0..25 {
            let mut gold: Vec<Object> =
                (0..5 + rng.below(40)).map(|_| random_fact(&mut rng)).collect();
            for g in &mut gold {
                if rng.chance(0.15) {
                    g.insert("ignore".into(), json!(true));
                }
            }
            let mut pred: Vec<Object> = Vec::new();
            for g in &gold {
                if rng.chance(0.2) {
                    continue;
                }
                let mut p = g.clone();
                p.remove("ignore");
                if rng.chance(0.3) {
                    shift_span(&mut p, &mut rng);
                }
                if rng.chance(0.4) {
                    respell(&mut p, &mut rng);
                }
                if rng.chance(0.4) {
                    change_attribute(&mut p, &mut rng);
                }
                if rng.chance(0.05) {
                    p.insert("ignore".into(), json!(true));
                }
                pred.push(p);
            }
            pred.extend((0..rng.below(20)).map(|_| random_fact(&mut rng)));
            rng.shuffle(&mut pred);
            write_jsonl(&gold_dir.join(format!("doc{doc:02}.jsonl")), &gold);
            if doc != 7 {
                write_jsonl(&pred_dir.join(format!("doc{doc:02}.jsonl")), &pred);
            }
        }
        let difference = assert_agreement(&script, &gold_dir, &pred_dir, &format!("random{seed}"));
        max_difference = max_difference.max(difference);
    }
    println!("largest difference from score.py over all sets: {max_difference:e}");
}
