//! Named projects, written with their document and read across documents.

use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::{ProjectFilter, ProjectOverride};

use crate::util::{TestDb, by, extracted, put};

/// A fictional 播州区 report for 2030 starting a reservoir and a school.
const STARTS: &str = "2030年遵义市播州区政府工作报告\n\
二、2030年工作安排\n\
开工建设青石大型水库，新开工建设南湖中学。\n";

/// The same region a year later: the reservoir is finished.
const FINISHES: &str = "2031年遵义市播州区政府工作报告\n\
一、2030年工作回顾\n\
青石大型水库建成蓄水。\n";

storetest!(projects_are_written_with_their_document_and_filtered);
async fn projects_are_written_with_their_document_and_filtered(db: TestDb) {
    let store = &db.store;
    assert_eq!(extracted(STARTS).projects.len(), 2, "the fixture names two projects");
    let a = put(store, "a.txt", STARTS, "1").await.id;
    let b = put(store, "b.txt", FINISHES, "1").await.id;

    let all = store.projects(&ProjectFilter::default()).await.expect("projects");
    let names: Vec<(&str, i64)> =
        all.iter().map(|r| (r.project.name.as_str(), r.document_id)).collect();
    assert_eq!(names, [("南湖中学", a), ("青石大型水库", a), ("青石大型水库", b)]);
    let finished = &all[2];
    assert_eq!(finished.project.stage, Some(Stage::Completed));
    assert_eq!(finished.project.year, Some(2030));
    assert_eq!(finished.sentence, "青石大型水库建成蓄水。");
    assert_eq!(finished.region_name.as_deref(), Some("播州区"));
    assert_eq!(finished.document_year, Some(2031));

    let count = |filter: ProjectFilter| async move {
        store.projects(&filter).await.expect("projects").len()
    };
    assert_eq!(count(ProjectFilter { stage: Some(Stage::Started), ..Default::default() }).await, 2);
    assert_eq!(
        count(ProjectFilter { category: Some(ProjectCategory::School), ..Default::default() })
            .await,
        1
    );
    assert_eq!(
        count(ProjectFilter { region_code: Some("520304".into()), ..Default::default() }).await,
        3
    );
    assert_eq!(
        count(ProjectFilter { region_prefix: Some("5201".into()), ..Default::default() }).await,
        0
    );
    assert_eq!(count(ProjectFilter { year: Some(2030), ..Default::default() }).await, 3);
    assert_eq!(count(ProjectFilter { document_id: Some(b), ..Default::default() }).await, 1);

    // A document reads back with its projects; re-extraction replaces them.
    let doc = store.document(a).await.expect("document").expect("stored");
    assert_eq!(doc.extracted.projects, extracted(STARTS).projects);
    let mut none = extracted(STARTS);
    none.projects.clear();
    store.reextract(a, &none, "2", &by()).await.expect("reextract");
    assert_eq!(count(ProjectFilter { document_id: Some(a), ..Default::default() }).await, 0);

    store.delete_document(b, &by()).await.expect("delete");
    assert_eq!(count(ProjectFilter::default()).await, 0);
}

storetest!(a_stage_set_by_hand_is_kept_replaced_and_cleared);
async fn a_stage_set_by_hand_is_kept_replaced_and_cleared(db: TestDb) {
    let store = &db.store;
    assert!(store.project_overrides().await.expect("overrides").is_empty());
    let before = store.generation().await.expect("generation");
    let school = ProjectOverride {
        region_code: Some("520304".into()),
        name_key: "南湖中学".into(),
        stage: "design".into(),
        note: "初设已批复".into(),
        updated_at: String::new(),
    };
    let g = store.set_project_override(&school, &by()).await.expect("set");
    assert_eq!(g.writes, before.writes + 1, "a write advances the generation");
    // A project of a document with no region has its own row.
    let nowhere = ProjectOverride { region_code: None, stage: "dream".into(), ..school.clone() };
    store.set_project_override(&nowhere, &by()).await.expect("set");
    let moved = ProjectOverride { stage: "landed".into(), note: String::new(), ..school.clone() };
    store.set_project_override(&moved, &by()).await.expect("replaced");

    let all = store.project_overrides().await.expect("overrides");
    let got: Vec<(Option<&str>, &str, &str, &str)> = all
        .iter()
        .map(|o| (o.region_code.as_deref(), o.name_key.as_str(), o.stage.as_str(), o.note.as_str()))
        .collect();
    assert_eq!(
        got,
        [(None, "南湖中学", "dream", "初设已批复"), (Some("520304"), "南湖中学", "landed", "")]
    );
    assert!(all.iter().all(|o| o.updated_at.ends_with('Z')), "{all:?}");

    let empty = ProjectOverride { stage: String::new(), ..school.clone() };
    assert!(store.set_project_override(&empty, &by()).await.is_err());

    store.clear_project_override(Some("520304"), "南湖中学", &by()).await.expect("cleared");
    store
        .clear_project_override(Some("520304"), "南湖中学", &by())
        .await
        .expect("clearing twice is fine");
    let left = store.project_overrides().await.expect("overrides");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].region_code, None);
}
