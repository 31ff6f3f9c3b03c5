//! The values extraction produces. Names follow the glossary of `DESIGN.md`.

use serde::{Deserialize, Serialize};

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extracted {
    /// The document text as stored; every span below is a byte range of it.
    pub text: String,
    /// The encoding the input was read in (`UTF-8`, `GB18030`, `UTF-16LE`, …).
    #[serde(default)]
    pub encoding: String,
    /// Title, region, kind, date.
    pub meta: DocumentMeta,
    /// The outline (章节), in document order.
    pub outline: Vec<Section>,
    /// Quantitative facts (指标事实), in document order.
    pub facts: Vec<Fact>,
    /// Coined terms (提法) and their definitions.
    pub terms: Vec<Term>,
    /// Named projects (项目), in document order. Absent from JSON stored before they were
    /// extracted.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// What went wrong or looked odd; extraction itself never fails.
    pub diagnostics: Vec<Diagnostic>,
}

/// A quantitative fact as `corpus/ANNOTATION.md` defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Byte offset of the number with its unit (inclusive).
    pub start: usize,
    /// Byte offset of the end of the unit (exclusive).
    pub end: usize,
    /// The text of `start..end`.
    pub number: String,
    /// The numeral; a magnitude word stays in `unit`.
    pub value: f64,
    /// The upper bound of a range (`3-5个`).
    pub value_max: Option<f64>,
    /// The unit as written, with its magnitude prefix (`亿元`, `%`, `个百分点`).
    pub unit: String,
    /// The shortest noun phrase naming what is measured, as written.
    pub indicator: String,
    /// The canonical key from the indicator dictionary, where one applies.
    pub indicator_key: Option<String>,
    /// A rate of change or a level.
    pub measure: Measure,
    /// A goal or a reported result.
    pub kind: Kind,
    /// 左右, 以上, 以内 and the like.
    pub qualifier: Qualifier,
    /// The year the value refers to, when the text makes it clear.
    pub year: Option<i32>,
    /// Index into [`Extracted::outline`] of the innermost section holding the fact.
    pub section: Option<usize>,
}

/// Whether a fact is a rate of change or a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 增长5%, 年均增长6%, 下降35.7%.
    Growth,
    /// A total, a count, a share, a ratio, an amount.
    Level,
}

/// Whether a fact is a goal (目标) or a result (实绩).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A goal, plan, expectation or commitment about the future.
    Target,
    /// A reported result, including estimates of the current year.
    Actual,
}

/// How the value is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// No qualifier.
    Exact,
    /// 左右, 约, 近.
    Approx,
    /// 以上, 不低于, 超过, 突破, 余.
    AtLeast,
    /// 以下, 以内, 不超过, 最高.
    AtMost,
}

impl Measure {
    /// The name used in JSON and in the gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Growth => "growth",
            Measure::Level => "level",
        }
    }
}

impl Kind {
    /// The name used in JSON and in the gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Target => "target",
            Kind::Actual => "actual",
        }
    }
}

impl Qualifier {
    /// The name used in JSON and in the gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
        }
    }
}

/// A node of the document's outline (章节).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Depth: 1 for `第X章`/`一、`, deeper for `（一）`, `1.`, `（1）`, run-in headings.
    pub level: u8,
    /// The marker as written (`一、`, `（二）`, `第三章`); empty for a run-in heading.
    pub marker: String,
    /// The heading text without its marker.
    pub title: String,
    /// Byte offset of the heading.
    pub start: usize,
    /// Byte offset where the section's content ends (the next heading of the same or a
    /// higher level, or the end of the text).
    pub end: usize,
    /// Index of the enclosing section.
    pub parent: Option<usize>,
    /// Whether the section reviews the past (工作回顾, 取得的成就) rather than planning.
    pub review: bool,
}

/// A coined term (提法) such as `“1411”` or `“五库”`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The term as written, without quotation marks.
    pub name: String,
    /// Its definition, where the document gives one.
    pub definition: Option<String>,
    /// Byte span of the first occurrence of the term.
    pub start: usize,
    /// End of that span (exclusive).
    pub end: usize,
    /// How many times the term occurs.
    pub occurrences: usize,
}

