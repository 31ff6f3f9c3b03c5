//! Integration tests of taizhang-extract, in one binary for link time.

mod score_agreement;
