//! The supervision bulletin (督查通报): for a period, where the ledger stands (how many
//! tasks are done, on schedule, lit yellow or red), each responsible unit's warned tasks,
//! the scores and rankings of a saved assessment run, and its red and black lists.
//!
//! Gathering ([`App::bulletin`]) reads the ledger on the as-of day and the chosen run;
//! [`Bulletin::compose`] is pure, and so is everything that formats a bulletin: the prose
//! of its sections here (shared by the `.docx`, the page and the API), [`docx`] for the
//! 公文-style document, [`sheet`] for the workbook.

pub mod docx;
pub mod sheet;

use serde::Serialize;
use taizhang_store::TaskStatus;

use crate::App;
use crate::assess::{self, Assessment, ListEntry, SavedRun, format_points};
use crate::ledger::date::Date;
use crate::ledger::schedule::{Light, Thresholds};
use crate::ledger::{self, LedgerFilter, LedgerRow, UnitWarnings, status_label, unit_warnings};

/// The issuing office when none is given.
pub const DEFAULT_OFFICE: &str = "市人民政府督查室";

/// Who the bulletin is addressed to (主送机关) when none is given.
pub const DEFAULT_RECIPIENTS: &str = "各责任单位";

/// What can go wrong in gathering a bulletin.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the ledger.
    #[error(transparent)]
    Ledger(#[from] ledger::Error),
    /// From assessment (reading the run).
    #[error(transparent)]
    Assess(#[from] assess::Error),
    /// The request cannot be served; the message says why, in Chinese.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Whether the user can fix this (a 4xx), as opposed to a failure of the system.
    pub fn is_user(&self) -> bool {
        match self {
            Error::Invalid(_) => true,
            Error::Ledger(e) => e.is_user(),
            Error::Assess(e) => e.is_user(),
        }
    }
}

impl From<taizhang_store::Error> for Error {
    fn from(e: taizhang_store::Error) -> Error {
        Error::Assess(e.into())
    }
}

/// The result of gathering a bulletin.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The period a bulletin reports on: a month, a quarter, a half or a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// As the title writes it: `2026年第二季度`, `2026年6月`, `2026年上半年`, `2026年度`.
    pub label: String,
    /// Its first day.
    #[serde(serialize_with = "iso")]
    pub start: Date,
    /// Its last day.
    #[serde(serialize_with = "iso")]
    pub end: Date,
    /// Its number within the year (the quarter, the month, the half; 1 for a year), for
    /// the issue number.
    pub number: u32,
}

fn iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

impl Period {
    /// Reads a period as offices and forms write it: `2026年第二季度` (`第2季度`, `二季度`,
    /// `2026Q2`, `2026-Q2`), `2026-06` (`2026年6月`), `2026年上半年`/`下半年`,
    /// `2026年`/`2026年度`/`2026`. The error is for the user, in Chinese.
    pub fn parse(text: &str) -> Result<Period, String> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let bad = || format!("无法识别的通报期间“{}”（如2026年第二季度、2026-06）", text.trim());
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits != 4 {
            return Err(bad());
        }
        let year: i32 = t[..4].parse().map_err(|_| bad())?;
        let rest = t[4..].trim_start_matches(['年', '-', '/', '.']);
        let quarter = |q: u32| {
            let start = Date::new(year, 3 * q - 2, 1)?;
            let end = Date::end_of_month(year, 3 * q)?;
            Some(Period {
                label: format!("{year}年第{}季度", chinese_number(q)),
                start,
                end,
                number: q,
            })
        };
        let period = match rest {
            "" | "度" | "全年" => {
                Date::new(year, 1, 1).zip(Date::new(year, 12, 31)).map(|(start, end)| Period {
                    label: format!("{year}年度"),
                    start,
                    end,
                    number: 1,
                })
            }
            "上半年" => Date::new(year, 1, 1).zip(Date::new(year, 6, 30)).map(|(start, end)| {
                Period { label: format!("{year}年上半年"), start, end, number: 1 }
            }),
            "下半年" => {
                Date::new(year, 7, 1).zip(Date::new(year, 12, 31)).map(|(start, end)| Period {
                    label: format!("{year}年下半年"),
                    start,
                    end,
                    number: 2,
                })
            }
            _ => {
                let r = rest.trim_start_matches('第');
                if let Some(q) = r.strip_suffix("季度").or_else(|| r.strip_prefix(['Q', 'q'])) {
                    parse_small(q).filter(|q| (1..=4).contains(q)).and_then(quarter)
                } else {
                    let m = r.strip_suffix('月').unwrap_or(r);
                    parse_small(m).filter(|m| (1..=12).contains(m)).and_then(|m| {
                        Some(Period {
                            label: format!("{year}年{m}月"),
                            start: Date::new(year, m, 1)?,
                            end: Date::end_of_month(year, m)?,
                            number: m,
                        })
                    })
                }
            }
        };
        period.ok_or_else(bad)
    }

    /// The quarter `today` falls in, the default of a form.
    pub fn quarter_of(today: Date) -> Period {
        let q = (today.month() - 1) / 3 + 1;
        Period::parse(&format!("{}Q{q}", today.year())).expect("a quarter of a valid day")
    }

    /// The day a bulletin of this period is taken on when none is given: the period's last
    /// day, or `today` while the period runs.
    pub fn default_as_of(&self, today: Date) -> Date {
        self.end.min(today)
    }
}

