//! Quantitative facts (指标事实): the numbers with their units, and what each measures.
//!
//! One pass finds candidates (a numeral, its magnitude, its unit, its qualifiers) and drops
//! what the annotation rules say is not a fact (dates, ordinals, list markers, labels,
//! thresholds). A second pass reads each fact's clause for its indicator and measure, and
//! the fact's sentence, paragraph and section for its kind and year.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::indicator;
use crate::model::{DocKind, DocumentMeta, Fact, Kind, Measure, Qualifier, Section};
use crate::numeral::{
    CharSet, Numeral, digit, is_chinese_numeral_char, parse_arabic, parse_chinese, starts_numeral,
};
use crate::outline::section_at;

/// Units that count things (量词). A count may stand before its noun (`105个村`), and a
/// count followed by 以上 and a noun is still a count (`10家以上企业`).
const COUNT_UNITS: &[&str] = &[
    "个百分点",
    "个",
    "家",
    "户",
    "所",
    "项",
    "条",
    "张",
    "名",
    "位",
    "套",
    "座",
    "处",
    "件",
    "批次",
    "场次",
    "人次",
    "户次",
    "家次",
    "起",
    "口",
    "轮",
    "款",
    "盏",
    "头",
    "只",
    "台",
    "辆",
    "艘",
    "架",
    "株",
    "棵",
    "间",
    "栋",
    "幢",
    "部",
    "篇",
    "种",
    "支",
    "门",
    "宗",
    "块",
    "片",
    "根",
    "枚",
    "册",
    "份",
    "场",
    "次",
    "人",
    "床",
    "张床",
    "所次",
    "批",
    "类",
    "届",
    "期",
    "层",
    "道",
    "首",
    "组",
    "对",
    "例",
    "列",
    "箱",
    "笔",
    "单",
];

/// Units of measure.
const MEASURE_UNITS: &[&str] = &[
    "%",
    "％",
    "‰",
    "百分点",
    "元",
    "美元",
    "欧元",
    "港元",
    "元/吨",
    "元/人",
    "平方公里",
    "平方千米",
    "平方米",
    "立方米",
    "公里",
    "千米",
    "米",
    "亩",
    "公顷",
    "吨",
    "千克",
    "公斤",
    "斤",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "吉瓦",
    "瓦",
    "千伏",
    "伏",
    "度",
    "标准箱",
    "标箱",
    "倍",
    "岁",
    "小时",
    "天",
    "个月",
    "分钟",
    "车次",
    "架次",
    "航次",
    "人年",
    "床位",
    "TEU",
    "EFLOPS",
    "PFLOPS",
    "TFLOPS",
    "EB",
    "PB",
    "TB",
    "GW",
    "MW",
    "kW",
    "km",
    "Gbps",
    "Mbps",
    "立方",
    "方",
    "吨标准煤",
    "吨标煤",
    "千公顷",
    "兆",
];

/// Units that say a number is a date or time, not a fact.
const DATE_UNITS: &[&str] = &["年", "月", "日", "号", "时", "点", "秒", "周年"];

/// Magnitude words, longest first; they stay in the unit.
const MAGNITUDES: &[&str] =
    &["万亿", "千亿", "百亿", "十亿", "千万", "百万", "十万", "万", "亿", "千", "百"];

/// Characters after a number that make it part of a name or label: `六大产业`, `100强`,
/// `5A级`, `第26届`, `3号线`.
const LABEL_AFTER: &[char] = &[
    '大', '强', '级', '星', '型', '代', '维', '甲', '线', '路', '楼', '中', '小', '化', '网', '区',
    '纵', '横', '环', '圈', '带', '核', '翼', '轴', '心', '地', '园', '库', '链', '个', '条',
];

/// How far back a clause, a sentence and a paragraph are looked for, in chars. Real ones
/// are far shorter; the bounds keep a line without punctuation linear.
const MAX_CLAUSE: usize = 120;
const MAX_SENTENCE: usize = 400;
const MAX_PARAGRAPH: usize = 3000;
/// How many lines back a list's lead-in or a paragraph's topic is looked for.
const MAX_LINES_BACK: usize = 40;

/// The document-level context that decides kind and year.
pub(crate) struct Context<'a> {
    pub meta: &'a DocumentMeta,
    pub outline: &'a [Section],
}

pub(crate) struct Text {
    pub(crate) chars: Vec<char>,
    /// Byte offset of each char, plus the text length at the end.
    pub(crate) offs: Vec<usize>,
    /// Whether the text writes spaces inside numbers (OCR).
    ocr_spaces: bool,
    /// The char index of each `\n`, in order: walking back over lines, as the year of a
    /// figure is looked for, finds each line's start by a binary search here instead of
    /// reading the line char by char.
    newlines: Vec<usize>,
}

impl Text {
    pub(crate) fn new(text: &str) -> Text {
        // Counting first is cheap (no decoding) and spares growing, and copying, two vectors
        // as long as the text when it has more ASCII than a third.
        let n = text.chars().count();
        let mut chars = Vec::with_capacity(n);
        let mut offs = Vec::with_capacity(n + 1);
        let mut newlines = Vec::new();
        for (i, c) in text.char_indices() {
            // The char index of a `\n` is the length of `chars` before it is pushed: recorded
            // here, it costs no binary search of `offs` per line.
            if c == '\n' {
                newlines.push(chars.len());
            }
            chars.push(c);
            offs.push(i);
        }
        offs.push(text.len());
        let ocr_spaces = count_ocr_spaces(text) >= 5;
        Text { chars, offs, ocr_spaces, newlines }
    }

    /// Where the line that runs on to char `end - 1` begins, reading back no further than
    /// `floor`: what stepping back from `end - 1` while the char before is not `\n` and the
    /// index is above `floor` gives.
    fn line_start_back(&self, end: usize, floor: usize) -> usize {
        let start = end - 1;
        if start <= floor {
            return start;
        }
        // The last `\n` before `start`, if any.
        let k = self.newlines.partition_point(|&p| p < start);
        let after = if k == 0 { 0 } else { self.newlines[k - 1] + 1 };
        after.max(floor)
    }

    /// The char range of line `k` (0-based) of the text as `split_inclusive('\n')` cuts it:
    /// from the char after the `k`-th `\n` before it to its own `\n` included, or to the end.
    pub(crate) fn line_chars(&self, k: usize) -> (usize, usize) {
        let from =
            if k == 0 { 0 } else { self.newlines.get(k - 1).map_or(self.chars.len(), |&p| p + 1) };
        let to = self.newlines.get(k).map_or(self.chars.len(), |&p| p + 1);
        (from, to)
    }

    pub(crate) fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    pub(crate) fn before(&self, i: usize) -> char {
        if i == 0 { '\0' } else { self.at(i - 1) }
    }

    pub(crate) fn starts_with(&self, i: usize, s: &str) -> bool {
        s.chars().enumerate().all(|(k, c)| self.chars.get(i + k) == Some(&c))
    }

    /// Whether `w` lies wholly within the chars `from..to`: `self.string(from, to)
    /// .contains(w)`, without copying the chars to a string.
    pub(crate) fn holds(&self, from: usize, to: usize, w: &str) -> bool {
        let Some(first) = w.chars().next() else { return true };
        let n = w.chars().count();
        let from = from.min(to);
        to - from >= n && (from..=to - n).any(|p| self.chars[p] == first && self.starts_with(p, w))
    }

    pub(crate) fn ends_with(&self, end: usize, s: &str) -> bool {
        // Compared from the last char back: most calls fail on it, and `s` need not be
        // counted first. The `k`-th char from the end of `s` must stand at `end - 1 - k`.
        s.chars().rev().enumerate().all(|(k, c)| k < end && self.chars.get(end - 1 - k) == Some(&c))
    }

    pub(crate) fn string(&self, from: usize, to: usize) -> String {
        let chars = &self.chars[from.min(to)..to];
        // Collecting chars reserves a byte per char and then grows; the text is Chinese, three
        // bytes a char, so reserve that and push without reallocating.
        let mut s = String::with_capacity(3 * chars.len());
        s.extend(chars);
        s
    }
}

/// Counts `digit space digit` runs, the mark of OCR text such as `2 0 0 5年`.
fn count_ocr_spaces(text: &str) -> usize {
    // Spaces are rare in Chinese text: find them with memchr in the bytes and decode only
    // the chars on either side, rather than reading every char. A space is one byte and
    // never part of a longer char, so each hit is a char boundary.
    memchr::memchr_iter(b' ', text.as_bytes())
        .filter(|&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + 1..].chars().next();
            before.and_then(digit).is_some() && after.and_then(digit).is_some()
        })
        .count()
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '、' | '；' | ';' | '。' | '：' | ':' | '！' | '？' | '\n' | '\r' | '\0'
    )
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '？' | '\n' | '\r' | '\0')
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A candidate found by the scan, in char indices.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: String,
    count_unit: bool,
    qualifier: Qualifier,
}

/// A table of units indexed by first character, longest first, so that matching at a
/// position looks at the few entries that can match there rather than at all of them.
struct Units(HashMap<char, Vec<&'static str>>);

impl Units {
    fn new(words: &[&'static str]) -> Units {
        let mut map: HashMap<char, Vec<&'static str>> = HashMap::new();
        for w in words {
            if let Some(c) = w.chars().next() {
                map.entry(c).or_default().push(w);
            }
        }
        for v in map.values_mut() {
            v.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        }
        Units(map)
    }
}

/// The unit tables, each indexed once by [`units`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitTable {
    Measure,
    Count,
    Magnitude,
    Date,
}

impl UnitTable {
    fn words(self) -> &'static [&'static str] {
        match self {
            UnitTable::Measure => MEASURE_UNITS,
            UnitTable::Count => COUNT_UNITS,
            UnitTable::Magnitude => MAGNITUDES,
            UnitTable::Date => DATE_UNITS,
        }
    }
}

/// The index of `table`, built on first use. Named by an enum, not by the list's address,
/// which Rust does not promise a constant keeps.
fn units(table: UnitTable) -> &'static Units {
    static MEASURE: OnceLock<Units> = OnceLock::new();
    static COUNT: OnceLock<Units> = OnceLock::new();
    static MAGNITUDE: OnceLock<Units> = OnceLock::new();
    static DATE: OnceLock<Units> = OnceLock::new();
    let cell = match table {
        UnitTable::Measure => &MEASURE,
        UnitTable::Count => &COUNT,
        UnitTable::Magnitude => &MAGNITUDE,
        UnitTable::Date => &DATE,
    };
    cell.get_or_init(|| Units::new(table.words()))
}

/// Matches the longest unit of `table` at `i`.
fn unit_at(t: &Text, i: usize, table: UnitTable) -> Option<&'static str> {
    let candidates = units(table).0.get(&t.at(i))?;
    candidates.iter().find(|u| t.starts_with(i, u)).copied()
}

