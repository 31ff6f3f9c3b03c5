//! Scoring, ranking and the red and black lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::scheme::{Basis, Indicator, Method, Missing, Scheme, SchemeError};
use super::{Input, format_points};

/// The outcome of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The full marks (满分): the sum of the weights.
    pub full_marks: f64,
    /// Every subject, best first; ties in the order of their names.
    pub subjects: Vec<SubjectScore>,
    /// The red list, best first.
    pub red: Vec<ListEntry>,
    /// The black list, worst first.
    pub black: Vec<ListEntry>,
    /// Subjects the black list's rule took in but an exemption kept off, with its reason.
    pub exempted: Vec<ListEntry>,
    /// Inputs that were not used, and why, in Chinese.
    pub warnings: Vec<String>,
}

/// One subject's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectScore {
    /// The unit or the region.
    pub subject: String,
    /// The total (总分): the items' points, never below 0, at most a veto's floor.
    pub total: f64,
    /// Its rank: 1 + the number of subjects with a higher total (1, 1, 3).
    pub rank: usize,
    /// Whether every target with a result was met; `None` when none had both. A veto counts
    /// as missed.
    pub met: Option<bool>,
    /// The vetoes that struck it, one sentence each.
    pub vetoes: Vec<String>,
    /// One item per indicator of the scheme, in the scheme's order.
    pub items: Vec<Item>,
}

/// One indicator's score for one subject, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The indicator's key.
    pub indicator: String,
    /// Its name.
    pub name: String,
    /// Its full marks.
    pub full_marks: f64,
    /// The points it adds to the total (negative for a pure deduction).
    pub points: f64,
    /// The target, as input.
    pub target: Option<f64>,
    /// The actual value, as input.
    pub actual: Option<f64>,
    /// The occurrences, as input.
    pub count: Option<u32>,
    /// Whether the actual value met the target; `None` without both.
    pub met: Option<bool>,
    /// Whether data was missing, so that the scheme's rule for missing data applied.
    pub missing: bool,
    /// How the points were found, in Chinese (`目标100，实际104，完成率104%，得10.4分…`).
    pub explanation: String,
}

/// A subject on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The subject.
    pub subject: String,
    /// Its rank.
    pub rank: usize,
    /// Why it is there (or, for an exemption, why not), in Chinese.
    pub reason: String,
}

/// Totals equal to a millionth of a point tie, so that the order of additions in floating
/// point (0.1 + 0.2 against 0.3) never splits a tie.
fn tie_key(total: f64) -> i64 {
    (total * 1e6).round() as i64
}

/// Scores every subject of `inputs` by `scheme`, ranks them and draws the lists. Fails only
/// when the scheme is invalid. Inputs naming an indicator the scheme lacks, or repeating a
/// subject's indicator (the first is used), are reported in [`Assessment::warnings`].
pub fn assess(scheme: &Scheme, inputs: &[Input]) -> Result<Assessment, SchemeError> {
    scheme.validate()?;
    let mut warnings = Vec::new();
    let mut by_subject: BTreeMap<&str, BTreeMap<&str, &Input>> = BTreeMap::new();
    for input in inputs {
        let of_subject = by_subject.entry(input.subject.as_str()).or_default();
        if !scheme.indicators.iter().any(|i| i.key == input.indicator) {
            warnings
                .push(format!("“{}”的指标“{}”不在方案中，已忽略", input.subject, input.indicator));
        } else if of_subject.contains_key(input.indicator.as_str()) {
            warnings.push(format!(
                "“{}”的指标“{}”有多条输入，只用第一条",
                input.subject, input.indicator
            ));
        } else {
            of_subject.insert(input.indicator.as_str(), input);
        }
    }

    let mut subjects: Vec<SubjectScore> =
        by_subject.iter().map(|(subject, inputs)| score_subject(scheme, subject, inputs)).collect();
    // Best first, ties by name: `by_subject` is already by name and the sort is stable.
    subjects.sort_by_key(|s| std::cmp::Reverse(tie_key(s.total)));
    let keys: Vec<i64> = subjects.iter().map(|s| tie_key(s.total)).collect();
    for s in &mut subjects {
        let k = tie_key(s.total);
        s.rank = 1 + keys.iter().filter(|&&o| o > k).count();
    }

    let mut red = Vec::new();
    if let Some(rule) = scheme.lists.red {
        for s in &subjects {
            if s.rank <= rule.top_n
                && s.vetoes.is_empty()
                && (!rule.require_met || s.met == Some(true))
            {
                let mut reason = format!("第{}名，总分{}分", s.rank, format_points(s.total));
                if rule.require_met {
                    reason.push_str("，目标全部完成");
                }
                red.push(ListEntry { subject: s.subject.clone(), rank: s.rank, reason });
            }
        }
    }

    let mut black = Vec::new();
    let mut exempted = Vec::new();
    if let Some(rule) = scheme.lists.black {
        for s in subjects.iter().rev() {
            let k = tie_key(s.total);
            let from_bottom = 1 + keys.iter().filter(|&&o| o < k).count();
            if from_bottom > rule.bottom_n || (rule.require_missed && s.met != Some(false)) {
                continue;
            }
            match scheme.lists.exemptions.iter().find(|e| e.subject == s.subject) {
                Some(e) => exempted.push(ListEntry {
                    subject: s.subject.clone(),
                    rank: s.rank,
                    reason: format!("倒数第{from_bottom}名，{}", e.reason),
                }),
                None => {
                    let mut reason =
                        format!("倒数第{from_bottom}名，总分{}分", format_points(s.total));
                    if !s.vetoes.is_empty() {
                        reason.push_str("，一票否决");
                    }
                    let missed: Vec<&str> = s
                        .items
                        .iter()
                        .filter(|i| i.met == Some(false))
                        .map(|i| i.name.as_str())
                        .collect();
                    if !missed.is_empty() {
                        reason.push_str(&format!("，未完成：{}", missed.join("、")));
                    }
                    black.push(ListEntry { subject: s.subject.clone(), rank: s.rank, reason });
                }
            }
        }
    }

    Ok(Assessment { full_marks: scheme.full_marks(), subjects, red, black, exempted, warnings })
}

