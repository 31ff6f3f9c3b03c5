//! Assessment (考核): a [`Scheme`] of weighted indicators scores each subject — a unit or a
//! region — from its [`Input`]s, explains every score in Chinese, ranks the subjects and
//! draws the red and black lists (红黑榜) by the scheme's rules.
//!
//! The engine ([`assess`]) is pure and deterministic: the same scheme and inputs give the
//! same output, whatever the order of the subjects; floats are rounded only for display
//! ([`format_points`]). [`scheme`] holds the scheme as data and its validation, [`score`]
//! the scoring, ranking and lists, [`sheet`] the `.xlsx` of an assessment; each is tested
//! in place. The use cases here store
//! schemes, import and export them as JSON, gather inputs from the track (a region's
//! target and result) and the ledger (a unit's red, yellow and overdue tasks), run a
//! scheme and save the run.
//!
//! ```
//! use taizhang_app::assess::{Input, Scheme, assess};
//!
//! let scheme = Scheme::from_json(r#"{
//!     "name": "示例",
//!     "indicators": [
//!         {"key": "gdp", "name": "地区生产总值", "weight": 10, "method": {"kind": "ratio", "cap": 1.2}}
//!     ]
//! }"#).unwrap();
//! let out = assess(&scheme, &[Input::value("甲县", "gdp", Some(100.0), Some(104.0))]).unwrap();
//! assert_eq!(out.subjects[0].total, 10.4);
//! assert_eq!(out.subjects[0].items[0].explanation, "目标100，实际104，完成率104%，得10.4分（满分10分，封顶1.2倍）");
//! ```

pub mod scheme;
pub mod score;
pub mod sheet;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use taizhang_store::{Change, NewRun, NewScheme, RunRow, SchemeRow};

use crate::App;
use crate::auth::{Action, Actor};
use crate::ledger::date::Date;
use crate::track::{Status, Tolerances, converted};

pub use self::scheme::{
    Band, Basis, Black, Exemption, Indicator, LedgerCount, Lists, Method, Missing, Red, Scheme,
    SchemeError, Source,
};
pub use self::score::{Assessment, Item, ListEntry, SubjectScore, assess};

/// What a subject (a unit or a region) did on one indicator: a target and an actual value
/// for a ratio or bands, a count of occurrences for a deduction or a veto. It may come from
/// the track (a region's target and result), from the ledger (a unit's red lights) or be
/// entered by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// The unit's name or the region's code.
    pub subject: String,
    /// The key of the scheme's indicator.
    pub indicator: String,
    /// The target value (目标值).
    #[serde(default)]
    pub target: Option<f64>,
    /// The actual value (实际值).
    #[serde(default)]
    pub actual: Option<f64>,
    /// How many times it occurred (red lights, overdue tasks, accidents).
    #[serde(default)]
    pub count: Option<u32>,
    /// Whether the target was met, when the source judged it (the track reads 6%左右 with
    /// a tolerance and 5.5%以内 as a ceiling); otherwise the actual value is compared with
    /// the target in the indicator's good direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
    /// Where it comes from or what happened, shown with the score.
    #[serde(default)]
    pub note: Option<String>,
}

impl Input {
    /// A target and an actual value.
    pub fn value(
        subject: &str,
        indicator: &str,
        target: Option<f64>,
        actual: Option<f64>,
    ) -> Input {
        Input {
            subject: subject.to_owned(),
            indicator: indicator.to_owned(),
            target,
            actual,
            ..Input::default()
        }
    }

    /// A count of occurrences.
    pub fn count(subject: &str, indicator: &str, count: u32) -> Input {
        Input {
            subject: subject.to_owned(),
            indicator: indicator.to_owned(),
            count: Some(count),
            ..Input::default()
        }
    }

    /// The same input with a note.
    pub fn with_note(mut self, note: &str) -> Input {
        self.note = Some(note.to_owned());
        self
    }
}

