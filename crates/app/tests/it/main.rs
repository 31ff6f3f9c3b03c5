//! The use cases end to end, on SQLite files in temporary directories.

mod assess;
mod bulletin;
mod index;
mod ledger;
mod projects;

/// Who the tests act as: the command line, which may do anything.
pub fn actor() -> taizhang_app::auth::Actor {
    taizhang_app::auth::Actor::command_line()
}
