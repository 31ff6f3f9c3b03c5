//! `taizhang eval` prints what `eval/score.py` prints for the same predictions, and sets the
//! exit status as it does.

use std::path::{Path, PathBuf};

use crate::corpus;
use std::process::{Command, Output};

fn taizhang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang")).args(args).output().expect("running taizhang")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `score.py` beside the corpus, when it and `python3` are there.
fn reference_scorer(corpus: &Path) -> Option<PathBuf> {
    let script = corpus.join("../eval/score.py");
    let python = Command::new("python3").arg("--version").output();
    (script.is_file() && python.is_ok_and(|o| o.status.success())).then_some(script)
}

fn temporary_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a temporary directory");
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn eval_prints_what_score_py_prints_for_the_same_predictions() {
    let Some(corpus) = corpus() else {
        println!("skipped: no corpus (set TAIZHANG_CORPUS or put shared/corpus above the tree)");
        return;
    };
    let Some(script) = reference_scorer(&corpus) else {
        println!("skipped: python3 or eval/score.py is missing");
        return;
    };
    let (gold, docs) = (corpus.join("gold"), corpus.join("docs"));
    let pred = temporary_dir("eval_predictions");
    for (ours, theirs) in [(["--show-errors"], "--show-errors"), (["--format=json"], "--json")] {
        let output = taizhang(
            &[
                &["eval", "--gold", path(&gold), "--docs", path(&docs)][..],
                &["--save-predictions", path(&pred)],
                &ours,
            ]
            .concat(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let reference = Command::new("python3")
            .arg(&script)
            .args(["--gold-dir", path(&gold), "--pred-dir", path(&pred), theirs])
            .output()
            .expect("running score.py");
        assert!(reference.status.success(), "{}", stderr(&reference));
        assert_eq!(stdout(&output), stdout(&reference), "taizhang eval {ours:?}");
    }
}

/// A corpus of one document with one fact.
fn tiny_corpus(name: &str, gold: &str) -> (PathBuf, PathBuf) {
    let dir = temporary_dir(name);
    let (gold_dir, docs) = (dir.join("gold"), dir.join("docs"));
    std::fs::create_dir_all(&gold_dir).expect("creating a temporary directory");
    std::fs::create_dir_all(&docs).expect("creating a temporary directory");
    std::fs::write(gold_dir.join("doc.jsonl"), gold).expect("writing a gold file");
    std::fs::write(docs.join("doc.txt"), "全年地区生产总值增长5%。").expect("writing a document");
    (gold_dir, docs)
}

const GOLD: &str = r#"{"start": 30, "end": 32, "number": "5%", "value": 5, "unit": "%", "indicator": "地区生产总值", "measure": "growth", "kind": "actual", "qualifier": "exact", "year": null}
"#;

#[test]
fn minimum_scores_set_the_exit_status() {
    let (gold, docs) = tiny_corpus("eval_minimum", GOLD);
    let eval = |extra: &[&str]| {
        let output =
            taizhang(&[&["eval", "--gold", path(&gold), "--docs", path(&docs)], extra].concat());
        assert!(output.stderr.is_empty(), "{}", stderr(&output));
        output.status.code()
    };
    assert_eq!(eval(&[]), Some(0));
    assert_eq!(eval(&["--min-f1", "0", "--min-strict-f1", "0"]), Some(0));
    // No F1 exceeds 1, whatever the extractor finds.
    assert_eq!(eval(&["--min-f1", "1.01"]), Some(1));
    assert_eq!(eval(&["--min-strict-f1", "1.01"]), Some(1));
}

#[test]
fn a_bad_gold_line_is_named_by_file_and_line() {
    let (gold, docs) = tiny_corpus("eval_bad_gold", &format!("{GOLD}\n{{\"start\": 1}}\n"));
    let output = taizhang(&["eval", "--gold", path(&gold), "--docs", path(&docs)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with("error: parsing "), "{message}");
    assert!(
        message.contains("doc.jsonl: line 3: a fact needs byte offsets 'start' and 'end'"),
        "{message}"
    );
}

#[test]
fn a_missing_document_is_an_error() {
    let (gold, docs) = tiny_corpus("eval_missing_document", GOLD);
    std::fs::remove_file(docs.join("doc.txt")).expect("removing the document");
    let output = taizhang(&["eval", "--gold", path(&gold), "--docs", path(&docs)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no document doc.txt, .html or .htm in"),
        "{}",
        stderr(&output)
    );
}