/// Reads a numeral at `i`: Arabic, Chinese, a fraction `1/3`, or `百分之五`.
fn numeral_at(t: &Text, i: usize) -> Option<Numeral> {
    let rest = &t.chars[i..];
    if digit(t.at(i)).is_some() {
        let n = parse_arabic(rest, t.ocr_spaces)?;
        // A fraction such as 1/3.
        if t.at(i + n.len) == '/'
            && let Some(d) = parse_arabic(&t.chars[i + n.len + 1..], false)
            && d.value > 0.0
            && n.value < d.value
        {
            return Some(Numeral {
                value: n.value / d.value,
                len: n.len + 1 + d.len,
                chinese: false,
            });
        }
        return Some(n);
    }
    if is_chinese_numeral_char(t.at(i)) {
        let n = parse_chinese(rest)?;
        // A fraction in words: 三分之一 is one third.
        if t.starts_with(i + n.len, "分之")
            && let Some(d) = parse_chinese(&t.chars[i + n.len + 2..])
            && n.value > 0.0
            && d.value < n.value
        {
            return Some(Numeral {
                value: d.value / n.value,
                len: n.len + 2 + d.len,
                chinese: true,
            });
        }
        return Some(n);
    }
    None
}

/// Whether the numeral at `i..j` is a fraction (`1/3`, `三分之一`), a figure without a unit.
fn is_fraction(t: &Text, i: usize, j: usize) -> bool {
    let s = &t.chars[i..j];
    s.contains(&'/') || s.windows(2).any(|w| w == ['分', '之'])
}

/// Scans the text for candidate facts.
fn scan(t: &Text) -> Vec<Candidate> {
    let mut out = Vec::new();
    let n = t.chars.len();
    let mut i = 0;
    while i < n {
        // Most characters start no numeral: skip them in a tight loop. 百分之 starts with
        // 百, itself a numeral character, so no candidate is skipped.
        let Some(k) = t.chars[i..].iter().position(|&c| starts_numeral(c)) else {
            break;
        };
        i += k;
        let c = t.chars[i];
        let arabic = digit(c).is_some();
        let chinese = !arabic;
        let percent_words = c == '百' && t.starts_with(i, "百分之");
        let prev = t.before(i);
        // Inside a longer number or word: 2024 after a digit, 十四 inside 二十四.
        if (arabic && (digit(prev).is_some() || prev == '.' || prev == '．'))
            || (chinese && !percent_words && is_chinese_numeral_char(prev))
        {
            i += 1;
            continue;
        }
        // The numeral at `i`, read once: a candidate starts from it, and where none does,
        // its length says what to skip.
        let num = numeral_at(t, i);
        match candidate_at(t, i, percent_words, num) {
            Some(cand) => {
                i = cand.end.max(i + 1);
                out.push(cand);
            }
            None => {
                // Skip the rest of this numeral so that its tail is not read again.
                i += num.map(|n| n.len).unwrap_or(1).max(1);
            }
        }
    }
    out
}

/// The candidate at `i`, where `num` is `numeral_at(t, i)`.
fn candidate_at(
    t: &Text,
    i: usize,
    percent_words: bool,
    num: Option<Numeral>,
) -> Option<Candidate> {
    let prev = t.before(i);
    // 百分之五: a percentage in words.
    if percent_words {
        let num = numeral_at(t, i + 3)?;
        return Some(Candidate {
            start: i,
            end: i + 3 + num.len,
            value: num.value,
            value_max: None,
            unit: "%".into(),
            count_unit: false,
            qualifier: Qualifier::Exact,
        });
    }
    let num = num?;
    let mut j = i + num.len;
    // Ordinals, labels and codes: 第三, G326, “1411”, 1+2.
    if matches!(prev, '第' | '“' | '"' | '+' | '＋' | '#' | '№' | '/' | '|')
        || prev.is_ascii_alphabetic()
        || matches!(t.at(j), '+' | '＋' | '”' | '"' | '∶' | ':' | '：' | '-' | '号')
            && !matches!(t.at(j), '-')
    {
        return None;
    }
    // List markers: 1. 1、 (1) at the start of a line or after a full stop.
    if !num.chinese && matches!(t.at(j), '.' | '．' | '、' | '）' | ')') {
        return None;
    }
    if num.chinese && (t.at(j) == '、' || matches!(t.at(j), '是' | '要' | '方' | '批' | '五'))
    {
        return None;
    }
    // A ratio such as 1∶4000 or a time such as 15:45 belongs to no fact.
    if matches!(prev, '∶' | ':') && digit(t.before(i - 1)).is_some() {
        return None;
    }
    let mut value_max = None;
    let mut qualifier = Qualifier::Exact;
    // A range without a unit on its first bound: 3-5个, 2—3个, 4至5项.
    if let Some(after_dash) = range_dash(t, j)
        && let Some(m) = numeral_at(t, after_dash).filter(|m| m.chinese == num.chinese)
        && m.value > num.value
    {
        value_max = Some(m.value);
        j = after_dash + m.len;
    }
    // 余 or 多 before a magnitude or unit: 200余场次, 100多个.
    if matches!(t.at(j), '余' | '多') && num.value >= 10.0 {
        qualifier = Qualifier::AtLeast;
        j += 1;
    }
    // OCR text may put a space between a number and its unit: 8 %.
    if t.ocr_spaces && t.at(j) == ' ' && digit(t.at(j + 1)).is_none() {
        j += 1;
    }
    let mut unit = String::new();
    // A unit that begins like a magnitude (千米, 千瓦, 百分点) wins over the magnitude.
    let direct = unit_at(t, j, UnitTable::Measure).or_else(|| unit_at(t, j, UnitTable::Count));
    let mut count_unit = false;
    let mut has_unit = false;
    if let Some(u) = direct.filter(|u| !MAGNITUDES.iter().any(|m| u == m)) {
        count_unit = COUNT_UNITS.contains(&u) && !MEASURE_UNITS.contains(&u);
        unit.push_str(u);
        j += u.chars().count();
        has_unit = true;
    } else if let Some(m) = unit_at(t, j, UnitTable::Magnitude) {
        // 千/百 after an Arabic numeral are rare magnitudes; 百亿级 is a label.
        unit.push_str(m);
        j += m.chars().count();
        if matches!(t.at(j), '余' | '多') {
            qualifier = Qualifier::AtLeast;
            j += 1;
        }
        if let Some(u) =
            unit_at(t, j, UnitTable::Measure).or_else(|| unit_at(t, j, UnitTable::Count))
        {
            count_unit = COUNT_UNITS.contains(&u) && !MEASURE_UNITS.contains(&u);
            unit.push_str(u);
            j += u.chars().count();
        } else if is_chinese_numeral_char(t.at(j)) || t.at(j) == '级' || t.at(j) == '强' {
            // 两万五 or 百亿级: not a figure we can read.
            return None;
        }
        has_unit = true;
    }
    if !has_unit {
        // A bare number is a fact only as a fraction (1/3 of something).
        if !is_fraction(t, i, j) {
            return None;
        }
    }
    // Dates, times and durations given in years: not facts.
    if let Some(d) = unit_at(t, j, UnitTable::Date)
        && (unit.is_empty() || MAGNITUDES.contains(&unit.as_str()) && d == "年")
    {
        return None;
    }
    if unit.is_empty() && DATE_UNITS.iter().any(|d| t.starts_with(j, d)) {
        return None;
    }
    // A Chinese numeral is a figure only with a magnitude (两万套) or when it is long
    // (一千八百个), or when a bound says it counts (至少一所).
    if num.chinese {
        let magnitude = MAGNITUDES.iter().any(|m| unit.starts_with(m));
        // A lone 十, 百 or 千 (百亿级, 千亿元产业) names a class, not an amount.
        if num.len == 1
            && !t.chars[i].is_ascii()
            && crate::numeral::chinese_digit(t.chars[i]).is_none()
        {
            return None;
        }
        let large = num.value >= 100.0;
        // Read only when nothing else says the numeral counts.
        let bounded = || {
            ["至少", "不少于", "不低于", "超过"].iter().any(|w| t.holds(i.saturating_sub(6), i, w))
        };
        // 十九届, 十三次 全会: congress and plenum ordinals.
        let ordinal = matches!(unit.as_str(), "次" | "届" | "批" | "期");
        let fraction = is_fraction(t, i, i + num.len);
        if !(magnitude || large || fraction || bounded()) || ordinal || unit == "百分点" {
            return None;
        }
        if num.len >= 2
            && num.value >= 1000.0
            && !magnitude
            && num.value.fract() == 0.0
            && (1949.0..=2100.0).contains(&num.value)
        {
            return None;
        }
    }
    // Compound units: 万吨/年, 吨/日.
    if t.at(j) == '/' && matches!(t.at(j + 1), '年' | '日' | '天' | '月' | '人') {
        unit.push('/');
        unit.push(t.at(j + 1));
        j += 2;
    }
    // A unit with a bracket: 47.63万户（套）.
    if matches!(t.at(j), '（' | '(')
        && matches!(t.at(j + 2), '）' | ')')
        && COUNT_UNITS.iter().any(|u| t.starts_with(j + 1, u))
    {
        unit.push(t.at(j));
        unit.push(t.at(j + 1));
        unit.push(t.at(j + 2));
        j += 3;
    }
    // A unit is followed by another numeral only in OCR noise, or it is a label such as
    // 5G or 4K.
    if t.at(j).is_ascii_alphanumeric()
        && !unit.chars().any(|c| c.is_ascii_alphabetic())
        && unit.is_empty()
    {
        return None;
    }
    // A range whose bounds both carry the unit: 4.5%—5%.
    if value_max.is_none()
        && let Some(after_dash) = range_dash(t, j)
        && let Some(m) = numeral_at(t, after_dash)
    {
        let end_num = after_dash + m.len;
        if t.starts_with(end_num, &unit) && m.value > num.value && !unit.is_empty() {
            value_max = Some(m.value);
            j = end_num + unit.chars().count();
        }
    }
    // A one-character unit that is really the start of a word: 3.0方案, 5度假区.
    if let Some(last) = unit.chars().last().filter(|_| unit.chars().count() <= 2) {
        let next = t.at(j);
        let word = match last {
            '方' => "案面式向针法位",
            '度' => "假过",
            '天' => "然津地空",
            '元' => "素旦宵",
            '米' => "粮面",
            '次' => "要序",
            '台' => "湾州",
            '部' => "门分署",
            '期' => "间货限",
            '起' => "来步草点",
            '列' => "入为车",
            _ => "",
        };
        if word.contains(next) {
            return None;
        }
    }
    // A voltage class names a line or a substation: 500千伏变电站.
    if unit.ends_with("千伏") && is_cjk(t.at(j)) {
        return None;
    }
    // A distance or size that bounds a noun: 50米内换乘比例, 1公里范围内.
    if !count_unit && t.at(j) == '内' && is_cjk(t.at(j + 1)) {
        return None;
    }
    // A size class: 1000人规模的学校, 10万吨级码头.
    if t.starts_with(j, "规模的") || t.starts_with(j, "级") || t.starts_with(j, "量级") {
        return None;
    }
    // Labels: 六大产业, 100强, 5A级, 3号线 — after a bare count.
    if unit.is_empty() && LABEL_AFTER.contains(&t.at(j)) {
        return None;
    }
    if count_unit && num.chinese && unit.chars().count() == 1 && t.at(j) == '“' {
        // 三个“第一”: a slogan.
        return None;
    }
    Some(Candidate { start: i, end: j, value: num.value, value_max, unit, count_unit, qualifier })
}

