//! Targets linked to their results (目标与实绩), and the benchmark across regions (对标).
//!
//! A target for a region, an indicator and a year is the one set in that year's document
//! (a work report of year N sets N's targets), or else in the latest earlier one (a plan
//! sets its last year's). Its result is the one reported first in a later document (the
//! work report of N + 1 reports N; a plan reviews the year before its period). Figures
//! that are not about one year (年均, 累计, “十四五”期间) are neither.
//!
//! Whether a result meets its target follows the target's qualifier and the direction in
//! which the indicator improves ([`lower_is_better`]): `at_least` is met at or above the
//! target, `at_most` at or below it, a plain figure (增长20%) on its good side, `approx`
//! (6%左右) within a tolerance of it or beyond it on its good side, and a range by its
//! bounds. Growth and level are separate indicators, so they are judged separately. A pair
//! is not comparable, with the reason, when the units cannot be converted, the indicator's
//! definition (口径) differs between the two documents, or the result was revised.
//!
//! The functions here are pure; [`crate::App::track`] and [`crate::App::benchmark`] load
//! what they need from the store.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use taizhang_extract::score::base_unit;
use taizhang_extract::{Kind, Measure, Qualifier};
use taizhang_store::{FactFilter, FactRow, FactSort, TextRow};

use crate::auth::{Action, Actor};
use crate::{App, Result};

/// A target or a result, with where it was stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The figure; with `value_max`, the lower bound of a range.
    pub value: f64,
    /// The upper bound of a range (`4.5%—5%`).
    pub value_max: Option<f64>,
    /// The unit as written (`亿元`, `%`).
    pub unit: String,
    /// 左右, 以上, 以内 …
    pub qualifier: Qualifier,
    /// A rate of change or a level.
    pub measure: Measure,
    /// The indicator as written (`区本级固定资产投资`).
    pub indicator: String,
    /// Target or result.
    pub kind: Kind,
    /// The year the figure is about.
    pub year: i32,
    /// The document that states it.
    pub document_id: i64,
    /// That document's title.
    pub document_title: Option<String>,
    /// The year of that document.
    pub document_year: Option<i32>,
    /// The fact's position among the document's facts.
    pub ord: usize,
    /// Byte span of the figure in the document text.
    pub start: usize,
    /// End of that span (exclusive).
    pub end: usize,
    /// The sentence the figure stands in.
    pub sentence: String,
    /// The clause before the figure, back to the previous comma or stop (`年均增长`).
    pub lead: String,
}

/// How a year's result compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The result meets the target.
    Met,
    /// The result falls short of the target.
    Missed,
    /// There is a target but no result has been reported yet.
    NoResult,
    /// A result was reported but no target was set for the year.
    NoTarget,
    /// Both are there but cannot be compared; the reason says why.
    NotComparable,
}

impl Status {
    /// The name used in JSON and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NoResult => "no_result",
            Status::NoTarget => "no_target",
            Status::NotComparable => "not_comparable",
        }
    }

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "完成",
            Status::Missed => "未完成",
            Status::NoResult => "待报告",
            Status::NoTarget => "无目标",
            Status::NotComparable => "不可比",
        }
    }
}

/// One year of an indicator in one region: its target, its result and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRow {
    /// The year.
    pub year: i32,
    /// The target set for the year.
    pub target: Option<Observation>,
    /// The result reported for the year.
    pub actual: Option<Observation>,
    /// The verdict.
    pub status: Status,
    /// Why, in Chinese: the comparison made, or why none could be.
    pub reason: Option<String>,
}

/// How far a result may fall from an approximate target (`6%左右`) and still meet it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tolerances {
    /// Set by the user per indicator key, in the target's unit.
    pub by_indicator: BTreeMap<String, f64>,
}

impl Tolerances {
    /// The tolerance for `indicator` around `target`: the user's, or half a point for a
    /// rate (%, ‰, 个百分点), or 2% of the target for an amount or a count.
    pub fn of(&self, indicator: &str, target: &Observation) -> f64 {
        if let Some(t) = self.by_indicator.get(indicator) {
            return *t;
        }
        if is_rate(&target.unit) { 0.5 } else { 0.02 * target.value.abs() }
    }
}

/// Whether `t` can be a tolerance: a number, zero or more.
fn valid_tolerance(t: f64) -> bool {
    t.is_finite() && t >= 0.0
}

