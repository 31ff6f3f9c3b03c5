//! Scoring predicted facts against gold annotations: a port of `eval/score.py`.
//!
//! A prediction matches a gold fact when their byte spans overlap and their values agree
//! once magnitude words are folded into the value (`5500亿元` == `550000000000元`). Gold
//! spans marked `ignore` are neither rewarded nor penalised. Every rule is kept as the
//! reference scorer has it, quirks included (`兆` is 10⁶, `千千米` folds to 10⁶ `米`),
//! because the two must report the same numbers: the agreement tests run both on the corpus.
//!
//! ```
//! use taizhang_extract::score::{parse_jsonl, score_documents};
//!
//! let gold = parse_jsonl(
//!     r#"{"start": 0, "end": 9, "value": 5500, "unit": "亿元", "kind": "target"}"#,
//! )?;
//! let pred = parse_jsonl(
//!     r#"{"start": 0, "end": 12, "value": 55000000, "unit": "万元", "kind": "actual"}"#,
//! )?;
//! let report = score_documents(&[("doc".to_owned(), gold, pred)]);
//! assert_eq!(report.true_positives, 1);
//! assert_eq!(report.accuracy.kind, Some(0.0));
//! assert_eq!(report.strict.f1, 0.0);
//! # Ok::<(), taizhang_extract::score::ParseError>(())
//! ```

use std::collections::BTreeSet;
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Fact;

/// Magnitude words folded into the value. `兆` is 10⁶ as in `score.py`.
const MAGNITUDE: [(char, f64); 6] =
    [('十', 10.0), ('百', 100.0), ('千', 1e3), ('万', 1e4), ('亿', 1e8), ('兆', 1e6)];

/// Spellings of one unit.
const SAME_UNIT: [(&str, &str); 4] =
    [("％", "%"), ("percent", "%"), ("km", "公里"), ("千米", "公里")];

/// Characters [`norm_text`] removes besides whitespace.
const PUNCTUATION: &str = "“”\"'（）()、，,。:：";

/// One fact as the gold files and `score.py` see it: the fields of one JSONL line.
///
/// Everything but the span may be missing or `null`, as `score.py` allows. Gold files and
/// predictions share this shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScoredFact {
    /// Byte offset where the number with its unit starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive).
    pub end: usize,
    /// The text of the span, for reading.
    pub number: Option<String>,
    /// The numeral; a magnitude word stays in `unit`.
    pub value: Option<f64>,
    /// The upper bound of a range; not scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<f64>,
    /// The unit as written, with its magnitude prefix.
    pub unit: Option<String>,
    /// What is measured.
    pub indicator: Option<String>,
    /// `growth` or `level`.
    pub measure: Option<String>,
    /// `target` or `actual`.
    pub kind: Option<String>,
    /// `approx`, `at_least`, `at_most` or `exact`; missing counts as `exact`.
    pub qualifier: Option<String>,
    /// The year the value refers to.
    pub year: Option<i64>,
    /// A span that counts neither way (in a gold file), or a prediction to drop.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignore: bool,
}

impl From<&Fact> for ScoredFact {
    fn from(fact: &Fact) -> ScoredFact {
        ScoredFact {
            start: fact.start,
            end: fact.end,
            number: Some(fact.number.clone()),
            value: Some(fact.value),
            value_max: fact.value_max,
            unit: Some(fact.unit.clone()),
            indicator: Some(fact.indicator.clone()),
            measure: Some(fact.measure.as_str().to_owned()),
            kind: Some(fact.kind.as_str().to_owned()),
            qualifier: Some(fact.qualifier.as_str().to_owned()),
            year: fact.year.map(i64::from),
            ignore: false,
        }
    }
}

impl ScoredFact {
    /// Reads one parsed JSON line. The message of the error says what is wrong.
    pub fn from_json(value: &Value) -> Result<ScoredFact, String> {
        let Some(obj) = value.as_object() else {
            return Err(NEEDS_OFFSETS.to_owned());
        };
        if !obj.contains_key("start") || !obj.contains_key("end") {
            return Err(NEEDS_OFFSETS.to_owned());
        }
        Ok(ScoredFact {
            start: offset(obj, "start")?,
            end: offset(obj, "end")?,
            number: string(obj, "number")?,
            value: number(obj, "value")?,
            value_max: number(obj, "value_max")?,
            unit: string(obj, "unit")?,
            indicator: string(obj, "indicator")?,
            measure: string(obj, "measure")?,
            kind: string(obj, "kind")?,
            qualifier: string(obj, "qualifier")?,
            year: year(obj)?,
            ignore: obj.get("ignore").is_some_and(truthy),
        })
    }

