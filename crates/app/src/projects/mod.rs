//! The project library (项目库): one project across documents, with its milestones.
//!
//! Documents name the same project again and again: a 2030 report starts `青石大型水库`, the
//! 2031 report finishes it. [`library`] merges the mentions of one region whose names agree
//! once normalised (spaces and a trailing 项目 or 工程 dropped) into one [`LibraryProject`],
//! whose milestones are the mentions in order of year, each with its sentence.
//!
//! Offices run projects through their own stages ([`SiteStage`], by default Bozhou's 五库,
//! see [`five_libraries`]); a project is in the stage that holds its latest extracted
//! [`Stage`], unless someone moved it by hand ([`App::set_project_stage`]), which wins.

use serde::{Deserialize, Serialize};
use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::{
    AuditFilter, AuditRow, ProjectEntry, ProjectFilter, ProjectOverride, ProjectRow,
};

use crate::auth::{Action, Actor};
use crate::{App, Error, Result};

mod sheet;

pub use sheet::{ProjectImport, SHEET_COLUMNS, write_sheet};

/// One mention of a project: a document's sentence, with the stage and year it implies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// The document's id.
    pub document_id: i64,
    /// The document's title.
    pub document_title: Option<String>,
    /// The mention's place among its document's projects (`#p{ord}` on the document's
    /// page).
    pub ord: usize,
    /// The year the sentence speaks of, else the document's year.
    pub year: Option<i32>,
    /// The stage the sentence implies.
    pub stage: Option<Stage>,
    /// The name as this document writes it.
    pub name: String,
    /// The sentence, copied from the text.
    pub sentence: String,
    /// Byte span of the name in the document's text.
    pub start: usize,
    /// End of that span (exclusive).
    pub end: usize,
}

/// A project of the library: every mention of one name in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryProject {
    /// The name as first written (the longest of the earliest year's mentions).
    pub name: String,
    /// The normalised name ([`normalise`]), which with the region names the project.
    pub key: String,
    /// The region code of the documents naming it.
    pub region_code: Option<String>,
    /// The region's name.
    pub region_name: Option<String>,
    /// The most specific category any mention gives.
    pub category: ProjectCategory,
    /// The capacity, where a mention states one.
    pub capacity: Option<String>,
    /// The investment, where a mention states one.
    pub investment: Option<String>,
    /// The stage of the latest milestone that states one.
    pub stage: Option<Stage>,
    /// Where the project stands among the site's stages: set by hand, else the site stage
    /// holding [`LibraryProject::stage`]; `None` before [`place`] or when none holds it.
    pub site_stage: Option<SiteStageOf>,
    /// The mentions, by year and then by document; none for a project only entered by
    /// hand.
    pub milestones: Vec<Milestone>,
    /// What the office entered for it by hand (an imported sheet), if anything.
    pub entry: Option<EntryOf>,
}

/// What an office entered for a project by hand: its values win over the documents'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryOf {
    /// On the 拟招企业 list of 一图三清单.
    pub prospect: bool,
    /// The office's note.
    pub note: String,
    /// When it was last written, RFC 3339.
    pub updated_at: String,
}

impl LibraryProject {
    /// Whether the project is in the library only because an office entered it: no
    /// document names it.
    pub fn by_hand_only(&self) -> bool {
        self.milestones.is_empty()
    }

    /// Whether it is on the 拟招企业 list.
    pub fn prospect(&self) -> bool {
        self.entry.as_ref().is_some_and(|e| e.prospect)
    }

    /// The note shown beside it: the office's, else why it was moved by hand.
    pub fn note(&self) -> &str {
        match (&self.entry, &self.site_stage) {
            (Some(e), _) if !e.note.is_empty() => &e.note,
            (_, Some(s)) if s.manual => &s.note,
            _ => "",
        }
    }
}

