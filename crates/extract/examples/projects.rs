//! Prints the projects found in each file given: name, category, stage, year, capacity.
//!
//! `cargo run -p taizhang-extract --example projects -- FILE…`

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let x = taizhang_extract::extract(&bytes, taizhang_extract::Format::from_name(&path));
        println!("# {path}: {} projects", x.projects.len());
        for p in &x.projects {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                p.name,
                p.category.as_str(),
                p.stage.map_or("-", |s| s.as_str()),
                p.year.map_or("-".to_string(), |y| y.to_string()),
                p.capacity.as_deref().unwrap_or("-"),
                p.investment.as_deref().unwrap_or("-"),
            );
        }
    }
}