    /// The number of bytes the spans of `self` and `other` share.
    pub fn overlap(&self, other: &ScoredFact) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }

    /// The qualifier with a missing or empty one read as `exact`, as `score.py` does.
    fn qualifier_or_exact(&self) -> &str {
        match self.qualifier.as_deref() {
            None | Some("") => "exact",
            Some(q) => q,
        }
    }
}

const NEEDS_OFFSETS: &str = "a fact needs byte offsets 'start' and 'end'";

fn offset(obj: &Map<String, Value>, key: &str) -> Result<usize, String> {
    obj.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("'{key}' must be a non-negative integer"))
}

fn string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("'{key}' must be a string or null")),
    }
}

fn number(obj: &Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            n.as_f64().map(Some).ok_or_else(|| format!("'{key}' is not a finite number"))
        }
        Some(_) => Err(format!("'{key}' must be a number or null")),
    }
}

/// Years compare as Python numbers do, so `2024.0` is the year 2024.
fn year(obj: &Map<String, Value>) -> Result<Option<i64>, String> {
    const MESSAGE: &str = "'year' must be an integer or null";
    match obj.get("year") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(y), _) => Ok(Some(y)),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
            _ => Err(MESSAGE.to_owned()),
        },
        Some(_) => Err(MESSAGE.to_owned()),
    }
}

/// Python's truth value of a JSON value, which is what `score.py` tests `ignore` with.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A line of a JSONL file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Reads the facts of a JSONL file, one JSON object a line; blank lines are skipped.
///
/// Lines end at `\n`, `\r\n` or `\r`, as Python's text files do, so line numbers in errors
/// are the ones `score.py` reports.
pub fn parse_jsonl(content: &str) -> Result<Vec<ScoredFact>, ParseError> {
    let mut facts = Vec::new();
    for (index, line) in python_lines(content).enumerate() {
        let line = line.trim_matches(python_isspace);
        if line.is_empty() {
            continue;
        }
        let error = |message: String| ParseError { line: index + 1, message };
        let value: Value =
            serde_json::from_str(line).map_err(|e| error(format!("not JSON: {e}")))?;
        facts.push(ScoredFact::from_json(&value).map_err(error)?);
    }
    Ok(facts)
}

/// Splits at `\n`, `\r\n` and `\r`, as Python's universal newlines do.
fn python_lines(content: &str) -> impl Iterator<Item = &str> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match rest.find(['\r', '\n']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], &rest[i + 2..]),
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = next;
        Some(line)
    })
}

/// Python's `str.isspace`, which is also what `\s` matches in its regular expressions:
/// Unicode white space plus the four information separators U+001C..U+001F.
fn python_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn same_unit(unit: &str) -> &str {
    SAME_UNIT.iter().find(|(from, _)| *from == unit).map_or(unit, |(_, to)| to)
}

fn magnitude(c: char) -> Option<f64> {
    MAGNITUDE.iter().find(|(m, _)| *m == c).map(|(_, f)| *f)
}

/// Folds the magnitude words at the front of `unit` into `value`: `("亿元", 5500)` becomes
/// `("元", 5.5e11)`.
///
/// `百分点` keeps its `百`, but `个百分点` and `万百分点` are read as `score.py` reads them.
/// Spellings such as `％` and `km` are unified before and after the folding.
pub fn base_unit(unit: Option<&str>, value: Option<f64>) -> (String, Option<f64>) {
    let mut unit = same_unit(unit.unwrap_or("").trim_matches(python_isspace));
    let mut mult = 1.0;
    while let Some(c) = unit.chars().next()
        && let Some(m) = magnitude(c)
        && unit != "百分点"
    {
        mult *= m;
        unit = &unit[c.len_utf8()..];
    }
    (same_unit(unit).to_owned(), value.map(|v| v * mult))
}

