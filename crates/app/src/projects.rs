//! The project library (项目库): one project across documents, with its milestones.
//!
//! Documents name the same project again and again: a 2030 report starts `青石大型水库`, the
//! 2031 report finishes it. [`library`] merges the mentions of one region whose names agree
//! once normalised (spaces and a trailing 项目 or 工程 dropped) into one [`LibraryProject`],
//! whose milestones are the mentions in order of year, each with its sentence.

use serde::Serialize;
use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::ProjectRow;

/// One mention of a project: a document's sentence, with the stage and year it implies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// The document's id.
    pub document_id: i64,
    /// The document's title.
    pub document_title: Option<String>,
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
    /// The mentions, by year and then by document.
    pub milestones: Vec<Milestone>,
}

/// The key two mentions of one project share: the name without spaces, quotation marks and
/// a trailing 项目 or 工程 (`青石水库项目` is `青石水库`).
pub fn normalise(name: &str) -> String {
    let mut s: String =
        name.chars().filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"')).collect();
    for suffix in ["建设项目", "项目", "工程"] {
        if let Some(stem) = s.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            s = stem.to_string();
            break;
        }
    }
    s
}

/// Merges project mentions into the library: one project per region and normalised name,
/// in order of region and name. Pure, so that it can be tested without a store.
pub fn library(rows: &[ProjectRow]) -> Vec<LibraryProject> {
    let mut groups: std::collections::BTreeMap<(Option<String>, String), Vec<&ProjectRow>> =
        std::collections::BTreeMap::new();
    for r in rows {
        groups.entry((r.region_code.clone(), normalise(&r.project.name))).or_default().push(r);
    }
    groups
        .into_values()
        .map(|mut rows| {
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
                name,
                region_code: first.region_code.clone(),
                region_name: first.region_name.clone(),
                category,
                capacity: rows.iter().rev().find_map(|r| r.project.capacity.clone()),
                investment: rows.iter().rev().find_map(|r| r.project.investment.clone()),
                stage: rows.iter().rev().find_map(|r| r.project.stage),
                milestones: rows
                    .iter()
                    .map(|r| Milestone {
                        document_id: r.document_id,
                        document_title: r.document_title.clone(),
                        year: year(r),
                        stage: r.project.stage,
                        name: r.project.name.clone(),
                        sentence: r.sentence.clone(),
                        start: r.project.start,
                        end: r.project.end,
                    })
                    .collect(),
            }
        })
        .collect()
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
        let lib = library(&all);
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
        // Too little would remain: 某项目 stays as it is.
        assert_eq!(normalise("某项目"), "某项目");
    }
}