/// Whether a unit is a rate or a share, whose tolerance is in points.
fn is_rate(unit: &str) -> bool {
    matches!(unit, "%" | "％" | "‰" | "个百分点" | "百分点")
}

/// Indicators that improve as they fall: unemployment, prices, fine particles.
pub fn lower_is_better(indicator: &str) -> bool {
    matches!(indicator, "unemployment_rate" | "cpi" | "pm25")
}

/// Words before a figure that make it a figure over several years (年均增长, 累计完成,
/// “十四五”期间), not one year's.
const SEVERAL_YEARS: &[&str] =
    &["年均", "年平均", "平均每年", "累计", "累积", "五年", "期间", "以来", "翻番", "翻一番"];

/// Whether an observation is about one year, not several.
pub fn is_annual(o: &Observation) -> bool {
    !SEVERAL_YEARS.iter().any(|w| o.lead.contains(w) || o.indicator.contains(w))
}

/// Words that narrow or change what an indicator counts (口径). Two statements of the same
/// indicator that differ in these are not comparable. Each entry lists spellings of one
/// scope; `全社会` is absent because an unqualified investment figure means it.
const SCOPES: &[(&str, &[&str])] = &[
    ("本级", &["区本级", "市本级", "县本级", "旗本级", "省本级", "本级"]),
    ("纯收入", &["纯收入"]),
    ("限额以上", &["限额以上", "限上"]),
    ("规模以上", &["规模以上", "规上"]),
    ("项目投资", &["万元以上", "亿元以上"]),
    ("全口径", &["全口径"]),
];

/// The scopes an indicator as written declares.
fn scopes(indicator: &str) -> BTreeSet<&'static str> {
    SCOPES
        .iter()
        .filter(|(_, spellings)| spellings.iter().any(|s| indicator.contains(s)))
        .map(|(name, _)| *name)
        .collect()
}

/// Words in a result's sentence saying that the figure was revised or recounted, so that it
/// is not on the basis its target was set on.
const REVISED: &[&str] = &["剔除", "核减", "挤水分", "修订后", "调整后", "按新口径", "新口径"];

/// The indicator for town and country together whose figures, stated for both
/// (`城乡居民人均可支配收入分别增长7.5%`), stand for the town's or the country's.
pub fn town_and_country(indicator: &str) -> Option<&'static str> {
    match indicator {
        "income_growth_urban" | "income_growth_rural" => Some("income_growth"),
        "income_urban" | "income_rural" => Some("income"),
        _ => None,
    }
}

/// The town's and the country's indicators of an indicator for both.
fn town_and_country_parts(indicator: &str) -> Option<[&'static str; 2]> {
    match indicator {
        "income_growth" => Some(["income_growth_urban", "income_growth_rural"]),
        "income" => Some(["income_urban", "income_rural"]),
        _ => None,
    }
}

/// Whether an indicator as written is about town and country together.
fn is_town_and_country(indicator: &str) -> bool {
    indicator.contains("城乡") || indicator.contains("城镇") && indicator.contains("农村")
}

/// Joins targets and results, by year. `observations` are one region's statements of one
/// indicator (or of several that stand for it), targets and results mixed; the result is
/// sorted by year.
pub fn link(
    indicator: &str,
    observations: &[Observation],
    tolerances: &Tolerances,
) -> Vec<YearRow> {
    let annual: Vec<&Observation> = observations.iter().filter(|o| is_annual(o)).collect();
    let years: BTreeSet<i32> = annual.iter().map(|o| o.year).collect();
    years
        .into_iter()
        .filter_map(|year| {
            let target = pick_target(&annual, year);
            let (actual, revised) = pick_actual(&annual, year);
            if target.is_none() && actual.is_none() {
                return None;
            }
            let (status, reason) = match (target, actual) {
                (Some(t), Some(a)) => match revised {
                    Some(r) => (Status::NotComparable, Some(r)),
                    None => judge(indicator, t, a, tolerances.of(indicator, t)),
                },
                (Some(_), None) => (Status::NoResult, None),
                (None, _) => (Status::NoTarget, None),
            };
            Some(YearRow { year, target: target.cloned(), actual: actual.cloned(), status, reason })
        })
        .collect()
}

/// The target for `year`: from a document of that year, else from the latest earlier one;
/// the first a document states. A document written after the year does not set its target.
fn pick_target<'a>(observations: &[&'a Observation], year: i32) -> Option<&'a Observation> {
    observations
        .iter()
        .filter(|o| o.kind == Kind::Target && o.year == year)
        .filter(|o| o.document_year.is_none_or(|d| d <= year))
        .min_by_key(|o| {
            let own_year = o.document_year == Some(year);
            (!own_year, std::cmp::Reverse(o.document_year), std::cmp::Reverse(o.document_id), o.ord)
        })
        .copied()
}