/// `1`–`12` in Arabic or Chinese numerals (`二`, `十二`, `02`).
fn parse_small(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', c] => Some(10 + digit(*c)?),
        _ => None,
    }
}

/// `n` (below 100) in Chinese numerals: 一, 十, 十二, 二十一.
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[(n - 10) as usize] }),
        20..=99 => {
            let ones = if n.is_multiple_of(10) { "" } else { DIGITS[(n % 10) as usize] };
            format!("{}十{ones}", DIGITS[(n / 10) as usize])
        }
        _ => n.to_string(),
    }
}

/// A day as a bulletin writes it: `2026年7月1日`.
pub fn chinese_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Which saved assessment run a bulletin reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RunChoice {
    /// None: the bulletin has no scores.
    #[default]
    None,
    /// The latest saved run of this scheme, if it has one.
    LatestOf(i64),
    /// This saved run.
    Run(i64),
}

/// What a bulletin is gathered for.
#[derive(Debug, Clone, PartialEq)]
pub struct BulletinParams {
    /// The period it reports on.
    pub period: Period,
    /// The day the ledger's lights are taken on.
    pub as_of: Date,
    /// The assessment run it reports.
    pub run: RunChoice,
    /// The issuing office; [`DEFAULT_OFFICE`] when blank.
    pub office: String,
    /// Who it is addressed to; [`DEFAULT_RECIPIENTS`] when blank.
    pub recipients: String,
    /// The issue number (the N of 〔2026〕N号), which the office counts across the year;
    /// the period's ordinal (2 for the second quarter) when none.
    pub number: Option<u32>,
}

impl BulletinParams {
    /// A bulletin of `period` on its default day ([`Period::default_as_of`]), without
    /// scores, from the default office.
    pub fn new(period: Period, today: Date) -> BulletinParams {
        let as_of = period.default_as_of(today);
        BulletinParams {
            period,
            as_of,
            run: RunChoice::None,
            office: String::new(),
            recipients: String::new(),
            number: None,
        }
    }
}

/// A bulletin: everything its sections say, as values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulletin {
    /// 关于…的督查通报.
    pub title: String,
    /// The issuing office.
    pub office: String,
    /// The issue number line (`督查通报〔2026〕2号`).
    pub number: String,
    /// Who it is addressed to.
    pub recipients: String,
    /// The period.
    pub period: Period,
    /// The day the lights were taken on (`YYYY-MM-DD`).
    #[serde(serialize_with = "iso")]
    pub as_of: Date,
    /// The warning thresholds the lights used, in points behind schedule.
    pub thresholds: ThresholdsOut,
    /// The whole ledger counted.
    pub summary: Summary,
    /// Each unit with red or yellow tasks, most red first, with those tasks.
    pub units: Vec<UnitSection>,
    /// The scores and lists of the run reported, if any.
    pub assessment: Option<RunSection>,
    /// The requirements of 五、下步要求, one paragraph each.
    pub requirements: Vec<String>,
}

/// The warning thresholds as a bulletin states them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThresholdsOut {
    /// Yellow from this many points behind.
    pub yellow: f64,
    /// Red above this many points behind.
    pub red: f64,
}

/// The ledger counted on the as-of day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Every task.
    pub total: usize,
    /// Done.
    pub done: usize,
    /// Not done, and on schedule (green).
    pub on_schedule: usize,
    /// Yellow.
    pub yellow: usize,
    /// Red (overdue ones included).
    pub red: usize,
    /// Past the deadline and not done.
    pub overdue: usize,
    /// Without a schedule to keep (no deadline, suspended).
    pub unscheduled: usize,
    /// Lead units with tasks.
    pub units: usize,
    /// Lead units with a red or yellow task.
    pub warned_units: usize,
}