/// Whether two folded values agree to a relative 10⁻⁹; a missing value agrees with nothing.
pub fn same_value(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * 1f64.max(a.abs()).max(b.abs()),
        _ => false,
    }
}

/// Removes white space, quotation marks, brackets and the commas, colons and full stops
/// that indicators are compared without.
pub fn norm_text(s: &str) -> String {
    s.chars().filter(|&c| !python_isspace(c) && !PUNCTUATION.contains(c)).collect()
}

/// Whether two indicators name the same thing: after [`norm_text`], one contains the other
/// or the Dice coefficient of their character bigrams is at least 0.5. An empty indicator
/// matches nothing.
pub fn same_indicator(gold: Option<&str>, pred: Option<&str>) -> bool {
    let g = norm_text(gold.unwrap_or(""));
    let p = norm_text(pred.unwrap_or(""));
    if g.is_empty() || p.is_empty() {
        return false;
    }
    if g.contains(&p) || p.contains(&g) {
        return true;
    }
    let (bg, bp) = (bigrams(&g), bigrams(&p));
    let common = bg.intersection(&bp).count();
    (2 * common) as f64 / (bg.len() + bp.len()) as f64 >= 0.5
}

/// The set of two-character substrings; a one-character string stands for itself.
fn bigrams(s: &str) -> BTreeSet<&str> {
    let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let set: BTreeSet<&str> = bounds.windows(3).map(|w| &s[w[0]..w[2]]).collect();
    if set.is_empty() { BTreeSet::from([s]) } else { set }
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// True positives over predictions; 0 when nothing was predicted.
    pub precision: f64,
    /// True positives over gold facts; 0 when there are none.
    pub recall: f64,
    /// The harmonic mean of the two; 0 when both are 0.
    pub f1: f64,
}

impl Prf {
    /// Computes the three from counts of true positives, false positives and false
    /// negatives.
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Prf {
        let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let sum = precision + recall;
        // The order of the operations is `score.py`'s, so that the floats are the same.
        let f1 = if sum == 0.0 { 0.0 } else { 2.0 * precision * recall / sum };
        Prf { precision, recall, f1 }
    }
}

/// How many matched facts got an attribute right, out of how many were checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Matched facts with the attribute right.
    pub correct: usize,
    /// Matched facts on which the attribute was checked.
    pub total: usize,
}

impl Tally {
    fn add(&mut self, good: bool) {
        self.correct += usize::from(good);
        self.total += 1;
    }

    fn merge(&mut self, other: Tally) {
        self.correct += other.correct;
        self.total += other.total;
    }

    /// `correct / total`, or `None` when nothing was checked.
    pub fn accuracy(self) -> Option<f64> {
        (self.total > 0).then(|| self.correct as f64 / self.total as f64)
    }
}

/// Attribute tallies over matched facts. `year` is checked only where the gold year is not
/// null; `all` counts facts with every checked attribute right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttributeTallies {
    /// `target` or `actual`.
    pub kind: Tally,
    /// `growth` or `level`.
    pub measure: Tally,
    /// With a missing qualifier read as `exact`.
    pub qualifier: Tally,
    /// By [`same_indicator`].
    pub indicator: Tally,
    /// Only where the gold year is known.
    pub year: Tally,
    /// Everything above right at once.
    pub all: Tally,
}

impl AttributeTallies {
    fn merge(&mut self, other: &AttributeTallies) {
        self.kind.merge(other.kind);
        self.measure.merge(other.measure);
        self.qualifier.merge(other.qualifier);
        self.indicator.merge(other.indicator);
        self.year.merge(other.year);
        self.all.merge(other.all);
    }

    /// The accuracies.
    pub fn accuracy(&self) -> Accuracy {
        Accuracy {
            kind: self.kind.accuracy(),
            measure: self.measure.accuracy(),
            qualifier: self.qualifier.accuracy(),
            indicator: self.indicator.accuracy(),
            year: self.year.accuracy(),
            all: self.all.accuracy(),
        }
    }
}

