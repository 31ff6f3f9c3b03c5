//! `taizhang track` and `taizhang compare` on reports written for the tests, and issue 5's
//! acceptance on the 海拉尔区 reports 2012–2019 and the provincial 2026 reports.

use std::path::Path;

use serde_json::Value;

use crate::corpus;
use crate::library::{ok, taizhang};

/// Two years of one city's reports and one report of another city (fictional figures).
const REPORTS: [(&str, &str); 3] = [
    (
        "zunyi_2024.txt",
        "遵义市2024年政府工作报告\n一、2023年工作回顾\n全市地区生产总值完成4000亿元，同比增长5.5%。农民人均纯收入增长8%。\n二、2024年工作安排\n主要预期目标是：地区生产总值增长6%左右；农民人均纯收入增长9%；居民消费价格涨幅3%左右。\n",
    ),
    (
        "zunyi_2025.txt",
        "遵义市2025年政府工作报告\n一、2024年工作回顾\n全市地区生产总值增长5.6%，农村居民人均可支配收入增长7.5%，居民消费价格上涨0.2%。\n二、2025年工作安排\n地区生产总值增长5.5%以上。\n",
    ),
    (
        "anshun_2025.txt",
        "安顺市2025年政府工作报告\n二、2025年工作安排\n地区生产总值增长5%—5.5%。\n",
    ),
];

fn ingest_reports(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.sqlite");
    for (name, text) in REPORTS {
        std::fs::write(dir.join(name), text).expect("write");
    }
    ok(&taizhang(&db, &["ingest", &dir.display().to_string()]));
    db
}

fn json(out: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(out).expect("JSON").as_array().expect("an array").clone()
}