/// A unit with red or yellow tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSection {
    /// Its tasks counted by light.
    #[serde(flatten)]
    pub counts: UnitWarnings,
    /// Its red and yellow tasks: red first, the furthest behind first, then by 序号.
    pub tasks: Vec<WarnedTask>,
}

impl UnitSection {
    /// The unit's name, or what stands for a task without one.
    pub fn name(&self) -> &str {
        unit_name(&self.counts.unit)
    }
}

fn unit_name(unit: &str) -> &str {
    if unit.is_empty() { "（未明确责任单位）" } else { unit }
}

/// A task lit red or yellow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarnedTask {
    /// Its id.
    pub id: i64,
    /// 序号.
    pub ord: i64,
    /// 目标任务.
    pub title: String,
    /// `red` or `yellow`.
    pub light: &'static str,
    /// 红灯 or 黄灯.
    pub light_label: &'static str,
    /// Its status in Chinese.
    pub status: &'static str,
    /// The deadline (`YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// 完成时限 as written.
    pub deadline_text: String,
    /// 序时进度, 0–100.
    pub elapsed: Option<f64>,
    /// The share done, 0–100.
    pub done: f64,
    /// Points behind schedule.
    pub lag: Option<f64>,
    /// Past its deadline and not done.
    pub overdue: bool,
}

impl WarnedTask {
    /// 完成时限 as the tables show it: as written, else the date.
    pub fn deadline_shown(&self) -> String {
        if self.deadline_text.is_empty() {
            self.deadline.clone().unwrap_or_default()
        } else {
            self.deadline_text.clone()
        }
    }

    /// The lag as the tables show it: `落后35个百分点`, and `已逾期` when overdue.
    pub fn lag_shown(&self) -> String {
        let lag = match self.lag {
            Some(l) if l > 0.0 => format!("落后{}个百分点", format_points(l)),
            _ => String::new(),
        };
        match (self.overdue, lag.is_empty()) {
            (true, true) => "已逾期".to_owned(),
            (true, false) => format!("已逾期，{lag}"),
            (false, _) => lag,
        }
    }
}

/// The scores and lists of a saved run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSection {
    /// The run's id.
    pub run_id: i64,
    /// The scheme's id.
    pub scheme_id: i64,
    /// The scheme's name as run.
    pub scheme_name: String,
    /// The run's label.
    pub label: String,
    /// When it was saved (RFC 3339).
    pub created_at: String,
    /// The full marks.
    pub full_marks: f64,
    /// Every subject, best first.
    pub scores: Vec<ScoreRow>,
    /// The red list, best first.
    pub red: Vec<ListEntry>,
    /// The black list, worst first.
    pub black: Vec<ListEntry>,
    /// Kept off the black list, with the reason.
    pub exempted: Vec<ListEntry>,
}

/// One subject's place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// 名次.
    pub rank: usize,
    /// The unit or region.
    pub subject: String,
    /// 总分.
    pub total: f64,
    /// Whether it met every target; `None` when none had a result.
    pub met: Option<bool>,
    /// The vetoes that struck it.
    pub vetoes: Vec<String>,
}

impl ScoreRow {
    /// 完成, 未完成 or —.
    pub fn met_shown(&self) -> &'static str {
        match self.met {
            Some(true) => "完成",
            Some(false) => "未完成",
            None => "—",
        }
    }
}

impl RunSection {
    fn new(run: SavedRun) -> RunSection {
        let Assessment { full_marks, subjects, red, black, exempted, .. } = run.assessment;
        RunSection {
            run_id: run.id,
            scheme_id: run.scheme_id,
            scheme_name: run.scheme.name,
            label: run.label,
            created_at: run.created_at,
            full_marks,
            scores: subjects
                .into_iter()
                .map(|s| ScoreRow {
                    rank: s.rank,
                    subject: s.subject,
                    total: s.total,
                    met: s.met,
                    vetoes: s.vetoes,
                })
                .collect(),
            red,
            black,
            exempted,
        }
    }

    /// What the run is called in the text: 《scheme》（label）.
    pub fn name(&self) -> String {
        if self.label.is_empty() {
            format!("《{}》", self.scheme_name)
        } else {
            format!("《{}》（{}）", self.scheme_name, self.label)
        }
    }
}

