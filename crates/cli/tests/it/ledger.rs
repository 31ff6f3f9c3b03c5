//! `taizhang ledger` on a fresh database: tasks made from the demo report's targets, listed
//! with their lights, written as the sheet and read back by 序号, and a faulty sheet
//! refused with nothing changed.

use crate::library::{ok, taizhang};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/shili_gwr_2025.txt");

#[test]
fn the_ledger_is_made_listed_exported_and_read_back() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite");
    ok(&taizhang(&db, &["ingest", DEMO]));

    let made = ok(&taizhang(&db, &["ledger", "from-document", "1", "--lead-unit", "市发展改革委"]));
    let added: usize = made
        .trim()
        .strip_prefix("新增 ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count: {made}"));
    assert!(added > 0, "{made}");
    let again = ok(&taizhang(&db, &["ledger", "from-document", "1"]));
    assert_eq!(again.trim(), format!("新增 0 项，已有 {added} 项"));

    let json = ok(&taizhang(&db, &["ledger", "list", "--format", "json", "--as-of", "2025-03-01"]));
    let tasks: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let tasks = tasks.as_array().expect("an array");
    assert_eq!(tasks.len(), added);
    assert!(tasks.iter().all(|t| t["lead_unit"] == "市发展改革委" && t["light"].is_string()));
    assert!(tasks.iter().any(|t| t["title"].as_str().is_some_and(|s| s.contains("地区生产总值"))));
    // Nothing reported by the year's end: every task with a deadline is red and overdue.
    let late = ok(&taizhang(
        &db,
        &["ledger", "list", "--overdue", "--as-of", "2026-02-01", "--format", "csv"],
    ));
    assert_eq!(late.lines().count(), added + 1, "a header and every task: {late}");
    let other = ok(&taizhang(&db, &["ledger", "list", "--unit", "市财政局"]));
    assert!(other.trim().is_empty(), "{other}");

    let sheet = dir.path().join("台账.xlsx");
    let path = sheet.to_str().expect("UTF-8");
    ok(&taizhang(&db, &["ledger", "export", "--out", path]));
    let back = ok(&taizhang(&db, &["ledger", "import", path, "--update"]));
    assert_eq!(back.trim(), format!("新增 0 项，更新 {added} 项"));

    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").expect("write");
    let refused = taizhang(&db, &["ledger", "import", bad.to_str().expect("UTF-8")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不是有效的 Excel"));
    let count = ok(&taizhang(&db, &["ledger", "list", "--format", "csv"]));
    assert_eq!(count.lines().count(), added + 1, "nothing added");
    let wrong = taizhang(&db, &["ledger", "list", "--light", "purple"]);
    assert!(!wrong.status.success());
}