/// A subject's value on a value indicator, or why there is none.
struct Observed {
    /// The completion rate as a fraction (1.04), when there is a target; infinite when lower
    /// is better and the actual value is 0 or less.
    rate: Option<f64>,
    /// The actual value.
    actual: f64,
    /// Whether it met the target.
    met: Option<bool>,
}

fn observe(ind: &Indicator, input: Option<&Input>, needs_rate: bool) -> Result<Observed, String> {
    let input = input.ok_or_else(|| "无数据".to_owned())?;
    let actual = match input.actual {
        Some(a) if a.is_finite() => a,
        Some(_) => return Err("实际值无效".to_owned()),
        None => return Err("无实际值".to_owned()),
    };
    let target = match input.target {
        Some(t) if t.is_finite() => Some(t),
        Some(_) => return Err("目标值无效".to_owned()),
        None if needs_rate => return Err("无目标值".to_owned()),
        None => None,
    };
    let met = input
        .met
        .or_else(|| target.map(|t| if ind.lower_is_better { actual <= t } else { actual >= t }));
    let rate = match target {
        None => None,
        Some(t) if t <= 0.0 && needs_rate => {
            return Err(format!("目标值为{}，无法计算完成率", format_points(t)));
        }
        Some(t) if t <= 0.0 => None,
        Some(t) if ind.lower_is_better => {
            Some(if actual <= 0.0 { f64::INFINITY } else { t / actual })
        }
        Some(t) => Some(actual / t),
    };
    Ok(Observed { rate, actual, met })
}

/// `目标100，实际104，` (with `越低越好，` when lower is better).
fn given(input: Option<&Input>, ind: &Indicator) -> String {
    let mut s = String::new();
    if let Some(input) = input {
        if let Some(t) = input.target {
            s.push_str(&format!("目标{}，", format_points(t)));
        }
        if let Some(a) = input.actual {
            s.push_str(&format!("实际{}，", format_points(a)));
        }
    }
    if ind.lower_is_better {
        s.push_str("越低越好，");
    }
    s
}

fn rate_text(rate: f64) -> String {
    if rate.is_infinite() {
        "实际值不高于0，完成率视为无穷大".to_owned()
    } else {
        format!("完成率{}%", format_points(rate * 100.0))
    }
}

