//! The scheme (考核方案): indicators with weights and scoring methods, the rule for missing
//! data, and the rules of the red and black lists (红黑榜). A scheme is data: it travels as
//! JSON, and [`Scheme::validate`] names every item at fault in Chinese.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::format_points;

/// A scheme of weighted indicators (考核方案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    /// Its name (`2026年度县区高质量发展综合考核`).
    pub name: String,
    /// The year it assesses, when it is for one.
    #[serde(default)]
    pub year: Option<i32>,
    /// The indicators, in the order they are shown.
    pub indicators: Vec<Indicator>,
    /// What an indicator scores when a subject has no value for it.
    #[serde(default)]
    pub missing: Missing,
    /// The red and black lists.
    #[serde(default)]
    pub lists: Lists,
}

/// One indicator of a scheme (考核指标).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// The key inputs name it by (`gdp_growth`, `red_warnings`).
    pub key: String,
    /// Its name as shown (`地区生产总值增速`).
    pub name: String,
    /// Its weight in points (分值); 0 for a pure deduction and for a veto.
    #[serde(default)]
    pub weight: f64,
    /// How it is scored.
    pub method: Method,
    /// Whether a lower value is better (unemployment, PM2.5): the completion rate is then
    /// target ÷ actual.
    #[serde(default)]
    pub lower_is_better: bool,
    /// Where its inputs come from when they are gathered rather than entered by hand.
    #[serde(default)]
    pub source: Option<Source>,
}

/// How an indicator is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    /// Completion rate (actual ÷ target, or target ÷ actual when lower is better) times the
    /// weight, capped at `cap` times the weight and never below 0.
    Ratio {
        /// The cap as a multiple of the weight (1.2 = at most 120% of the points).
        cap: f64,
    },
    /// Points by the first band the value reaches (完成率达到…得…分).
    Bands {
        /// What the bands are thresholds of.
        #[serde(default)]
        on: Basis,
        /// Thresholds from the best down: descending, or ascending for a value where lower is
        /// better; a value below the last band scores 0.
        bands: Vec<Band>,
    },
    /// The weight less `per_occurrence` for each occurrence, at most `max` in all (扣分).
    Deduction {
        /// Points deducted for each occurrence.
        per_occurrence: f64,
        /// The most deducted in all.
        max: f64,
    },
    /// One-vote veto (一票否决): any occurrence sets the subject's total to `floor` (or keeps
    /// it, if already lower).
    Veto {
        /// The total a vetoed subject gets.
        #[serde(default)]
        floor: f64,
    },
}

/// What the thresholds of [`Method::Bands`] apply to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The completion rate in percent (actual ÷ target × 100; inverted when lower is better).
    #[default]
    Rate,
    /// The actual value as reported.
    Value,
}

/// One band: a value reaching `threshold` scores `points`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// The threshold.
    pub threshold: f64,
    /// The points.
    pub points: f64,
}

/// What a value indicator (ratio or bands) scores when a subject has no value for it.
/// Deductions and vetoes count occurrences: no input means none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Missing {
    /// It scores 0.
    #[default]
    Zero,
    /// It is left out, and the subject's other value indicators are scaled up so that their
    /// weights add up to the scheme's (权重折算).
    Exclude,
    /// It scores these points.
    Fixed {
        /// The points; no more than the weight of any value indicator.
        points: f64,
    },
}

/// Where an indicator's inputs are gathered from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A region's target and result for an indicator of the track (目标与实绩), for the
    /// scheme's year.
    Track {
        /// The indicator key of the facts (`gdp_growth`).
        indicator: String,
    },
    /// A lead unit's count of tasks in the ledger.
    Ledger {
        /// Which tasks are counted.
        count: LedgerCount,
    },
}

/// Which of a unit's tasks a [`Source::Ledger`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerCount {
    /// Red lights (overdue ones included).
    Red,
    /// Yellow lights.
    Yellow,
    /// Past the deadline and not done.
    Overdue,
}