/// The index after a range dash at `j` (`-`, `—`, `——`, `~`, `至`, `到`), if one is there.
fn range_dash(t: &Text, j: usize) -> Option<usize> {
    // OCR text spaces around the dash too: 1 6 0 ～ 3 0 0万千瓦.
    let k = if t.ocr_spaces && t.at(j) == ' ' { j + 1 } else { j };
    let after = match t.at(k) {
        '-' | '－' | '–' | '~' | '～' | '至' | '到' => k + 1,
        '—' if t.at(k + 1) == '—' => k + 2,
        '—' => k + 1,
        _ => return None,
    };
    Some(if t.ocr_spaces && t.at(after) == ' ' { after + 1 } else { after })
}

/// Qualifier words written before a number, longest first.
const QUALIFIER_BEFORE: &[(&str, Qualifier)] = &[
    ("不低于", Qualifier::AtLeast),
    ("不少于", Qualifier::AtLeast),
    ("不超过", Qualifier::AtMost),
    ("不高于", Qualifier::AtMost),
    ("不多于", Qualifier::AtMost),
    ("控制在", Qualifier::AtMost),
    ("超过", Qualifier::AtLeast),
    ("突破", Qualifier::AtLeast),
    ("至少", Qualifier::AtLeast),
    ("多于", Qualifier::AtLeast),
    ("大于", Qualifier::AtLeast),
    ("最高", Qualifier::AtMost),
    ("最多", Qualifier::AtMost),
    ("不到", Qualifier::AtMost),
    ("低于", Qualifier::AtMost),
    ("小于", Qualifier::AtMost),
    ("大约", Qualifier::Approx),
    ("接近", Qualifier::Approx),
    ("将近", Qualifier::Approx),
    ("约", Qualifier::Approx),
    ("近", Qualifier::Approx),
    ("超", Qualifier::AtLeast),
];

/// Qualifier words written after the unit.
const QUALIFIER_AFTER: &[(&str, Qualifier)] = &[
    ("及以上", Qualifier::AtLeast),
    ("以上", Qualifier::AtLeast),
    ("左右", Qualifier::Approx),
    ("上下", Qualifier::Approx),
    ("以下", Qualifier::AtMost),
    ("以内", Qualifier::AtMost),
    ("之内", Qualifier::AtMost),
];

/// Words that end an indicator and say it changes: what precedes a growth rate.
const GROWTH_VERBS: &[&str] = &[
    "递增", "递减", "削减", "增长", "增速", "下降", "降低", "减少", "增加", "提高", "提升", "上涨",
    "涨幅", "增幅", "回落", "缩小", "上升", "下浮", "降幅", "减排", "压减", "增",
];

/// Words stripped from the end of an indicator: verbs and copulas before the figure.
const TRAILING_NOISE: &[&str] = &[
    "分别",
    "同比",
    "年均",
    "累计",
    "达到",
    "达",
    "为",
    "是",
    "超过",
    "突破",
    "不低于",
    "不少于",
    "至少",
    "不超过",
    "控制在",
    "稳定在",
    "保持在",
    "保持",
    "稳定",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "增加到",
    "增加至",
    "降低到",
    "降低至",
    "下降到",
    "下降至",
    "降到",
    "降至",
    "到",
    "至",
    "在",
    "约",
    "近",
    "大约",
    "接近",
    "最高",
    "最多",
    "高于",
    "低于",
    "实现",
    "完成",
    "占",
    "共",
    "计",
    "全年",
    "连续",
    "从",
    "由",
    "总计",
    "合计",
    "其中",
    "分别达到",
    "分别为",
    "每年",
    "年",
    "超",
    "上",
    "内",
    "有",
    "的",
    "排",
    "位居",
];

/// Words stripped from the start of an indicator.
const LEADING_NOISE: &[&str] = &[
    "今年", "去年", "其中", "并", "和", "及", "与", "同时", "全年", "累计", "力争", "确保", "争取",
    "预计", "今年", "我们", "以及", "共", "还", "带动", "推动",
];

/// The characters noise words end with, and those leading noise words start with: a
/// string whose edges are not among them has nothing to strip.
fn noise_edges() -> &'static (Vec<char>, Vec<char>) {
    static EDGES: OnceLock<(Vec<char>, Vec<char>)> = OnceLock::new();
    EDGES.get_or_init(|| {
        let mut ends: Vec<char> = TRAILING_NOISE
            .iter()
            .chain(GROWTH_VERBS)
            .chain(["比"].iter())
            .filter_map(|w| w.chars().next_back())
            .collect();
        ends.sort_unstable();
        ends.dedup();
        let mut starts: Vec<char> = LEADING_NOISE.iter().filter_map(|w| w.chars().next()).collect();
        starts.sort_unstable();
        starts.dedup();
        (ends, starts)
    })
}

/// `s.strip_suffix(w)`, testing the last byte first: most words do not end as `s` ends, and
/// the one compare saves a call to memcmp for each of them, word lists at every figure.
fn strip_word<'s>(s: &'s str, w: &str) -> Option<&'s str> {
    if !w.is_empty() && s.as_bytes().last() != w.as_bytes().last() {
        return None;
    }
    s.strip_suffix(w)
}

/// `s.ends_with(w)`, with the same one-byte test first as [`strip_word`].
fn ends_with_word(s: &str, w: &str) -> bool {
    strip_word(s, w).is_some()
}

fn strip_indicator(mut s: &str, strip_growth: bool) -> &str {
    loop {
        let before = s;
        s = s.trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '“' | '”'
                        | '"'
                        | '（'
                        | '('
                        | '—'
                        | '-'
                        | '·'
                        | '\u{feff}'
                        | ','
                        | '，'
                        | '、'
                        | '；'
                )
        });
        let (ends, starts) = noise_edges();
        let may_end = s.chars().next_back().is_some_and(|c| ends.contains(&c));
        let may_start = s.chars().next().is_some_and(|c| starts.contains(&c));
        let may_digit = s.ends_with(|c: char| c.is_ascii_digit() || c == ' ')
            || s.starts_with(|c: char| c.is_ascii_digit());
        if !may_end && !may_start && !may_digit {
            let noise = TRAILING_NOISE.contains(&s)
                || GROWTH_VERBS.contains(&s)
                || LEADING_NOISE.contains(&s)
                || ["比", "同比", "较", "的"].contains(&s);
            return if noise { "" } else { s };
        }
        // Nothing but a noise word is nothing (累计, left of 累计达).
        if TRAILING_NOISE.contains(&s) || LEADING_NOISE.contains(&s) {
            return "";
        }
        // One word a round, so that a shorter word is not stripped from what a longer one
        // left (X累计达 → X累计 → X, not X累).
        for w in TRAILING_NOISE.iter().filter(|_| may_end) {
            if let Some(r) = strip_word(s, w)
                && !r.is_empty()
            {
                s = r;
                break;
            }
        }
        // A level keeps a one-character 增 (新增 stays in 新增城镇就业); a rate drops it too.
        for w in GROWTH_VERBS.iter().filter(|w| may_end && (strip_growth || w.chars().count() > 1))
        {
            {
                if let Some(r) = strip_word(s, w)
                    && !r.is_empty()
                {
                    s = r;
                }
            }
        }
        for w in LEADING_NOISE {
            if let Some(r) = s.strip_prefix(w)
                && !r.is_empty()
            {
                s = r;
            }
        }
        // A comparison left behind: 比2010年 → 比 (but 同比 is one word, stripped above).
        if let Some(r) = s.strip_suffix('比').filter(|r| !r.ends_with('同') && !r.is_empty()) {
            s = r;
        }
        // A leading year: 2015年城镇常住居民人均可支配收入.
        let lead = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if lead == 4 && s[lead..].starts_with('年') && s.len() > lead + 3 {
            s = &s[lead + 3..];
        }
        // An adverbial of basis after the name: 一般公共预算收入按可比口径 (同口径),
        // 一般公共预算收入剔除虚增空转因素后 → 一般公共预算收入; 地区生产总值按（增长5%安排）.
        let basis = ["按可比", "可比口径", "同口径"]
            .iter()
            .filter_map(|w| s.find(w))
            .chain(["剔除", "扣除"].iter().filter(|_| s.ends_with('后')).filter_map(|w| s.find(w)))
            .min();
        if let Some(at) = basis {
            // Nothing but the basis (…完成17亿元，按可比口径增长13%): the subject is the
            // previous figure's.
            s = &s[..at];
        }
        if let Some(r) = s.strip_suffix('按').filter(|r| r.chars().count() >= 2) {
            s = r;
        }
        // A year left behind by the stripping: 人均预期寿命从2020年的 → 人均预期寿命.
        let trimmed = s.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        if trimmed.len() < s.len()
            && !trimmed.is_empty()
            && !trimmed.ends_with(|c: char| c.is_ascii_alphabetic())
        {
            s = trimmed;
        }
        if s == before {
            let noise = TRAILING_NOISE.contains(&s)
                || GROWTH_VERBS.contains(&s)
                || LEADING_NOISE.contains(&s)
                || ["比", "同比", "较", "的"].contains(&s);
            return if noise { "" } else { s };
        }
    }
}

/// A year named in the text: the value and the char range it takes.
fn year_mention(t: &Text, i: usize) -> Option<(i32, usize)> {
    let digits = (0..4).all(|k| t.at(i + k).is_ascii_digit());
    if digits && t.at(i + 4) == '年' && !t.before(i).is_ascii_digit() {
        let y: i32 = t.string(i, i + 4).parse().ok()?;
        return (1949..=2100).contains(&y).then_some((y, 5));
    }
    if (0..4).all(|k| crate::numeral::chinese_digit(t.at(i + k)).is_some()) && t.at(i + 4) == '年'
    {
        let y = parse_chinese(&t.chars[i..i + 4])?.value as i32;
        return (1949..=2100).contains(&y).then_some((y, 5));
    }
    None
}

/// Plan-period words and the last year of their period.
fn period_end_at(t: &Text, i: usize) -> Option<(i32, usize)> {
    const PLANS: &[(&str, i32)] = &[
        ("十五五", 2030),
        ("十四五", 2025),
        ("十三五", 2020),
        ("十二五", 2015),
        ("十一五", 2010),
        ("第十五个五年", 2030),
        ("第十四个五年", 2025),
        ("第十三个五年", 2020),
    ];
    // Every word starts with 十 or 第; year cues call this at every char of a stretch.
    if !matches!(t.at(i), '十' | '第') {
        return None;
    }
    PLANS.iter().find(|(w, _)| t.starts_with(i, w)).map(|&(w, y)| (y, w.chars().count()))
}

