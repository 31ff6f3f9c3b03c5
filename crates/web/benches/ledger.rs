//! The logged-in API under concurrent load: `/api/v1/facts` served on loopback over a
//! SQLite store holding ≥ 100,000 facts, hit by several keep-alive connections at once,
//! each with its own session (`POST /api/v1/login`, then `Authorization: Bearer`), with a
//! mix of the queries the ledger page makes and a task added now and then (a write, with
//! its audit entry, in one transaction). Prints requests/s and latency p50/p90/p99 per
//! request and overall. Goal (issues 4 and 6): p99 < 50 ms on a 2-core machine.
//!
//! `cargo bench -p taizhang-web --bench ledger [-- FACTS CONNECTIONS SECONDS]`, where
//! CONNECTIONS is a comma-separated list of loads to run one after the other (4,8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use taizhang_app::App;
use taizhang_app::auth::{Actor, NewUserRequest, Role};
use taizhang_extract::{Format, RegionRef, extract};
use taizhang_store::{Change, NewDocument, Store};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Real county and prefecture codes the synthetic documents are attributed to.
const REGIONS: &[(&str, &str, taizhang_extract::Level)] = &[
    ("520300", "遵义市", taizhang_extract::Level::Prefecture),
    ("520302", "红花岗区", taizhang_extract::Level::County),
    ("520303", "汇川区", taizhang_extract::Level::County),
    ("520304", "播州区", taizhang_extract::Level::County),
    ("520400", "安顺市", taizhang_extract::Level::Prefecture),
    ("511123", "犍为县", taizhang_extract::Level::County),
    ("370200", "青岛市", taizhang_extract::Level::Prefecture),
    ("340000", "安徽省", taizhang_extract::Level::Province),
];

/// The queries, as the ledger page sends them.
const QUERIES: &[(&str, &str)] = &[
    ("first page", "/api/v1/facts"),
    ("indicator", "/api/v1/facts?indicator=gdp_growth"),
    ("region+kind", "/api/v1/facts?region=520300&kind=target"),
    ("year, by value", "/api/v1/facts?year=2024&sort=value&order=desc"),
    ("by indicator", "/api/v1/facts?sort=indicator"),
    ("deep page", "/api/v1/facts?offset=60000"),
    ("who am I", "/api/v1/me"),
];

/// One request in this many adds a task.
const WRITE_EVERY: usize = 10;

/// The bench's user and password.
const USER: (&str, &str) = ("bench", "bench-password");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let want_facts: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let connections: Vec<usize> = args
        .get(1)
        .map_or("4,8", String::as_str)
        .split(',')
        .map(|n| n.parse().expect("CONNECTIONS is a list of numbers"))
        .collect();
    let seconds: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(run(want_facts, connections, Duration::from_secs(seconds)));
}