/// Attribute accuracy on matched facts; `None` (JSON `null`) when nothing was checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// `target` or `actual`.
    pub kind: Option<f64>,
    /// `growth` or `level`.
    pub measure: Option<f64>,
    /// With a missing qualifier read as `exact`.
    pub qualifier: Option<f64>,
    /// By [`same_indicator`].
    pub indicator: Option<f64>,
    /// Only where the gold year is known.
    pub year: Option<f64>,
    /// Every attribute right at once.
    pub all: Option<f64>,
}

impl Accuracy {
    /// The accuracies that are known, by name, in `score.py`'s order.
    pub fn known(&self) -> Vec<(&'static str, f64)> {
        [
            ("kind", self.kind),
            ("measure", self.measure),
            ("qualifier", self.qualifier),
            ("indicator", self.indicator),
            ("year", self.year),
            ("all", self.all),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect()
    }
}

/// The score of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentScore {
    /// The document's name: its gold file's name without `.jsonl`.
    pub name: String,
    /// Matched pairs.
    pub true_positives: usize,
    /// Attribute tallies over the matched pairs.
    pub attributes: AttributeTallies,
    /// Gold facts no prediction matched (false negatives), in gold order.
    pub missed: Vec<ScoredFact>,
    /// Predictions that matched nothing and overlap no `ignore` span (false positives), in
    /// prediction order.
    pub spurious: Vec<ScoredFact>,
}

impl DocumentScore {
    /// Predictions that count against precision.
    pub fn false_positives(&self) -> usize {
        self.spurious.len()
    }

    /// Gold facts that count against recall.
    pub fn false_negatives(&self) -> usize {
        self.missed.len()
    }

    /// Precision, recall and F1 of this document alone.
    pub fn prf(&self) -> Prf {
        Prf::from_counts(self.true_positives, self.false_positives(), self.false_negatives())
    }
}

/// Scores one document: predictions marked `ignore` are dropped, then each gold fact is
/// matched to at most one prediction, greedily by largest span overlap.
///
/// A pair is a candidate when the spans overlap and unit and value agree after
/// [`base_unit`]. Ties go to the earlier gold fact, then the earlier prediction, which is
/// the order of `score.py`'s sort of `(-overlap, gold, pred)`.
pub fn score_document(name: &str, gold: &[ScoredFact], pred: &[ScoredFact]) -> DocumentScore {
    let pred: Vec<&ScoredFact> = pred.iter().filter(|p| !p.ignore).collect();
    let (ignored, keep): (Vec<&ScoredFact>, Vec<&ScoredFact>) = gold.iter().partition(|g| g.ignore);
    let base = |f: &ScoredFact| base_unit(f.unit.as_deref(), f.value);
    let pred_base: Vec<_> = pred.iter().map(|p| base(p)).collect();

    let mut candidates = Vec::new();
    for (gi, g) in keep.iter().enumerate() {
        let (g_unit, g_value) = base(g);
        for (pi, p) in pred.iter().enumerate() {
            let ov = g.overlap(p);
            let (p_unit, p_value) = &pred_base[pi];
            if ov > 0 && g_unit == *p_unit && same_value(g_value, *p_value) {
                candidates.push((std::cmp::Reverse(ov), gi, pi));
            }
        }
    }
    candidates.sort_unstable();

    let mut gold_used = vec![false; keep.len()];
    let mut pred_used = vec![false; pred.len()];
    let mut attributes = AttributeTallies::default();
    let mut true_positives = 0;
    for (_, gi, pi) in candidates {
        if gold_used[gi] || pred_used[pi] {
            continue;
        }
        gold_used[gi] = true;
        pred_used[pi] = true;
        true_positives += 1;
        check_attributes(keep[gi], pred[pi], &mut attributes);
    }

    let spurious = pred
        .iter()
        .zip(&pred_used)
        .filter(|&(p, &used)| !used && !ignored.iter().any(|g| p.overlap(g) > 0))
        .map(|(p, _)| (*p).clone())
        .collect();
    let missed = keep
        .iter()
        .zip(&gold_used)
        .filter(|&(_, &used)| !used)
        .map(|(g, _)| (*g).clone())
        .collect();
    DocumentScore { name: name.to_owned(), true_positives, attributes, missed, spurious }
}