/// Points or a percentage for display: rounded to 2 decimals, without trailing zeros
/// (`10.4`, `12`, `9.33`).
pub fn format_points(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// What can go wrong in an assessment use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the store or the index.
    #[error(transparent)]
    App(#[from] crate::Error),
    /// From the ledger, while counting a unit's tasks.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::Error),
    /// The scheme cannot be used; every fault is named.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The request cannot be served; the message says why, in Chinese.
    #[error("{0}")]
    Invalid(String),
}

impl From<taizhang_store::Error> for Error {
    fn from(e: taizhang_store::Error) -> Error {
        Error::App(e.into())
    }
}

impl Error {
    /// Whether the user can fix this (a 4xx), as opposed to a failure of the system.
    pub fn is_user(&self) -> bool {
        match self {
            Error::Scheme(_) | Error::Invalid(_) => true,
            Error::App(crate::Error::Store(e)) => e.is_user(),
            Error::App(_) => false,
            Error::Ledger(e) => e.is_user(),
        }
    }
}

/// The result of an assessment use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A stored scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScheme {
    /// Its id.
    pub id: i64,
    /// The scheme.
    pub scheme: Scheme,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
}

/// What [`App::gather_inputs`] reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gather {
    /// The year of the track's targets and results; the scheme's year when `None`.
    pub year: Option<i32>,
    /// Only regions whose code starts with this (`5203` for the counties of 遵义).
    pub region_prefix: Option<String>,
    /// The day the ledger's lights are taken on.
    pub today: Option<Date>,
}

/// A run of a scheme: what went in and what came out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// The scheme as run.
    pub scheme: Scheme,
    /// The inputs, gathered and entered by hand.
    pub inputs: Vec<Input>,
    /// The outcome.
    pub assessment: Assessment,
}

/// A saved run as it was published: the scheme as run and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRun {
    /// Its id.
    pub id: i64,
    /// The scheme it is a run of.
    pub scheme_id: i64,
    /// The label it was saved under (`2026年第一季度`).
    pub label: String,
    /// When it was saved (RFC 3339).
    pub created_at: String,
    /// The scheme as it was run.
    pub scheme: Scheme,
    /// The scores, rankings and lists.
    pub assessment: Assessment,
}

fn saved(row: RunRow) -> Result<SavedRun> {
    let corrupt = |what: &str, e: serde_json::Error| {
        crate::Error::Store(taizhang_store::Error::Corrupt(format!("run {} {what}: {e}", row.id)))
    };
    let scheme = serde_json::from_str(&row.run.scheme).map_err(|e| corrupt("scheme", e))?;
    let assessment = serde_json::from_str(&row.run.outcome).map_err(|e| corrupt("outcome", e))?;
    Ok(SavedRun {
        id: row.id,
        scheme_id: row.run.scheme_id,
        label: row.run.label,
        created_at: row.created_at,
        scheme,
        assessment,
    })
}

/// The subject each region is assessed as, by code: its name, or, when regions of the
/// same name are assessed together (朝阳区 of Beijing and of Changchun), its name and code,
/// so that two regions never merge into one subject.
pub fn subject_names(names: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names.values() {
        *count.entry(name.as_str()).or_default() += 1;
    }
    names
        .iter()
        .map(|(code, name)| {
            let label =
                if count[name.as_str()] > 1 { format!("{name}（{code}）") } else { name.clone() };
            (code.clone(), label)
        })
        .collect()
}

fn stored(row: SchemeRow) -> Result<StoredScheme> {
    let scheme: Scheme = serde_json::from_str(&row.scheme.body).map_err(|e| {
        crate::Error::Store(taizhang_store::Error::Corrupt(format!("scheme {}: {e}", row.id)))
    })?;
    Ok(StoredScheme { id: row.id, scheme, created_at: row.created_at, updated_at: row.updated_at })
}

fn new_scheme(scheme: &Scheme) -> Result<NewScheme> {
    scheme.validate()?;
    Ok(NewScheme { name: scheme.name.trim().to_owned(), year: scheme.year, body: scheme.to_json() })
}

impl App {
    /// Every scheme: the latest year first, then by name.
    pub async fn schemes(&self) -> Result<Vec<StoredScheme>> {
        self.store().schemes().await?.into_iter().map(stored).collect()
    }

    /// Scheme `id`, or `None`.
    pub async fn scheme(&self, id: i64) -> Result<Option<StoredScheme>> {
        self.store().scheme(id).await?.map(stored).transpose()
    }

