//! The browser flows of issue 4, in headless Chromium: upload documents, see their facts
//! highlighted, filter and sort the ledger, download the `.xlsx` and check a cell, open the
//! benchmark chart and a region, search. The flows are `crates/web/e2e/browser.mjs`
//! (playwright-core driving Debian's `/usr/bin/chromium`); this test starts the real router
//! on a loopback port over a fresh database, runs the script against it and fails with the
//! script's output when it fails. Screenshots of each page land in `target/screenshots/`.
//!
//! Without `node` or Chromium the test says why and passes, unless
//! `TAIZHANG_REQUIRE_BROWSER=1` (set by `.ci/run` once it has installed them) makes that a
//! failure. `TAIZHANG_CHROMIUM` names another Chromium binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the whole script may run before it is killed; it takes seconds.
const SCRIPT_TIME_LIMIT: Duration = Duration::from_secs(240);

/// The password of the test users `planner` and `reporter`.
const PASSWORD: &str = "browser-test-password";

const FIXTURES: [&str; 5] = [
    "zunyi_gwr_2025.txt",
    "anshun_gwr_2025.txt",
    "bozhou_2025.html",
    "projects_huichuan_2025.txt",
    "projects_huichuan_2026.txt",
];

#[test]
fn browser_flows() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e");
    let chromium = std::env::var_os("TAIZHANG_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if let Err(why) = tools_present(&chromium).and_then(|()| node_modules(&e2e)) {
        let required = std::env::var("TAIZHANG_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "TAIZHANG_REQUIRE_BROWSER=1 but {why}");
        eprintln!("skipping the browser tests: {why} (TAIZHANG_REQUIRE_BROWSER=1 makes this fail)");
        return;
    }

    // `CARGO_TARGET_TMPDIR` is `<target>/tmp`; screenshots go beside it.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("tmp is inside target");
    let shots = target.join("screenshots");
    std::fs::create_dir_all(&shots).expect("creating target/screenshots");
    for entry in std::fs::read_dir(&shots).expect("reading target/screenshots").flatten() {
        let _ = std::fs::remove_file(entry.path()); // a failed run's leftovers
    }

    let dir = tempfile::tempdir().expect("a temporary directory");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let addr = runtime.block_on(async {
        let db = dir.path().join("browser.sqlite");
        let app = taizhang_app::App::open(db.to_str().expect("a UTF-8 path"))
            .await
            .expect("a fresh database opens");
        // A planner runs the flows; a reporter of 市大数据局 reports on that unit's task.
        let me = taizhang_app::auth::Actor::command_line();
        for (username, role, unit) in [
            ("planner", taizhang_app::auth::Role::Planner, ""),
            ("reporter", taizhang_app::auth::Role::Reporter, "市大数据局"),
        ] {
            let user = taizhang_app::auth::NewUserRequest {
                username: username.into(),
                display_name: String::new(),
                role,
                unit: unit.into(),
                password: PASSWORD.into(),
            };
            app.add_user(&me, &user).await.expect("a test user");
        }
        let router = taizhang_web::router(Arc::new(app), taizhang_web::Limits::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.expect("serving") });
        addr
    });

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // An office's own project sheet for the import: a company it courts, a stage it sets.
    let sheet = dir.path().join("汇川区项目库.xlsx");
    std::fs::write(&sheet, office_sheet()).expect("writing the project sheet");
    let started = Instant::now();
    let mut script = Command::new("node");
    script
        .current_dir(&e2e)
        .arg("browser.mjs")
        .arg(format!("http://{addr}"))
        .arg(&shots)
        .args(FIXTURES.iter().map(|f| fixtures.join(f)))
        .env("TAIZHANG_CHROMIUM", &chromium)
        .env("TAIZHANG_TEST_PASSWORD", PASSWORD)
        .env("TAIZHANG_PROJECT_SHEET", &sheet);
    let (ok, output) = run_with_limit(script, SCRIPT_TIME_LIMIT);
    eprintln!("browser flows took {:.1} s", started.elapsed().as_secs_f64());
    eprintln!("screenshots: {}", shots.display());
    assert!(ok, "the browser flows failed:\n{output}");
    eprintln!("{output}");
    for name in [
        "documents",
        "document",
        "facts",
        "compare",
        "region",
        "search",
        "ledger",
        "task",
        "warnings",
    ] {
        let png = shots.join(format!("{name}.png"));
        let size = std::fs::metadata(&png).map_or(0, |m| m.len());
        assert!(size > 10_000, "{} is missing or blank ({size} bytes)", png.display());
    }
    runtime.shutdown_timeout(Duration::from_secs(1));
}

/// `Err(why)` when node or Chromium cannot run here.
fn tools_present(chromium: &Path) -> Result<(), String> {
    if !chromium.exists() {
        return Err(format!("{} is missing (Debian package chromium)", chromium.display()));
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!("node --version failed: {}", String::from_utf8_lossy(&out.stderr))),
        Err(e) => Err(format!("node is missing ({e})")),
    }
}

/// Installs the script's locked dependencies (`npm ci`) when they are missing or are not
/// the version `package.json` pins.
fn node_modules(e2e: &Path) -> Result<(), String> {
    let version = |path: PathBuf, pointer: &str| {
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        json.pointer(pointer)?.as_str().map(str::to_owned)
    };
    let pinned = version(e2e.join("package.json"), "/dependencies/playwright-core");
    let installed = version(e2e.join("node_modules/playwright-core/package.json"), "/version");
    if pinned.is_some() && installed == pinned {
        return Ok(());
    }
    eprintln!("installing playwright-core: npm ci in {}", e2e.display());
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(e2e)
        .output()
        .map_err(|e| format!("npm is missing ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "npm ci failed in {}:\n{}{}",
            e2e.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs `command` to its end or for `limit` at most, whichever is sooner; whether it
/// succeeded, and what it wrote to stdout and stderr.
fn run_with_limit(mut command: Command, limit: Duration) -> (bool, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait().expect("waiting for node") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let mut output = stdout.join().unwrap_or_default();
    output.push_str(&stderr.join().unwrap_or_default());
    match status {
        Some(status) => (status.success(), output),
        None => (false, format!("{output}\nkilled after {} s", limit.as_secs())),
    }
}

/// The project sheet an office of 汇川区 keeps: 黔北新材料有限公司 on its 拟招企业 list, and
/// 云岭抽水蓄能电站 in 理性库, with why.
fn office_sheet() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 6]; 3] = [
        ["项目名称", "地区", "清单", "投资", "所在阶段", "备注"],
        ["黔北新材料有限公司", "汇川区", "拟招企业", "拟投资15亿元", "", "已两次对接"],
        ["云岭抽水蓄能电站", "汇川区", "", "", "理性库", "可研已批复"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).expect("a cell");
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}