/// A project's place among the site's stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteStageOf {
    /// The site stage's key.
    pub key: String,
    /// Its label (`落地库`).
    pub label: String,
    /// Whether someone set it by hand (手动) rather than the documents.
    pub manual: bool,
    /// Why it was set by hand.
    pub note: String,
    /// When it was set by hand, RFC 3339.
    pub updated_at: Option<String>,
}

/// The key two mentions of one project share: the name without spaces, quotation marks and
/// a trailing 项目 or 工程 (`青石水库项目` is `青石水库`), a park's 园区 as 园.
pub fn normalise(name: &str) -> String {
    let mut s = normalise_text(name);
    for suffix in ["建设项目", "建设工程", "项目", "工程"] {
        if let Some(stem) = s.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            s = stem.to_string();
            break;
        }
    }
    // A park is written both ways: 物流园区 and 物流园.
    if s.ends_with("园区") && s.chars().count() >= 5 {
        s.pop();
    }
    s
}

/// A name without spaces and quotation marks.
fn normalise_text(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"')).collect()
}

/// A project's id in the audit log: its region and normalised name (`520304:青石水库`).
fn audit_target(region: Option<&str>, key: &str) -> String {
    format!("{}:{key}", region.unwrap_or(""))
}

/// A stage set by hand as the audit log keeps it.
fn stage_state(stage: &str, note: &str) -> String {
    serde_json::json!({ "stage": stage, "note": note }).to_string()
}

/// Merges project mentions and the projects entered by hand into the library: one project
/// per region and normalised name, in order of region and name. An entry's values win over
/// the documents' where it gives them. Pure, so that it can be tested without a store.
pub fn library(rows: &[ProjectRow], entries: &[ProjectEntry]) -> Vec<LibraryProject> {
    type Group<'a> = (Vec<&'a ProjectRow>, Option<&'a ProjectEntry>);
    let mut groups: std::collections::BTreeMap<(Option<String>, String), Group<'_>> =
        std::collections::BTreeMap::new();
    for r in rows {
        groups.entry((r.region_code.clone(), normalise(&r.project.name))).or_default().0.push(r);
    }
    for e in entries {
        groups.entry((e.region_code.clone(), e.name_key.clone())).or_default().1 = Some(e);
    }
    groups
        .into_values()
        .map(|(rows, entry)| {
            let mut p = match rows.is_empty() {
                true => entered(entry.expect("a group has a row or an entry")),
                false => merged(rows),
            };
            if let Some(e) = entry {
                if e.category != ProjectCategory::Other {
                    p.category = e.category;
                }
                p.capacity = e.capacity.clone().or(p.capacity);
                p.investment = e.investment.clone().or(p.investment);
                p.entry = Some(EntryOf {
                    prospect: e.prospect,
                    note: e.note.clone(),
                    updated_at: e.updated_at.clone(),
                });
            }
            p
        })
        .collect()
}

/// A project no document names, as entered.
fn entered(e: &ProjectEntry) -> LibraryProject {
    LibraryProject {
        name: e.name.clone(),
        key: e.name_key.clone(),
        region_code: e.region_code.clone(),
        region_name: e.region_name.clone(),
        category: e.category,
        capacity: None,
        investment: None,
        stage: None,
        site_stage: None,
        milestones: Vec::new(),
        entry: None,
    }
}

/// The mentions of one project merged.
fn merged(mut rows: Vec<&ProjectRow>) -> LibraryProject {
    let year = |r: &ProjectRow| r.project.year.or(r.document_year);
    rows.sort_by_key(|r| (year(r), r.document_year, r.document_id, r.ord));
    let first = rows[0];
    let category = rows
        .iter()
        .map(|r| r.project.category)
        .find(|&c| c != ProjectCategory::Other)
        .unwrap_or(ProjectCategory::Other);
    let name = rows
        .iter()
        .take_while(|r| year(r) == year(first))
        .map(|r| r.project.name.as_str())
        .max_by_key(|n| n.chars().count())
        .unwrap_or(&first.project.name)
        .to_string();
    LibraryProject {
        key: normalise(&name),
        name,
        region_code: first.region_code.clone(),
        region_name: first.region_name.clone(),
        category,
        capacity: rows.iter().rev().find_map(|r| r.project.capacity.clone()),
        investment: rows.iter().rev().find_map(|r| r.project.investment.clone()),
        stage: rows.iter().rev().find_map(|r| r.project.stage),
        site_stage: None,
        milestones: rows
            .iter()
            .map(|r| Milestone {
                document_id: r.document_id,
                document_title: r.document_title.clone(),
                ord: r.ord,
                year: year(r),
                stage: r.project.stage,
                name: r.project.name.clone(),
                sentence: r.sentence.clone(),
                start: r.project.start,
                end: r.project.end,
            })
            .collect(),
        entry: None,
    }
}

