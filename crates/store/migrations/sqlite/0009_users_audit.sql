-- Users with roles, their sessions, failed logins, and the audit log.
--
-- PostgreSQL has the same tables in ../postgres/0009_users_audit.sql; keep the two in step.
-- Times are RFC 3339 UTC text of fixed width, so that they compare and sort as text.

CREATE TABLE users (
    -- AUTOINCREMENT: an id is never reused, so that the audit log keeps its meaning.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'reporter', 'viewer')),
    -- The unit a reporter reports for (a task's 责任单位); empty for the other roles.
    unit          TEXT NOT NULL DEFAULT '',
    -- An argon2id PHC string; never the password.
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A login: the SHA-256 of the token the browser holds (never the token), and the token
-- that forms and scripts must echo (CSRF). In the database, so that several app servers
-- on one PostgreSQL database serve one site.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed logins by key (`user:NAME`, `addr:IP`), for rate limiting across servers.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);

CREATE INDEX login_failures_key ON login_failures (key, at);

-- Every change and every refused attempt: who, when, what, before and after. Append-only:
-- the triggers below refuse to change or remove a row.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    unit        TEXT NOT NULL DEFAULT '',
    -- What was done: `task.update`, `report.add`, `user.add`, `login`.
    action      TEXT NOT NULL,
    -- What it was done to: `task`, `document`, `scheme`, `user`, `setting`.
    target_kind TEXT NOT NULL DEFAULT '',
    -- Its id or key; several, comma-separated, for a batch.
    target_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),
    -- JSON, where the change has a before or an after.
    before_json TEXT,
    after_json  TEXT,
    detail      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
