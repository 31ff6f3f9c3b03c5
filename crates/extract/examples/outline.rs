//! Prints the metadata and outline of a document:
//! `cargo run -p taizhang-extract --example outline -- FILE`.

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let out = taizhang_extract::extract(&bytes, taizhang_extract::Format::from_name(&path));
        println!("{}", serde_json::to_string(&out.meta).expect("metadata serialises"));
        for s in &out.outline {
            let indent = "  ".repeat(usize::from(s.level));
            let review = if s.review { "review" } else { "plan" };
            println!("{indent}{} {} [{review}] {}..{}", s.marker, s.title, s.start, s.end);
        }
    }
    Ok(())
}