/// A stage of the site's own sequence, such as one of Bozhou's 五库.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteStage {
    /// The key forms and URLs use: ASCII letters, digits, `_` and `-`.
    pub key: String,
    /// The label offices read (`梦想库`).
    pub label: String,
    /// The extracted stages it takes in: a project whose documents say so is here unless
    /// moved by hand. A stage may take in none (设计库): projects reach it by hand only.
    #[serde(default)]
    pub stages: Vec<Stage>,
}

/// The settings key of the site's stages (JSON, a list of [`SiteStage`]).
const STAGES_KEY: &str = "project_stages";

/// Bozhou's 五库, the default sequence, and how the documents' stages fill it.
///
/// 梦想库 holds ideas (谋划, 储备: [`Stage::Planned`]); 理性库 the projects under study
/// (前期, 可研: [`Stage::Preparation`]); 设计库 those designed and ready to start, which the
/// documents do not tell apart from 前期, so projects reach it by hand only; 落地库 the
/// projects that start (开工, 落地: [`Stage::Started`]); 统计库 those counted in the
/// investment statistics (入库纳统), which a project is from its building
/// ([`Stage::UnderConstruction`]) until it is finished ([`Stage::Completed`]).
pub fn five_libraries() -> Vec<SiteStage> {
    let stage = |key: &str, label: &str, stages: &[Stage]| SiteStage {
        key: key.to_owned(),
        label: label.to_owned(),
        stages: stages.to_vec(),
    };
    vec![
        stage("dream", "梦想库", &[Stage::Planned]),
        stage("rational", "理性库", &[Stage::Preparation]),
        stage("design", "设计库", &[]),
        stage("landed", "落地库", &[Stage::Started]),
        stage("statistics", "统计库", &[Stage::UnderConstruction, Stage::Completed]),
    ]
}

/// Checks a site's stages: at least one, keys well formed and distinct, labels given, each
/// extracted stage taken in by one site stage at most. The message is in Chinese.
pub fn validate_stages(stages: &[SiteStage]) -> Result<(), String> {
    if stages.is_empty() {
        return Err("至少需要一个阶段".into());
    }
    let mut taken: Vec<Stage> = Vec::new();
    for (i, s) in stages.iter().enumerate() {
        let ok = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if s.key.is_empty() || !s.key.chars().all(ok) {
            return Err(format!("第{}个阶段的键“{}”只能由字母、数字、_ 和 - 组成", i + 1, s.key));
        }
        if stages[..i].iter().any(|o| o.key == s.key) {
            return Err(format!("阶段的键“{}”重复", s.key));
        }
        if s.label.trim().is_empty() {
            return Err(format!("阶段“{}”没有名称", s.key));
        }
        for st in &s.stages {
            if taken.contains(st) {
                return Err(format!("“{}”（{}）归入了两个阶段", st.label(), st.as_str()));
            }
            taken.push(*st);
        }
    }
    Ok(())
}

/// The lists of 一图三清单 the library can be cut to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectList {
    /// 在建项目: started or being built.
    Building,
    /// 在谈/谋划项目: ideas and projects under study, not started.
    Pipeline,
    /// 拟招企业: the companies the office courts, which it enters by hand.
    Prospects,
}