    /// Adds a scheme once it is valid; returns its id.
    pub async fn add_scheme(&self, actor: &Actor, scheme: &Scheme) -> Result<i64> {
        self.authorize(actor, Action::EditScheme, ("scheme", ""), None).await?;
        let change = Change {
            action: "scheme.add".into(),
            ..actor.change(Action::EditScheme, "scheme", "")
        }
        .with_states(None, Some(scheme.to_json()));
        let (id, generation) = self.store().add_scheme(&new_scheme(scheme)?, &change).await?;
        self.follow_other_write(generation);
        Ok(id)
    }

    /// Replaces scheme `id` once the new one is valid. Saved runs keep the scheme they
    /// were run with.
    pub async fn update_scheme(&self, actor: &Actor, id: i64, scheme: &Scheme) -> Result<()> {
        let target = id.to_string();
        self.authorize(actor, Action::EditScheme, ("scheme", &target), None).await?;
        let change = |before: &str| {
            actor
                .change(Action::EditScheme, "scheme", &target)
                .with_states(Some(before.to_owned()), Some(scheme.to_json()))
        };
        let generation = self.store().update_scheme(id, &new_scheme(scheme)?, change).await?;
        self.follow_other_write(generation);
        Ok(())
    }

    /// The inputs entered by hand for scheme `id`, which every run of it takes.
    pub async fn scheme_inputs(&self, id: i64) -> Result<Vec<Input>> {
        let Some(json) = self.store().scheme_inputs(id).await? else {
            return Err(scheme_not_found(id));
        };
        serde_json::from_str(&json)
            .map_err(|e| Error::Invalid(format!("考核方案{id}的手工录入数据无法读取：{e}")))
    }

    /// Replaces the inputs entered by hand for scheme `id`, once each names an indicator
    /// of the scheme and gives what it is scored from: a target and an actual value for a
    /// ratio or bands, a count for a deduction or a veto. At most one per subject and
    /// indicator. All are refused when one is at fault, each fault said.
    pub async fn set_scheme_inputs(
        &self,
        actor: &Actor,
        id: i64,
        inputs: Vec<Input>,
    ) -> Result<Vec<Input>> {
        let target = id.to_string();
        self.authorize(actor, Action::EditScheme, ("scheme", &target), None).await?;
        let Some(stored) = self.scheme(id).await? else { return Err(scheme_not_found(id)) };
        let inputs: Vec<Input> = inputs
            .into_iter()
            .map(|i| Input {
                subject: i.subject.trim().to_owned(),
                indicator: i.indicator.trim().to_owned(),
                note: i.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
                ..i
            })
            .collect();
        let problems = input_problems(&stored.scheme, &inputs);
        if !problems.is_empty() {
            return Err(Error::Invalid(format!(
                "手工录入数据有误，未保存：{}",
                problems.join("；")
            )));
        }
        let json = serde_json::to_string(&inputs).expect("inputs are strings and numbers");
        let change = |before: &str| {
            actor
                .change(Action::EditScheme, "scheme", &target)
                .with_states(Some(before.to_owned()), Some(json.clone()))
                .with_detail("手工录入考核数据")
        };
        let generation = self.store().set_scheme_inputs(id, &json, change).await?;
        self.follow_other_write(generation);
        Ok(inputs)
    }

    /// Deletes scheme `id` with its saved runs.
    pub async fn delete_scheme(&self, actor: &Actor, id: i64) -> Result<()> {
        let target = id.to_string();
        self.authorize(actor, Action::EditScheme, ("scheme", &target), None).await?;
        let change = |before: &str| {
            Change {
                action: "scheme.delete".into(),
                ..actor.change(Action::EditScheme, "scheme", &target)
            }
            .with_states(Some(before.to_owned()), None)
        };
        let generation = self.store().delete_scheme(id, change).await?;
        self.follow_other_write(generation);
        Ok(())
    }

    /// Adds the scheme a JSON export holds ([`App::export_scheme`]); returns its id.
    pub async fn import_scheme(&self, actor: &Actor, json: &str) -> Result<i64> {
        let scheme = Scheme::from_json(json)?;
        self.add_scheme(actor, &scheme).await
    }

    /// Scheme `id` as JSON, as [`App::import_scheme`] reads it.
    pub async fn export_scheme(&self, id: i64) -> Result<String> {
        match self.scheme(id).await? {
            Some(s) => Ok(s.scheme.to_json()),
            None => Err(scheme_not_found(id)),
        }
    }

