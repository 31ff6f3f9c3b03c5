//! Prints the facts of each file given as JSON lines, one file after another:
//! `cargo run -p taizhang-extract --example jsonl -- FILE...`.
//! The `taizhang extract --format jsonl` command does the same with more options.

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let out = taizhang_extract::extract(&bytes, taizhang_extract::Format::from_name(&path));
        for f in &out.facts {
            println!("{}", serde_json::to_string(f).expect("a fact serialises"));
        }
    }
    Ok(())
}
