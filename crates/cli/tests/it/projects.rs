//! `taizhang projects` on a fresh database: the library listed, written as a sheet, the
//! sheet read back without a change, an office's sheet entering a company it courts, and a
//! faulty sheet refused with nothing changed.

use crate::library::{ok, taizhang};

/// Two fictional reports of 播州区 a year apart: the reservoir starts, then is finished.
const REPORTS: [(&str, &str); 2] = [
    (
        "2030.txt",
        "2030年遵义市播州区政府工作报告\n二、2030年工作安排\n开工建设青石大型水库，总投资12亿元。\n",
    ),
    ("2031.txt", "2031年遵义市播州区政府工作报告\n一、2030年工作回顾\n青石大型水库建成蓄水。\n"),
];

fn sheet(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

#[test]
fn the_library_goes_out_comes_back_and_takes_an_offices_sheet() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite");
    for (name, text) in REPORTS {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let docs = dir.path().display().to_string();
    ok(&taizhang(&db, &["ingest", &docs]));

    let json = ok(&taizhang(&db, &["projects", "--format", "json"]));
    let lib: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(lib.as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(lib[0]["name"], "青石大型水库");
    assert_eq!(lib[0]["milestones"].as_array().map(Vec::len), Some(2), "two documents merged");

    let out = dir.path().join("项目库.xlsx");
    ok(&taizhang(&db, &["projects", "--format", "xlsx", "--out", out.to_str().expect("UTF-8")]));
    let back = ok(&taizhang(&db, &["projects", "--import", out.to_str().expect("UTF-8")]));
    assert!(back.contains("新增 0 个") && back.contains("未改动 1 行"), "{back}");

    let office = dir.path().join("office.xlsx");
    let rows = [
        ["企业名称", "地区", "清单", "备注"],
        ["北斗新材料公司", "播州区", "拟招企业", "已两次对接"],
    ];
    std::fs::write(&office, sheet(&rows)).expect("write");
    let done = ok(&taizhang(&db, &["projects", "--import", office.to_str().expect("UTF-8")]));
    assert!(done.contains("新增 1 个：北斗新材料公司"), "{done}");
    let named = ok(&taizhang(&db, &["projects", "--name", "北斗", "--format", "csv"]));
    assert!(named.contains("北斗新材料公司") && !named.contains("青石大型水库"), "{named}");
    let prospects = ok(&taizhang(&db, &["projects", "--list", "prospects", "--format", "csv"]));
    assert!(prospects.contains("北斗新材料公司") && !prospects.contains("青石大型水库"));

    // A faulty sheet: an error naming the cell, a failing exit, nothing changed.
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(
        &bad,
        sheet(&[["项目名称", "地区", "所在阶段", "备注"], ["东湖物流园", "", "签约库", ""]]),
    )
    .expect("write");
    let refused = taizhang(&db, &["projects", "--import", bad.to_str().expect("UTF-8")]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("第2行：无法识别的阶段“签约库”"), "{err}");
    let all = ok(&taizhang(&db, &["projects", "--format", "csv"]));
    assert!(!all.contains("东湖物流园") && all.contains("北斗新材料公司"), "{all}");
}