impl ProjectList {
    /// Every list.
    pub const ALL: [ProjectList; 3] =
        [ProjectList::Building, ProjectList::Pipeline, ProjectList::Prospects];

    /// The name used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectList::Building => "building",
            ProjectList::Pipeline => "pipeline",
            ProjectList::Prospects => "prospects",
        }
    }

    /// The list named `s` by [`ProjectList::as_str`].
    pub fn parse(s: &str) -> Option<ProjectList> {
        ProjectList::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ProjectList::Building => "在建项目",
            ProjectList::Pipeline => "在谈/谋划项目",
            ProjectList::Prospects => "拟招企业",
        }
    }

    /// Whether a project at extracted stage `s` is on this list.
    fn holds(self, s: Stage) -> bool {
        match self {
            ProjectList::Building => matches!(s, Stage::Started | Stage::UnderConstruction),
            ProjectList::Pipeline => matches!(s, Stage::Planned | Stage::Preparation),
            ProjectList::Prospects => false,
        }
    }
}

/// Which projects of the library to show; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryFilter {
    /// Projects of this region and the regions below it (a GB/T 2260 code prefix).
    pub region_prefix: Option<String>,
    /// Projects in this site stage (its key), or at this extracted stage
    /// ([`Stage::as_str`]) when no one moved them by hand.
    pub stage: Option<String>,
    /// Projects of this type.
    pub category: Option<ProjectCategory>,
    /// Projects with a milestone in this year; their whole timeline is kept.
    pub year: Option<i32>,
    /// Projects on this list of 一图三清单.
    pub list: Option<ProjectList>,
    /// Projects whose name, as any document or the office writes it, contains this
    /// (spaces and quotation marks aside).
    pub name: Option<String>,
}

impl LibraryFilter {
    /// Whether `p`, placed among `stages`, passes.
    pub fn matches(&self, p: &LibraryProject, stages: &[SiteStage]) -> bool {
        let manual = p.site_stage.as_ref().filter(|s| s.manual);
        let stage_ok = self.stage.as_deref().is_none_or(|want| {
            p.site_stage.as_ref().is_some_and(|s| s.key == want)
                || (manual.is_none() && p.stage.is_some_and(|s| s.as_str() == want))
        });
        let list_ok = self.list.is_none_or(|list| match manual {
            _ if list == ProjectList::Prospects => p.prospect(),
            // Moved by hand: on the list when its site stage holds a stage of the list, or
            // for 在谈/谋划, when it comes before every stage of building (设计库).
            Some(m) => {
                let at = stages.iter().position(|s| s.key == m.key);
                let holds = at.is_some_and(|i| stages[i].stages.iter().any(|&s| list.holds(s)));
                let before_building = at.is_some_and(|i| {
                    stages[i].stages.is_empty()
                        && stages[i..]
                            .iter()
                            .any(|s| s.stages.iter().any(|&s| ProjectList::Building.holds(s)))
                });
                holds || (list == ProjectList::Pipeline && before_building)
            }
            None => p.stage.is_some_and(|s| list.holds(s)),
        });
        let name_ok = self.name.as_deref().map(normalise_text).is_none_or(|want| {
            want.is_empty()
                || normalise_text(&p.name).contains(&want)
                || p.milestones.iter().any(|m| normalise_text(&m.name).contains(&want))
        });
        stage_ok
            && list_ok
            && name_ok
            && self.category.is_none_or(|c| p.category == c)
            && self.year.is_none_or(|y| p.milestones.iter().any(|m| m.year == Some(y)))
    }
}