    /// The inputs of the scheme's indicators that have a [`Source`]: for
    /// [`Source::Track`], each region's target and result of the year (the result in the
    /// target's unit; none when the two cannot be compared, with the reason as the note);
    /// for [`Source::Ledger`], each lead unit's count of tasks on `today`. Subjects are
    /// region names ([`subject_names`]) and unit names. In the order of the indicators, then of the subjects.
    pub async fn gather_inputs(&self, scheme: &Scheme, gather: &Gather) -> Result<Vec<Input>> {
        let mut inputs = Vec::new();
        let mut warnings = None;
        let mut names = BTreeMap::new();
        let mut from_track = Vec::new();
        for ind in &scheme.indicators {
            match &ind.source {
                None => {}
                Some(Source::Track { indicator }) => {
                    let Some(year) = gather.year.or(scheme.year) else {
                        return Err(Error::Invalid(format!(
                            "指标“{}”取自目标与实绩，须给出考核年度",
                            ind.name
                        )));
                    };
                    let regions = self
                        .track_regions(
                            indicator,
                            gather.region_prefix.as_deref(),
                            &Tolerances::default(),
                        )
                        .await?;
                    for region in regions {
                        let Some(row) = region.years.iter().find(|r| r.year == year) else {
                            continue;
                        };
                        let target = row.target.as_ref();
                        let actual = match (target, row.actual.as_ref()) {
                            (Some(t), Some(a)) => converted(a, &t.unit),
                            (None, Some(a)) => Some(a.value),
                            (_, None) => None,
                        };
                        let note = match (&row.reason, row.actual.is_some() && actual.is_none()) {
                            (Some(reason), _) => Some(reason.clone()),
                            (None, true) => Some("实绩与目标单位不同，无法换算".to_owned()),
                            (None, false) => None,
                        };
                        // The region's code for now; named once every region is known.
                        names.insert(region.region_code.clone(), region.region_name.clone());
                        from_track.push(inputs.len());
                        let met = match row.status {
                            Status::Met => Some(true),
                            Status::Missed => Some(false),
                            _ => None,
                        };
                        inputs.push(Input {
                            subject: region.region_code.clone(),
                            indicator: ind.key.clone(),
                            target: target.map(|t| t.value),
                            actual,
                            count: None,
                            met,
                            note,
                        });
                    }
                }
                Some(Source::Ledger { count }) => {
                    if warnings.is_none() {
                        let today = gather.today.unwrap_or_else(Date::today);
                        warnings = Some(self.warnings(today).await?);
                    }
                    for w in warnings.iter().flatten().filter(|w| !w.unit.is_empty()) {
                        let n = match count {
                            LedgerCount::Red => w.red,
                            LedgerCount::Yellow => w.yellow,
                            LedgerCount::Overdue => w.overdue,
                        };
                        let n = u32::try_from(n).unwrap_or(u32::MAX);
                        inputs.push(Input::count(&w.unit, &ind.key, n));
                    }
                }
            }
        }
        let labels = subject_names(&names);
        for i in from_track {
            if let Some(label) = labels.get(&inputs[i].subject) {
                inputs[i].subject = label.clone();
            }
        }
        Ok(inputs)
    }

    /// Runs scheme `id` on the gathered inputs and those entered by hand (`manual`), which
    /// take the place of a gathered input for the same subject and indicator.
    pub async fn run_scheme(&self, id: i64, gather: &Gather, manual: &[Input]) -> Result<Run> {
        let Some(stored) = self.scheme(id).await? else {
            return Err(scheme_not_found(id));
        };
        let scheme = stored.scheme;
        // Inputs given with the run win over those stored by hand, which win over gathered.
        let given: BTreeSet<(&str, &str)> =
            manual.iter().map(|i| (i.subject.as_str(), i.indicator.as_str())).collect();
        let mut manual = manual.to_vec();
        manual.extend(
            self.scheme_inputs(id)
                .await?
                .into_iter()
                .filter(|i| !given.contains(&(i.subject.as_str(), i.indicator.as_str()))),
        );
        let entered: BTreeSet<(&str, &str)> =
            manual.iter().map(|i| (i.subject.as_str(), i.indicator.as_str())).collect();
        let mut inputs: Vec<Input> = self
            .gather_inputs(&scheme, gather)
            .await?
            .into_iter()
            .filter(|i| !entered.contains(&(i.subject.as_str(), i.indicator.as_str())))
            .collect();
        inputs.extend(manual);
        let assessment = assess(&scheme, &inputs)?;
        Ok(Run { scheme, inputs, assessment })
    }