fn check_attributes(g: &ScoredFact, p: &ScoredFact, tallies: &mut AttributeTallies) {
    let mut all = true;
    let mut check = |tally: &mut Tally, good: bool| {
        tally.add(good);
        all &= good;
    };
    check(&mut tallies.kind, g.kind == p.kind);
    check(&mut tallies.measure, g.measure == p.measure);
    check(&mut tallies.qualifier, g.qualifier_or_exact() == p.qualifier_or_exact());
    check(&mut tallies.indicator, same_indicator(g.indicator.as_deref(), p.indicator.as_deref()));
    if g.year.is_some() {
        check(&mut tallies.year, g.year == p.year);
    }
    tallies.all.add(all);
}

/// Totals over documents; serialises to the JSON object `score.py --json` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Micro-averaged precision.
    pub precision: f64,
    /// Micro-averaged recall.
    pub recall: f64,
    /// Micro-averaged F1.
    pub f1: f64,
    /// Matched pairs, over all documents.
    #[serde(rename = "tp")]
    pub true_positives: usize,
    /// Unmatched predictions outside `ignore` spans.
    #[serde(rename = "fp")]
    pub false_positives: usize,
    /// Unmatched gold facts.
    #[serde(rename = "fn")]
    pub false_negatives: usize,
    /// Counting a match as right only when every attribute is right too.
    pub strict: Prf,
    /// Attribute accuracy on matched facts.
    pub accuracy: Accuracy,
    /// Per-document scores, in the order given; serialised as a map from name to P/R/F1.
    #[serde(serialize_with = "serialize_documents")]
    pub documents: Vec<DocumentScore>,
    /// The tallies behind `accuracy` and `strict`.
    #[serde(skip)]
    pub attributes: AttributeTallies,
}

impl Report {
    /// Adds up document scores.
    ///
    /// Strict scoring counts as true positives only the matches with every attribute right;
    /// the other matches count both as a false positive and as a false negative.
    ///
    /// With no documents at all every accuracy is `None`, where `score.py` prints an empty
    /// `accuracy` object; the `eval` command refuses an empty gold directory instead.
    pub fn from_documents(documents: Vec<DocumentScore>) -> Report {
        let mut attributes = AttributeTallies::default();
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for doc in &documents {
            tp += doc.true_positives;
            fp += doc.false_positives();
            fn_ += doc.false_negatives();
            attributes.merge(&doc.attributes);
        }
        let micro = Prf::from_counts(tp, fp, fn_);
        let strict_tp = attributes.all.correct;
        let strict = Prf::from_counts(strict_tp, tp + fp - strict_tp, tp + fn_ - strict_tp);
        Report {
            precision: micro.precision,
            recall: micro.recall,
            f1: micro.f1,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            strict,
            accuracy: attributes.accuracy(),
            documents,
            attributes,
        }
    }
}

fn serialize_documents<S: Serializer>(docs: &[DocumentScore], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(docs.iter().map(|d| (&d.name, d.prf())))
}