/// The year a stretch of text names for the figures after it: `到2025年`, `2022年底前`,
/// `“十四五”末`. Years that are a base of comparison (`比2015年`, `2015年的1.7倍`) are
/// skipped; the last naming before `end` wins.
fn year_cue(t: &Text, from: usize, end: usize) -> Option<i32> {
    year_cues(t, from, end).last().copied()
}

/// The chars a year or a plan period can start with: what [`year_mention`] (four ASCII or
/// four Chinese digits) and [`period_end_at`] (十, 第) read first.
const YEAR_CUE_START: CharSet = CharSet::new(&[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '零', '〇', '一', '二', '两', '三', '四',
    '五', '六', '七', '八', '九', '十', '第',
]);

/// Every year the stretch names for the figures after it, in order.
fn year_cues(t: &Text, from: usize, end: usize) -> Vec<i32> {
    let mut found = Vec::new();
    let mut i = from;
    walk_year_cues(t, &mut i, end, |y| found.push(y));
    found
}

/// Reads the years named from char `*i` up to `end`, passing each to `found`, and leaves
/// `*i` where reading stopped. Reading on from there to a later end gives what reading the
/// whole stretch at once gives: no step looks at `end` but to stop.
fn walk_year_cues(t: &Text, i: &mut usize, end: usize, mut found: impl FnMut(i32)) {
    while *i < end {
        // Only an ASCII digit, a Chinese digit, 十 or 第 can open a year or a plan period:
        // skip to the next one in a tight loop. Past the text `at` reads '\0', which opens
        // nothing, so stopping at the text's end changes nothing.
        let stop = end.min(t.chars.len());
        if *i >= stop {
            break;
        }
        let Some(k) = t.chars[*i..stop].iter().position(|&c| YEAR_CUE_START.contains(c)) else {
            // Nothing opens a year before `stop`: a later read starts there.
            *i = stop;
            break;
        };
        *i += k;
        let at = *i;
        if let Some((y, len)) = year_mention(t, at).or_else(|| period_end_at(t, at)) {
            let mut b = at;
            while matches!(t.before(b), '“' | '"') {
                b -= 1;
            }
            let before = t.before(b);
            let mut after = at + len;
            while matches!(t.at(after), '”' | '"') {
                after += 1;
            }
            let base = matches!(before, '比' | '较' | '是' | '从' | '由' | '与' | '同')
                || t.starts_with(after, "的")
                || t.starts_with(after, "以来")
                || t.starts_with(after, "基础上")
                || t.starts_with(after, "同期")
                || t.starts_with(after, "相比");
            // A period word is a year only when it says the end or the whole period.
            let period_word = period_end_at(t, at).is_some();
            let period_ok = !period_word
                || ["末", "期间", "时期", "累计", "内"].iter().any(|w| t.starts_with(after, w))
                || t.ends_with(at.saturating_sub(1), "到")
                || t.ends_with(at, "到");
            if !base && period_ok {
                found(y);
            }
            *i = at + len;
        } else {
            *i = at + 1;
        }
    }
}

/// Whether a line is an item of a list: `——创新能力。…`, `●`, `•`.
fn is_list_item(t: &Text, line_start: usize) -> bool {
    let mut i = line_start;
    while crate::outline::is_blank(t.at(i)) && t.at(i) != '\n' {
        i += 1;
    }
    matches!(t.at(i), '—' | '●' | '•' | '▲' | '■' | '◆' | '★' | '-')
}

/// For an item of a list, the year that the list's lead-in names in its last sentence
/// (`到2026年，…：` before a run of `——` items).
fn lead_in_year(t: &Text, line_start: usize) -> Option<i32> {
    if !is_list_item(t, line_start) {
        return None;
    }
    let mut end = line_start;
    let mut lines = 0;
    // Walk back over the other items and blank lines to the lead-in paragraph.
    while end > 0 && lines < MAX_LINES_BACK && line_start - end < MAX_PARAGRAPH {
        lines += 1;
        let start = t.line_start_back(end, end.saturating_sub(MAX_PARAGRAPH));
        let blank = (start..end).all(|k| crate::outline::is_blank(t.at(k)));
        if blank || is_list_item(t, start) {
            end = start;
            continue;
        }
        // The last sentence of the lead-in.
        let mut stop = end;
        while stop > start
            && (is_sentence_break(t.at(stop - 1)) || crate::outline::is_blank(t.at(stop - 1)))
        {
            stop -= 1;
        }
        let mut from = stop;
        while from > start && !matches!(t.at(from - 1), '。' | '！' | '？') {
            from -= 1;
        }
        return year_cue(t, from, stop);
    }
    None
}

/// The year an earlier paragraph of the same section opens with (`“十五五”时期是…`,
/// `到2025年，…`): it carries to the paragraphs after it until another one names a year.
fn topic_year(t: &Text, line_start: usize, section_start: usize) -> Option<i32> {
    /// A topic is set in the first few characters of its paragraph.
    const OPENING: usize = 14;
    let mut end = line_start;
    let mut lines = 0;
    while end > section_start && lines < MAX_LINES_BACK && line_start - end < MAX_PARAGRAPH {
        lines += 1;
        let start = t.line_start_back(end, section_start.max(end.saturating_sub(MAX_PARAGRAPH)));
        let mut first = start;
        while first < end && crate::outline::is_blank(t.at(first)) {
            first += 1;
        }
        if first < end && !is_list_item(t, start) {
            let stop = (first + OPENING).min(end);
            if let Some(y) = year_cue(t, first, stop) {
                return Some(y);
            }
        }
        end = start;
    }
    None
}

/// Whether the text just before `i` says the amount is per year (`每年`, `年新增`).
fn per_year(t: &Text, clause_start: usize, i: usize) -> bool {
    let from = clause_start.min(i);
    t.holds(from, i, "每年")
        || t.holds(from, (from + 3).min(i), "年新增")
        || t.holds(from, i, "年均新增")
        || t.holds(from, i, "每季度")
        || t.holds(from, i, "每月")
}

/// The year of whatever the sentence around char `at` names, found as a fact's year is: the
/// sentence, the paragraph's opening, a list's lead-in, the section, the document.
pub(crate) fn year_at(t: &Text, cx: &Context<'_>, at: usize) -> Option<i32> {
    let back = |stop: fn(char) -> bool, limit: usize| {
        let mut k = at;
        while k > at.saturating_sub(limit) && !stop(t.at(k - 1)) {
            k -= 1;
        }
        k
    };
    let clause_start = back(is_clause_break, MAX_CLAUSE);
    let sentence_start = back(is_sentence_break, MAX_SENTENCE);
    let line_start = back(|c| matches!(c, '\n' | '\r'), MAX_PARAGRAPH);
    let section = section_at(cx.outline, t.offs[at.min(t.offs.len() - 1)]);
    kind_and_year(t, cx, None, section, sentence_start, line_start, clause_start, at, at).1
}

/// Extracts the facts of `text` with their attributes.
#[cfg(test)]
pub(crate) fn facts(text: &str, cx: &Context<'_>) -> Vec<Fact> {
    facts_of(&Text::new(text), text, cx)
}