impl Bulletin {
    /// The bulletin of `params` from the ledger's `rows` lit on `params.as_of` with
    /// `thresholds`, and the saved `run` chosen. Pure.
    pub fn compose(
        params: &BulletinParams,
        rows: &[LedgerRow],
        thresholds: Thresholds,
        run: Option<SavedRun>,
    ) -> Bulletin {
        let office = given_or(&params.office, DEFAULT_OFFICE);
        let recipients = given_or(&params.recipients, DEFAULT_RECIPIENTS);
        let period = params.period.clone();
        let counts = unit_warnings(rows);
        let mut summary = Summary { units: counts.len(), ..Summary::default() };
        for w in &counts {
            summary.total += w.total;
            summary.done += w.done;
            summary.on_schedule += w.green;
            summary.yellow += w.yellow;
            summary.red += w.red;
            summary.overdue += w.overdue;
        }
        // What is neither done nor lit: no deadline, or suspended.
        summary.unscheduled =
            summary.total - summary.done - summary.on_schedule - summary.yellow - summary.red;
        let units: Vec<UnitSection> = counts
            .into_iter()
            .filter(|w| w.red + w.yellow > 0)
            .map(|counts| {
                let mut tasks: Vec<WarnedTask> = rows
                    .iter()
                    .filter(|r| r.row.task.lead_unit == counts.unit)
                    .filter_map(warned)
                    .collect();
                tasks.sort_by(|a, b| {
                    (b.light == "red")
                        .cmp(&(a.light == "red"))
                        .then(b.lag.unwrap_or(0.0).total_cmp(&a.lag.unwrap_or(0.0)))
                        .then(a.ord.cmp(&b.ord))
                });
                UnitSection { counts, tasks }
            })
            .collect();
        summary.warned_units = units.len();
        let assessment = run.map(RunSection::new);
        let mut b = Bulletin {
            title: format!("{office}关于{}重点任务推进情况的督查通报", period.label),
            number: format!(
                "督查通报〔{}〕{}号",
                period.start.year(),
                params.number.unwrap_or(period.number)
            ),
            office,
            recipients,
            period,
            as_of: params.as_of,
            thresholds: ThresholdsOut { yellow: thresholds.yellow, red: thresholds.red },
            summary,
            units,
            assessment,
            requirements: Vec::new(),
        };
        b.requirements = b.compose_requirements();
        b
    }

    /// 一、总体情况: the ledger counted.
    pub fn overview(&self) -> String {
        let s = &self.summary;
        if s.total == 0 {
            return format!("截至{}，台账中尚无纳入督查的重点任务。", chinese_date(self.as_of));
        }
        let mut text = format!(
            "截至{}，纳入督查台账的重点任务共{}项，涉及{}个责任单位。其中，已完成{}项，\
             按序时进度推进{}项，亮黄灯{}项，亮红灯{}项",
            chinese_date(self.as_of),
            s.total,
            s.units,
            s.done,
            s.on_schedule,
            s.yellow,
            s.red
        );
        if s.overdue > 0 {
            text.push_str(&format!("（其中逾期未完成{}项）", s.overdue));
        }
        if s.unscheduled > 0 {
            text.push_str(&format!("，无明确时限或暂缓{}项", s.unscheduled));
        }
        let rate = 100.0 * (s.done + s.on_schedule) as f64 / s.total as f64;
        text.push_str(&format!("。已完成和按序时进度推进的任务占{}%。", format_points(rate)));
        text
    }

    /// 二、预警情况: the rule and who is warned.
    pub fn warnings_intro(&self) -> String {
        let rule = format!(
            "按照序时进度预警规则（落后序时进度{}个百分点及以上亮黄灯，超过{}个百分点或逾期未完成亮红灯）",
            format_points(self.thresholds.yellow),
            format_points(self.thresholds.red)
        );
        if self.units.is_empty() {
            return format!("{rule}，本期无亮灯任务。");
        }
        let names: Vec<&str> = self.units.iter().map(UnitSection::name).collect();
        format!(
            "{rule}，{}等{}个单位有亮灯任务，红灯{}项、黄灯{}项，具体如下。",
            names.join("、"),
            names.len(),
            self.summary.red,
            self.summary.yellow
        )
    }