/// The rules of the red and black lists (红黑榜).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lists {
    /// The red list, if the scheme publishes one.
    #[serde(default)]
    pub red: Option<Red>,
    /// The black list, if the scheme publishes one.
    #[serde(default)]
    pub black: Option<Black>,
    /// Subjects kept off the black list, each with the reason.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
}

/// The red list: the subjects ranked within the top `top_n` (ties at the edge all in), and,
/// with `require_met`, that met every target. A vetoed subject is never on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Red {
    /// How many places from the top.
    pub top_n: usize,
    /// Whether every target with a result must be met (and there must be one).
    #[serde(default)]
    pub require_met: bool,
}

/// The black list: the subjects ranked within the bottom `bottom_n` (ties at the edge all
/// in), and, with `require_missed`, that missed a target or were vetoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Black {
    /// How many places from the bottom.
    pub bottom_n: usize,
    /// Whether a missed target (or a veto) is required.
    #[serde(default)]
    pub require_missed: bool,
}

/// A subject kept off the black list (免列黑榜), with the reason. Its place is not given to
/// another subject: the rule is about ranks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    /// The subject.
    pub subject: String,
    /// Why (`遭受特大自然灾害`).
    pub reason: String,
}

/// A scheme that cannot be used, with every fault in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("考核方案有误：{}", .problems.join("；"))]
pub struct SchemeError {
    /// Each fault, naming the item at fault.
    pub problems: Vec<String>,
}

impl Indicator {
    /// Whether it is scored from a target and an actual value (ratio or bands), as opposed
    /// to counted occurrences.
    pub fn takes_value(&self) -> bool {
        matches!(self.method, Method::Ratio { .. } | Method::Bands { .. })
    }

    /// The most points it can add: its weight for a value indicator or a deduction, 0 for a
    /// veto. A ratio's cap can exceed it; the full marks (满分) are the weights.
    pub fn full_marks(&self) -> f64 {
        match self.method {
            Method::Veto { .. } => 0.0,
            _ => self.weight,
        }
    }
}

impl Scheme {
    /// The scheme read from JSON and validated.
    pub fn from_json(json: &str) -> Result<Scheme, SchemeError> {
        let scheme: Scheme = serde_json::from_str(json).map_err(|e| SchemeError {
            problems: vec![format!("不是有效的考核方案JSON：{e}")],
        })?;
        scheme.validate()?;
        Ok(scheme)
    }

