//! Named projects, written with their document and read across documents.

use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::ProjectFilter;

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
