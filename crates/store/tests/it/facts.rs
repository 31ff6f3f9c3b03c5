//! Facts across documents.

use taizhang_extract::Kind;
use taizhang_store::FactFilter;

use crate::util::{PLAN, REPORT_2024, REPORT_2025, TestDb, extracted, put};

storetest!(facts_are_filtered);
async fn facts_are_filtered(db: TestDb) {
    let store = &db.store;
    let a = put(store, "a.txt", REPORT_2025, "1").await.id;
    let b = put(store, "b.txt", REPORT_2024, "1").await.id;
    let c = put(store, "c.txt", PLAN, "1").await.id;
    let all = store.facts(&FactFilter::default()).await.expect("facts");
    let expected: usize =
        [REPORT_2025, REPORT_2024, PLAN].iter().map(|t| extracted(t).facts.len()).sum();
    assert_eq!(all.len(), expected);
    let order: Vec<(i64, usize)> = all.iter().map(|f| (f.document_id, f.ord)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "document order, then text order");

    // The same rows as a filter over everything, for each filter on its own.
    let check = |filter: FactFilter, keep: &dyn Fn(&taizhang_store::FactRow) -> bool| {
        let expected: Vec<i64> = all.iter().filter(|f| keep(f)).map(|f| f.id).collect();
        async move {
            let got: Vec<i64> =
                store.facts(&filter).await.expect("facts").iter().map(|f| f.id).collect();
            assert!(!expected.is_empty(), "{filter:?} matches something");
            assert_eq!(got, expected, "{filter:?}");
        }
    };
    check(FactFilter { document_id: Some(b), ..Default::default() }, &|f| f.document_id == b).await;
    check(FactFilter { region_code: Some("520304".into()), ..Default::default() }, &|f| {
        f.document_id == a
    })
    .await;
    check(FactFilter { region_prefix: Some("5203".into()), ..Default::default() }, &|_| true).await;
    check(FactFilter { indicator_key: Some("gdp_growth".into()), ..Default::default() }, &|f| {
        f.fact.indicator_key.as_deref() == Some("gdp_growth")
    })
    .await;
    check(FactFilter { year: Some(2030), ..Default::default() }, &|f| f.fact.year == Some(2030))
        .await;
    check(FactFilter { kind: Some(Kind::Actual), ..Default::default() }, &|f| {
        f.fact.kind == Kind::Actual
    })
    .await;
    check(FactFilter { kind: Some(Kind::Target), year: Some(2025), ..Default::default() }, &|f| {
        f.fact.kind == Kind::Target && f.fact.year == Some(2025)
    })
    .await;
    check(FactFilter { limit: Some(2), offset: 1, ..Default::default() }, &|f| {
        all.iter().position(|g| g.id == f.id).is_some_and(|i| (1..3).contains(&i))
    })
    .await;

    let row = all.iter().find(|f| f.document_id == c).expect("a fact of the plan");
    assert_eq!(row.region_code.as_deref(), Some("520300"));
    assert_eq!(row.region_name.as_deref(), Some("遵义市"));
    assert!(row.document_title.as_deref().is_some_and(|t| t.contains("规划纲要")));
    let plan = extracted(PLAN);
    assert_eq!(row.fact, plan.facts[row.ord]);
}
