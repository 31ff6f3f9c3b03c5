//! Integration tests of taizhang-extract, in one binary for link time.

mod demo;
mod gold_corpus;
mod robust;
mod score_agreement;
