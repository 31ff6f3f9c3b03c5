//! The gazetteer in the database.

use taizhang_extract::{Level, region};
use taizhang_store::Error;

use crate::util::TestDb;

storetest!(regions_are_loaded);
async fn regions_are_loaded(db: TestDb) {
    let regions = db.store.regions().await.expect("regions");
    assert_eq!(regions.len(), region::all().count());
    let bozhou =
        db.store.region("520304").await.expect("region").expect("播州区 is in the gazetteer");
    assert_eq!(bozhou.name, "播州区");
    assert_eq!(bozhou.level, Level::County);
    assert_eq!(bozhou.parent_code.as_deref(), Some("520300"));
    let guizhou = db.store.region("520000").await.expect("region").expect("贵州省");
    assert_eq!(guizhou.level, Level::Province);
    assert_eq!(guizhou.parent_code, None);
    assert_eq!(db.store.region("999999").await.expect("region"), None);
}

storetest!(find_region_by_code_name_or_unique_prefix);
async fn find_region_by_code_name_or_unique_prefix(db: TestDb) {
    let store = &db.store;
    let code = |r: Option<taizhang_store::RegionRow>| r.map(|r| r.code);
    assert_eq!(code(store.find_region("520304").await.expect("code")).as_deref(), Some("520304"));
    assert_eq!(code(store.find_region("播州区").await.expect("name")).as_deref(), Some("520304"));
    assert_eq!(code(store.find_region("贵州").await.expect("prefix")).as_deref(), Some("520000"));
    assert_eq!(store.find_region("不存在的地方").await.expect("nothing"), None);
    assert_eq!(store.find_region("").await.expect("empty"), None);
    assert_eq!(store.find_region("%").await.expect("a LIKE wildcard"), None);
    match store.find_region("朝阳区").await {
        Err(Error::AmbiguousRegion { candidates, .. }) => {
            assert!(candidates.contains(&"110105".to_owned()), "{candidates:?}");
            assert!(candidates.len() >= 2);
        }
        other => panic!("朝阳区 is in Beijing and elsewhere: {other:?}"),
    }
}
