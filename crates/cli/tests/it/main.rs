//! Integration tests of the `taizhang` binary, in one test binary for link time.

mod eval;
mod library;