/// A named project (项目): `观音大型水库`, `万顺煤矿`, `年产30万吨基均质料项目`. Counts of
/// unnamed projects (`新开工项目142个`) are facts, not projects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The name as written (`start..end` of the text).
    pub name: String,
    /// Byte offset of the name (inclusive).
    pub start: usize,
    /// Byte offset of the end of the name (exclusive).
    pub end: usize,
    /// What is built, from the project noun that ends the name.
    pub category: ProjectCategory,
    /// The capacity as written, in or right after the name (`年产30万吨`, `45万吨/年`).
    pub capacity: Option<String>,
    /// The investment as written in the same sentence (`总投资12亿元`).
    pub investment: Option<String>,
    /// The stage the sentence's verb implies (`开工建设` → started).
    pub stage: Option<Stage>,
    /// The year the sentence refers to, found as a fact's year is.
    pub year: Option<i32>,
    /// Byte span of the sentence that names the project.
    pub sentence: (usize, usize),
    /// Index into [`Extracted::outline`] of the innermost section holding the project.
    pub section: Option<usize>,
}

/// What a project builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectCategory {
    /// 水库, 水利枢纽, 灌区.
    Reservoir,
    /// 公路, 高速, 大道, 大桥, 隧道.
    Road,
    /// 铁路, 专用线, 城际, 轨道交通.
    Rail,
    /// 机场.
    Airport,
    /// 电站, 电厂, 热电, 风电, 光伏, 变电站.
    Power,
    /// 煤矿, 露天矿, 矿业.
    Mine,
    /// 园区, 产业园, 基地.
    Park,
    /// 学校, 小学, 中学, 幼儿园.
    School,
    /// 医院, 卫生院, 院区.
    Hospital,
    /// 生产线, 厂, 厂房: a plant.
    Plant,
    /// 水厂, 污水处理厂, 管网.
    Water,
    /// Any other 项目 or 工程.
    Other,
}

impl ProjectCategory {
    /// The name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectCategory::Reservoir => "reservoir",
            ProjectCategory::Road => "road",
            ProjectCategory::Rail => "rail",
            ProjectCategory::Airport => "airport",
            ProjectCategory::Power => "power",
            ProjectCategory::Mine => "mine",
            ProjectCategory::Park => "park",
            ProjectCategory::School => "school",
            ProjectCategory::Hospital => "hospital",
            ProjectCategory::Plant => "plant",
            ProjectCategory::Water => "water",
            ProjectCategory::Other => "other",
        }
    }

    /// Every category, in the order of [`ProjectCategory::as_str`]'s match.
    pub const ALL: [ProjectCategory; 12] = [
        ProjectCategory::Reservoir,
        ProjectCategory::Road,
        ProjectCategory::Rail,
        ProjectCategory::Airport,
        ProjectCategory::Power,
        ProjectCategory::Mine,
        ProjectCategory::Park,
        ProjectCategory::School,
        ProjectCategory::Hospital,
        ProjectCategory::Plant,
        ProjectCategory::Water,
        ProjectCategory::Other,
    ];

    /// The Chinese label offices use.
    pub fn label(self) -> &'static str {
        match self {
            ProjectCategory::Reservoir => "水库水利",
            ProjectCategory::Road => "公路桥隧",
            ProjectCategory::Rail => "铁路",
            ProjectCategory::Airport => "机场",
            ProjectCategory::Power => "能源电力",
            ProjectCategory::Mine => "矿山",
            ProjectCategory::Park => "园区",
            ProjectCategory::School => "学校",
            ProjectCategory::Hospital => "医院",
            ProjectCategory::Plant => "工厂产线",
            ProjectCategory::Water => "供排水",
            ProjectCategory::Other => "其他",
        }
    }

    /// The category named `s` by [`ProjectCategory::as_str`].
    pub fn parse(s: &str) -> Option<ProjectCategory> {
        ProjectCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The stage of a project, in the order a project goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 谋划, 储备, 争取, 签约: an idea or a signed intention.
    Planned,
    /// 前期工作: studies, approvals.
    Preparation,
    /// 开工, 新开工, 开工建设, 落地.
    Started,
    /// 在建, 加快建设, 推进, 续建.
    UnderConstruction,
    /// 建成, 竣工, 投产, 投用, 通车.
    Completed,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Planned,
        Stage::Preparation,
        Stage::Started,
        Stage::UnderConstruction,
        Stage::Completed,
    ];

    /// The name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::Preparation => "preparation",
            Stage::Started => "started",
            Stage::UnderConstruction => "under_construction",
            Stage::Completed => "completed",
        }
    }

    /// The stage named `s` by [`Stage::as_str`].
    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Chinese label offices use.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Planned => "谋划储备",
            Stage::Preparation => "前期",
            Stage::Started => "开工",
            Stage::UnderConstruction => "在建",
            Stage::Completed => "建成投用",
        }
    }
}

