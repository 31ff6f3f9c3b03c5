-- Assessment (考核): schemes of weighted indicators, and the runs made with them.
--
-- PostgreSQL has the same tables in ../postgres/0008_assessment.sql; keep the two in step.
-- A scheme's body is JSON TEXT that `app` reads and validates; the store keeps it as given.

CREATE TABLE schemes (
    -- AUTOINCREMENT: an id is never reused, so that a run or a link keeps its meaning.
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL CHECK (name <> ''),
    -- The year it assesses, when it is for one.
    year       INTEGER,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A saved run: the scheme as it was, the inputs and the outcome, all JSON, so that a
-- published ranking can be shown again after the scheme is edited.
CREATE TABLE assessment_runs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id  INTEGER NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    -- A label such as `2026年第一季度`.
    label      TEXT NOT NULL DEFAULT '',
    scheme     TEXT NOT NULL,
    inputs     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX assessment_runs_scheme ON assessment_runs (scheme_id, id);
