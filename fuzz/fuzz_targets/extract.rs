//! `extract` on arbitrary bytes: the first byte picks the format, the rest is the document.
//! Any panic is a bug, and so is a span that does not lie on the text's char boundaries.
//!
//! Only stable Rust is installed, so the nightly flags cargo-fuzz passes are unlocked:
//! `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -O extract -- -max_len=4096 -timeout=10`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taizhang_extract::{Format, extract};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first & 1 == 0 { Format::Text } else { Format::Html };
    let x = extract(bytes, format);
    let text = &x.text;
    let span_ok = |start: usize, end: usize| start <= end && text.get(start..end).is_some();
    for f in &x.facts {
        assert!(f.start < f.end && span_ok(f.start, f.end), "fact span {f:?}");
        assert_eq!(f.number, text[f.start..f.end]);
        assert!(f.value.is_finite());
        assert!(f.value_max.is_none_or(|m| m.is_finite() && m > f.value), "range {f:?}");
    }
    assert!(x.facts.windows(2).all(|w| w[0].start <= w[1].start), "facts out of order");
    for s in &x.outline {
        assert!(span_ok(s.start, s.end), "section span {s:?}");
    }
    for t in &x.terms {
        assert!(t.start < t.end && span_ok(t.start, t.end), "term span {t:?}");
    }
});