    /// The saved runs of scheme `id`, latest first.
    pub async fn saved_runs(&self, id: i64) -> Result<Vec<SavedRun>> {
        self.store().runs(id).await?.into_iter().map(saved).collect()
    }

    /// Saved run `id`, or `None`.
    pub async fn saved_run(&self, id: i64) -> Result<Option<SavedRun>> {
        self.store().run(id).await?.map(saved).transpose()
    }

    /// Saves `run` of scheme `id` under `label`; returns the saved run's id.
    pub async fn save_run(&self, actor: &Actor, id: i64, label: &str, run: &Run) -> Result<i64> {
        self.authorize(actor, Action::RunAssessment, ("scheme", &id.to_string()), None).await?;
        let new = NewRun {
            scheme_id: id,
            label: label.trim().to_owned(),
            scheme: run.scheme.to_json(),
            inputs: serde_json::to_string(&run.inputs)
                .expect("inputs are strings, numbers and options"),
            outcome: serde_json::to_string(&run.assessment)
                .expect("an assessment is strings, numbers and lists"),
        };
        let change = actor
            .change(Action::RunAssessment, "run", "")
            .with_states(None, Some(new.outcome.clone()))
            .with_detail(format!("考核方案{id}：{}", new.label));
        let (run_id, generation) = self.store().add_run(&new, &change).await?;
        self.follow_other_write(generation);
        Ok(run_id)
    }
}

/// What is wrong with inputs entered by hand for `scheme`, one line each, in Chinese.
fn input_problems(scheme: &Scheme, inputs: &[Input]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, i) in inputs.iter().enumerate() {
        let at = format!("第{}条", n + 1);
        if i.subject.is_empty() {
            problems.push(format!("{at}：没有填写考核对象"));
        }
        let Some(ind) = scheme.indicators.iter().find(|ind| ind.key == i.indicator) else {
            let keys: Vec<String> =
                scheme.indicators.iter().map(|i| format!("{}（{}）", i.key, i.name)).collect();
            problems.push(format!(
                "{at}：方案中没有指标“{}”，可选：{}",
                i.indicator,
                keys.join("、")
            ));
            continue;
        };
        if !seen.insert((i.subject.as_str(), i.indicator.as_str())) {
            problems.push(format!("{at}：“{}”的“{}”重复录入", i.subject, ind.name));
        }
        if ind.takes_value() {
            if i.target.is_none() || i.actual.is_none() {
                problems.push(format!("{at}：“{}”按完成情况计分，需填写目标值和实际值", ind.name));
            }
        } else if i.count.is_none() {
            problems.push(format!("{at}：“{}”按发生次数计分，需填写次数", ind.name));
        }
        let finite = [i.target, i.actual].into_iter().flatten().all(f64::is_finite);
        if !finite {
            problems.push(format!("{at}：数值无效"));
        }
    }
    problems
}

fn scheme_not_found(id: i64) -> Error {
    taizhang_store::Error::NotFound { what: "scheme", id: id.to_string() }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_the_same_name_stay_apart() {
        let names: BTreeMap<String, String> =
            [("110105", "朝阳区"), ("220104", "朝阳区"), ("520304", "播州区")]
                .into_iter()
                .map(|(c, n)| (c.to_owned(), n.to_owned()))
                .collect();
        let labels = subject_names(&names);
        assert_eq!(labels["110105"], "朝阳区（110105）");
        assert_eq!(labels["220104"], "朝阳区（220104）");
        assert_eq!(labels["520304"], "播州区");
    }

    #[test]
    fn points_are_shown_with_at_most_two_decimals() {
        assert_eq!(format_points(10.0), "10");
        assert_eq!(format_points(10.4), "10.4");
        assert_eq!(format_points(52.0 / 6.0), "8.67");
        assert_eq!(format_points(-0.001), "0");
    }
}