/// The kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 规划建议: a party committee's proposal for a five-year plan.
    PlanProposal,
    /// 规划纲要 / 规划: a five-year plan outline or a sector plan.
    PlanOutline,
    /// 决定: a party-committee decision.
    Decision,
    /// 政府工作报告: an annual government work report.
    WorkReport,
    /// 行动计划 / 实施方案: an action plan.
    ActionPlan,
    /// 新闻发布 / 通报: a press release.
    PressRelease,
    /// None of the above could be told.
    Other,
}

impl DocKind {
    /// The name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::PlanProposal => "plan_proposal",
            DocKind::PlanOutline => "plan_outline",
            DocKind::Decision => "decision",
            DocKind::WorkReport => "work_report",
            DocKind::ActionPlan => "action_plan",
            DocKind::PressRelease => "press_release",
            DocKind::Other => "other",
        }
    }
}

/// The administrative level of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省级: provinces, autonomous regions, municipalities.
    Province,
    /// 地级: prefecture-level cities, leagues, autonomous prefectures.
    Prefecture,
    /// 县级: counties, districts, county-level cities, banners.
    County,
}

/// A region named by the document, resolved against the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRef {
    /// GB/T 2260 code, six digits.
    pub code: String,
    /// Full name (`遵义市播州区` style names are not used: just `播州区`).
    pub name: String,
    /// Administrative level.
    pub level: Level,
}

/// Document metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// The title as written; a work report headed only 政府工作报告, or not at all, is
    /// titled by its region and year (`海拉尔区2016年政府工作报告`).
    pub title: Option<String>,
    /// The region the document speaks for.
    pub region: Option<RegionRef>,
    /// The kind of document.
    pub kind: Option<DocKind>,
    /// The date of adoption or publication, ISO 8601 (`2025-01-11`), as precise as given.
    pub date: Option<String>,
    /// The year the document is written in (a work report of 2025 → 2025).
    pub year: Option<i32>,
    /// The plan period (`2021-2025`), where the document names one.
    pub period: Option<(i32, i32)>,
}

/// Something the extractor wants a person to know about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable code: `input.empty`, `input.binary`, `input.control`, `decode.lossy`,
    /// `decode.gb18030`, `decode.transcoded`, `html.charset`, `html.no_body`,
    /// `html.furniture_kept`.
    pub code: String,
    /// A sentence for people, in English.
    pub message: String,
    /// Where, as a byte span of the stored text, if anywhere.
    pub span: Option<(usize, usize)>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The result is incomplete or likely wrong.
    Warning,
    /// Worth knowing; the result is fine.
    Info,
}

impl Diagnostic {
    /// A warning with no span.
    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: code.into(),
            message: message.into(),
            span: None,
        }
    }

    /// An informational note with no span.
    pub fn info(code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            code: code.into(),
            message: message.into(),
            span: None,
        }
    }
}