/// Scores documents given as `(name, gold, predictions)` and adds them up.
pub fn score_documents(docs: &[(String, Vec<ScoredFact>, Vec<ScoredFact>)]) -> Report {
    Report::from_documents(
        docs.iter().map(|(name, gold, pred)| score_document(name, gold, pred)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_base(unit: Option<&str>, value: Option<f64>, expected: (&str, Option<f64>)) {
        let (u, v) = base_unit(unit, value);
        assert_eq!((u.as_str(), v), expected, "base_unit({unit:?}, {value:?})");
    }

    #[test]
    fn base_unit_folds_leading_magnitudes() {
        check_base(Some("亿元"), Some(5500.0), ("元", Some(5500.0 * 1e8)));
        check_base(Some("万人"), Some(1.39), ("人", Some(1.39 * 1e4)));
        check_base(Some("十亿元"), Some(1.0), ("元", Some(1e9)));
        check_base(Some("万亿元"), Some(2.0), ("元", Some(2e12)));
        check_base(Some("万"), Some(7.5), ("", Some(75000.0)));
        check_base(Some("百"), Some(3.0), ("", Some(300.0)));
        // `兆` is a million in score.py, not a trillion.
        check_base(Some("兆瓦"), Some(1.0), ("瓦", Some(1e6)));
        check_base(Some(" 亿元\u{3000}"), Some(1.0), ("元", Some(1e8)));
        check_base(Some("个"), Some(8.0), ("个", Some(8.0)));
        check_base(None, None, ("", None));
        check_base(Some("亿元"), None, ("元", None));
    }

    #[test]
    fn base_unit_keeps_the_quirks_of_score_py() {
        // `百分点` alone keeps its `百`; `个百分点` never starts with a magnitude.
        check_base(Some("百分点"), Some(2.0), ("百分点", Some(2.0)));
        check_base(Some("个百分点"), Some(2.0), ("个百分点", Some(2.0)));
        // The exception is tested on the whole remaining unit, so `万百分点` stops at it.
        check_base(Some("万百分点"), Some(1.0), ("百分点", Some(1e4)));
        check_base(Some("百分比"), Some(1.0), ("分比", Some(100.0)));
        // Spellings are unified before folding (`千米` is `公里`, not 1000 `米`) and after,
        // but folding runs on through the `千` of `千千米`.
        check_base(Some("千米"), Some(3.0), ("公里", Some(3.0)));
        check_base(Some("千千米"), Some(3.0), ("米", Some(3e6)));
        check_base(Some("万km"), Some(3.0), ("公里", Some(3e4)));
        check_base(Some("万％"), Some(3.0), ("%", Some(3e4)));
        check_base(Some("km"), Some(3.0), ("公里", Some(3.0)));
        check_base(Some("％"), Some(62.0), ("%", Some(62.0)));
        check_base(Some("percent"), Some(62.0), ("%", Some(62.0)));
        // The separators U+001C..U+001F are white space to Python.
        check_base(Some("\u{1f}亿元"), Some(1.0), ("元", Some(1e8)));
    }

    #[test]
    fn same_value_is_relative_above_one() {
        assert!(same_value(Some(5.5e11), Some(5.5e11 + 100.0)));
        assert!(!same_value(Some(5.5e11), Some(5.5e11 + 1e4)));
        assert!(same_value(Some(0.0), Some(1e-10)));
        assert!(!same_value(Some(0.0), Some(1e-8)));
        assert!(!same_value(None, None));
        assert!(!same_value(Some(1.0), None));
    }

    #[test]
    fn norm_text_drops_space_and_punctuation() {
        assert_eq!(
            norm_text("“十四五” 规划（纲要）、目标，任务。:：'\"()\u{1c}"),
            "十四五规划纲要目标任务"
        );
    }

    #[track_caller]
    fn check_indicator(gold: Option<&str>, pred: Option<&str>, expected: bool) {
        assert_eq!(same_indicator(gold, pred), expected, "same_indicator({gold:?}, {pred:?})");
    }

    #[test]
    fn same_indicator_by_containment_or_bigram_dice() {
        check_indicator(Some("地区生产总值"), Some("地区生产总值增速"), true);
        check_indicator(Some("“十四五”规划"), Some("十四五规划"), true);
        // 8 shared bigrams of 10 each: 16/20.
        check_indicator(Some("城镇居民人均可支配收入"), Some("农村居民人均可支配收入"), true);
        // {甲乙, 乙丙} and {甲乙, 乙丁}: 2/4 is exactly the threshold.
        check_indicator(Some("甲乙丙"), Some("甲乙丁"), true);
        // {甲乙, 乙丙, 丙丁} and {甲乙, 乙戊, 戊己}: 2/6.
        check_indicator(Some("甲乙丙丁"), Some("甲乙戊己"), false);
        check_indicator(Some("甲"), Some("乙"), false);
        check_indicator(Some("甲"), Some("乙甲丙"), true);
        check_indicator(None, Some("甲"), false);
        check_indicator(Some("（）"), Some("（）"), false);
    }

    fn fact(start: usize, end: usize, value: f64, unit: &str, indicator: &str) -> ScoredFact {
        ScoredFact {
            start,
            end,
            value: Some(value),
            unit: Some(unit.to_owned()),
            indicator: Some(indicator.to_owned()),
            kind: Some("target".to_owned()),
            measure: Some("level".to_owned()),
            ..ScoredFact::default()
        }
    }

    #[test]
    fn equal_overlaps_go_to_the_earlier_gold_fact() {
        let gold = [fact(0, 4, 5.0, "个", "甲乙"), fact(4, 8, 5.0, "个", "丙丁")];
        let pred = [fact(2, 6, 5.0, "个", "丙丁")];
        let doc = score_document("d", &gold, &pred);
        assert_eq!(doc.true_positives, 1);
        assert_eq!(doc.missed, [gold[1].clone()]);
        assert_eq!(doc.attributes.indicator, Tally { correct: 0, total: 1 });
    }

    #[test]
    fn equal_overlaps_go_to_the_earlier_prediction() {
        let gold = [fact(2, 6, 5.0, "个", "甲")];
        let pred = [fact(0, 4, 5.0, "个", "乙"), fact(4, 8, 5.0, "个", "甲")];
        let doc = score_document("d", &gold, &pred);
        assert_eq!(doc.true_positives, 1);
        assert_eq!(doc.spurious, [pred[1].clone()]);
        assert_eq!(doc.attributes.indicator, Tally { correct: 0, total: 1 });
    }

    #[test]
    fn larger_overlap_wins_even_when_it_leaves_a_gold_fact_unmatched() {
        // Overlaps: g0-p0 6, g0-p1 10, g1-p0 6, g1-p1 8. Greedy takes g0-p1, then g1-p0.
        let gold = [fact(0, 10, 5.0, "个", "甲"), fact(4, 12, 5.0, "个", "甲")];
        let pred = [fact(4, 10, 5.0, "个", "甲"), fact(0, 12, 5.0, "个", "甲")];
        let doc = score_document("d", &gold, &pred);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (2, 0, 0));
        // A single wide prediction takes one gold fact only.
        let doc = score_document("d", &gold, &pred[1..]);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (1, 0, 1));
    }

    #[test]
    fn unit_and_value_must_agree_after_folding() {
        let gold = [fact(0, 9, 5500.0, "亿元", "甲")];
        let doc = score_document("d", &gold, &[fact(0, 9, 55_000_000.0, "万元", "甲")]);
        assert_eq!(doc.true_positives, 1);
        let doc = score_document("d", &gold, &[fact(0, 9, 5500.0, "万元", "甲")]);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (0, 1, 1));
        let doc = score_document("d", &gold, &[fact(9, 12, 5500.0, "亿元", "甲")]);
        assert_eq!(doc.true_positives, 0, "touching spans do not overlap");
    }

    #[test]
    fn ignore_spans_and_ignored_predictions() {
        let mut skip = fact(10, 14, 1.0, "个", "甲");
        skip.ignore = true;
        let gold = [fact(0, 4, 5.0, "个", "甲"), skip];
        // Unmatched but overlapping the ignore span: not a false positive.
        let doc = score_document("d", &gold, &[fact(12, 16, 9.0, "个", "甲")]);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (0, 0, 1));
        // An ignore span is never matched: even the same fact is only dropped.
        let doc = score_document("d", &gold, &[fact(10, 14, 1.0, "个", "甲")]);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (0, 0, 1));
        // A prediction marked ignore is dropped before matching.
        let mut dropped = fact(0, 4, 5.0, "个", "甲");
        dropped.ignore = true;
        let doc = score_document("d", &gold, &[dropped]);
        assert_eq!((doc.true_positives, doc.false_positives(), doc.false_negatives()), (0, 0, 1));
    }

    #[test]
    fn attributes_and_strict_scores() {
        let mut g0 = fact(0, 4, 1.0, "个", "甲乙");
        g0.year = Some(2025);
        let mut g1 = fact(10, 14, 2.0, "个", "丙丁");
        g1.qualifier = Some("exact".to_owned());
        let g2 = fact(20, 24, 3.0, "个", "戊");
        let gold = [g0.clone(), g1.clone(), g2];
        // p0: every attribute right. p1: a null qualifier is `exact` and a null gold year is
        // not checked, but the kind is wrong. p2: spurious.
        let mut p1 = g1.clone();
        p1.qualifier = None;
        p1.year = Some(2030);
        p1.kind = Some("actual".to_owned());
        let pred = [g0, p1, fact(30, 34, 4.0, "个", "己")];
        let report = score_documents(&[("d".to_owned(), gold.to_vec(), pred.to_vec())]);
        assert_eq!(
            (report.true_positives, report.false_positives, report.false_negatives),
            (2, 1, 1)
        );
        assert_eq!(report.precision, 2.0 / 3.0);
        assert_eq!(report.f1, 2.0 * (2.0 / 3.0) * (2.0 / 3.0) / (4.0 / 3.0));
        let acc = report.accuracy;
        assert_eq!(
            (acc.kind, acc.measure, acc.qualifier, acc.indicator, acc.year, acc.all),
            (Some(0.5), Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(0.5))
        );
        // Strict: tp 1, fp 2 + 1 - 1, fn 2 + 1 - 1.
        assert_eq!(report.strict, Prf::from_counts(1, 2, 2));
        assert_eq!(report.strict.precision, 1.0 / 3.0);
    }

    #[test]
    fn prf_of_nothing_is_zero() {
        assert_eq!(Prf::from_counts(0, 0, 0), Prf { precision: 0.0, recall: 0.0, f1: 0.0 });
        assert_eq!(Prf::from_counts(0, 3, 0), Prf { precision: 0.0, recall: 0.0, f1: 0.0 });
        assert_eq!(Prf::from_counts(2, 0, 2), Prf { precision: 1.0, recall: 0.5, f1: 2.0 / 3.0 });
    }

    #[test]
    fn report_serialises_like_score_py() {
        let report = score_documents(&[
            ("b".to_owned(), vec![fact(0, 4, 1.0, "个", "甲")], vec![]),
            ("a".to_owned(), vec![], vec![]),
        ]);
        let json = serde_json::to_string(&report).expect("a report serialises");
        assert_eq!(
            json,
            r#"{"precision":0.0,"recall":0.0,"f1":0.0,"tp":0,"fp":0,"fn":1,"#.to_owned()
                + r#""strict":{"precision":0.0,"recall":0.0,"f1":0.0},"#
                + r#""accuracy":{"kind":null,"measure":null,"qualifier":null,"#
                + r#""indicator":null,"year":null,"all":null},"#
                + r#""documents":{"b":{"precision":0.0,"recall":0.0,"f1":0.0},"#
                + r#""a":{"precision":0.0,"recall":0.0,"f1":0.0}}}"#
        );
    }

    #[test]
    fn parse_jsonl_reads_fields_and_skips_blank_lines() {
        let facts = parse_jsonl(concat!(
            "{\"start\": 3, \"end\": 9, \"value\": 2, \"unit\": \"个\", \"year\": 2026.0,",
            " \"qualifier\": null, \"ignore\": 1}\r\n",
            "  \n",
            "{\"start\": 0, \"end\": 1, \"extra\": [1]}\n",
        ))
        .expect("valid JSONL");
        assert_eq!(
            facts[0],
            ScoredFact {
                start: 3,
                end: 9,
                value: Some(2.0),
                unit: Some("个".to_owned()),
                year: Some(2026),
                ignore: true,
                ..ScoredFact::default()
            }
        );
        assert_eq!(facts[1], ScoredFact { start: 0, end: 1, ..ScoredFact::default() });
    }

    #[track_caller]
    fn check_error(content: &str, line: usize, message: &str) {
        let error = parse_jsonl(content).expect_err("invalid JSONL");
        assert_eq!(error.line, line, "{error}");
        assert!(error.message.starts_with(message), "{error}");
    }

    #[test]
    fn parse_errors_name_the_line() {
        let ok = r#"{"start": 0, "end": 1}"#;
        check_error(&format!("{ok}\n\n{{oops\n"), 3, "not JSON: ");
        check_error(&format!("{ok}\r{{\"start\": 1}}"), 2, NEEDS_OFFSETS);
        check_error("[1, 2]", 1, NEEDS_OFFSETS);
        check_error(r#"{"start": -1, "end": 1}"#, 1, "'start' must be a non-negative integer");
        check_error(r#"{"start": 0, "end": 1, "year": "2025"}"#, 1, "'year' must be");
        check_error(r#"{"start": 0, "end": 1, "unit": 5}"#, 1, "'unit' must be");
    }
}
