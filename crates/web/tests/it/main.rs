//! HTTP tests of the router, without a server: every API route, good and bad input, the
//! pages, the exports and the security headers.

mod api;
mod assess;
mod auth;
mod bulletin;
mod ledger;
mod pages;
mod projects;
mod util;