/// The result for `year`: the first one reported after the year, with the reason to set it
/// aside when it is a revised figure or a later document revised it.
fn pick_actual<'a>(
    observations: &[&'a Observation],
    year: i32,
) -> (Option<&'a Observation>, Option<String>) {
    let mut reported: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.kind == Kind::Actual && o.year == year)
        .filter(|o| o.document_year.is_none_or(|d| d > year))
        .copied()
        .collect();
    reported.sort_by_key(|o| (o.document_year, o.document_id, o.ord));
    let Some(first) = reported.first().copied() else { return (None, None) };
    if let Some(word) = REVISED.iter().find(|w| first.sentence.contains(*w)) {
        return (Some(first), Some(format!("实绩为重新核算的数字（“{word}”），与目标的基数不同")));
    }
    let later = reported.iter().find(|o| {
        o.document_id != first.document_id
            && o.measure == first.measure
            && converted(o, &first.unit).is_some_and(|v| differs(v, first.value))
    });
    let revised = later.map(|o| {
        format!(
            "实绩经修订：{}报{}，{}报{}",
            title_or_id(first),
            figure(first),
            title_or_id(o),
            figure(o)
        )
    });
    (Some(first), revised)
}

/// Whether two reports of one figure differ by more than rounding.
fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 0.002 * a.abs().max(b.abs()) + 1e-9
}

/// `o`'s value in `unit`, when the units convert (万元 into 亿元; not % into 元).
pub fn converted(o: &Observation, unit: &str) -> Option<f64> {
    in_unit(o.value, &o.unit, unit)
}

/// `value` written in `from` as a value in `to`, when the units convert.
pub fn in_unit(value: f64, from: &str, to: &str) -> Option<f64> {
    let (from, from_factor) = base_unit(Some(from), Some(1.0));
    let (to, to_factor) = base_unit(Some(to), Some(1.0));
    if from != to {
        return None;
    }
    Some(value * from_factor? / to_factor?)
}

/// Judges a result against its target.
pub fn judge(
    indicator: &str,
    target: &Observation,
    actual: &Observation,
    tolerance: f64,
) -> (Status, Option<String>) {
    if target.measure != actual.measure {
        return (Status::NotComparable, Some("一为增速、一为总量，不能比较".to_owned()));
    }
    let Some(a) = converted(actual, &target.unit) else {
        return (
            Status::NotComparable,
            Some(format!("单位不同：目标为{}，实绩为{}", target.unit, actual.unit)),
        );
    };
    let (ts, as_) = (scopes(&target.indicator), scopes(&actual.indicator));
    if ts != as_ {
        return (
            Status::NotComparable,
            Some(format!("口径不同：目标为“{}”，实绩为“{}”", target.indicator, actual.indicator)),
        );
    }
    let (lo, hi) = (target.value, target.value_max.unwrap_or(target.value));
    let eps = 1e-9 * 1f64.max(a.abs()).max(hi.abs());
    let higher = !lower_is_better(indicator);
    let better = |a: f64| if higher { a >= lo - eps } else { a <= hi + eps };
    let met = match target.qualifier {
        Qualifier::AtLeast => a >= lo - eps,
        Qualifier::AtMost => a <= hi + eps,
        // A plain figure or range: on its good side (a range's lower bound for a growth,
        // its upper bound for unemployment).
        Qualifier::Exact => better(a),
        Qualifier::Approx => {
            (lo - tolerance - eps..=hi + tolerance + eps).contains(&a)
                || (if higher { a > hi } else { a < lo })
        }
    };
    let shown = format_number(a);
    let goal = figure(target);
    let reason = match (met, target.qualifier) {
        (true, Qualifier::Approx) => format!(
            "实绩{shown}{unit}，目标{goal}（允许偏差{tol}）",
            unit = target.unit,
            tol = format_number(tolerance)
        ),
        (true, _) => format!("实绩{shown}{}，达到目标{goal}", target.unit),
        (false, _) => format!("实绩{shown}{}，未达到目标{goal}", target.unit),
    };
    (if met { Status::Met } else { Status::Missed }, Some(reason))
}