/// Places each project among the site's stages: the stage set by hand where there is one
/// (and it is still one of the site's), else the site stage holding its extracted stage.
pub fn place(projects: &mut [LibraryProject], stages: &[SiteStage], overrides: &[ProjectOverride]) {
    for p in projects {
        let manual =
            overrides.iter().find(|o| o.region_code == p.region_code && o.name_key == p.key);
        let by_hand = manual.and_then(|o| {
            let s = stages.iter().find(|s| s.key == o.stage)?;
            Some(SiteStageOf {
                key: s.key.clone(),
                label: s.label.clone(),
                manual: true,
                note: o.note.clone(),
                updated_at: Some(o.updated_at.clone()),
            })
        });
        p.site_stage = by_hand.or_else(|| {
            let stage = p.stage?;
            let s = stages.iter().find(|s| s.stages.contains(&stage))?;
            Some(SiteStageOf {
                key: s.key.clone(),
                label: s.label.clone(),
                manual: false,
                note: String::new(),
                updated_at: None,
            })
        });
    }
}

impl App {
    /// The site's project stages: as set with [`App::set_project_stages`], else the 五库.
    pub async fn project_stages(&self) -> Result<Vec<SiteStage>> {
        match self.store().setting(STAGES_KEY).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| Error::Invalid(format!("项目阶段设置无法读取：{e}"))),
            None => Ok(five_libraries()),
        }
    }

    /// Sets the site's project stages after [`validate_stages`].
    pub async fn set_project_stages(
        &self,
        actor: &Actor,
        stages: Vec<SiteStage>,
    ) -> Result<Vec<SiteStage>> {
        self.authorize(actor, Action::EditProjects, ("setting", STAGES_KEY), None).await?;
        validate_stages(&stages).map_err(Error::Invalid)?;
        let json = serde_json::to_string(&stages)
            .map_err(|e| Error::Invalid(format!("项目阶段设置无法保存：{e}")))?;
        let generation = self
            .store()
            .update_setting(STAGES_KEY, |before| {
                let change = actor
                    .change(Action::EditProjects, "setting", STAGES_KEY)
                    .with_states(before.map(str::to_owned), Some(json.clone()));
                (json, change)
            })
            .await?;
        self.follow_other_write(generation);
        Ok(stages)
    }

    /// The project library cut to `filter`, each project placed among the site's stages.
    /// [`Error::Invalid`] when the filter's stage is neither a site stage nor an extracted
    /// one.
    pub async fn project_library(&self, filter: &LibraryFilter) -> Result<Vec<LibraryProject>> {
        let stages = self.project_stages().await?;
        if let Some(s) = filter.stage.as_deref()
            && Stage::parse(s).is_none()
            && !stages.iter().any(|st| st.key == s)
        {
            let keys: Vec<&str> = stages.iter().map(|s| s.key.as_str()).collect();
            return Err(Error::Invalid(format!("没有“{s}”这个阶段，可选：{}", keys.join("、"))));
        }
        let rows = self
            .store()
            .projects(&ProjectFilter {
                region_prefix: filter.region_prefix.clone(),
                category: filter.category,
                ..ProjectFilter::default()
            })
            .await?;
        let entries = self.store().project_entries(filter.region_prefix.as_deref()).await?;
        let mut projects = library(&rows, &entries);
        place(&mut projects, &stages, &self.store().project_overrides().await?);
        projects.retain(|p| filter.matches(p, &stages));
        Ok(projects)
    }

    /// Moves the project named `name` in `region` to the site stage `stage` by hand, with a
    /// note saying why; `None` gives it back to its documents. The one place the library
    /// changes by hand.
    pub async fn set_project_stage(
        &self,
        actor: &Actor,
        region: Option<&str>,
        name: &str,
        stage: Option<&str>,
        note: &str,
    ) -> Result<Option<LibraryProject>> {
        let key = normalise(name);
        let target = audit_target(region, &key);
        self.authorize(actor, Action::EditProjects, ("project", &target), None).await?;
        let overrides = self.store().project_overrides().await?;
        let before = overrides
            .iter()
            .find(|o| {
                o.region_code.as_deref() == region.filter(|r| !r.is_empty()) && o.name_key == key
            })
            .map(|o| stage_state(&o.stage, &o.note));
        let after = stage.filter(|s| !s.is_empty()).map(|s| stage_state(s, note.trim()));
        let change = actor
            .change(Action::EditProjects, "project", &target)
            .with_states(before, after)
            .with_detail(name.trim());
        let region = region.filter(|r| !r.is_empty());
        let stages = self.project_stages().await?;
        let filter = ProjectFilter { region_code: region.map(str::to_owned), ..Default::default() };
        let entries = self.store().project_entries(region).await?;
        let mut projects = library(&self.store().projects(&filter).await?, &entries);
        projects.retain(|p| p.region_code.as_deref() == region && p.key == key);
        if projects.is_empty() {
            return Err(Error::Invalid(format!("项目库中没有“{name}”这个项目")));
        }
        let generation = match stage.filter(|s| !s.is_empty()) {
            Some(stage) => {
                if !stages.iter().any(|s| s.key == stage) {
                    let keys: Vec<String> =
                        stages.iter().map(|s| format!("{}（{}）", s.key, s.label)).collect();
                    return Err(Error::Invalid(format!(
                        "没有“{stage}”这个阶段，可选：{}",
                        keys.join("、")
                    )));
                }
                let o = ProjectOverride {
                    region_code: region.map(str::to_owned),
                    name_key: key.clone(),
                    stage: stage.to_owned(),
                    note: note.trim().to_owned(),
                    updated_at: String::new(),
                };
                self.store().set_project_override(&o, &change).await?
            }
            None => self.store().clear_project_override(region, &key, &change).await?,
        };
        self.follow_other_write(generation);
        place(&mut projects, &stages, &self.store().project_overrides().await?);
        Ok(projects.pop())
    }

    /// The project named `name` (any way its documents or the office write it) in
    /// `region`, placed among the site's stages, with its history by hand: every change
    /// made to it in the library (moves, entries, imports), latest first, as the audit log
    /// keeps them. `None` when the library has no such project.
    pub async fn project(
        &self,
        region: Option<&str>,
        name: &str,
    ) -> Result<Option<(LibraryProject, Vec<AuditRow>)>> {
        let region = region.filter(|r| !r.is_empty());
        let key = normalise(name);
        let filter =
            LibraryFilter { region_prefix: region.map(str::to_owned), ..LibraryFilter::default() };
        let Some(project) = self
            .project_library(&filter)
            .await?
            .into_iter()
            .find(|p| p.region_code.as_deref() == region && p.key == key)
        else {
            return Ok(None);
        };
        let history = self
            .store()
            .audit_log(&AuditFilter {
                target_kind: Some("project".into()),
                target_id: Some(audit_target(region, &key)),
                outcome: Some(taizhang_store::AuditOutcome::Done),
                ..AuditFilter::default()
            })
            .await?;
        Ok(Some((project, history)))
    }

    /// Removes what an office entered by hand for the project named `name` in `region`,
    /// with the stage set by hand for it: a project only entered leaves the library, one
    /// its documents name keeps what they say. [`taizhang_store::Error::NotFound`] when
    /// nothing was entered.
    pub async fn delete_project_entry(
        &self,
        actor: &Actor,
        region: Option<&str>,
        name: &str,
    ) -> Result<()> {
        let key = normalise(name);
        let region = region.filter(|r| !r.is_empty());
        let target = audit_target(region, &key);
        self.authorize(actor, Action::EditProjects, ("project", &target), None).await?;
        let entry = self
            .store()
            .project_entries(region)
            .await?
            .into_iter()
            .find(|e| e.region_code.as_deref() == region && e.name_key == key)
            .ok_or_else(|| taizhang_store::Error::NotFound {
                what: "project entry",
                id: target.clone(),
            })?;
        let change = actor
            .change(Action::EditProjects, "project", &target)
            .with_states(Some(sheet::entry_json(&entry).to_string()), None)
            .with_detail(format!("删除手工录入的项目“{}”", entry.name));
        let generation = self.store().delete_project_entry(region, &key, &change).await?;
        self.follow_other_write(generation);
        Ok(())
    }
}