async fn run(want_facts: usize, loads: Vec<usize>, duration: Duration) {
    let dir = tempfile::tempdir().expect("a temp dir");
    // TAIZHANG_BENCH_DB keeps the filled database for a look with sqlite3 afterwards.
    let db = std::env::var("TAIZHANG_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("ledger.sqlite").display().to_string());

    // Fill the store: the demo report, attributed to several regions, with a line appended
    // to each copy so that every copy is a document of its own.
    let started = Instant::now();
    let store = Store::open(&db).await.expect("store");
    let base = extract(taizhang_web::DEMO_TEXT.as_bytes(), Format::Text);
    let per_doc = base.facts.len();
    let documents = want_facts.div_ceil(per_doc);
    for i in 0..documents {
        let text = format!("{}（副本{i}）\n", taizhang_web::DEMO_TEXT);
        let mut x = base.clone();
        x.text.clone_from(&text);
        let (code, name, level) = REGIONS[i % REGIONS.len()];
        x.meta.region = Some(RegionRef { code: code.into(), name: name.into(), level });
        for f in &mut x.facts {
            // Vary the values and years so that sorting and filtering have work to do.
            f.value += (i % 97) as f64 / 10.0;
            f.year = f.year.map(|y| y - (i % 5) as i32);
        }
        let document = NewDocument {
            name: &format!("copy{i}.txt"),
            media_type: "text/plain",
            original: text.as_bytes(),
            extracted: &x,
            extractor_version: taizhang_extract::EXTRACTOR_VERSION,
        };
        let change = Change::new("bench", "document.upload", "document", "");
        store.put_document(document, &change).await.expect("stored");
    }
    store.close().await;
    let facts = documents * per_doc;
    println!(
        "store: {documents} documents, {facts} facts, filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let app = Arc::new(App::open(&db).await.expect("the app opens"));
    println!("index rebuilt in {:.1} s", started.elapsed().as_secs_f64());
    let planner = NewUserRequest {
        username: USER.0.into(),
        display_name: String::new(),
        role: Role::Planner,
        unit: String::new(),
        password: USER.1.into(),
    };
    app.add_user(&Actor::command_line(), &planner).await.expect("the bench user");
    let router = taizhang_web::router(app, taizhang_web::Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });

    // Warm up: each query once, checked, and unauthenticated requests refused.
    let mut stream = connect(addr).await;
    assert_eq!(send(&mut stream, "GET", QUERIES[0].1, None, None).await.0, 401);
    let token = login(&mut stream).await;
    for (name, path) in QUERIES {
        let (status, body) = send(&mut stream, "GET", path, Some(&token), None).await;
        assert_eq!(status, 200, "{name}: {}", String::from_utf8_lossy(&body));
        let page: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert!(page["total"].as_i64() != Some(0), "{name} matches something");
    }

    for connections in loads {
        load(addr, facts, connections, duration).await;
    }
}

/// Runs `connections` clients for `duration` and prints the latencies.
async fn load(addr: std::net::SocketAddr, facts: usize, connections: usize, duration: Duration) {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for c in 0..connections {
        tasks.push(tokio::spawn(async move {
            let mut stream = connect(addr).await;
            let token = login(&mut stream).await;
            let mut samples: Vec<(usize, Duration)> = Vec::new();
            let mut i = c;
            while Instant::now() < deadline {
                let t = Instant::now();
                if i % WRITE_EVERY == WRITE_EVERY - 1 {
                    let task = format!(r#"{{"title":"压测任务{c}-{i}","lead_unit":"某局"}}"#);
                    let (status, body) =
                        send(&mut stream, "POST", "/api/v1/tasks", Some(&token), Some(&task)).await;
                    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
                    samples.push((QUERIES.len(), t.elapsed()));
                } else {
                    let q = i % QUERIES.len();
                    let (status, _) =
                        send(&mut stream, "GET", QUERIES[q].1, Some(&token), None).await;
                    assert_eq!(status, 200);
                    samples.push((q, t.elapsed()));
                }
                i += 1;
            }
            samples
        }));
    }
    let mut all: Vec<(usize, Duration)> = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("a load task"));
    }
    println!(
        "\nlogged-in API, {connections} connections for {} s over {facts} facts: {} requests, {:.0} requests/s",
        duration.as_secs(),
        all.len(),
        all.len() as f64 / duration.as_secs_f64()
    );
    println!("{:<16} {:>8} {:>9} {:>9} {:>9}", "query", "n", "p50 ms", "p90 ms", "p99 ms");
    for (q, (name, _)) in QUERIES.iter().enumerate() {
        let mut d: Vec<Duration> = all.iter().filter(|s| s.0 == q).map(|s| s.1).collect();
        print_row(name, &mut d);
    }
    let mut d: Vec<Duration> = all.iter().filter(|s| s.0 == QUERIES.len()).map(|s| s.1).collect();
    print_row("add a task", &mut d);
    let mut d: Vec<Duration> = all.iter().map(|s| s.1).collect();
    print_row("all", &mut d);
    let p99 = percentile(&d, 0.99);
    println!(
        "goal p99 < 50 ms: {}",
        if p99 < Duration::from_millis(50) { "met" } else { "NOT met" }
    );
}

fn print_row(name: &str, d: &mut [Duration]) {
    d.sort();
    let ms = |p| percentile(d, p).as_secs_f64() * 1000.0;
    println!("{name:<16} {:>8} {:>9.1} {:>9.1} {:>9.1}", d.len(), ms(0.5), ms(0.9), ms(0.99));
}

/// The `p` quantile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn connect(addr: std::net::SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    BufReader::new(stream)
}

/// Logs the bench user in on `stream`; returns the session token.
async fn login(stream: &mut BufReader<TcpStream>) -> String {
    let body = format!(r#"{{"username":"{}","password":"{}"}}"#, USER.0, USER.1);
    let (status, reply) = send(stream, "POST", "/api/v1/login", None, Some(&body)).await;
    assert_eq!(status, 200, "login: {}", String::from_utf8_lossy(&reply));
    let reply: serde_json::Value = serde_json::from_slice(&reply).expect("json");
    reply["token"].as_str().expect("a token").to_owned()
}

/// One HTTP/1.1 keep-alive request, with the bearer `token` and the JSON `body` if given:
/// the status and the body (the server sends Content-Length).
async fn send(
    stream: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, Vec<u8>) {
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nAccept: application/json\r\n");
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.get_mut().write_all(request.as_bytes()).await.expect("write");
    let mut line = String::new();
    stream.read_line(&mut line).await.expect("status line");
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await.expect("a header");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().expect("a length");
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.expect("the body");
    (status, body)
}