/// One region's figure in a benchmark, with how it stands against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRow {
    /// The region's code.
    pub region_code: String,
    /// The region's name.
    pub region_name: String,
    /// The target or the result shown.
    pub observation: Observation,
    /// The year's verdict for the region (a result against its target, a target against its
    /// result).
    pub status: Status,
    /// Why.
    pub reason: Option<String>,
}

/// One indicator of one region, its years linked.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// The region's code.
    pub region_code: String,
    /// The region's name.
    pub region_name: String,
    /// The indicator key.
    pub indicator: String,
    /// Its years, in order.
    pub years: Vec<YearRow>,
}

/// The setting that holds the tolerances set per indicator, as `{"gdp_growth": 0.3}`.
const TOLERANCES_KEY: &str = "approx_tolerances";

/// Where the figures of a benchmark come from: as many facts as this are read at most.
const MAX_FACTS: u32 = 200_000;

impl App {
    /// The tolerances set per indicator (the rest take the defaults of [`Tolerances::of`]).
    pub async fn tolerances(&self) -> Result<Tolerances> {
        Ok(tolerances_of(self.store().setting(TOLERANCES_KEY).await?.as_deref()))
    }

    /// Sets how far a result may fall from an approximate target of `indicator` and still
    /// meet it, in the target's unit; `None` goes back to the default.
    pub async fn set_tolerance(
        &self,
        actor: &Actor,
        indicator: &str,
        tolerance: Option<f64>,
    ) -> Result<Tolerances> {
        self.authorize(actor, Action::EditSettings, ("setting", TOLERANCES_KEY), None).await?;
        if indicator.trim().is_empty() {
            return Err(crate::Error::Invalid("指标不能为空".into()));
        }
        if let Some(t) = tolerance.filter(|t| !valid_tolerance(*t)) {
            return Err(crate::Error::Invalid(format!("允许偏差须为不小于0的数，而不是{t}")));
        }
        // The map is changed as the write finds it: a tolerance set meanwhile for another
        // indicator stays.
        let mut tolerances = Tolerances::default();
        let generation = self
            .store()
            .update_setting(TOLERANCES_KEY, |before| {
                tolerances = tolerances_of(before);
                match tolerance {
                    Some(t) => tolerances.by_indicator.insert(indicator.trim().to_owned(), t),
                    None => tolerances.by_indicator.remove(indicator.trim()),
                };
                let json = serde_json::to_string(&tolerances.by_indicator).unwrap_or_default();
                let change = actor
                    .change(Action::EditSettings, "setting", TOLERANCES_KEY)
                    .with_states(before.map(str::to_owned), Some(json.clone()))
                    .with_detail(indicator.trim());
                (json, change)
            })
            .await?;
        self.follow_other_write(generation);
        Ok(tolerances)
    }

    /// One region's targets and results for an indicator, by year.
    pub async fn track(
        &self,
        region_code: &str,
        indicator: &str,
        tolerances: &Tolerances,
    ) -> Result<Vec<YearRow>> {
        let region =
            FactFilter { region_code: Some(region_code.to_owned()), ..FactFilter::default() };
        let rows = self.facts_of(indicator, region).await?;
        let linked = self.link_facts(rows, tolerances).await?;
        Ok(linked
            .into_iter()
            .find(|l| l.indicator == indicator)
            .map(|l| l.years)
            .unwrap_or_default())
    }

    /// Every indicator of one region (the facts with a key), its years linked; by key.
    pub async fn track_region(
        &self,
        region_code: &str,
        tolerances: &Tolerances,
    ) -> Result<Vec<Linked>> {
        let filter = FactFilter {
            region_code: Some(region_code.to_owned()),
            sort: FactSort::Indicator,
            limit: Some(MAX_FACTS),
            ..FactFilter::default()
        };
        let rows = self.store().facts(&filter).await?;
        let keyed = rows.into_iter().take_while(|r| r.fact.indicator_key.is_some()).collect();
        self.link_facts(keyed, tolerances).await
    }

    /// One indicator in every region (within the regions starting with `region_prefix`,
    /// when given), its years linked; by region code. Documents without a recognised region
    /// are left out.
    pub async fn track_regions(
        &self,
        indicator: &str,
        region_prefix: Option<&str>,
        tolerances: &Tolerances,
    ) -> Result<Vec<Linked>> {
        let within =
            FactFilter { region_prefix: region_prefix.map(str::to_owned), ..FactFilter::default() };
        let rows = self.facts_of(indicator, within).await?;
        let mut linked = self.link_facts(rows, tolerances).await?;
        linked.retain(|l| l.indicator == indicator);
        Ok(linked)
    }