    /// One unit's line above its table.
    pub fn unit_line(u: &UnitSection) -> String {
        let mut parts = Vec::new();
        if u.counts.red > 0 {
            parts.push(format!("红灯{}项", u.counts.red));
        }
        if u.counts.yellow > 0 {
            parts.push(format!("黄灯{}项", u.counts.yellow));
        }
        if u.counts.overdue > 0 {
            parts.push(format!("逾期{}项", u.counts.overdue));
        }
        format!("{}：牵头任务{}项，{}。", u.name(), u.counts.total, parts.join("，"))
    }

    /// 三、考核得分与排名: which run, and who leads.
    pub fn assessment_intro(&self) -> String {
        let Some(a) = &self.assessment else {
            return "本期未开展考核，或考核结果尚未保存。".to_owned();
        };
        let mut text = format!(
            "根据{}考核结果，参加考核的对象共{}个，满分{}分。",
            a.name(),
            a.scores.len(),
            format_points(a.full_marks)
        );
        if let Some(first) = a.scores.first() {
            let top: Vec<&str> = a
                .scores
                .iter()
                .filter(|s| s.rank == first.rank)
                .map(|s| s.subject.as_str())
                .collect();
            text.push_str(&format!(
                "{}以{}分位列第一。",
                top.join("、"),
                format_points(first.total)
            ));
        }
        text
    }

    /// 四、红黑榜: one paragraph per list, with the reasons; empty lists say so.
    pub fn lists_text(&self) -> Vec<String> {
        let Some(a) = &self.assessment else {
            return vec!["本期未发布红黑榜。".to_owned()];
        };
        let list = |name: &str, entries: &[ListEntry]| {
            if entries.is_empty() {
                format!("{name}：无。")
            } else {
                let items: Vec<String> =
                    entries.iter().map(|e| format!("{}（{}）", e.subject, e.reason)).collect();
                format!("{name}：{}。", items.join("；"))
            }
        };
        let mut out = vec![list("红榜", &a.red), list("黑榜", &a.black)];
        if !a.exempted.is_empty() {
            out.push(list("免列黑榜", &a.exempted));
        }
        out
    }

    /// 五、下步要求, from what the bulletin found.
    fn compose_requirements(&self) -> Vec<String> {
        let mut out = Vec::new();
        let red: Vec<&str> =
            self.units.iter().filter(|u| u.counts.red > 0).map(UnitSection::name).collect();
        let yellow: Vec<&str> = self
            .units
            .iter()
            .filter(|u| u.counts.red == 0 && u.counts.yellow > 0)
            .map(UnitSection::name)
            .collect();
        if red.is_empty() {
            out.push(
                "保持推进节奏。本期无红灯任务，各单位要对照时间节点压茬推进，防止任务滞后。"
                    .to_owned(),
            );
        } else {
            out.push(format!(
                "抓紧整改红灯任务。{}要对亮红灯的{}项任务逐项分析原因，制定整改措施，明确完成时限，\
                 于通报印发后10个工作日内书面报送整改情况。",
                red.join("、"),
                self.summary.red
            ));
        }
        if self.summary.yellow > 0 {
            let who = if yellow.is_empty() {
                "有关单位".to_owned()
            } else {
                format!("{}等单位", yellow.join("、"))
            };
            out.push(format!(
                "加快推进黄灯任务。{who}要倒排工期、挂图作战，确保{}项黄灯任务尽快回到序时进度。",
                self.summary.yellow
            ));
        }
        if let Some(a) = &self.assessment {
            let black: Vec<&str> = a.black.iter().map(|e| e.subject.as_str()).collect();
            if black.is_empty() {
                out.push(
                    "强化考核结果运用。列入红榜的单位要总结经验，其他单位要对标先进、争先进位。"
                        .to_owned(),
                );
            } else {
                out.push(format!(
                    "强化考核结果运用。列入黑榜的{}要深刻剖析原因，制定整改方案；列入红榜的单位要总结经验，发挥示范带动作用。",
                    black.join("、")
                ));
            }
        }
        out.push(format!(
            "按时报送任务进展。各单位要于每月5日前在台账系统中填报任务进展，并上传佐证材料，{}将持续跟踪督办。",
            self.office
        ));
        out.into_iter()
            .enumerate()
            .map(|(i, text)| format!("（{}）{text}", chinese_number(i as u32 + 1)))
            .collect()
    }

    /// The sign-off date: the as-of day.
    pub fn date_line(&self) -> String {
        chinese_date(self.as_of)
    }