/// [`facts`] over a [`Text`] built once for every pass that reads characters.
pub(crate) fn facts_of(t: &Text, text: &str, cx: &Context<'_>) -> Vec<Fact> {
    let cands = scan(t);
    let memo = Memo {
        heading_years: vec![OnceCell::new(); cx.outline.len()],
        sentence: Cell::new(YearWalk::default()),
        opening: LastYear::new(),
        paragraph: LastYear::new(),
    };
    let mut out: Vec<Fact> = Vec::with_capacity(cands.len());
    let mut prev_end = 0usize;
    let mut prev_fact: Option<(usize, usize)> = None; // (index in out, char end)
    let mut fenbie: Option<Respectively> = None;
    let mut clause_breaks = LastBreak::new(is_clause_break);
    let mut sentence_breaks = LastBreak::new(is_sentence_break);
    let mut line_breaks = LastBreak::new(|c| matches!(c, '\n' | '\r'));
    for cand in cands {
        let mut end = cand.end;
        let mut qualifier = cand.qualifier;
        // Qualifier after the unit.
        let mut after_q = end;
        for (w, q) in QUALIFIER_AFTER {
            if t.starts_with(end, w) {
                qualifier = *q;
                after_q = end + w.chars().count();
                break;
            }
        }
        let next = t.at(after_q);
        // A threshold inside an indicator: 65岁以上老年人, 500万元以上项目.
        if after_q > end
            && matches!(qualifier, Qualifier::AtLeast | Qualifier::AtMost)
            && !cand.count_unit
            && !matches!(cand.unit.as_str(), "%" | "％" | "‰")
            && (is_cjk(next) || next == '“')
            && !is_clause_break(next)
        {
            continue;
        }
        // A threshold written as 亿元以上 with no number is no candidate; a unit directly
        // followed by 以上 + noun is handled above.
        if cand.value_max.is_some() && qualifier == Qualifier::Exact {
            end = cand.end;
        }
        // Where the clause begins: the last break, or the end of the previous figure.
        // Scans back are bounded so that a gigantic line without punctuation stays linear.
        let floor = |limit: usize| cand.start.saturating_sub(limit);
        let clause_start = clause_breaks.before(t, cand.start).max(floor(MAX_CLAUSE));
        let clause_start_raw = clause_start;
        let clause_start = clause_start.max(prev_end);
        let sentence_start = sentence_breaks.before(t, cand.start).max(floor(MAX_SENTENCE));
        let line_start = line_breaks.before(t, cand.start).max(floor(MAX_PARAGRAPH));
        // Qualifier before the number.
        let mut num_start = cand.start;
        let mut prefix_q = None;
        let prev = t.before(cand.start);
        // Comparing last chars is `w.ends_with(prev)` without encoding `prev` and calling
        // memcmp for every word at every candidate.
        for (w, q) in QUALIFIER_BEFORE
            .iter()
            .filter(|(w, _)| w.chars().next_back().is_some_and(|c| c == prev))
        {
            if t.ends_with(cand.start, w) && cand.start - w.chars().count() >= clause_start {
                prefix_q = Some(*q);
                num_start = cand.start - w.chars().count();
                break;
            }
        }
        // A bound stated earlier in the clause: 至少配备1名, 不超过项目投资额30%. Every such
        // word starts with one of these.
        const BOUND_FIRSTS: &[char] =
            &['不', '控', '超', '突', '至', '多', '大', '最', '低', '小', '将'];
        let bound_in_clause = t.chars[clause_start.min(cand.start)..cand.start]
            .iter()
            .any(|c| BOUND_FIRSTS.contains(c));
        if prefix_q.is_none() && bound_in_clause {
            let clause = t.string(clause_start, cand.start);
            prefix_q = QUALIFIER_BEFORE
                .iter()
                .filter(|(w, _)| w.chars().count() >= 2 && *w != "接近" && *w != "大约")
                .filter_map(|(w, q)| clause.rfind(w).map(|at| (at + w.len(), w.len(), *q)))
                .max_by_key(|&(end, len, _)| (end, len))
                .map(|(_, _, q)| q);
        }
        if qualifier == Qualifier::Exact {
            if let Some(q) = prefix_q {
                qualifier = q;
            }
        } else if prefix_q == Some(Qualifier::AtMost) && qualifier == Qualifier::AtLeast {
            qualifier = Qualifier::AtMost;
        }
        // 控制在…以内 and 降到…以下 are caps; 控制在5%左右 stays approximate.
        let left_raw = t.string(clause_start, num_start);
        let percent = matches!(cand.unit.as_str(), "%" | "％" | "‰" | "个百分点" | "百分点");
        let left_trim = left_raw.trim_end_matches(|c: char| c.is_whitespace());
        let stripped = strip_trailing(
            left_trim,
            &["分别", "同比", "年均", "累计", "比上年", "比去年", "每年"],
        );
        let growth_verb_end = GROWTH_VERBS
            .iter()
            .any(|w| ends_with_word(stripped, w) || ends_with_word(left_trim, w));
        let mut measure = if percent && growth_verb_end { Measure::Growth } else { Measure::Level };
        // The indicator: the clause before the number, or the noun after a count.
        let mut indicator = strip_indicator(&left_raw, measure == Measure::Growth).to_string();
        // The noun after a count is the count's subject, unless the clause already named
        // one and the noun runs into the next figure (完成棚户区改造1594套老旧小区改造610户).
        let after_noun = match noun_after(t, after_q) {
            (_, true) if !indicator.is_empty() => String::new(),
            (n, _) => n,
        };
        let share_of = percent && t.at(after_q) == '的';
        let right = if cand.count_unit
            || MAGNITUDES.contains(&cand.unit.as_str())
            || indicator.is_empty() && !percent
        {
            after_noun
        } else if share_of {
            // 55%左右的县（市、区）: a share of what follows.
            noun_after(t, after_q + 1).0
        } else {
            String::new()
        };
        if !right.is_empty() {
            indicator = if !share_of { format!("{indicator}{right}") } else { right };
        }
        let same_sentence_prev = prev_fact.filter(|&(_, e)| e > sentence_start);
        // A comparison with a base (是2015年的1.7倍) measures the subject before it.
        let comparison = left_raw.trim_start().starts_with('是') && left_raw.contains('的');
        // 分别 lists: 刑事、治安警情同比分别下降34.5%、21.4%.
        let list = respectively(
            t,
            clause_start,
            num_start,
            after_q,
            &left_raw,
            same_sentence_prev.map(|(pi, _)| &out[pi]),
            &fenbie,
        );
        // The last figure of a 分别 list, with how many came before it.
        let mut closes_list = None;
        if let Some((ind, m, state)) = list {
            indicator = ind;
            if let Some(m) = m {
                measure = m;
            }
            closes_list = state
                .as_ref()
                .filter(|st| st.next > 1 && st.next == st.items.len())
                .map(|st| st.next - 1);
            fenbie = state;
            if let Some(st) = fenbie.as_mut().filter(|st| st.next == 1) {
                st.measure = measure;
            }
        } else {
            fenbie = None;
        }
        if indicator.chars().count() < 2 || comparison {
            if let Some((pi, _)) = same_sentence_prev {
                let p: &Fact = &out[pi];
                indicator = if indicator.is_empty() || comparison {
                    p.indicator.clone()
                } else {
                    format!("{}{}", p.indicator, indicator)
                };
                if left_raw.trim().is_empty() || left_raw.trim() == "和" || left_raw.trim() == "及"
                {
                    measure = p.measure;
                }
            } else {
                // Fall back to the previous clause's subject.
                let from = sentence_start.max(line_start);
                let subject = strip_indicator(&t.string(from, clause_start_raw.max(from)), false)
                    .chars()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>();
                if !subject.is_empty() {
                    indicator = format!("{subject}{indicator}");
                }
            }
        }
        // Kind and year from the section, sentence and paragraph.
        let byte_start = t.offs[cand.start];
        let section = section_at(cx.outline, byte_start);
        // A glossary (名词解释) defines slogans; its figures are part of the definitions.
        if in_glossary(cx.outline, section) {
            continue;
        }
        let (kind, year) = kind_and_year(
            t,
            cx,
            Some(&memo),
            section,
            sentence_start,
            line_start,
            clause_start_raw,
            num_start,
            cand.start,
        );
        let key = indicator::key(&indicator, measure);
        let fact = Fact {
            start: byte_start,
            end: t.offs[end],
            number: t.string(cand.start, end),
            value: cand.value,
            value_max: cand.value_max,
            unit: cand.unit.clone(),
            indicator,
            indicator_key: key,
            measure,
            kind,
            qualifier,
            year,
            section,
        };
        // 分别增长5%、6.5%左右: a qualifier after the last figure of a list is the list's,
        // unless the figures before it have their own (4%左右和6%左右).
        if let Some(before) = closes_list
            && fact.qualifier != Qualifier::Exact
            && out.len() >= before
        {
            let from = out.len() - before;
            if out[from..].iter().all(|f| f.qualifier == Qualifier::Exact) {
                for f in &mut out[from..] {
                    f.qualifier = fact.qualifier;
                }
            }
        }
        out.push(fact);
        prev_fact = Some((out.len() - 1, after_q));
        prev_end = after_q;
    }
    from_to(text, &mut out, cx);
    out
}

/// Where the clause, sentence or line of a figure begins: the index after the last break
/// before it. Figures come in text order, so the text is read forward once for all of them;
/// scanning back from every figure read a long paragraph once per figure in it. Where a
/// scan back stopped at a bound (`MAX_CLAUSE`…), the caller takes the larger of the two.
struct LastBreak {
    is_break: fn(char) -> bool,
    /// Chars before this index have been read.
    read: usize,
    /// The index after the last break among them, or 0.
    after: usize,
}

impl LastBreak {
    fn new(is_break: fn(char) -> bool) -> LastBreak {
        LastBreak { is_break, read: 0, after: 0 }
    }

    /// The index after the last break before `at`, or 0.
    fn before(&mut self, t: &Text, at: usize) -> usize {
        if at < self.read {
            // Out of order: start again rather than answer wrongly.
            *self = LastBreak::new(self.is_break);
        }
        if let Some(k) = t.chars[self.read..at].iter().rposition(|&c| (self.is_break)(c)) {
            self.after = self.read + k + 1;
        }
        self.read = at;
        self.after
    }
}

/// The state of a `分别` list: its items and the next item's index.
#[derive(Debug, Clone)]
struct Respectively {
    /// What the list is about as written (`城乡居民人均可支配收入`).
    subject: String,
    items: Vec<String>,
    next: usize,
    measure: Measure,
}

/// Indicators for the figures of a `分别` list. `城乡居民人均可支配收入分别增长4.7%、6.6%`
/// names the urban then the rural income; `刑事、治安警情分别下降…` names 刑事警情 then
/// 治安警情, `城镇和农村居民…` the urban then the rural. A second 分别 with no subject of
/// its own in the same sentence (`…分别达35512元、25689元，同比分别增长7.8%、9.4%`) runs
/// over the same items again. One figure alone (`城乡居民人均可支配收入分别增长7.5%`) is
/// about the whole subject: both grew by it. Returns the indicator, the measure to keep,
/// and the list state.
fn respectively(
    t: &Text,
    clause_start: usize,
    num_start: usize,
    num_end: usize,
    left: &str,
    prev: Option<&Fact>,
    state: &Option<Respectively>,
) -> Option<(String, Option<Measure>, Option<Respectively>)> {
    let joiner = matches!(left.trim(), "" | "和" | "及" | "与" | "、");
    if let (Some(st), true) = (state, joiner) {
        let _ = prev?;
        let ind = st.items.get(st.next)?.clone();
        let next = Respectively { next: st.next + 1, ..st.clone() };
        return Some((ind, Some(st.measure), Some(next)));
    }
    // 分别, or a 均 that follows a list (城镇…、农村…均增长8%: each grew by the one figure;
    // not the 均 of 人均, 年均, 平均).
    let both = left.rfind('均').filter(|&i| {
        let before = left[..i].chars().next_back();
        !matches!(before, Some('人' | '年' | '平' | '户')) && left[i..].chars().count() <= 4
    });
    let (at, word) = match left.find("分别") {
        Some(at) => (at, "分别"),
        None => (both?, "均"),
    };
    // The subject may run back over 、-joined items into earlier clauses.
    let mut start = clause_start;
    while start > 0 && t.at(start - 1) == '、' {
        start -= 1;
        while start > 0 && !is_clause_break(t.at(start - 1)) {
            start -= 1;
        }
    }
    let subject_full = t.string(start, num_start);
    let cut = if word == "均" { subject_full.rfind(word) } else { subject_full.find(word) };
    let cut = cut.unwrap_or(at);
    let subject = strip_indicator(&subject_full[..cut], false).to_string();
    let verb: String = subject_full[cut..].to_string();
    let measure = if GROWTH_VERBS.iter().any(|w| verb.contains(w)) {
        Measure::Growth
    } else {
        Measure::Level
    };
    // Only a rate is a growth; 分别提高100元、150元 raises a level.
    let rate = t.at(num_start).is_ascii_digit() && {
        let mut k = num_start;
        while digit(t.at(k)).is_some() || matches!(t.at(k), '.' | ' ') {
            k += 1;
        }
        matches!(t.at(k), '%' | '％') || t.starts_with(k, "个百分点")
    };
    let measure = if rate { measure } else { Measure::Level };
    if word == "均" {
        return (subject.contains('、')).then_some((subject, Some(measure), None));
    }
    let (subject, items) = match state.as_ref().filter(|_| prev.is_some()) {
        Some(st) if subject.is_empty() || subject == "同比" => {
            (st.subject.clone(), st.items.clone())
        }
        _ => {
            let items = list_items(&subject)?;
            (subject, items)
        }
    };
    // Another figure follows in the list (、7.8%, 和8%), or this one is about the whole.
    let more = matches!(t.at(num_end), '、' | '和' | '及' | '与')
        && (digit(t.at(num_end + 1)).is_some() || is_chinese_numeral_char(t.at(num_end + 1)));
    if !more {
        return Some((subject, Some(measure), None));
    }
    let first = items.first()?.clone();
    Some((first, Some(measure), Some(Respectively { subject, items, next: 1, measure })))
}