    /// One indicator across regions: each region's target or result (`kind`; both when
    /// `None`) for `year`, or for its latest year with one, with its verdict. Documents
    /// without a recognised region are left out. Sorted by region code, targets first.
    pub async fn benchmark(
        &self,
        indicator: &str,
        year: Option<i32>,
        kind: Option<Kind>,
        tolerances: &Tolerances,
    ) -> Result<Vec<BenchmarkRow>> {
        let kinds = match kind {
            Some(k) => vec![k],
            None => vec![Kind::Target, Kind::Actual],
        };
        let mut out = Vec::new();
        for region in self.track_regions(indicator, None, tolerances).await? {
            for &kind in &kinds {
                let shown = |r: &YearRow| match kind {
                    Kind::Target => r.target.clone(),
                    Kind::Actual => r.actual.clone(),
                };
                let row = match year {
                    Some(y) => region.years.iter().find(|r| r.year == y && shown(r).is_some()),
                    None => region.years.iter().rev().find(|r| shown(r).is_some()),
                };
                if let Some(row) = row
                    && let Some(observation) = shown(row)
                {
                    out.push(BenchmarkRow {
                        region_code: region.region_code.clone(),
                        region_name: region.region_name.clone(),
                        observation,
                        status: row.status,
                        reason: row.reason.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The facts of `indicator` matching `filter`, with the figures for town and country
    /// together that stand for the town's and the country's.
    async fn facts_of(&self, indicator: &str, filter: FactFilter) -> Result<Vec<FactRow>> {
        let of = |key: &str| FactFilter {
            indicator_key: Some(key.to_owned()),
            limit: Some(MAX_FACTS),
            ..filter.clone()
        };
        let mut rows = self.store().facts(&of(indicator)).await?;
        if let Some(both) = town_and_country(indicator) {
            let more = self.store().facts(&of(both)).await?;
            rows.extend(more.into_iter().filter(|r| is_town_and_country(&r.fact.indicator)));
        }
        Ok(rows)
    }

    /// Facts grouped by region and indicator key and linked. A figure for town and country
    /// together also joins the town's and the country's indicator. Facts without a year, a
    /// key or a region are left out.
    async fn link_facts(&self, rows: Vec<FactRow>, tolerances: &Tolerances) -> Result<Vec<Linked>> {
        let mut groups: BTreeMap<(String, String), (String, Vec<Observation>)> = BTreeMap::new();
        for (region, key, o) in self.observations(rows).await? {
            let (Some((code, name)), Some(key)) = (region, key) else { continue };
            let parts = town_and_country_parts(&key).filter(|_| is_town_and_country(&o.indicator));
            for part in parts.into_iter().flatten() {
                let group = groups
                    .entry((code.clone(), part.to_owned()))
                    .or_insert_with(|| (name.clone(), Vec::new()));
                group.1.push(o.clone());
            }
            groups.entry((code, key)).or_insert_with(|| (name, Vec::new())).1.push(o);
        }
        Ok(groups
            .into_iter()
            .map(|((region_code, indicator), (region_name, observations))| {
                let years = link(&indicator, &observations, tolerances);
                Linked { region_code, region_name, indicator, years }
            })
            .filter(|l| !l.years.is_empty())
            .collect())
    }

    /// Facts as observations, with their region (code, name) and indicator key, their
    /// documents' years and titles and the words around them. Facts without a year are
    /// left out.
    async fn observations(
        &self,
        rows: Vec<FactRow>,
    ) -> Result<Vec<(Option<(String, String)>, Option<String>, Observation)>> {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.document_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let documents: HashMap<i64, TextRow> =
            self.store().text_rows(&ids).await?.into_iter().map(|t| (t.id, t)).collect();
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let year = r.fact.year?;
                let document = documents.get(&r.document_id)?;
                let (sentence, lead) = context(&document.text, r.fact.start, r.fact.end);
                let region = r.region_code.clone().map(|code| {
                    let name = r.region_name.clone().unwrap_or_else(|| code.clone());
                    (code, name)
                });
                let f = r.fact;
                let observation = Observation {
                    value: f.value,
                    value_max: f.value_max,
                    unit: f.unit,
                    qualifier: f.qualifier,
                    measure: f.measure,
                    indicator: f.indicator,
                    kind: f.kind,
                    year,
                    document_id: r.document_id,
                    document_title: document.title.clone(),
                    document_year: document.year,
                    ord: r.ord,
                    start: f.start,
                    end: f.end,
                    sentence,
                    lead,
                };
                Some((region, f.indicator_key, observation))
            })
            .collect())
    }
}

/// A figure as written back: `6%左右`, `4.5—5%`, `282亿元以上`.
pub fn figure(o: &Observation) -> String {
    let value = match o.value_max {
        Some(max) => format!("{}—{}", format_number(o.value), format_number(max)),
        None => format_number(o.value),
    };
    let qualifier = match o.qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "左右",
        Qualifier::AtLeast => "以上",
        Qualifier::AtMost => "以内",
    };
    format!("{value}{}{qualifier}", o.unit)
}

/// A number without trailing zeros: `6`, `7.25`.
pub fn format_number(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

fn title_or_id(o: &Observation) -> String {
    match &o.document_title {
        Some(t) => format!("《{t}》"),
        None => format!("文件{}", o.document_id),
    }
}

/// The sentence around `start..end` in `text` (from the previous 。；！？ or line break to
/// the next, at most `SENTENCE_REACH` bytes either way), and the clause before `start`
/// (from the previous comma or stop).
pub fn context(text: &str, start: usize, end: usize) -> (String, String) {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let mut lo = start.saturating_sub(SENTENCE_REACH);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (end + SENTENCE_REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let (Some(before), Some(after)) = (text.get(lo..start), text.get(end..hi)) else {
        return (String::new(), String::new());
    };
    let after_stop = |i: usize| lo + i + before[i..].chars().next().map_or(1, char::len_utf8);
    let stop = |c: char| matches!(c, '。' | '；' | ';' | '！' | '？' | '\n');
    let s_start = before.rfind(stop).map_or(lo, after_stop);
    let s_end = after.find(stop).map_or(hi, |i| end + i);
    let clause = |c: char| stop(c) || matches!(c, '，' | ',' | '：' | ':' | '、');
    let c_start = before.rfind(clause).map_or(lo, after_stop);
    (text[s_start..s_end].trim().to_owned(), text[c_start.max(s_start)..start].to_owned())
}

/// How far [`context`] looks for the ends of a sentence, in bytes (about a hundred
/// characters): enough for any sentence that states a figure, and bounded in a long line.
const SENTENCE_REACH: usize = 300;

/// The tolerances stored as `json`; none where it is missing or unreadable, and only valid
/// ones.
fn tolerances_of(json: Option<&str>) -> Tolerances {
    let by_indicator: BTreeMap<String, f64> =
        json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    let by_indicator = by_indicator.into_iter().filter(|(_, v)| valid_tolerance(*v)).collect();
    Tolerances { by_indicator }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(kind: Kind, year: i32, doc_year: i32, value: f64, unit: &str) -> Observation {
        Observation {
            value,
            value_max: None,
            unit: unit.to_owned(),
            qualifier: Qualifier::Exact,
            measure: if unit == "%" { Measure::Growth } else { Measure::Level },
            indicator: "地区生产总值".to_owned(),
            kind,
            year,
            document_id: i64::from(doc_year),
            document_title: Some(format!("{doc_year}年政府工作报告")),
            document_year: Some(doc_year),
            ord: 0,
            start: 0,
            end: 0,
            sentence: String::new(),
            lead: "地区生产总值增长".to_owned(),
        }
    }

    fn target(value: f64, qualifier: Qualifier) -> Observation {
        Observation { qualifier, ..obs(Kind::Target, 2024, 2024, value, "%") }
    }

    fn actual(value: f64) -> Observation {
        obs(Kind::Actual, 2024, 2025, value, "%")
    }

    fn status(indicator: &str, t: &Observation, a: f64) -> Status {
        judge(indicator, t, &actual(a), 0.5).0
    }

    #[test]
    fn qualifiers_decide_what_meets_a_target() {
        let at_least = target(6.0, Qualifier::AtLeast);
        assert_eq!(status("gdp_growth", &at_least, 6.0), Status::Met);
        assert_eq!(status("gdp_growth", &at_least, 5.9), Status::Missed);
        let at_most = target(3.0, Qualifier::AtMost);
        assert_eq!(status("cpi", &at_most, 3.0), Status::Met);
        assert_eq!(status("cpi", &at_most, 3.1), Status::Missed);
        // A plain figure is met on the indicator's good side.
        let plain = target(20.0, Qualifier::Exact);
        assert_eq!(status("gdp_growth", &plain, 18.5), Status::Missed);
        assert_eq!(status("gdp_growth", &plain, 20.0), Status::Met);
        let unemployment = target(5.5, Qualifier::Exact);
        assert_eq!(status("unemployment_rate", &unemployment, 5.2), Status::Met);
        assert_eq!(status("unemployment_rate", &unemployment, 5.6), Status::Missed);
    }

    #[test]
    fn approx_targets_allow_the_tolerance_and_anything_better() {
        let approx = target(6.0, Qualifier::Approx);
        assert_eq!(status("gdp_growth", &approx, 5.5), Status::Met);
        assert_eq!(status("gdp_growth", &approx, 5.4), Status::Missed);
        assert_eq!(status("gdp_growth", &approx, 8.0), Status::Met);
        let cpi = target(3.0, Qualifier::Approx);
        assert_eq!(status("cpi", &cpi, 0.2), Status::Met);
        assert_eq!(status("cpi", &cpi, 3.5), Status::Met);
        assert_eq!(status("cpi", &cpi, 3.6), Status::Missed);
        let (_, reason) = judge("gdp_growth", &approx, &actual(5.6), 0.5);
        assert_eq!(reason.as_deref(), Some("实绩5.6%，目标6%左右（允许偏差0.5）"));
    }

    #[test]
    fn ranges_are_judged_by_their_bounds() {
        let range = Observation { value_max: Some(5.5), ..target(5.0, Qualifier::Exact) };
        assert_eq!(status("gdp_growth", &range, 5.2), Status::Met);
        assert_eq!(status("gdp_growth", &range, 6.0), Status::Met);
        assert_eq!(status("gdp_growth", &range, 4.9), Status::Missed);
        let cpi = Observation { value_max: Some(3.0), ..target(2.0, Qualifier::Exact) };
        assert_eq!(status("cpi", &cpi, 1.0), Status::Met);
        assert_eq!(status("cpi", &cpi, 3.2), Status::Missed);
        let approx = Observation { value_max: Some(5.5), ..target(5.0, Qualifier::Approx) };
        assert_eq!(status("gdp_growth", &approx, 4.6), Status::Met);
        assert_eq!(status("gdp_growth", &approx, 4.4), Status::Missed);
    }

    #[test]
    fn units_convert_before_comparing_and_incompatible_ones_are_not_comparable() {
        let t = obs(Kind::Target, 2024, 2024, 282.0, "亿元");
        let a = obs(Kind::Actual, 2024, 2025, 2_537_000.0, "万元");
        assert_eq!(judge("gdp", &t, &a, 0.0).0, Status::Missed);
        let a = obs(Kind::Actual, 2024, 2025, 2_900_000.0, "万元");
        assert_eq!(judge("gdp", &t, &a, 0.0).0, Status::Met);
        let a = obs(Kind::Actual, 2024, 2025, 3.0, "个百分点");
        let (s, reason) = judge("gdp", &t, &a, 0.0);
        assert_eq!(s, Status::NotComparable);
        assert!(reason.is_some_and(|r| r.contains("单位不同")));
    }

    #[test]
    fn a_changed_definition_is_not_comparable() {
        let t = Observation {
            indicator: "区本级固定资产投资".into(),
            ..target(23.0, Qualifier::Exact)
        };
        let a = Observation { indicator: "全社会固定资产投资".into(), ..actual(10.0) };
        let (s, reason) = judge("fai_growth", &t, &a, 0.5);
        assert_eq!(s, Status::NotComparable);
        assert_eq!(
            reason.as_deref(),
            Some("口径不同：目标为“区本级固定资产投资”，实绩为“全社会固定资产投资”")
        );
        let t = Observation {
            indicator: "农民人均纯收入".into(),
            ..target(11.0, Qualifier::Exact)
        };
        let a = Observation {
            indicator: "农村常住居民人均可支配收入".into(), ..actual(8.6)
        };
        assert_eq!(judge("income_growth_rural", &t, &a, 0.5).0, Status::NotComparable);
        // 全社会 is what an unqualified investment figure means.
        let t = Observation {
            indicator: "固定资产投资".into(), ..target(10.0, Qualifier::Exact)
        };
        let a = Observation { indicator: "全社会固定资产投资".into(), ..actual(12.0) };
        assert_eq!(judge("fai_growth", &t, &a, 0.5).0, Status::Met);
    }

    #[test]
    fn each_year_gets_its_own_target_and_the_next_report_s_result() {
        let observations = vec![
            obs(Kind::Target, 2023, 2023, 8.0, "%"),
            obs(Kind::Actual, 2023, 2024, 7.2, "%"),
            obs(Kind::Target, 2024, 2024, 7.5, "%"),
            // A five-year plan's target for 2025 gives way to 2025's own report.
            obs(Kind::Target, 2025, 2021, 6.0, "%"),
            Observation { qualifier: Qualifier::Approx, ..obs(Kind::Target, 2025, 2025, 5.0, "%") },
            // A document of the year itself does not report the year's result.
            obs(Kind::Actual, 2025, 2025, 5.5, "%"),
            // Five years' average growth is no year's growth.
            Observation { lead: "年均增长".into(), ..obs(Kind::Actual, 2024, 2025, 6.9, "%") },
            obs(Kind::Actual, 2024, 2025, 7.6, "%"),
        ];
        let rows = link("gdp_growth", &observations, &Tolerances::default());
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.year,
                    r.target.as_ref().map(|t| t.value),
                    r.actual.as_ref().map(|a| a.value),
                    r.status,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (2023, Some(8.0), Some(7.2), Status::Missed),
                (2024, Some(7.5), Some(7.6), Status::Met),
                (2025, Some(5.0), None, Status::NoResult),
            ]
        );
    }

    #[test]
    fn revised_results_are_not_comparable() {
        let observations = vec![
            obs(Kind::Target, 2016, 2016, 309.0, "亿元"),
            obs(Kind::Actual, 2016, 2017, 303.6, "亿元"),
            obs(Kind::Actual, 2016, 2018, 250.1, "亿元"),
            obs(Kind::Target, 2017, 2017, 7.5, "%"),
            Observation {
                sentence: "一般公共预算收入剔除虚增空转因素后完成10.4亿元".into(),
                ..obs(Kind::Actual, 2017, 2018, 10.4, "%")
            },
        ];
        let rows = link("gdp", &observations, &Tolerances::default());
        assert_eq!(rows[0].status, Status::NotComparable);
        assert!(
            rows[0].reason.as_deref().is_some_and(|r| r.contains("303.6") && r.contains("250.1"))
        );
        assert_eq!(rows[1].status, Status::NotComparable);
        assert!(rows[1].reason.as_deref().is_some_and(|r| r.contains("剔除")));
        // The same figure again, rounded, is no revision.
        let observations = vec![
            obs(Kind::Target, 2016, 2016, 309.0, "亿元"),
            obs(Kind::Actual, 2016, 2017, 303.6, "亿元"),
            obs(Kind::Actual, 2016, 2018, 303.0, "亿元"),
        ];
        assert_eq!(link("gdp", &observations, &Tolerances::default())[0].status, Status::Missed);
    }

    #[test]
    fn tolerances_default_by_unit_and_can_be_set_per_indicator() {
        let mut tolerances = Tolerances::default();
        assert_eq!(tolerances.of("gdp_growth", &target(6.0, Qualifier::Approx)), 0.5);
        let level = obs(Kind::Target, 2024, 2024, 500.0, "亿元");
        assert_eq!(tolerances.of("gdp", &level), 10.0);
        tolerances.by_indicator.insert("gdp_growth".into(), 0.2);
        let approx = target(6.0, Qualifier::Approx);
        assert_eq!(
            judge("gdp_growth", &approx, &actual(5.7), tolerances.of("gdp_growth", &approx)).0,
            Status::Missed
        );
    }

    #[test]
    fn context_finds_the_sentence_and_the_clause_before_a_figure() {
        let text = "一、回顾。全年地区生产总值完成235.2亿元，年均增长8%；其他。";
        let at = text.find("8%").unwrap();
        let (sentence, lead) = context(text, at, at + 2);
        assert_eq!(sentence, "全年地区生产总值完成235.2亿元，年均增长8%");
        assert_eq!(lead, "年均增长");
        assert_eq!(context(text, 0, 0).0, "一、回顾");
        // A line without stops: the sentence is cut near the figure, on character bounds.
        let long = format!("{}增长6%{}", "长".repeat(1000), "长".repeat(1000));
        let at = long.find("6%").unwrap();
        let (sentence, lead) = context(&long, at, at + 2);
        assert!(sentence.contains("增长6%") && sentence.len() <= 2 * SENTENCE_REACH + 8);
        assert!(lead.ends_with("增长"));
    }
}