    /// The file name for an export: the title and the extension.
    pub fn file_name(&self, ext: &str) -> String {
        format!("{}.{ext}", self.title)
    }
}

fn given_or(s: &str, default: &str) -> String {
    let s = s.trim();
    if s.is_empty() { default.to_owned() } else { s.to_owned() }
}

fn warned(r: &LedgerRow) -> Option<WarnedTask> {
    let light = match (r.row.task.status, r.schedule.light) {
        (TaskStatus::Done, _) => return None,
        (_, Light::Red) => Light::Red,
        (_, Light::Yellow) => Light::Yellow,
        _ => return None,
    };
    let t = &r.row.task;
    Some(WarnedTask {
        id: r.row.id,
        ord: r.row.ord,
        title: t.title.clone(),
        light: light.as_str(),
        light_label: light.label(),
        status: status_label(t.status),
        deadline: t.deadline.clone(),
        deadline_text: t.deadline_text.clone(),
        elapsed: r.schedule.elapsed,
        done: r.schedule.done,
        lag: r.schedule.lag,
        overdue: r.schedule.overdue,
    })
}

impl App {
    /// The bulletin of `params`: the whole ledger lit on the as-of day, and the run chosen
    /// ([`RunChoice::LatestOf`] a scheme without saved runs gives a bulletin without scores;
    /// a scheme or run that does not exist is an error).
    pub async fn bulletin(&self, params: &BulletinParams) -> Result<Bulletin> {
        let rows = self.ledger(&LedgerFilter::default(), params.as_of).await?;
        let thresholds = self.thresholds().await?;
        let run = match params.run {
            RunChoice::None => None,
            RunChoice::LatestOf(id) => {
                if self.scheme(id).await?.is_none() {
                    return Err(taizhang_store::Error::NotFound {
                        what: "scheme",
                        id: id.to_string(),
                    }
                    .into());
                }
                self.saved_runs(id).await?.into_iter().next()
            }
            RunChoice::Run(id) => match self.saved_run(id).await? {
                Some(run) => Some(run),
                None => {
                    return Err(taizhang_store::Error::NotFound {
                        what: "run",
                        id: id.to_string(),
                    }
                    .into());
                }
            },
        };
        Ok(Bulletin::compose(params, &rows, thresholds, run))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn period(text: &str) -> (String, String, String, u32) {
        let p = Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        (p.label, p.start.to_string(), p.end.to_string(), p.number)
    }

    #[test]
    fn periods_are_read_as_offices_write_them() {
        let q2 = ("2026年第二季度".into(), "2026-04-01".into(), "2026-06-30".into(), 2);
        for text in ["2026年第二季度", "2026年第2季度", "2026年二季度", "2026Q2", "2026-Q2"]
        {
            assert_eq!(period(text), q2, "{text}");
        }
        let june = ("2026年6月".into(), "2026-06-01".into(), "2026-06-30".into(), 6);
        for text in ["2026-06", "2026年6月", "2026年06月", "2026年六月"] {
            assert_eq!(period(text), june, "{text}");
        }
        assert_eq!(period("2026年12月").2, "2026-12-31");
        assert_eq!(period("2028-02").2, "2028-02-29");
        assert_eq!(period("2026年上半年").2, "2026-06-30");
        assert_eq!(period("2026年下半年").1, "2026-07-01");
        assert_eq!(period("2026年").0, "2026年度");
        assert_eq!(period("2026").2, "2026-12-31");
        for bad in ["", "第二季度", "2026年第五季度", "2026-13", "26年6月", "2026年春"]
        {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_running_period_is_taken_today_and_a_past_one_on_its_last_day() {
        let p = Period::parse("2026年第二季度").expect("a quarter");
        let d = |s: &str| Date::parse_iso(s).expect("a day");
        assert_eq!(p.default_as_of(d("2026-05-20")), d("2026-05-20"));
        assert_eq!(p.default_as_of(d("2026-11-26")), d("2026-06-30"));
        assert_eq!(Period::quarter_of(d("2026-11-26")).label, "2026年第四季度");
    }

    #[test]
    fn numbers_and_days_are_written_in_chinese() {
        let n: Vec<String> = [1, 4, 10, 12, 20, 21].into_iter().map(chinese_number).collect();
        assert_eq!(n, ["一", "四", "十", "十二", "二十", "二十一"]);
        assert_eq!(chinese_date(Date::new(2026, 7, 1).expect("a day")), "2026年7月1日");
    }
}