/// The items of a `分别` subject: `城乡X` is urban X and rural X; `刑事、治安警情` and
/// `城镇和农村居民收入` share the last item's head noun when the items before it are
/// modifiers of two or three characters.
fn list_items(subject: &str) -> Option<Vec<String>> {
    if let Some(i) = subject.find("城乡") {
        let (head, tail) = (&subject[..i], &subject[i + "城乡".len()..]);
        return Some(vec![format!("{head}城镇{tail}"), format!("{head}农村{tail}")]);
    }
    let parts: Vec<&str> = if subject.contains('、') {
        subject.split('、').filter(|p| !p.is_empty()).collect()
    } else {
        let two: Vec<&str> = subject.splitn(2, ['和', '与', '及']).collect();
        // Only a short modifier before 和 (城镇和农村…), not two whole indicators.
        if two.len() != 2 || two[0].chars().count() > 3 {
            return None;
        }
        two
    };
    if parts.len() < 2 {
        return None;
    }
    let last = parts.last().copied().unwrap_or("");
    Some(
        parts
            .iter()
            .map(|p| {
                let (pn, ln) = (p.chars().count(), last.chars().count());
                if pn <= 3 && pn < ln && *p != last {
                    // 刑事 + the head noun of 治安警情.
                    let tail: String = last.chars().skip(pn).collect();
                    format!("{p}{tail}")
                } else {
                    p.to_string()
                }
            })
            .collect(),
    )
}

pub(crate) fn in_glossary(outline: &[Section], mut section: Option<usize>) -> bool {
    while let Some(i) = section {
        if outline[i].title.starts_with("名词解释") {
            return true;
        }
        section = outline[i].parent;
    }
    false
}

fn strip_trailing<'s>(mut s: &'s str, words: &[&str]) -> &'s str {
    for w in words {
        if let Some(r) = strip_word(s, w) {
            s = r;
        }
    }
    s
}

/// The noun phrase that follows a count (`8个贫困县` → `贫困县`), up to a clause break,
/// a figure, or a verb that starts the predicate.
fn noun_after(t: &Text, i: usize) -> (String, bool) {
    // A conjunction starts the next item, not this count's noun: 生态示范区5个和省级生态县7个.
    if ["和", "及", "与", "以及", "并", "同时", "其中"].iter().any(|w| t.starts_with(i, w))
    {
        return (String::new(), false);
    }
    let mut before_figure = false;
    let mut j = i;
    let limit = i + 24;
    let mut quoted = false;
    while j < limit {
        let c = t.at(j);
        match c {
            '“' => quoted = true,
            '”' => quoted = false,
            _ => {}
        }
        if quoted && c != '\n' && c != '\0' {
            j += 1;
            continue;
        }
        if is_clause_break(c) || c == '\0' || c == '等' {
            break;
        }
        if digit(c).is_some() {
            // The noun is the next figure's subject: 保交楼2096套.
            before_figure = j > i && !t.at(j - 1).is_ascii_alphanumeric();
            break;
        }
        if !(is_cjk(c)
            || matches!(c, '“' | '”' | '（' | '）' | '(' | ')' | '·' | '+' | '＋')
            || c.is_ascii_alphanumeric())
        {
            break;
        }
        // Verbs that end the noun: 项目建成投产, 企业进入…
        if j > i + 1
            && [
                "建成", "完成", "进入", "入选", "获批", "获得", "实现", "达到", "全部", "开工",
                "投产", "被", "列入", "纳入", "参与", "配备", "分别",
            ]
            .iter()
            .any(|w| t.starts_with(j, w))
        {
            break;
        }
        j += 1;
    }
    if j == i || is_chinese_numeral_char(t.at(i)) && j == i + 1 {
        return (String::new(), false);
    }
    let s = t.string(i, j);
    let s = s.trim_start_matches(['的', '以', '上']);
    (s.to_string(), before_figure)
}

/// `从46.5%提升到57%`: the first figure is the base, an actual of the base year.
fn from_to(t: &str, facts: &mut [Fact], cx: &Context<'_>) {
    for k in 1..facts.len() {
        let (a, b) = (&facts[k - 1], &facts[k]);
        if a.end > b.start || b.start - a.end > 30 {
            continue;
        }
        let between = t_slice(t, a.end, b.start);
        // 增加到2015年的287.9亿元: the target year sits between the verb and the figure.
        let between = strip_year_of(&between).unwrap_or(&between);
        let reached = [
            "提升到",
            "提高到",
            "提升至",
            "提高至",
            "增加到",
            "增加至",
            "下降到",
            "下降至",
            "降低到",
            "降低至",
            "增长到",
            "扩大到",
            "达到",
            "上升到",
            "上升至",
            "降到",
            "降至",
            "到",
        ]
        .iter()
        .any(|w| between.ends_with(w));
        // 从46.5%…, or with its year: 从2020年的82.4岁…
        let before = t_slice(t, a.start.saturating_sub(24), a.start);
        let explicit_year = explicit_base_year(&before);
        let from = before.ends_with('从') || before.ends_with('由') || explicit_year.is_some();
        if reached && from {
            let b_ind = facts[k].indicator.clone();
            let b_fact = facts[k].clone();
            let a_start = facts[k - 1].start;
            let b_unit_same = facts[k - 1].unit == facts[k].unit;
            let a = &mut facts[k - 1];
            if b_unit_same {
                a.kind = Kind::Actual;
                a.measure = Measure::Level;
                let context = section_context(t, cx, b_fact.section, a_start);
                a.year = explicit_year.or_else(|| base_year(cx, &b_fact, &context));
                if a.indicator.is_empty() {
                    a.indicator = b_ind;
                }
            }
            let a_ind = facts[k - 1].indicator.clone();
            let b = &mut facts[k];
            b.measure = Measure::Level;
            if b.indicator.chars().count() < 2
                || b.indicator.contains("提升")
                || b.indicator.contains("提高")
            {
                b.indicator = a_ind;
            }
        }
    }
}

fn t_slice(t: &str, from: usize, to: usize) -> String {
    // Byte offsets may fall inside a char when `from` was moved back by a fixed count.
    let mut from = from.min(t.len());
    while !t.is_char_boundary(from) {
        from += 1;
    }
    let mut to = to.min(t.len());
    while !t.is_char_boundary(to) {
        to -= 1;
    }
    if from >= to { String::new() } else { t[from..to].to_string() }
}

/// The headings above a fact and the start of its paragraph: where a period is named.
fn section_context(t: &str, cx: &Context<'_>, section: Option<usize>, at: usize) -> String {
    let mut out = String::new();
    let mut sec = section;
    while let Some(i) = sec {
        out.push_str(&cx.outline[i].title);
        sec = cx.outline[i].parent;
    }
    let para_start = t[..at.min(t.len())].rfind('\n').map_or(0, |p| p + 1);
    out.push_str(&t_slice(t, para_start, at));
    out
}

/// `…到2015年的` without its `2015年的`, when it ends so.
fn strip_year_of(s: &str) -> Option<&str> {
    let rest = s.strip_suffix('的')?;
    let rest = rest.strip_suffix('底').or_else(|| rest.strip_suffix('末')).unwrap_or(rest);
    let rest = rest.strip_suffix('年')?;
    let head = rest.trim_end_matches(|c: char| c.is_ascii_digit());
    (rest.len() - head.len() == 4).then_some(head)
}

/// The year in `从2020年的` or `由2015年底的` right before a figure.
fn explicit_base_year(before: &str) -> Option<i32> {
    let rest = before.strip_suffix('的')?;
    let rest = rest.strip_suffix('底').or_else(|| rest.strip_suffix('末')).unwrap_or(rest);
    let rest = rest.strip_suffix('年')?;
    let digits: String = rest
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head = &rest[..rest.len() - digits.len()];
    if digits.len() == 4 && (head.ends_with('从') || head.ends_with('由')) {
        digits.parse().ok()
    } else {
        None
    }
}

/// The base year of a `从…到…` comparison: the year before the period under review.
///
/// A review of a five-year period compares with the year before it began; an annual
/// review compares with the year before.
fn base_year(cx: &Context<'_>, b: &Fact, context: &str) -> Option<i32> {
    let five_years = ["十一五", "十二五", "十三五", "十四五", "十五五", "五年"]
        .iter()
        .any(|w| context.contains(w));
    match (cx.meta.kind, cx.meta.period) {
        (Some(DocKind::PlanProposal | DocKind::PlanOutline), Some((p0, _))) => Some(p0 - 6),
        _ if five_years => b.year.map(|y| y - 5),
        _ => b.year.map(|y| y - 1),
    }
}

/// Target cues: words that make a figure a goal wherever it stands.
const TARGET_CUES: &[&str] =
    &["力争", "确保", "预期目标", "目标是", "将达到", "到20", "到“", "到二", "要达到"];
/// Actual cues: words that make a figure a result.
const ACTUAL_CUES: &[&str] = &["预计今年", "预计全年", "截至", "截止", "已经", "已达", "现有"];

/// The first year a heading names, if any.
fn heading_year(title: &str) -> Option<i32> {
    let title = Text::new(title);
    year_cues(&title, 0, title.chars.len()).first().copied()
}

/// The words of a sentence that bear on a figure's kind and year: which of [`TARGET_CUES`],
/// [`ACTUAL_CUES`], 实现 and 今年 it holds.
struct SentenceCues {
    target: bool,
    actual: bool,
    shixian: bool,
    jinnian: bool,
}

/// The first chars of the words [`SentenceCues`] looks for; a test keeps it in step with
/// the lists.
const SENTENCE_CUE_START: CharSet =
    CharSet::new(&['力', '确', '预', '目', '将', '到', '要', '截', '已', '现', '实', '今']);

impl SentenceCues {
    /// Reads the chars `from..to` once, testing the words only where one can start. It is
    /// what searching the sentence as a string for each word finds: a word counts when it
    /// lies wholly inside the sentence.
    fn read(t: &Text, from: usize, to: usize) -> SentenceCues {
        let mut cues =
            SentenceCues { target: false, actual: false, shixian: false, jinnian: false };
        for p in from.min(to)..to {
            if !SENTENCE_CUE_START.contains(t.chars[p]) {
                continue;
            }
            let inside = |w: &&str| t.starts_with(p, w) && p + w.chars().count() <= to;
            cues.target |= TARGET_CUES.iter().any(inside);
            cues.actual |= ACTUAL_CUES.iter().any(inside);
            cues.shixian |= inside(&"实现");
            cues.jinnian |= inside(&"今年");
        }
        cues
    }
}

/// What [`kind_and_year`] reads for one figure that it can keep for the next ones.
struct Memo {
    /// The year each heading names ([`heading_year`]), in outline order: read at most once
    /// per section rather than once per figure in it, and only for the sections a figure
    /// falls back to.
    heading_years: Vec<OnceCell<Option<i32>>>,
    /// The last sentence read for its years: the figures of one sentence read it from the
    /// same start to ever later ends, so each reads on from where the one before stopped,
    /// and a sentence is read once rather than once per figure in it.
    sentence: Cell<YearWalk>,
    /// The year of the last paragraph opening read, for a paragraph start and the start of
    /// the figure's sentence, on which alone it depends: the figures of a paragraph after
    /// its first sentence all read the same opening.
    opening: LastYear<(usize, usize)>,
    /// The year a list's lead-in or an earlier paragraph gives the last paragraph read, for
    /// its start and section, on which alone it depends.
    paragraph: LastYear<(usize, Option<usize>)>,
}

