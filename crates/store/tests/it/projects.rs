//! Named projects, written with their document and read across documents.

use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::{AuditFilter, Change, ProjectEntry, ProjectFilter, ProjectOverride};

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

storetest!(projects_entered_by_hand_are_written_together_and_deleted_with_their_stage);
async fn projects_entered_by_hand_are_written_together_and_deleted_with_their_stage(db: TestDb) {
    let store = &db.store;
    assert!(store.project_entries(None).await.expect("entries").is_empty());
    let company = ProjectEntry {
        region_code: Some("520304".into()),
        region_name: None,
        name_key: "北斗新材料公司".into(),
        name: "北斗新材料公司".into(),
        category: ProjectCategory::Plant,
        capacity: None,
        investment: Some("拟投资20亿元".into()),
        prospect: true,
        note: "已两次对接".into(),
        updated_at: String::new(),
    };
    let park = ProjectEntry {
        region_code: None,
        name_key: "东湖物流园".into(),
        name: "东湖物流园项目".into(),
        category: ProjectCategory::Park,
        prospect: false,
        investment: None,
        ..company.clone()
    };
    let stage = ProjectOverride {
        region_code: None,
        name_key: "东湖物流园".into(),
        stage: "rational".into(),
        note: String::new(),
        updated_at: String::new(),
    };
    let before = store.generation().await.expect("generation");
    let logged = store.count_audit_log(&AuditFilter::default()).await.expect("counted");
    let each = |name: &str| Change::new("命令行", "project.import", "project", name);
    let g = store
        .put_project_entries(
            &[company.clone(), park.clone()],
            &[stage],
            &by(),
            &[each("520304:北斗新材料公司"), each(":东湖物流园")],
        )
        .await
        .expect("put");
    assert_eq!(g.writes, before.writes + 1, "one write for the whole sheet");
    let after = store.count_audit_log(&AuditFilter::default()).await.expect("counted");
    assert_eq!(after, logged + 3, "the write's own entry and one per project");
    let park_log =
        AuditFilter { target_id: Some(":东湖物流园".into()), ..AuditFilter::default() };
    assert_eq!(store.count_audit_log(&park_log).await.expect("counted"), 1);
    let got = store.project_entries(None).await.expect("entries");
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].name.as_str(), got[0].region_code.as_deref()), ("东湖物流园项目", None));
    assert_eq!(got[1].investment.as_deref(), Some("拟投资20亿元"));
    assert!(got[1].prospect && !got[0].prospect);
    assert!(got.iter().all(|e| e.updated_at.ends_with('Z')));
    let only = store.project_entries(Some("5203")).await.expect("by region");
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].name_key, "北斗新材料公司");

    // Written again, an entry is replaced, not doubled.
    let signed = ProjectEntry { prospect: false, note: "已签约".into(), ..company.clone() };
    store.put_project_entries(&[signed], &[], &by(), &[]).await.expect("replace");
    let got = store.project_entries(Some("520304")).await.expect("entries");
    assert_eq!((got.len(), got[0].prospect, got[0].note.as_str()), (1, false, "已签约"));

    // A bad row refuses the whole batch: nothing of it is written.
    let nameless = ProjectEntry { name_key: String::new(), ..park.clone() };
    let renamed = ProjectEntry { name: "改了名字".into(), ..park.clone() };
    assert!(store.put_project_entries(&[renamed, nameless], &[], &by(), &[]).await.is_err());
    assert_eq!(store.project_entries(None).await.expect("entries")[0].name, "东湖物流园项目");

    // Deleting an entry deletes the stage set for it.
    store.delete_project_entry(None, "东湖物流园", &by()).await.expect("delete");
    assert!(store.project_overrides().await.expect("overrides").is_empty());
    let err = store.delete_project_entry(None, "东湖物流园", &by()).await;
    assert!(matches!(err, Err(taizhang_store::Error::NotFound { .. })), "{err:?}");
    assert_eq!(store.project_entries(None).await.expect("entries").len(), 1);
}