/// (year, target value, actual value, status) of each year.
fn years(rows: &[Value]) -> Vec<(i64, Option<f64>, Option<f64>, String)> {
    rows.iter()
        .map(|r| {
            (
                r["year"].as_i64().expect("year"),
                r["target"]["value"].as_f64(),
                r["actual"]["value"].as_f64(),
                r["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect()
}

#[test]
fn track_links_each_year_s_target_to_the_next_report_s_result() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ingest_reports(dir.path());
    let track = |args: &[&str]| {
        let mut all = vec!["track", "--region", "遵义市", "--format", "json"];
        all.extend_from_slice(args);
        json(&ok(&taizhang(&db, &all)))
    };

    let rows = track(&["--indicator", "gdp_growth"]);
    assert_eq!(
        years(&rows),
        vec![
            (2023, None, Some(5.5), "no_target".to_owned()),
            // 5.6 is within half a point of 6%左右.
            (2024, Some(6.0), Some(5.6), "met".to_owned()),
            (2025, Some(5.5), None, "no_result".to_owned()),
        ]
    );
    let target = &rows[1]["target"];
    assert_eq!(target["qualifier"], "approx");
    assert_eq!(target["unit"], "%");
    assert!(target["value_max"].is_null());
    assert!(target["document"].as_i64().is_some());
    assert!(target["start"].as_u64() < target["end"].as_u64());
    assert_eq!(rows[2]["target"]["qualifier"], "at_least");
    assert!(rows[2]["actual"].is_null());

    // A tighter tolerance, and 5.6 misses 6%左右.
    let rows = track(&["--indicator", "gdp_growth", "--tolerance", "0.3"]);
    assert_eq!(rows[1]["status"], "missed");

    // 农民人均纯收入 became 农村居民人均可支配收入: a new definition, not a miss.
    let rows = track(&["--indicator", "income_growth_rural"]);
    assert_eq!(rows[1]["status"], "not_comparable");
    assert!(rows[1]["reason"].as_str().is_some_and(|r| r.contains("口径不同")));

    // Prices are better low: 0.2% meets 3%左右.
    let rows = track(&["--indicator", "cpi"]);
    assert_eq!(years(&rows), vec![(2024, Some(3.0), Some(0.2), "met".to_owned())]);
}

#[test]
fn a_tolerance_set_once_is_used_until_cleared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ingest_reports(dir.path());
    let status_2024 = || {
        let args = ["track", "--region", "遵义市", "--indicator", "gdp_growth", "--format", "json"];
        json(&ok(&taizhang(&db, &args)))[1]["status"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(status_2024(), "met", "5.6 within the default half point of 6%左右");
    assert_eq!(ok(&taizhang(&db, &["tolerance", "gdp_growth", "0.3"])), "gdp_growth\t0.3\n");
    assert_eq!(ok(&taizhang(&db, &["tolerance"])), "gdp_growth\t0.3\n");
    assert_eq!(status_2024(), "missed");
    ok(&taizhang(&db, &["tolerance", "gdp_growth", "--clear"]));
    assert_eq!(status_2024(), "met");
    for args in [
        &["tolerance", "gdp_growth"][..],
        &["tolerance", "gpd", "0.3"],
        &["tolerance", "gdp_growth", "x"],
    ] {
        assert_ne!(taizhang(&db, args).status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn compare_lists_each_region_s_figure_with_ranges_and_qualifiers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ingest_reports(dir.path());
    let args = ["compare", "--indicator", "gdp_growth", "--year", "2025", "--kind", "target"];
    let rows = json(&ok(&taizhang(&db, &[&args[..], &["--format", "json"]].concat())));
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap_or_default().to_owned(),
                r["region_code"].as_str().unwrap_or_default().to_owned(),
                r["value"].as_f64(),
                r["value_max"].as_f64(),
                r["qualifier"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("遵义市".into(), "520300".into(), Some(5.5), None, "at_least".into()),
            ("安顺市".into(), "520400".into(), Some(5.0), Some(5.5), "exact".into()),
        ]
    );
    assert!(rows.iter().all(|r| r["year"] == 2025 && r["kind"] == "target"));

    // Without a year and kind: each region's latest target and result.
    let rows =
        json(&ok(&taizhang(&db, &["compare", "--indicator", "gdp_growth", "--format", "json"])));
    let zunyi: Vec<_> = rows
        .iter()
        .filter(|r| r["region_code"] == "520300")
        .map(|r| (r["kind"].as_str().unwrap_or_default(), r["year"].as_i64()))
        .collect();
    assert_eq!(zunyi, vec![("target", Some(2025)), ("actual", Some(2024))]);
}

#[test]
fn track_refuses_unknown_regions_and_indicators() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ingest_reports(dir.path());
    for (args, message) in [
        (vec!["track", "--region", "火星市", "--indicator", "gdp"], "no region named 火星市"),
        (vec!["track", "--region", "遵义市", "--indicator", "gpd"], "unknown indicator"),
        (vec!["compare", "--indicator", "gpd"], "unknown indicator"),
        (vec!["track", "--region", "遵义市", "--indicator", "gdp", "--tolerance=-1"], "tolerance"),
    ] {
        let out = taizhang(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// The 海拉尔区 reports 2012–2019: each year's target from that year's report and the
/// result from the next, as read by hand in the reports.
#[test]
fn hailaer_targets_meet_their_results() {
    let Some(corpus) = corpus() else {
        println!("skipped: no corpus (set TAIZHANG_CORPUS or put shared/corpus above the tree)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("hailaer.sqlite");
    let files: Vec<String> = (2012..=2019)
        .map(|y| corpus.join(format!("extra/hailaer_district_gwr_{y}.txt")).display().to_string())
        .collect();
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    ok(&taizhang(&db, &args));

    let track = |indicator: &str| {
        let args = ["track", "--region", "海拉尔区", "--indicator", indicator, "--format", "json"];
        years(&json(&ok(&taizhang(&db, &args))))
    };
    let expect = |indicator: &str, want: &[(i64, f64, f64, &str)]| {
        let got = track(indicator);
        for &(year, target, actual, status) in want {
            let row = got.iter().find(|r| r.0 == year);
            assert_eq!(
                row,
                Some(&(year, Some(target), Some(actual), status.to_owned())),
                "{indicator} {year}: {got:?}"
            );
        }
    };
    expect(
        "gdp_growth",
        &[
            (2012, 21.0, 18.5, "missed"),
            (2013, 20.0, 10.1, "missed"),
            (2014, 11.0, 9.1, "missed"),
            (2015, 8.0, 8.9, "met"),
            (2016, 7.5, 7.2, "missed"),
            // 6%左右 and 6.0%.
            (2018, 6.0, 6.0, "met"),
        ],
    );
    expect(
        "gdp",
        &[
            (2012, 240.0, 235.2, "missed"),
            (2013, 282.0, 253.7, "missed"),
            (2014, 282.0, 274.4, "missed"),
            (2015, 296.0, 287.9, "missed"),
            (2016, 309.0, 303.6, "missed"),
        ],
    );
    expect(
        "local_fiscal_revenue_growth",
        &[(2012, 24.6, 28.8, "met"), (2013, 20.0, 20.3, "met"), (2014, 16.0, 0.4, "missed")],
    );
    expect("local_fiscal_revenue", &[(2012, 20.0, 20.67, "met"), (2014, 28.8, 24.9, "missed")]);
    expect("budget_revenue", &[(2015, 14.6, 15.07, "met"), (2016, 15.8, 17.0, "met")]);
    // 2016: 按可比口径增长13% against 增长5%.
    expect("budget_revenue_growth", &[(2015, 7.0, 10.3, "met"), (2016, 5.0, 13.0, "met")]);
    expect(
        "retail",
        &[
            (2012, 100.8, 97.9, "missed"),
            (2013, 120.0, 110.6, "missed"),
            (2017, 164.1, 159.5, "missed"),
        ],
    );
    expect(
        "retail_growth",
        &[(2013, 22.0, 13.0, "missed"), (2016, 9.0, 9.5, "met"), (2017, 10.0, 6.9, "missed")],
    );
    // 区本级固定资产投资 against 区本级全社会固定资产投资额, the same scope.
    expect("fai", &[(2013, 100.0, 90.7, "missed"), (2014, 108.8, 121.1, "met")]);
    expect("fai_growth", &[(2013, 23.0, 24.7, "met"), (2016, 13.0, 16.6, "met")]);
    // 城乡居民…增长18% (2013) and 城乡居民…分别增长7.5% (2018) are both towns' and
    // countries' targets.
    expect(
        "income_growth_urban",
        &[(2012, 18.0, 14.9, "missed"), (2013, 18.0, 11.1, "missed"), (2018, 7.5, 6.5, "missed")],
    );
    expect("income_growth_rural", &[(2014, 14.0, 13.6, "missed"), (2018, 7.5, 9.4, "met")]);
    // 农民人均纯收入 (2015's target) was replaced by 农村居民人均可支配收入 (2016's report).
    let rural = track("income_growth_rural");
    let y2015 = rural.iter().find(|r| r.0 == 2015).expect("2015");
    assert_eq!(y2015.3, "not_comparable", "{rural:?}");
}

/// The twelve provincial 2026 reports: every 2026 target of the headline indicators, as
/// the reports state them.
#[test]
fn provincial_2026_targets_compare() {
    let Some(corpus) = corpus() else {
        println!("skipped: no corpus (set TAIZHANG_CORPUS or put shared/corpus above the tree)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("provinces.sqlite");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(corpus.join("extra")).expect("the corpus lists") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("prov_") && name.ends_with("_gwr_2026.txt") {
            files.push(path.display().to_string());
        }
    }
    assert_eq!(files.len(), 12);
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    ok(&taizhang(&db, &args));

    let compare = |indicator: &str| {
        let args = [
            "compare",
            "--indicator",
            indicator,
            "--year",
            "2026",
            "--kind",
            "target",
            "--format",
            "json",
        ];
        json(&ok(&taizhang(&db, &args)))
            .iter()
            .map(|r| {
                (
                    r["region"].as_str().unwrap_or_default().to_owned(),
                    r["value"].as_f64().unwrap_or(f64::NAN),
                    r["value_max"].as_f64(),
                    r["qualifier"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let row = |region: &str, value: f64, max: Option<f64>, qualifier: &str| {
        (region.to_owned(), value, max, qualifier.to_owned())
    };
    assert_eq!(
        compare("gdp_growth"),
        vec![
            row("北京市", 5.0, None, "approx"),
            row("黑龙江省", 4.5, Some(5.0), "exact"),
            row("上海市", 5.0, None, "approx"),
            // 按增长5%安排.
            row("江苏省", 5.0, None, "exact"),
            row("浙江省", 5.0, Some(5.5), "exact"),
            row("河南省", 5.0, None, "approx"),
            row("湖北省", 5.5, None, "approx"),
            row("广东省", 4.5, Some(5.0), "exact"),
            row("四川省", 5.5, None, "approx"),
            row("贵州省", 5.0, None, "approx"),
            row("甘肃省", 5.5, None, "approx"),
            row("宁夏回族自治区", 5.0, None, "approx"),
        ]
    );
    let unemployment = compare("unemployment_rate");
    assert_eq!(unemployment.len(), 11, "{unemployment:?}");
    assert!(unemployment.contains(&row("北京市", 5.0, None, "at_most")));
    assert!(unemployment.contains(&row("江苏省", 5.0, None, "approx")));
    let cpi = compare("cpi");
    assert_eq!(cpi.len(), 11, "{cpi:?}");
    assert!(cpi.iter().all(|r| r.1 == 2.0));
    let jobs = compare("new_urban_jobs");
    assert_eq!(jobs.len(), 12, "{jobs:?}");
    assert!(jobs.contains(&row("江苏省", 120.0, None, "exact")));
    assert!(jobs.contains(&row("宁夏回族自治区", 8.2, None, "at_least")));
    let revenue = compare("budget_revenue_growth");
    assert!(revenue.contains(&row("北京市", 4.0, None, "approx")));
    assert!(revenue.contains(&row("江苏省", 2.0, None, "exact")));
    // 同口径增长5.5%左右.
    assert!(revenue.contains(&row("甘肃省", 5.5, None, "approx")));
    // 城乡居民人均可支配收入分别增长5%、6.5%左右; 城镇和农村…分别增长4%左右和6%左右.
    let rural = compare("income_growth_rural");
    assert!(rural.contains(&row("甘肃省", 6.5, None, "approx")), "{rural:?}");
    assert!(rural.contains(&row("贵州省", 6.0, None, "approx")), "{rural:?}");
    // The 左右 after the last figure of the list is the list's.
    let urban = compare("income_growth_urban");
    assert!(urban.contains(&row("甘肃省", 5.0, None, "approx")), "{urban:?}");
    let retail = compare("retail_growth");
    assert!(retail.contains(&row("河南省", 5.5, None, "approx")));
    let investment = compare("fai_growth");
    assert!(investment.contains(&row("甘肃省", 4.5, None, "approx")));
}

/// While `taizhang serve` holds the search index, the commands that only read still run;
/// one that must write to the index says why it cannot.
#[test]
fn reading_commands_run_beside_the_server() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = ingest_reports(dir.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    let stdout = server.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("the server's first line");
    assert!(line.contains("已启动"), "{line}");

    let track = ["track", "--region", "遵义市", "--indicator", "gdp_growth", "--format", "json"];
    let tracked = taizhang(&db, &track);
    let search = taizhang(&db, &["search", "地区生产总值"]);
    let facts = taizhang(&db, &["facts", "--indicator", "gdp_growth"]);
    let ingest = taizhang(&db, &["ingest", &dir.path().display().to_string()]);
    server.kill().expect("the server stops");
    let _ = server.wait();

    assert_eq!(json(&ok(&tracked)).len(), 3);
    assert!(ok(&search).contains("遵义市"));
    assert!(ok(&facts).contains("6%"));
    assert_eq!(ingest.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ingest.stderr).contains("locked"));
}