    /// The scheme as pretty JSON, as it is exported.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scheme has only strings, numbers and lists")
    }

    /// The full marks of the scheme (满分): the sum of its indicators' weights.
    pub fn full_marks(&self) -> f64 {
        self.indicators.iter().map(Indicator::full_marks).sum()
    }

    /// Every fault of the scheme, or nothing.
    pub fn validate(&self) -> Result<(), SchemeError> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("方案名称不能为空".to_owned());
        }
        if self.indicators.is_empty() {
            problems.push("方案至少要有一个指标".to_owned());
        }
        let mut keys = BTreeSet::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let at = if ind.name.trim().is_empty() {
                format!("第{}个指标", i + 1)
            } else {
                format!("指标“{}”", ind.name)
            };
            let mut fault = |what: String| problems.push(format!("{at}：{what}"));
            if ind.key.trim().is_empty() {
                fault("键不能为空".to_owned());
            } else if !keys.insert(ind.key.as_str()) {
                fault(format!("键“{}”与前面的指标重复", ind.key));
            }
            if ind.name.trim().is_empty() {
                fault("名称不能为空".to_owned());
            }
            if !ind.weight.is_finite() || ind.weight < 0.0 {
                fault(format!("分值须为非负数（现为{}）", ind.weight));
            }
            match &ind.method {
                Method::Ratio { cap } => {
                    if ind.weight.is_nan() || ind.weight <= 0.0 {
                        fault("按完成率计分的指标分值须为正数".to_owned());
                    }
                    if !cap.is_finite() || *cap < 1.0 {
                        fault(format!("封顶倍数须不小于1（现为{cap}）"));
                    }
                }
                Method::Bands { on, bands } => {
                    if ind.weight.is_nan() || ind.weight <= 0.0 {
                        fault("分档计分的指标分值须为正数".to_owned());
                    }
                    if bands.is_empty() {
                        fault("分档计分至少要有一档".to_owned());
                    }
                    let ascending = *on == Basis::Value && ind.lower_is_better;
                    for (j, band) in bands.iter().enumerate() {
                        if !band.threshold.is_finite() {
                            fault(format!("第{}档的门槛不是数", j + 1));
                        }
                        if !band.points.is_finite() || band.points < 0.0 || band.points > ind.weight
                        {
                            fault(format!(
                                "第{}档得分须在0到分值{}之间（现为{}）",
                                j + 1,
                                format_points(ind.weight),
                                band.points
                            ));
                        }
                        if j > 0 {
                            let prev = bands[j - 1].threshold;
                            let ordered = if ascending {
                                band.threshold > prev
                            } else {
                                band.threshold < prev
                            };
                            if !ordered {
                                fault(format!(
                                    "第{}档的门槛须{}第{}档",
                                    j + 1,
                                    if ascending { "高于" } else { "低于" },
                                    j
                                ));
                            }
                        }
                    }
                }
                Method::Deduction { per_occurrence, max } => {
                    if !per_occurrence.is_finite() || *per_occurrence <= 0.0 {
                        fault(format!("每次扣分须为正数（现为{per_occurrence}）"));
                    }
                    if !max.is_finite() || *max <= 0.0 {
                        fault(format!("扣分上限须为正数（现为{max}）"));
                    }
                }
                Method::Veto { floor } => {
                    if ind.weight != 0.0 {
                        fault("一票否决项不计分，分值须为0".to_owned());
                    }
                    if !floor.is_finite() || *floor < 0.0 {
                        fault(format!("否决后的得分须为非负数（现为{floor}）"));
                    }
                }
            }
        }
        if let Missing::Fixed { points } = self.missing {
            let least = self
                .indicators
                .iter()
                // Weights at fault are named above; they do not move this bound.
                .filter(|i| i.takes_value() && i.weight > 0.0)
                .map(|i| i.weight)
                .fold(f64::INFINITY, f64::min);
            if !points.is_finite() || points < 0.0 || points > least {
                problems.push(format!(
                    "缺数据时的固定得分须在0到最小分值{}之间（现为{points}）",
                    format_points(if least.is_finite() { least } else { 0.0 })
                ));
            }
        }
        if let Some(red) = self.lists.red
            && red.top_n == 0
        {
            problems.push("红榜名次须至少为1".to_owned());
        }
        if let Some(black) = self.lists.black
            && black.bottom_n == 0
        {
            problems.push("黑榜名次须至少为1".to_owned());
        }
        for e in &self.lists.exemptions {
            if e.subject.trim().is_empty() {
                problems.push("免列黑榜的对象不能为空".to_owned());
            } else if e.reason.trim().is_empty() {
                problems.push(format!("免列黑榜的“{}”须写明理由", e.subject));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(SchemeError { problems }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn problems(json: &str) -> Vec<String> {
        match Scheme::from_json(json) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems,
        }
    }

    const FULL: &str = r#"{
        "name": "2026年度县区综合考核",
        "year": 2026,
        "indicators": [
            {"key": "gdp_growth", "name": "地区生产总值增速", "weight": 10,
             "method": {"kind": "ratio", "cap": 1.2}, "source": {"kind": "track", "indicator": "gdp_growth"}},
            {"key": "tax", "name": "税收收入", "weight": 8,
             "method": {"kind": "bands", "bands": [{"threshold": 100, "points": 8}, {"threshold": 90, "points": 5}]}},
            {"key": "red", "name": "红灯预警", "weight": 5,
             "method": {"kind": "deduction", "per_occurrence": 1, "max": 5},
             "source": {"kind": "ledger", "count": "red"}},
            {"key": "safety", "name": "安全生产", "method": {"kind": "veto", "floor": 60}}
        ],
        "missing": {"kind": "fixed", "points": 2},
        "lists": {"red": {"top_n": 3, "require_met": true}, "black": {"bottom_n": 2},
                  "exemptions": [{"subject": "丙县", "reason": "遭受特大洪涝灾害"}]}
    }"#;

    #[test]
    fn a_scheme_goes_to_json_and_back_unchanged() {
        let s = Scheme::from_json(FULL).expect("valid");
        assert_eq!(s.full_marks(), 23.0); // 10 + 8 + 5; a veto has no points
        assert_eq!(s.indicators[2].source, Some(Source::Ledger { count: LedgerCount::Red }));
        let back = Scheme::from_json(&s.to_json()).expect("its own export is valid");
        assert_eq!(back, s);
    }

    #[test]
    fn defaults_fill_what_a_short_scheme_leaves_out() {
        let s = Scheme::from_json(
            r#"{"name": "简", "indicators": [{"key": "k", "name": "指标", "weight": 1, "method": {"kind": "ratio", "cap": 1}}]}"#,
        )
        .expect("valid");
        assert_eq!((s.year, s.missing, s.lists.clone()), (None, Missing::Zero, Lists::default()));
        assert!(!s.indicators[0].lower_is_better);
    }

    #[test]
    fn not_json_is_refused_with_the_reason() {
        let p = problems("{");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("不是有效的考核方案JSON："), "{p:?}");
        let p = problems(
            r#"{"name": "x", "indicators": [{"key": "k", "name": "n", "method": {"kind": "guess"}}]}"#,
        );
        assert!(p[0].contains("unknown variant `guess`"), "{p:?}");
    }

    #[test]
    fn every_fault_is_named_with_its_item() {
        let p = problems(
            r#"{"name": " ", "indicators": [
                {"key": "a", "name": "增速", "weight": -1, "method": {"kind": "ratio", "cap": 0.9}},
                {"key": "a", "name": "税收", "weight": 8, "method": {"kind": "bands",
                 "bands": [{"threshold": 90, "points": 5}, {"threshold": 100, "points": 9}]}},
                {"key": "", "name": "", "weight": 5, "method": {"kind": "deduction", "per_occurrence": 0, "max": -1}},
                {"key": "v", "name": "安全", "weight": 3, "method": {"kind": "veto", "floor": -5}},
                {"key": "b", "name": "空档", "weight": 2, "method": {"kind": "bands", "bands": []}}
            ],
            "missing": {"kind": "fixed", "points": 3},
            "lists": {"red": {"top_n": 0}, "black": {"bottom_n": 0},
                      "exemptions": [{"subject": "甲县", "reason": ""}, {"subject": "", "reason": "x"}]}}"#,
        );
        assert_eq!(
            p,
            [
                "方案名称不能为空",
                "指标“增速”：分值须为非负数（现为-1）",
                "指标“增速”：按完成率计分的指标分值须为正数",
                "指标“增速”：封顶倍数须不小于1（现为0.9）",
                "指标“税收”：键“a”与前面的指标重复",
                "指标“税收”：第2档得分须在0到分值8之间（现为9）",
                "指标“税收”：第2档的门槛须低于第1档",
                "第3个指标：键不能为空",
                "第3个指标：名称不能为空",
                "第3个指标：每次扣分须为正数（现为0）",
                "第3个指标：扣分上限须为正数（现为-1）",
                "指标“安全”：一票否决项不计分，分值须为0",
                "指标“安全”：否决后的得分须为非负数（现为-5）",
                "指标“空档”：分档计分至少要有一档",
                "缺数据时的固定得分须在0到最小分值2之间（现为3）",
                "红榜名次须至少为1",
                "黑榜名次须至少为1",
                "免列黑榜的“甲县”须写明理由",
                "免列黑榜的对象不能为空",
            ]
        );
    }

    #[test]
    fn bands_on_a_lower_is_better_value_must_ascend() {
        let p = problems(
            r#"{"name": "环境", "indicators": [{"key": "pm25", "name": "PM2.5", "weight": 6,
                "lower_is_better": true, "method": {"kind": "bands", "on": "value",
                "bands": [{"threshold": 45, "points": 3}, {"threshold": 35, "points": 6}]}}]}"#,
        );
        assert_eq!(p, ["指标“PM2.5”：第2档的门槛须高于第1档"]);
    }
}