/// One line a year of a project's timeline: `2030年 开工`, the stages of the year's
/// mentions in order, each once.
pub fn timeline(p: &LibraryProject) -> Vec<(Option<i32>, Vec<Stage>)> {
    let mut out: Vec<(Option<i32>, Vec<Stage>)> = Vec::new();
    for m in &p.milestones {
        if out.last().is_none_or(|(y, _)| *y != m.year) {
            out.push((m.year, Vec::new()));
        }
        if let (Some(s), Some((_, stages))) = (m.stage, out.last_mut())
            && !stages.contains(&s)
        {
            stages.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_extract::{Format, extract};

    /// The project rows a store would give for `text` as document `id` of `region`.
    fn rows(id: i64, region: &str, text: &str) -> Vec<ProjectRow> {
        let x = extract(text.as_bytes(), Format::Text);
        x.projects
            .iter()
            .enumerate()
            .map(|(ord, p)| ProjectRow {
                document_id: id,
                document_title: x.meta.title.clone(),
                document_year: x.meta.year,
                document_date: None,
                ord,
                region_code: Some(region.to_string()),
                region_name: None,
                sentence: x.text[p.sentence.0..p.sentence.1].to_string(),
                project: p.clone(),
            })
            .collect()
    }

    /// A project as name, region, stage and its milestones' documents and stages.
    type Summary<'a> = (String, &'a str, Option<Stage>, Vec<(i64, Option<Stage>)>);

    #[test]
    fn a_start_and_a_completion_in_two_years_are_one_project() {
        let start =
            "2030年政府工作报告\n二、2030年工作安排\n开工建设青石大型水库，推进北山风电场项目。\n";
        let finish =
            "2031年政府工作报告\n一、2030年工作回顾\n青石大型水库建成蓄水。北山风电场竣工投产。\n";
        let mut all = rows(2, "520304", finish);
        all.extend(rows(1, "520304", start));
        // Another region's reservoir of the same name is another project.
        all.extend(rows(3, "520302", start).into_iter().take(1));
        let lib = library(&all, &[]);
        let summary: Vec<Summary<'_>> = lib
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.region_code.as_deref().unwrap_or(""),
                    p.stage,
                    p.milestones.iter().map(|m| (m.document_id, m.stage)).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "青石大型水库".into(),
                    "520302",
                    Some(Stage::Started),
                    vec![(3, Some(Stage::Started))]
                ),
                (
                    "北山风电场项目".into(),
                    "520304",
                    Some(Stage::Completed),
                    vec![(1, Some(Stage::UnderConstruction)), (2, Some(Stage::Completed))]
                ),
                (
                    "青石大型水库".into(),
                    "520304",
                    Some(Stage::Completed),
                    vec![(1, Some(Stage::Started)), (2, Some(Stage::Completed))]
                ),
            ]
        );
        let reservoir = &lib[2];
        assert_eq!(reservoir.category, ProjectCategory::Reservoir);
        assert_eq!(reservoir.milestones[1].sentence, "青石大型水库建成蓄水。");
    }

    #[test]
    fn names_are_normalised_before_merging() {
        assert_eq!(normalise("青石 水库项目"), "青石水库");
        assert_eq!(normalise("“南湖中学”"), "南湖中学");
        assert_eq!(normalise("东湖物流园区"), normalise("东湖物流园建设工程"));
        // Not every 区 is a park's: a 园区 of too short a name, a 院区, a 新区 stay.
        assert_eq!(normalise("园区"), "园区");
        assert_eq!(normalise("城北新区"), "城北新区");
        // Too little would remain: 某项目 stays as it is.
        assert_eq!(normalise("某项目"), "某项目");
    }

    #[test]
    fn the_five_libraries_place_projects_and_a_stage_set_by_hand_wins() {
        let text = "2030年政府工作报告\n二、2030年工作安排\n谋划储备松林抽水蓄能电站。开工建设青石大型水库。东城医院建成投用。\n";
        let stages = five_libraries();
        assert_eq!(validate_stages(&stages), Ok(()));
        let mut lib = library(&rows(1, "520304", text), &[]);
        let manual = ProjectOverride {
            region_code: Some("520304".into()),
            name_key: "松林抽水蓄能电站".into(),
            stage: "design".into(),
            note: "初步设计已批复".into(),
            updated_at: "2030-05-01T00:00:00.000000Z".into(),
        };
        place(&mut lib, &stages, &[manual]);
        let placed: Vec<(&str, &str, bool)> = lib
            .iter()
            .map(|p| {
                let s = p.site_stage.as_ref().expect("placed");
                (p.name.as_str(), s.label.as_str(), s.manual)
            })
            .collect();
        assert_eq!(
            placed,
            [
                ("东城医院", "统计库", false),
                ("松林抽水蓄能电站", "设计库", true),
                ("青石大型水库", "落地库", false)
            ]
        );
        let names = |f: LibraryFilter| -> Vec<String> {
            lib.iter().filter(|p| f.matches(p, &stages)).map(|p| p.name.clone()).collect()
        };
        let list = |l| LibraryFilter { list: Some(l), ..LibraryFilter::default() };
        // 设计库 comes before building starts: 在谈/谋划, whatever the documents said.
        assert_eq!(names(list(ProjectList::Pipeline)), ["松林抽水蓄能电站"]);
        assert_eq!(names(list(ProjectList::Building)), ["青石大型水库"]);
        let stage = |s: &str| LibraryFilter { stage: Some(s.into()), ..LibraryFilter::default() };
        assert_eq!(names(stage("statistics")), ["东城医院"]);
        assert_eq!(names(stage("started")), ["青石大型水库"]);
        // Moved by hand, the extracted stage no longer counts.
        assert!(names(stage("planned")).is_empty());
        assert_eq!(names(LibraryFilter { year: Some(2031), ..LibraryFilter::default() }).len(), 0);
        let named = |s: &str| LibraryFilter { name: Some(s.into()), ..LibraryFilter::default() };
        assert_eq!(names(named("水库")), ["青石大型水库"]);
        assert_eq!(names(named(" 抽水 蓄能")), ["松林抽水蓄能电站"]);
        assert_eq!(names(named("")).len(), 3);
    }

    #[test]
    fn site_stages_are_checked() {
        let mut stages = five_libraries();
        stages[1].stages.push(Stage::Planned);
        assert!(validate_stages(&stages).expect_err("twice").contains("谋划储备"));
        let mut stages = five_libraries();
        stages[2].key = "dream".into();
        assert!(validate_stages(&stages).expect_err("same key").contains("重复"));
        stages[2].key = "设计".into();
        assert!(validate_stages(&stages).is_err());
        assert!(validate_stages(&[]).is_err());
    }

    #[test]
    fn the_sheet_has_a_row_per_project_with_its_timeline() {
        let start = "2030年政府工作报告\n二、2030年工作安排\n开工建设青石大型水库。\n";
        let finish = "2031年政府工作报告\n一、2030年工作回顾\n青石大型水库建成蓄水。\n二、2031年工作安排\n推进青石大型水库灌区配套。青石大型水库竣工验收。\n";
        let mut all = rows(1, "520304", start);
        all.extend(rows(2, "520304", finish));
        let lib = library(&all, &[]);
        let reservoir = lib.iter().find(|p| p.key == "青石大型水库").expect("merged");
        // Both documents speak of 2030; the second plans its acceptance in 2031.
        assert_eq!(
            timeline(reservoir),
            [
                (Some(2030), vec![Stage::Started, Stage::Completed]),
                (Some(2031), vec![Stage::Completed])
            ]
        );
        // Its irrigation district is a project of its own.
        let district = lib.iter().find(|p| p.key == "青石大型水库灌区配套").expect("its own");
        assert_eq!(timeline(district), [(Some(2031), vec![Stage::UnderConstruction])]);
        let bytes = write_sheet(&lib, &five_libraries()).expect("written");
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    }
}