/// The year last read for a key, read again only when the key changes.
struct LastYear<K>(Cell<Option<(K, Option<i32>)>>);

impl<K: Copy + PartialEq> LastYear<K> {
    fn new() -> Self {
        LastYear(Cell::new(None))
    }

    /// The year for `key`: the one last read if it was for `key`, else `read()`.
    fn get_or(&self, key: K, read: impl FnOnce() -> Option<i32>) -> Option<i32> {
        if let Some((k, year)) = self.0.get()
            && k == key
        {
            return year;
        }
        let year = read();
        self.0.set(Some((key, year)));
        year
    }
}

/// A read of [`walk_year_cues`] from `from`, stopped at `at` for an end of `end`, and the
/// last year it found.
#[derive(Debug, Clone, Copy, Default)]
struct YearWalk {
    from: usize,
    end: usize,
    at: usize,
    last: Option<i32>,
}

impl Memo {
    /// [`year_cue`] of `from..end`, reading on from the last sentence's read when it starts
    /// at `from` and ended no later than `end`.
    fn sentence_year(&self, t: &Text, from: usize, end: usize) -> Option<i32> {
        let mut w = self.sentence.get();
        if w.from != from || w.end > end {
            w = YearWalk { from, end: from, at: from, last: None };
        }
        walk_year_cues(t, &mut w.at, end, |y| w.last = Some(y));
        w.end = end;
        self.sentence.set(w);
        w.last
    }
}