fn score_subject(scheme: &Scheme, subject: &str, inputs: &BTreeMap<&str, &Input>) -> SubjectScore {
    let mut items = Vec::with_capacity(scheme.indicators.len());
    let mut vetoes = Vec::new();
    let mut floor: Option<f64> = None;
    let mut value_weights = 0.0;
    let mut present_weights = 0.0;
    for ind in &scheme.indicators {
        let input = inputs.get(ind.key.as_str()).copied();
        let w = format_points(ind.weight);
        let mut item = Item {
            indicator: ind.key.clone(),
            name: ind.name.clone(),
            full_marks: ind.full_marks(),
            points: 0.0,
            target: input.and_then(|i| i.target),
            actual: input.and_then(|i| i.actual),
            count: input.and_then(|i| i.count),
            met: None,
            missing: false,
            explanation: String::new(),
        };
        let observed = match &ind.method {
            Method::Ratio { .. } => Some(observe(ind, input, true)),
            Method::Bands { on, .. } => Some(observe(ind, input, *on == Basis::Rate)),
            _ => None,
        };
        if ind.takes_value() {
            value_weights += ind.weight;
        }
        match (&ind.method, observed) {
            (_, Some(Err(why))) => {
                item.missing = true;
                item.explanation = match scheme.missing {
                    Missing::Zero => format!("缺少数据（{why}），计0分（满分{w}分）"),
                    Missing::Fixed { points } => {
                        item.points = points;
                        format!(
                            "缺少数据（{why}），按方案计{}分（满分{w}分）",
                            format_points(points)
                        )
                    }
                    Missing::Exclude => {
                        format!("缺少数据（{why}），不参与计分，其余指标按权重折算")
                    }
                };
                if scheme.missing != Missing::Exclude {
                    present_weights += ind.weight;
                }
            }
            (Method::Ratio { cap }, Some(Ok(o))) => {
                let rate = o.rate.expect("a ratio is observed only with a rate");
                item.met = o.met;
                item.points = rate.clamp(0.0, *cap) * ind.weight;
                let capped = if rate > *cap { "，超过封顶按封顶计" } else { "" };
                item.explanation = format!(
                    "{}{}{capped}，得{}分（满分{w}分，封顶{}倍）",
                    given(input, ind),
                    rate_text(rate),
                    format_points(item.points),
                    format_points(*cap)
                );
                present_weights += ind.weight;
            }
            (Method::Bands { on, bands }, Some(Ok(o))) => {
                item.met = o.met;
                let (value, shown) = match on {
                    Basis::Rate => {
                        let rate = o.rate.expect("a rate band is observed only with a rate");
                        (rate * 100.0, rate_text(rate))
                    }
                    Basis::Value => (o.actual, format!("实际值{}", format_points(o.actual))),
                };
                let ascending = *on == Basis::Value && ind.lower_is_better;
                let (sign, unit) = match (on, ascending) {
                    (Basis::Rate, _) => ("≥", "%"),
                    (Basis::Value, false) => ("≥", ""),
                    (Basis::Value, true) => ("≤", ""),
                };
                let reached = bands
                    .iter()
                    .find(|b| if ascending { value <= b.threshold } else { value >= b.threshold });
                let prefix = given(input, ind);
                item.explanation = match reached {
                    Some(b) => {
                        item.points = b.points;
                        format!(
                            "{prefix}{shown}，达到“{sign}{}{unit}”档，得{}分（满分{w}分）",
                            format_points(b.threshold),
                            format_points(b.points)
                        )
                    }
                    None => {
                        let last = bands.last().map_or(0.0, |b| b.threshold);
                        format!(
                            "{prefix}{shown}，未达到最低档“{sign}{}{unit}”，得0分（满分{w}分）",
                            format_points(last)
                        )
                    }
                };
                present_weights += ind.weight;
            }
            (Method::Deduction { per_occurrence, max }, _) => {
                let n = item.count.unwrap_or(0);
                let deducted = (f64::from(n) * per_occurrence).min(*max);
                item.points = ind.weight - deducted;
                item.explanation = if n == 0 {
                    format!("无扣分情形，得{w}分")
                } else {
                    let capped = if f64::from(n) * per_occurrence > *max {
                        format!("，超过上限按{}分扣", format_points(*max))
                    } else {
                        String::new()
                    };
                    let why = input
                        .and_then(|i| i.note.as_deref())
                        .map_or(String::new(), |note| format!("（{note}）"));
                    format!(
                        "发生{n}次{why}，每次扣{}分{capped}，共扣{}分，得{}分（满分{w}分）",
                        format_points(*per_occurrence),
                        format_points(deducted),
                        format_points(item.points)
                    )
                };
            }
            (Method::Veto { floor: f }, _) => {
                let n = item.count.unwrap_or(0);
                if n == 0 {
                    item.explanation = "未触发一票否决".to_owned();
                } else {
                    let what =
                        input.and_then(|i| i.note.clone()).unwrap_or_else(|| format!("发生{n}次"));
                    item.explanation =
                        format!("一票否决：{what}，总分计为不高于{}分", format_points(*f));
                    vetoes.push(format!("{}：{what}", ind.name));
                    floor = Some(floor.map_or(*f, |g: f64| g.min(*f)));
                }
            }
            (Method::Ratio { .. } | Method::Bands { .. }, None) => {
                unreachable!("a value indicator is always observed")
            }
        }
        items.push(item);
    }

    // Missing data excluded: the present value indicators stand for all of them.
    if scheme.missing == Missing::Exclude
        && present_weights > 0.0
        && present_weights < value_weights
    {
        for (item, ind) in items.iter_mut().zip(&scheme.indicators) {
            if ind.takes_value() && !item.missing {
                item.points *= value_weights / present_weights;
                item.explanation.push_str(&format!(
                    "；按权重折算（×{}/{}）为{}分",
                    format_points(value_weights),
                    format_points(present_weights),
                    format_points(item.points)
                ));
            }
        }
    }

    let mut total = items.iter().map(|i| i.points).sum::<f64>().max(0.0);
    if let Some(f) = floor {
        total = total.min(f);
    }
    let met = if !vetoes.is_empty() || items.iter().any(|i| i.met == Some(false)) {
        Some(false)
    } else if items.iter().any(|i| i.met == Some(true)) {
        Some(true)
    } else {
        None
    };
    SubjectScore { subject: subject.to_owned(), total, rank: 0, met, vetoes, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(json: &str) -> Scheme {
        match Scheme::from_json(json) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn run(scheme: &Scheme, inputs: &[Input]) -> Assessment {
        match assess(scheme, inputs) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        }
    }

    fn subject<'a>(a: &'a Assessment, name: &str) -> &'a SubjectScore {
        a.subjects.iter().find(|s| s.subject == name).expect("the subject was assessed")
    }

    /// Checks a subject's total and the points of each item, to a millionth of a point.
    #[track_caller]
    fn check(a: &Assessment, name: &str, total: f64, items: &[f64]) {
        let s = subject(a, name);
        assert!((s.total - total).abs() < 1e-9, "{name}: total {} ≠ {total}", s.total);
        let points: Vec<f64> = s.items.iter().map(|i| i.points).collect();
        assert_eq!(points.len(), items.len(), "{name}: items");
        for (got, want) in points.iter().zip(items) {
            assert!((got - want).abs() < 1e-9, "{name}: items {points:?} ≠ {items:?}");
        }
    }

    fn names(list: &[ListEntry]) -> Vec<&str> {
        list.iter().map(|e| e.subject.as_str()).collect()
    }

    const RATIO: &str = r#"{
        "name": "完成率计分",
        "indicators": [
            {"key": "gdp", "name": "地区生产总值", "weight": 10, "method": {"kind": "ratio", "cap": 1.2}},
            {"key": "invest", "name": "固定资产投资", "weight": 5, "method": {"kind": "ratio", "cap": 1}}
        ]
    }"#;

    #[test]
    fn ratio_scores_weight_times_completion_up_to_the_cap() {
        let s = scheme(RATIO);
        let a = run(
            &s,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(104.0)),
                Input::value("甲县", "invest", Some(50.0), Some(40.0)),
                Input::value("乙县", "gdp", Some(100.0), Some(130.0)),
                Input::value("乙县", "invest", Some(50.0), Some(60.0)),
            ],
        );
        assert_eq!(a.full_marks, 15.0); // 10 + 5
        // 甲: 104/100 × 10 = 10.4; 40/50 × 5 = 0.8 × 5 = 4; 10.4 + 4 = 14.4
        check(&a, "甲县", 14.4, &[10.4, 4.0]);
        // 乙: 130/100 = 1.3 capped at 1.2 → 1.2 × 10 = 12; 60/50 = 1.2 capped at 1 → 5; 17
        check(&a, "乙县", 17.0, &[12.0, 5.0]);
        let jia = subject(&a, "甲县");
        assert_eq!(
            jia.items[0].explanation,
            "目标100，实际104，完成率104%，得10.4分（满分10分，封顶1.2倍）"
        );
        assert_eq!(
            jia.items[1].explanation,
            "目标50，实际40，完成率80%，得4分（满分5分，封顶1倍）"
        );
        assert_eq!(jia.met, Some(false)); // 40 < 50
        let yi = subject(&a, "乙县");
        assert_eq!(
            yi.items[0].explanation,
            "目标100，实际130，完成率130%，超过封顶按封顶计，得12分（满分10分，封顶1.2倍）"
        );
        assert_eq!(yi.met, Some(true));
        assert_eq!((yi.rank, jia.rank), (1, 2));
    }

    #[test]
    fn ratio_of_a_lower_is_better_indicator_is_target_over_actual() {
        let s = scheme(
            r#"{"name": "就业", "indicators": [
                {"key": "unemployment", "name": "城镇调查失业率", "weight": 10,
                 "method": {"kind": "ratio", "cap": 1.1}, "lower_is_better": true}
            ]}"#,
        );
        let a = run(
            &s,
            &[
                Input::value("甲县", "unemployment", Some(4.0), Some(3.2)),
                Input::value("乙县", "unemployment", Some(4.0), Some(5.0)),
                Input::value("丙县", "unemployment", Some(4.0), Some(0.0)),
            ],
        );
        // 甲: 4 / 3.2 = 1.25, capped at 1.1 → 1.1 × 10 = 11
        check(&a, "甲县", 11.0, &[11.0]);
        // 乙: 4 / 5 = 0.8 → 0.8 × 10 = 8, and 5 > 4 misses the target
        check(&a, "乙县", 8.0, &[8.0]);
        assert_eq!(subject(&a, "乙县").met, Some(false));
        assert_eq!(
            subject(&a, "乙县").items[0].explanation,
            "目标4，实际5，越低越好，完成率80%，得8分（满分10分，封顶1.1倍）"
        );
        // 丙: an actual of 0 beats any target: the cap, 1.1 × 10 = 11
        check(&a, "丙县", 11.0, &[11.0]);
    }

    #[test]
    fn ratio_never_goes_below_zero() {
        let s = scheme(RATIO);
        let a = run(&s, &[Input::value("甲县", "gdp", Some(5.0), Some(-2.0))]);
        // -2 / 5 = -0.4, clamped to 0 → 0 points; invest missing → 0 (rule: zero)
        check(&a, "甲县", 0.0, &[0.0, 0.0]);
    }

    #[test]
    fn bands_take_the_first_band_reached() {
        let s = scheme(
            r#"{"name": "分档", "indicators": [
                {"key": "tax", "name": "税收收入", "weight": 10, "method": {"kind": "bands",
                 "bands": [{"threshold": 100, "points": 10}, {"threshold": 90, "points": 8},
                           {"threshold": 80, "points": 5}]}}
            ]}"#,
        );
        let a = run(
            &s,
            &[
                Input::value("甲县", "tax", Some(20.0), Some(20.0)),
                Input::value("乙县", "tax", Some(20.0), Some(19.0)),
                Input::value("丙县", "tax", Some(20.0), Some(16.0)),
                Input::value("丁县", "tax", Some(20.0), Some(15.9)),
            ],
        );
        // 甲: 20/20 = 100%, exactly the top threshold → 10
        check(&a, "甲县", 10.0, &[10.0]);
        // 乙: 19/20 = 95%: not 100, reaches 90 → 8
        check(&a, "乙县", 8.0, &[8.0]);
        assert_eq!(
            subject(&a, "乙县").items[0].explanation,
            "目标20，实际19，完成率95%，达到“≥90%”档，得8分（满分10分）"
        );
        // 丙: 16/20 = 80%, exactly the last threshold → 5
        check(&a, "丙县", 5.0, &[5.0]);
        // 丁: 15.9/20 = 79.5%, below the last band → 0
        check(&a, "丁县", 0.0, &[0.0]);
        assert_eq!(
            subject(&a, "丁县").items[0].explanation,
            "目标20，实际15.9，完成率79.5%，未达到最低档“≥80%”，得0分（满分10分）"
        );
    }

    #[test]
    fn bands_on_a_value_where_lower_is_better_ascend() {
        let s = scheme(
            r#"{"name": "环境", "indicators": [
                {"key": "pm25", "name": "PM2.5平均浓度", "weight": 6, "lower_is_better": true,
                 "method": {"kind": "bands", "on": "value",
                 "bands": [{"threshold": 35, "points": 6}, {"threshold": 45, "points": 3}]}}
            ]}"#,
        );
        let a = run(
            &s,
            &[
                Input::value("甲县", "pm25", None, Some(30.0)),
                Input::value("乙县", "pm25", None, Some(40.0)),
                Input::value("丙县", "pm25", None, Some(50.0)),
            ],
        );
        // 甲: 30 ≤ 35 → 6; 乙: 40 > 35 but ≤ 45 → 3; 丙: 50 > 45 → 0
        check(&a, "甲县", 6.0, &[6.0]);
        check(&a, "乙县", 3.0, &[3.0]);
        check(&a, "丙县", 0.0, &[0.0]);
        assert_eq!(
            subject(&a, "乙县").items[0].explanation,
            "实际40，越低越好，实际值40，达到“≤45”档，得3分（满分6分）"
        );
        // Without a target, nothing says whether a target was met.
        assert_eq!(subject(&a, "甲县").met, None);
    }

    const DEDUCTIONS: &str = r#"{
        "name": "督查",
        "indicators": [
            {"key": "overdue", "name": "逾期任务", "weight": 10,
             "method": {"kind": "deduction", "per_occurrence": 2, "max": 6}},
            {"key": "red", "name": "红灯预警", "method": {"kind": "deduction", "per_occurrence": 0.5, "max": 3}}
        ]
    }"#;

    #[test]
    fn deductions_take_points_per_occurrence_up_to_the_max() {
        let s = scheme(DEDUCTIONS);
        let a = run(
            &s,
            &[
                Input::count("甲局", "overdue", 0),
                Input::count("乙局", "overdue", 2).with_note("两项任务逾期"),
                Input::count("乙局", "red", 3),
                Input::count("丙局", "overdue", 5),
                Input::count("丙局", "red", 9),
            ],
        );
        assert_eq!(a.full_marks, 10.0); // the pure deduction has no weight
        // 甲: no overdue task → 10; no red input means no red light → 0 − 0 = 0; total 10
        check(&a, "甲局", 10.0, &[10.0, 0.0]);
        // 乙: 2 × 2 = 4 → 10 − 4 = 6; 3 × 0.5 = 1.5 → 0 − 1.5 = −1.5; 6 − 1.5 = 4.5
        check(&a, "乙局", 4.5, &[6.0, -1.5]);
        // 丙: 5 × 2 = 10 > 6 → 10 − 6 = 4; 9 × 0.5 = 4.5 > 3 → −3; 4 − 3 = 1
        check(&a, "丙局", 1.0, &[4.0, -3.0]);
        assert_eq!(
            subject(&a, "丙局").items[0].explanation,
            "发生5次，每次扣2分，超过上限按6分扣，共扣6分，得4分（满分10分）"
        );
        assert_eq!(subject(&a, "甲局").items[0].explanation, "无扣分情形，得10分");
        // A note entered with the count says what happened.
        assert_eq!(
            subject(&a, "乙局").items[0].explanation,
            "发生2次（两项任务逾期），每次扣2分，共扣4分，得6分（满分10分）"
        );
    }

    #[test]
    fn a_total_never_goes_below_zero() {
        let s = scheme(
            r#"{"name": "扣分", "indicators": [
                {"key": "gdp", "name": "地区生产总值", "weight": 2, "method": {"kind": "ratio", "cap": 1}},
                {"key": "red", "name": "红灯预警", "method": {"kind": "deduction", "per_occurrence": 1, "max": 5}}
            ]}"#,
        );
        let a = run(
            &s,
            &[Input::value("甲局", "gdp", Some(10.0), Some(5.0)), Input::count("甲局", "red", 4)],
        );
        // 5/10 × 2 = 1; 4 × 1 = 4 → −4; 1 − 4 = −3, raised to 0
        check(&a, "甲局", 0.0, &[1.0, -4.0]);
    }

    const VETO: &str = r#"{
        "name": "否决",
        "indicators": [
            {"key": "gdp", "name": "地区生产总值", "weight": 100, "method": {"kind": "ratio", "cap": 1}},
            {"key": "safety", "name": "安全生产", "method": {"kind": "veto"}},
            {"key": "petition", "name": "信访稳定", "method": {"kind": "veto", "floor": 60}}
        ],
        "lists": {"red": {"top_n": 2}}
    }"#;

    #[test]
    fn a_veto_sets_the_total_to_its_floor() {
        let s = scheme(VETO);
        let a = run(
            &s,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(85.0)),
                Input::count("甲县", "petition", 1),
                Input::value("乙县", "gdp", Some(100.0), Some(70.0)),
                Input::value("丙县", "gdp", Some(100.0), Some(50.0)),
                Input::count("丙县", "petition", 1),
                Input::value("丁县", "gdp", Some(100.0), Some(95.0)),
                Input::count("丁县", "safety", 1).with_note("发生较大安全生产事故1起"),
                Input::count("丁县", "petition", 2),
            ],
        );
        // 甲: 85/100 × 100 = 85, vetoed with floor 60 → min(85, 60) = 60
        check(&a, "甲县", 60.0, &[85.0, 0.0, 0.0]);
        // 乙: 70/100 × 100 = 70, no veto
        check(&a, "乙县", 70.0, &[70.0, 0.0, 0.0]);
        // 丙: 50, floor 60 is above it → stays 50
        check(&a, "丙县", 50.0, &[50.0, 0.0, 0.0]);
        // 丁: 95, two vetoes with floors 0 and 60 → the lower, min(95, 0) = 0
        check(&a, "丁县", 0.0, &[95.0, 0.0, 0.0]);
        let ding = subject(&a, "丁县");
        assert_eq!(ding.vetoes, ["安全生产：发生较大安全生产事故1起", "信访稳定：发生2次"]);
        assert_eq!(
            ding.items[1].explanation,
            "一票否决：发生较大安全生产事故1起，总分计为不高于0分"
        );
        assert_eq!(ding.met, Some(false));
        // Ranks: 乙 70, 甲 60, 丙 50, 丁 0. The red list's top 2 are 乙 and 甲, but 甲 was
        // vetoed, so only 乙 is on it.
        let order: Vec<(&str, usize)> =
            a.subjects.iter().map(|s| (s.subject.as_str(), s.rank)).collect();
        assert_eq!(order, [("乙县", 1), ("甲县", 2), ("丙县", 3), ("丁县", 4)]);
        assert_eq!(names(&a.red), ["乙县"]);
    }

    #[test]
    fn equal_totals_share_a_rank_and_the_next_is_skipped() {
        let s = scheme(
            r#"{"name": "并列", "indicators": [
                {"key": "a", "name": "甲指标", "weight": 1, "method": {"kind": "ratio", "cap": 1}},
                {"key": "b", "name": "乙指标", "weight": 1, "method": {"kind": "ratio", "cap": 1}}
            ]}"#,
        );
        let a = run(
            &s,
            &[
                // 丙: 1/10 × 1 + 2/10 × 1 = 0.1 + 0.2, which is 0.30000000000000004 in floats
                Input::value("丙县", "a", Some(10.0), Some(1.0)),
                Input::value("丙县", "b", Some(10.0), Some(2.0)),
                // 甲: 3/10 × 1 + 0/10 × 1 = 0.3
                Input::value("甲县", "a", Some(10.0), Some(3.0)),
                Input::value("甲县", "b", Some(10.0), Some(0.0)),
                // 乙: 2/10 + 0 = 0.2
                Input::value("乙县", "a", Some(10.0), Some(2.0)),
                Input::value("乙县", "b", Some(10.0), Some(0.0)),
                // 丁: 10/10 + 0 = 1
                Input::value("丁县", "a", Some(10.0), Some(10.0)),
                Input::value("丁县", "b", Some(10.0), Some(0.0)),
            ],
        );
        let order: Vec<(&str, usize)> =
            a.subjects.iter().map(|s| (s.subject.as_str(), s.rank)).collect();
        // 丁 1; 丙 and 甲 tie at 0.3 → both 2, in the order of their names (丙 U+4E19 before
        // 甲 U+7532); 乙 is then 4, not 3.
        assert_eq!(order, [("丁县", 1), ("丙县", 2), ("甲县", 2), ("乙县", 4)]);
    }

    #[test]
    fn missing_data_scores_zero_by_default() {
        let s = scheme(RATIO);
        let a = run(
            &s,
            &[
                Input::value("甲县", "invest", Some(50.0), Some(40.0)),
                Input::value("乙县", "gdp", Some(100.0), None),
                Input::value("乙县", "invest", None, Some(50.0)),
            ],
        );
        // 甲: gdp missing → 0; invest 40/50 × 5 = 4; total 4
        check(&a, "甲县", 4.0, &[0.0, 4.0]);
        assert_eq!(
            subject(&a, "甲县").items[0].explanation,
            "缺少数据（无数据），计0分（满分10分）"
        );
        assert!(subject(&a, "甲县").items[0].missing);
        // 乙: no actual, no target → 0 + 0
        check(&a, "乙县", 0.0, &[0.0, 0.0]);
        assert_eq!(
            subject(&a, "乙县").items[0].explanation,
            "缺少数据（无实际值），计0分（满分10分）"
        );
        assert_eq!(
            subject(&a, "乙县").items[1].explanation,
            "缺少数据（无目标值），计0分（满分5分）"
        );
        assert_eq!(subject(&a, "乙县").met, None);
    }

    #[test]
    fn missing_data_can_score_fixed_points() {
        let mut s = scheme(RATIO);
        s.missing = Missing::Fixed { points: 2.0 };
        let a = run(&s, &[Input::value("甲县", "invest", Some(50.0), Some(40.0))]);
        // gdp missing → the fixed 2; invest 40/50 × 5 = 4; 2 + 4 = 6
        check(&a, "甲县", 6.0, &[2.0, 4.0]);
    }

    #[test]
    fn missing_data_can_be_excluded_and_the_weights_renormalised() {
        let mut s = scheme(RATIO);
        s.missing = Missing::Exclude;
        s.indicators.push(Indicator {
            key: "overdue".to_owned(),
            name: "逾期任务".to_owned(),
            weight: 5.0,
            method: Method::Deduction { per_occurrence: 1.0, max: 5.0 },
            lower_is_better: false,
            source: None,
        });
        let a = run(
            &s,
            &[
                Input::value("甲县", "invest", Some(50.0), Some(40.0)),
                Input::count("甲县", "overdue", 2),
                Input::value("乙县", "gdp", Some(100.0), Some(100.0)),
                Input::value("乙县", "invest", Some(50.0), Some(50.0)),
            ],
        );
        // 甲: gdp excluded; invest 40/50 × 5 = 4, scaled by the value weights (10 + 5) over
        // those present (5): 4 × 15/5 = 12; the deduction is not scaled: 5 − 2 × 1 = 3;
        // 12 + 3 = 15
        check(&a, "甲县", 15.0, &[0.0, 12.0, 3.0]);
        assert_eq!(
            subject(&a, "甲县").items[1].explanation,
            "目标50，实际40，完成率80%，得4分（满分5分，封顶1倍）；按权重折算（×15/5）为12分"
        );
        // 乙: nothing missing, nothing scaled: 10 + 5 + 5 = 20
        check(&a, "乙县", 20.0, &[10.0, 5.0, 5.0]);
    }

    #[test]
    fn a_target_of_zero_gives_no_rate_and_counts_as_missing() {
        let s = scheme(RATIO);
        let a = run(&s, &[Input::value("甲县", "gdp", Some(0.0), Some(3.0))]);
        check(&a, "甲县", 0.0, &[0.0, 0.0]);
        assert_eq!(
            subject(&a, "甲县").items[0].explanation,
            "缺少数据（目标值为0，无法计算完成率），计0分（满分10分）"
        );
    }

    #[test]
    fn red_and_black_lists_follow_ranks_targets_and_exemptions() {
        let mut s = scheme(VETO);
        s.lists = serde_json::from_str(
            r#"{"red": {"top_n": 2, "require_met": true},
                "black": {"bottom_n": 2, "require_missed": true},
                "exemptions": [{"subject": "戊县", "reason": "遭受特大洪涝灾害"}]}"#,
        )
        .expect("valid lists");
        let gdp = |name: &str, actual: f64| Input::value(name, "gdp", Some(100.0), Some(actual));
        let a = run(
            &s,
            &[
                gdp("甲县", 120.0), // 120/100 capped at 1 → 100, met
                gdp("乙县", 100.0), // 100, met
                gdp("丙县", 99.0),  // 99, missed
                gdp("丁县", 100.0), // 100, met
                gdp("戊县", 80.0),  // 80, missed
                gdp("己县", 110.0), // 100, but vetoed → 0
                Input::count("己县", "safety", 1),
                gdp("庚县", 90.0), // 90, missed
            ],
        );
        // Totals: 甲 乙 丁 己(before veto) 100; after the veto 己 is 0. Ranks: 丁 乙 甲 (all
        // 100, by name: 丁 U+4E01, 乙 U+4E59, 甲 U+7532) 1; 丙 99 → 4; 庚 90 → 5; 戊 80 → 6;
        // 己 0 → 7.
        let order: Vec<(&str, usize)> =
            a.subjects.iter().map(|s| (s.subject.as_str(), s.rank)).collect();
        assert_eq!(
            order,
            [
                ("丁县", 1),
                ("乙县", 1),
                ("甲县", 1),
                ("丙县", 4),
                ("庚县", 5),
                ("戊县", 6),
                ("己县", 7)
            ]
        );
        // Red, top 2: the three tied at 1 are all within it, and all met their target.
        assert_eq!(names(&a.red), ["丁县", "乙县", "甲县"]);
        assert_eq!(a.red[0].reason, "第1名，总分100分，目标全部完成");
        // Black, bottom 2: 己 (last, vetoed) and 戊 (second to last, missed); 戊 is exempt,
        // and its place is not passed on to 庚.
        assert_eq!(names(&a.black), ["己县"]);
        assert_eq!(a.black[0].reason, "倒数第1名，总分0分，一票否决");
        assert_eq!(names(&a.exempted), ["戊县"]);
        assert_eq!(a.exempted[0].reason, "倒数第2名，遭受特大洪涝灾害");
    }

    #[test]
    fn the_black_list_can_require_a_missed_target() {
        let mut s = scheme(RATIO);
        s.lists.black = Some(super::super::Black { bottom_n: 1, require_missed: true });
        let a = run(
            &s,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(100.0)),
                Input::value("甲县", "invest", Some(50.0), Some(50.0)),
                Input::value("乙县", "gdp", Some(100.0), Some(120.0)),
                Input::value("乙县", "invest", Some(50.0), Some(60.0)),
            ],
        );
        // 甲 15 is last but met every target: no black list.
        assert!(a.black.is_empty());
        s.lists.black = Some(super::super::Black { bottom_n: 1, require_missed: false });
        let a = run(
            &s,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(90.0)),
                Input::value("乙县", "gdp", Some(100.0), Some(120.0)),
            ],
        );
        // 甲: 90/100 × 10 = 9, invest missing → 0; total 9, last.
        assert_eq!(names(&a.black), ["甲县"]);
        assert_eq!(a.black[0].reason, "倒数第1名，总分9分，未完成：地区生产总值");
    }

    #[test]
    fn a_verdict_given_with_the_input_decides_whether_the_target_was_met() {
        let s = scheme(RATIO);
        // The track judged 5.8% against 6%左右 met (within half a point): the scheme's
        // lists follow that verdict, while the points are still 5.8/6 × 10 = 9.67.
        let judged =
            Input { met: Some(true), ..Input::value("甲县", "gdp", Some(6.0), Some(5.8)) };
        let a = run(&s, &[judged]);
        check(&a, "甲县", 58.0 / 6.0, &[58.0 / 6.0, 0.0]);
        assert_eq!(subject(&a, "甲县").items[0].met, Some(true));
        let plain = run(&s, &[Input::value("甲县", "gdp", Some(6.0), Some(5.8))]);
        assert_eq!(subject(&plain, "甲县").items[0].met, Some(false));
    }

    #[test]
    fn unknown_and_repeated_inputs_are_reported_not_used() {
        let s = scheme(RATIO);
        let a = run(
            &s,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(100.0)),
                Input::value("甲县", "gdp", Some(100.0), Some(50.0)),
                Input::value("甲县", "pm25", None, Some(30.0)),
            ],
        );
        // The first gdp is used: 100/100 × 10 = 10
        check(&a, "甲县", 10.0, &[10.0, 0.0]);
        assert_eq!(
            a.warnings,
            ["“甲县”的指标“gdp”有多条输入，只用第一条", "“甲县”的指标“pm25”不在方案中，已忽略"]
        );
    }

    #[test]
    fn the_same_inputs_in_another_order_give_the_same_assessment() {
        let s = scheme(VETO);
        let mut inputs: Vec<Input> = (0..20)
            .map(|i| {
                Input::value(
                    &format!("单位{:02}", i % 7),
                    "gdp",
                    Some(100.0),
                    Some(f64::from(i) * 7.0),
                )
            })
            .collect();
        // One input per subject and indicator, so that no input is a repeat.
        inputs.truncate(7);
        inputs.push(Input::count("单位03", "safety", 1));
        let forward = run(&s, &inputs);
        inputs.reverse();
        let backward = run(&s, &inputs);
        assert_eq!(forward, backward);
        assert_eq!(
            serde_json::to_string(&forward).expect("serialisable"),
            serde_json::to_string(&backward).expect("serialisable")
        );
    }

    #[test]
    fn an_invalid_scheme_is_refused() {
        let mut s = scheme(RATIO);
        s.indicators[0].weight = 0.0;
        let e = assess(&s, &[]).expect_err("weight 0 is refused");
        assert_eq!(e.problems, ["指标“地区生产总值”：按完成率计分的指标分值须为正数"]);
    }
}
