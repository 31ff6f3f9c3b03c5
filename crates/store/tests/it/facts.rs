//! Facts across documents.

use taizhang_extract::Kind;
use taizhang_store::{FactFilter, FactSort};

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

storetest!(facts_are_sorted_counted_and_faceted);
async fn facts_are_sorted_counted_and_faceted(db: TestDb) {
    let store = &db.store;
    for (name, text) in [("a.txt", REPORT_2025), ("b.txt", REPORT_2024), ("c.txt", PLAN)] {
        put(store, name, text, "1").await;
    }
    let all = store.facts(&FactFilter::default()).await.expect("facts");
    assert_eq!(store.fact_count(&FactFilter::default()).await.expect("count"), all.len() as i64);
    let targets = FactFilter { kind: Some(Kind::Target), limit: Some(1), ..Default::default() };
    let n_targets = all.iter().filter(|f| f.fact.kind == Kind::Target).count();
    assert_eq!(store.fact_count(&targets).await.expect("count"), n_targets as i64, "no limit");

    // Each order is the one a stable sort of everything gives, in both directions, and
    // pages of it tile the whole.
    for sort in FactSort::ALL {
        for descending in [false, true] {
            let filter = FactFilter { sort, descending, ..Default::default() };
            let got = store.facts(&filter).await.expect("facts");
            let mut expected = all.clone();
            expected.sort_by(|x, y| {
                let by = match sort {
                    FactSort::Document => (x.document_id, x.ord).cmp(&(y.document_id, y.ord)),
                    FactSort::Year => (x.fact.year.is_none(), x.fact.year)
                        .cmp(&(y.fact.year.is_none(), y.fact.year)),
                    FactSort::Value => x.fact.value.total_cmp(&y.fact.value),
                    FactSort::Region => x.region_code.cmp(&y.region_code),
                    FactSort::Indicator => {
                        // Keys in order, missing ones last; ties in document order, both
                        // reversed when descending.
                        let key = |f: &taizhang_store::FactRow| {
                            (f.fact.indicator_key.is_none(), f.fact.indicator_key.clone())
                        };
                        let (kx, ky) = (key(x), key(y));
                        let tie = (x.document_id, x.ord).cmp(&(y.document_id, y.ord));
                        let by = kx.1.cmp(&ky.1).then(tie);
                        kx.0.cmp(&ky.0).then(if descending { by.reverse() } else { by })
                    }
                };
                let by = if descending && sort == FactSort::Year {
                    // Missing years stay last.
                    match (x.fact.year, y.fact.year) {
                        (Some(a), Some(b)) => b.cmp(&a),
                        _ => by,
                    }
                } else if descending && sort != FactSort::Indicator {
                    by.reverse()
                } else {
                    by
                };
                by.then((x.document_id, x.ord).cmp(&(y.document_id, y.ord)))
            });
            let ids = |v: &[taizhang_store::FactRow]| v.iter().map(|f| f.id).collect::<Vec<_>>();
            assert_eq!(ids(&got), ids(&expected), "{sort:?} descending={descending}");
            let mut paged = Vec::new();
            for offset in (0..all.len() as u32).step_by(4) {
                let page = FactFilter { limit: Some(4), offset, ..filter.clone() };
                paged.extend(store.facts(&page).await.expect("a page").into_iter().map(|f| f.id));
            }
            assert_eq!(paged, got.iter().map(|f| f.id).collect::<Vec<_>>(), "{sort:?} pages");
        }
    }

    let facets = store.fact_facets().await.expect("facets");
    let gdp = facets.indicators.iter().find(|f| f.value == "gdp_growth").expect("gdp_growth");
    let n_gdp = all.iter().filter(|f| f.fact.indicator_key.as_deref() == Some("gdp_growth"));
    assert_eq!(gdp.count, n_gdp.count() as i64);
    let counts: Vec<i64> = facets.indicators.iter().map(|f| f.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most frequent first: {counts:?}");
    let years: Vec<i32> = facets.years.iter().map(|f| f.value.parse().expect("a year")).collect();
    assert!(years.windows(2).all(|w| w[0] > w[1]), "latest first: {years:?}");
    assert!(years.contains(&2030) && years.contains(&2025));
    let zunyi = facets.regions.iter().find(|f| f.value == "520300").expect("遵义市");
    assert_eq!(zunyi.label.as_deref(), Some("遵义市"));
    assert_eq!(facets.regions.iter().map(|f| f.count).sum::<i64>(), all.len() as i64);
}