/// The kind and year of the figure at `at`. `memo`, when given, keeps what is read for one
/// figure for the next ones.
#[allow(clippy::too_many_arguments)]
fn kind_and_year(
    t: &Text,
    cx: &Context<'_>,
    memo: Option<&Memo>,
    section: Option<usize>,
    sentence_start: usize,
    line_start: usize,
    clause_start: usize,
    num_start: usize,
    at: usize,
) -> (Kind, Option<i32>) {
    let meta = cx.meta;
    let review = section.map(|s| cx.outline[s].review);
    let doc_kind = meta.kind.unwrap_or(DocKind::Other);
    // A work report of year N reviews N−1 and plans N; a plan reviews the year before its
    // period and aims at its end.
    let (review_year, plan_year) = match doc_kind {
        DocKind::WorkReport => (meta.year.map(|y| y - 1), meta.year),
        DocKind::PlanProposal | DocKind::PlanOutline | DocKind::ActionPlan | DocKind::Decision => {
            let single_horizon = meta.period.is_some()
                && !meta.title.as_deref().is_some_and(|t| {
                    t.contains("二〇三五") || t.contains("2035") || t.contains("远景")
                });
            (
                meta.period.map(|p| p.0 - 1),
                if single_horizon { meta.period.map(|p| p.1) } else { None },
            )
        }
        _ => (meta.year.map(|y| y - 1), None),
    };
    let in_review = match (review, doc_kind) {
        (Some(r), _) => r,
        // Before the first heading a work report speaks of the past year.
        (None, DocKind::WorkReport) => true,
        (None, _) => false,
    };
    let cues = SentenceCues::read(t, sentence_start, at);
    let mut kind = if in_review { Kind::Actual } else { Kind::Target };
    let (target_cue, actual_cue) = (cues.target, cues.actual);
    if in_review && target_cue && !cues.shixian {
        kind = Kind::Target;
    }
    if !in_review && actual_cue {
        kind = Kind::Actual;
    }
    if matches!(doc_kind, DocKind::PressRelease | DocKind::Other) && review.is_none() && !target_cue
    {
        kind = Kind::Actual;
    }
    // The year: the sentence, then the paragraph's opening, then the section's heading.
    let sentence_year = match memo {
        Some(memo) => memo.sentence_year(t, sentence_start, num_start),
        None => year_cue(t, sentence_start, num_start),
    };
    let mut year = sentence_year
        .or_else(|| {
            // The opening sentence of the paragraph.
            if line_start >= sentence_start {
                return None;
            }
            let opening = || {
                let mut e = line_start;
                while e < t.chars.len().min(line_start + MAX_SENTENCE)
                    && !is_sentence_break(t.at(e))
                {
                    e += 1;
                }
                year_cue(t, line_start, e.min(sentence_start))
            };
            match memo {
                Some(memo) => memo.opening.get_or((line_start, sentence_start), opening),
                None => opening(),
            }
        })
        .or_else(|| {
            let earlier = || {
                lead_in_year(t, line_start).or_else(|| {
                    let from =
                        section.map_or(0, |i| t.offs.partition_point(|&b| b < cx.outline[i].start));
                    topic_year(t, line_start, from)
                })
            };
            match memo {
                Some(memo) => memo.paragraph.get_or((line_start, section), earlier),
                None => earlier(),
            }
        })
        .or_else(|| {
            // The nearest heading that names a year; a heading naming two horizons
            // (`主要目标和二〇三五年远景目标`) speaks first of the nearer one.
            let mut sec = section;
            while let Some(i) = sec {
                let s = &cx.outline[i];
                let year = match memo {
                    Some(memo) => *memo.heading_years[i].get_or_init(|| heading_year(&s.title)),
                    None => heading_year(&s.title),
                };
                if year.is_some() {
                    return year;
                }
                sec = s.parent;
            }
            None
        });
    // A year the text names settles the kind: up to the year under review it is a result,
    // after it a goal (a 2026 report's 十四五 paragraphs report, its 十五五 ones plan).
    if let (Some(y), Some(r)) = (year, review_year) {
        kind = if y <= r { Kind::Actual } else { Kind::Target };
    }
    if year.is_none() {
        year = match kind {
            Kind::Actual => review_year,
            Kind::Target => plan_year,
        };
        if let (Kind::Actual, Some(y), true) = (kind, meta.year, cues.jinnian)
            && doc_kind != DocKind::WorkReport
        {
            year = Some(y);
        }
    }
    if per_year(t, clause_start.max(sentence_start), at) && kind == Kind::Target {
        year = None;
    }
    (kind, year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentMeta;

    fn run(text: &str, meta: DocumentMeta) -> Vec<Fact> {
        let outline = crate::outline::outline(text, meta.year);
        facts(text, &Context { meta: &meta, outline: &outline })
    }

    #[test]
    fn year_cue_start_is_what_opens_a_year_or_a_plan_period() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected = c.is_ascii_digit()
                || c == '十'
                || c == '第'
                || crate::numeral::chinese_digit(c).is_some();
            assert_eq!(YEAR_CUE_START.contains(c), expected, "{c:?}");
        }
    }

    #[test]
    fn sentence_cue_start_holds_the_first_char_of_every_cue() {
        for w in TARGET_CUES.iter().chain(ACTUAL_CUES).chain(&["实现", "今年"]) {
            let first = w.chars().next().expect("a cue is not empty");
            assert!(SENTENCE_CUE_START.contains(first), "{w}");
        }
    }

    #[test]
    fn sentence_cues_are_the_words_wholly_inside_the_sentence() {
        let t = Text::new("今年力争实现增长，预计全年");
        let cues = |from, to| {
            let c = SentenceCues::read(&t, from, to);
            (c.target, c.actual, c.shixian, c.jinnian)
        };
        assert_eq!(cues(0, 13), (true, true, true, true));
        assert_eq!(cues(1, 3), (false, false, false, false));
        assert_eq!(cues(2, 5), (true, false, false, false));
        assert_eq!(cues(9, 12), (false, false, false, false));
    }

    #[test]
    fn ocr_spaces_are_digit_space_digit() {
        // What count_ocr_spaces was: every window of three chars with a space in the middle.
        let windows = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            chars
                .windows(3)
                .filter(|w| w[1] == ' ' && digit(w[0]).is_some() && digit(w[2]).is_some())
                .count()
        };
        for text in
            [" 1 2 ", "2 0 0 5年", "１ ２", "年 2", "2  0", "", " ", "3 ", " 3", "二 0 x 9 ９"]
        {
            assert_eq!(count_ocr_spaces(text), windows(text), "{text:?}");
        }
    }

    #[test]
    fn a_sentence_read_on_gives_the_years_of_a_read_from_its_start() {
        let t = Text::new("比2015年增长，到2025年和“十四五”末，2030年");
        let memo = Memo {
            heading_years: Vec::new(),
            sentence: Cell::new(YearWalk::default()),
            opening: LastYear::new(),
            paragraph: LastYear::new(),
        };
        let n = t.chars.len();
        // Ends rising, falling and from other starts, as figures of a document ask.
        let asks =
            (0..=n).map(|e| (0, e)).chain((0..=n).rev().map(|e| (3, e))).chain([(9, n), (0, 5)]);
        for (from, end) in asks {
            assert_eq!(memo.sentence_year(&t, from, end), year_cue(&t, from, end), "{from}..{end}");
        }
    }

    #[test]
    fn ends_with_is_the_chars_before_end() {
        let t = Text::new("到2025年");
        for end in 0..=8 {
            for s in ["", "年", "5年", "到2025年", "x到2025年", "到"] {
                // What ends_with was: count, then compare forward.
                let n = s.chars().count();
                let expected = end >= n && t.starts_with(end - n, s);
                assert_eq!(t.ends_with(end, s), expected, "{end} {s}");
            }
        }
    }

    #[test]
    fn holds_is_contains_on_the_string_of_the_chars() {
        let t = Text::new("至少每年新增一千所");
        for from in 0..=9 {
            for to in 0..=9 {
                for w in ["至少", "每年", "年新增", "所", "一千所", "", "不低于"] {
                    let expected = t.string(from, to).contains(w);
                    assert_eq!(t.holds(from, to, w), expected, "{from}..{to} {w}");
                }
            }
        }
    }

    #[test]
    fn line_chars_are_the_lines_split_inclusive_cuts() {
        for text in ["", "一", "一\n", "一\n\n二三\r\n4", "\n\n"] {
            let t = Text::new(text);
            let lines: Vec<String> = (0..text.split_inclusive('\n').count())
                .map(|k| {
                    let (from, to) = t.line_chars(k);
                    t.string(from, to)
                })
                .collect();
            assert_eq!(lines, text.split_inclusive('\n').collect::<Vec<_>>(), "{text:?}");
        }
    }

    fn report(year: i32) -> DocumentMeta {
        DocumentMeta {
            kind: Some(DocKind::WorkReport),
            year: Some(year),
            ..DocumentMeta::default()
        }
    }

    /// Checks the facts of `text` as `number value unit indicator measure kind qualifier year`.
    #[track_caller]
    fn check(text: &str, meta: DocumentMeta, expected: &[&str]) {
        let got: Vec<String> = run(text, meta)
            .iter()
            .map(|f| {
                format!(
                    "{} {}{} {} {} {} {} {} {}",
                    f.number,
                    f.value,
                    f.value_max.map(|m| format!("-{m}")).unwrap_or_default(),
                    if f.unit.is_empty() { "-" } else { &f.unit },
                    f.indicator,
                    f.measure.as_str(),
                    f.kind.as_str(),
                    f.qualifier.as_str(),
                    f.year.map(|y| y.to_string()).unwrap_or_else(|| "null".into())
                )
            })
            .collect();
        assert_eq!(got, expected, "\n{text}");
    }

    #[test]
    fn run_together_growth_rates() {
        check(
            "一、2024年工作回顾\n经济发展稳中向好。完成地区生产总值增长5%农林牧渔业总产值增长4.2%城乡居民人均可支配收入分别增长4.7%、6.6%\n",
            report(2025),
            &[
                "5% 5 % 完成地区生产总值 growth actual exact 2024",
                "4.2% 4.2 % 农林牧渔业总产值 growth actual exact 2024",
                "4.7% 4.7 % 城镇居民人均可支配收入 growth actual exact 2024",
                "6.6% 6.6 % 农村居民人均可支配收入 growth actual exact 2024",
            ],
        );
    }

    #[test]
    fn targets_with_qualifiers() {
        check(
            "二、2025年工作安排\n主要预期目标是：地区生产总值增长6.5%左右，规模工业增加值增长10%以上，粮食种植面积稳定在90万亩左右，高中阶段毛入学率不低于94%。\n",
            report(2025),
            &[
                "6.5% 6.5 % 地区生产总值 growth target approx 2025",
                "10% 10 % 规模工业增加值 growth target at_least 2025",
                "90万亩 90 万亩 粮食种植面积 level target approx 2025",
                "94% 94 % 高中阶段毛入学率 level target at_least 2025",
            ],
        );
    }

    #[test]
    fn counts_before_their_nouns_and_thresholds() {
        check(
            "一、工作回顾\n全年实施500万元以上项目318个，8个贫困县全部出列，完成65岁以上老年人体检7.56万人，新增两万套。\n",
            report(2025),
            &[
                "318个 318 个 实施500万元以上项目 level actual exact 2024",
                "8个 8 个 贫困县 level actual exact 2024",
                "7.56万人 7.56 万人 完成65岁以上老年人体检 level actual exact 2024",
                "两万套 2 万套 新增 level actual exact 2024",
            ],
        );
    }

    #[test]
    fn dates_ordinals_labels_are_not_facts() {
        check(
            "2020年12月19日，围绕“1411”总体思路，打造六大产业基地，位居全省第一，G326国道，5G基站，第26届，“十四五”时期。\n1.提升产业。\n（2）完成任务。\n",
            DocumentMeta::default(),
            &[],
        );
    }

    #[test]
    fn ranges_and_bounded_chinese_counts() {
        check(
            "到2026年，建设2—3个开放创新平台，经济增长4.5%—5%，每个乡镇至少建成一所幼儿园，培育一千八百个项目。",
            DocumentMeta {
                kind: Some(DocKind::ActionPlan),
                period: Some((2024, 2026)),
                ..DocumentMeta::default()
            },
            &[
                "2—3个 2-3 个 建设开放创新平台 level target exact 2026",
                "4.5%—5% 4.5-5 % 经济 growth target exact 2026",
                "一所 1 所 每个乡镇至少建成幼儿园 level target at_least 2026",
                "一千八百个 1800 个 培育项目 level target exact 2026",
            ],
        );
    }

    #[test]
    fn from_base_to_result() {
        check(
            "一、“十三五”时期取得的成就\n城镇化率从46.5%提升到57%。\n",
            DocumentMeta {
                kind: Some(DocKind::PlanProposal),
                period: Some((2021, 2025)),
                ..DocumentMeta::default()
            },
            &[
                "46.5% 46.5 % 城镇化率 level actual exact 2015",
                "57% 57 % 城镇化率 level actual exact 2020",
            ],
        );
    }

    #[test]
    fn a_mixed_section_takes_its_years_from_paragraph_topics() {
        check(
            "二、“十四五”时期发展成就和“十五五”时期主要目标\n“十四五”时期是极不平凡的五年。\n这五年，人均预期寿命从2020年的82.4岁提高到83.9岁。\n“十五五”时期是关键时期。\n主要指标包括：地区生产总值年均增速4.5%-5%。\n",
            report(2026),
            &[
                "82.4岁 82.4 岁 人均预期寿命 level actual exact 2020",
                "83.9岁 83.9 岁 人均预期寿命 level actual exact 2025",
                "4.5%-5% 4.5-5 % 地区生产总值 growth target exact 2030",
            ],
        );
    }

    #[test]
    fn words_that_look_like_units_and_classes() {
        check(
            "二、2026年工作安排\n出台服务业扩大开放3.0方案，建成500千伏变电站，公交与轨道50米内换乘比例达到93%，最低标准分别提高100元、150元。\n",
            report(2026),
            &[
                "93% 93 % 公交与轨道50米内换乘比例 level target exact 2026",
                "100元 100 元 最低标准 level target exact 2026",
                "150元 150 元 最低标准 level target exact 2026",
            ],
        );
    }

    #[test]
    fn five_year_reviews_compare_with_the_year_before_the_period() {
        check(
            "一、“十二五”时期和2015年工作回顾\n地区生产总值由2010年的162.4亿元增加到2015年的287.9亿元，年均增长12.1%；公共预算支出由11.66亿元增加到29.33亿元。地区生产总值同比增长8.9%，城乡居民人均可支配收入分别增长8.7%和8.6%。\n",
            report(2016),
            &[
                "162.4亿元 162.4 亿元 地区生产总值 level actual exact 2010",
                "287.9亿元 287.9 亿元 地区生产总值 level actual exact 2015",
                "12.1% 12.1 % 地区生产总值 growth actual exact 2015",
                "11.66亿元 11.66 亿元 公共预算支出 level actual exact 2010",
                "29.33亿元 29.33 亿元 公共预算支出 level actual exact 2015",
                "8.9% 8.9 % 地区生产总值 growth actual exact 2015",
                "8.7% 8.7 % 城镇居民人均可支配收入 growth actual exact 2015",
                "8.6% 8.6 % 农村居民人均可支配收入 growth actual exact 2015",
            ],
        );
    }

    #[test]
    fn lists_of_town_and_country() {
        check(
            "一、2017年工作回顾\n城镇和农村居民人均可支配收入分别达35512元、25689元，分别同比增长7.8%。城乡常住居民人均可支配收入分别完成37820元、28104元，同比分别增长6.5%、9.4%。\n",
            report(2018),
            &[
                "35512元 35512 元 城镇居民人均可支配收入 level actual exact 2017",
                "25689元 25689 元 农村居民人均可支配收入 level actual exact 2017",
                // One figure for both.
                "7.8% 7.8 % 城镇和农村居民人均可支配收入 growth actual exact 2017",
                "37820元 37820 元 城镇常住居民人均可支配收入 level actual exact 2017",
                "28104元 28104 元 农村常住居民人均可支配收入 level actual exact 2017",
                // A second 分别 runs over the same items.
                "6.5% 6.5 % 城镇常住居民人均可支配收入 growth actual exact 2017",
                "9.4% 9.4 % 农村常住居民人均可支配收入 growth actual exact 2017",
            ],
        );
        check(
            "二、2016年工作安排\n城镇常住居民人均可支配收入、农村常住居民人均可支配收入均增长8%；城乡居民人均可支配收入分别增长7.5%。\n",
            report(2016),
            &[
                "8% 8 % 城镇常住居民人均可支配收入、农村常住居民人均可支配收入 growth target exact 2016",
                "7.5% 7.5 % 城乡居民人均可支配收入 growth target exact 2016",
            ],
        );
        // A qualifier after the last figure is the list's, unless each has its own.
        check(
            "二、2026年工作安排\n城乡居民人均可支配收入分别增长5%、6.5%左右；城镇和农村居民人均可支配收入分别增长4%以上和6%左右。\n",
            report(2026),
            &[
                "5% 5 % 城镇居民人均可支配收入 growth target approx 2026",
                "6.5% 6.5 % 农村居民人均可支配收入 growth target approx 2026",
                "4% 4 % 城镇居民人均可支配收入 growth target at_least 2026",
                "6% 6 % 农村居民人均可支配收入 growth target approx 2026",
            ],
        );
    }

    #[test]
    fn a_total_so_far_measures_what_the_figure_before_it_measures() {
        // A total so far after this year's figure measures the same thing.
        check(
            "二、2026年工作安排\n新增1000处信号灯联网、累计达8000处。\n",
            report(2026),
            &[
                "1000处 1000 处 新增信号灯联网 level target exact 2026",
                "8000处 8000 处 新增信号灯联网 level target exact 2026",
            ],
        );
    }

    #[test]
    fn words_of_basis_are_not_part_of_the_indicator() {
        check(
            "二、2026年工作安排\n地区生产总值按增长5%安排；一般公共预算收入同口径增长5.5%；一般公共财政预算收入按可比口径增长7.5%；一般公共预算收入剔除虚增空转因素后完成10.4亿元。\n",
            report(2026),
            &[
                "5% 5 % 地区生产总值 growth target exact 2026",
                "5.5% 5.5 % 一般公共预算收入 growth target exact 2026",
                "7.5% 7.5 % 一般公共财政预算收入 growth target exact 2026",
                "10.4亿元 10.4 亿元 一般公共预算收入 level target exact 2026",
            ],
        );
        check(
            "一、2016年工作回顾\n一般公共财政预算收入完成17亿元，按可比口径增长13%。\n",
            report(2017),
            &[
                "17亿元 17 亿元 一般公共财政预算收入 level actual exact 2016",
                "13% 13 % 一般公共财政预算收入 growth actual exact 2016",
            ],
        );
    }

    #[test]
    fn fractions_in_digits_and_words() {
        check(
            "二、工作安排\n应用型高校科技成果转化率超过1/3，财政投入占三分之一左右。\n",
            report(2025),
            &[
                "1/3 0.3333333333333333 - 应用型高校科技成果转化率 level target at_least 2025",
                "三分之一 0.3333333333333333 - 财政投入 level target approx 2025",
            ],
        );
    }

    #[test]
    fn ocr_spaces_inside_numbers() {
        check(
            "到2 0 0 5年，全省生产总值年均增长8 %左右，粮食产量达到1 5 0 0万吨，送电1 6 0 ～ 3 0 0万千瓦。1 2 3 4 5 6",
            DocumentMeta {
                kind: Some(DocKind::PlanOutline),
                period: Some((2001, 2005)),
                ..DocumentMeta::default()
            },
            &[
                "8 % 8 % 全省生产总值 growth target approx 2005",
                "1 5 0 0万吨 1500 万吨 粮食产量 level target exact 2005",
                "1 6 0 ～ 3 0 0万千瓦 160-300 万千瓦 送电 level target exact 2005",
            ],
        );
    }
}
