-- The ledger (台账): tasks, the progress reported on them, the evidence attached to a
-- report, and settings such as the warning thresholds.
--
-- PostgreSQL has the same tables in ../postgres/0005_ledger.sql; keep the two in step.
-- Dates are ISO 8601 TEXT (`2026-06-30`), timestamps RFC 3339 TEXT, as everywhere.

-- A ledger row (任务). Its source is a byte span of a document's text with the sentence
-- copied in: facts are re-inserted on re-extraction, so a task never refers to a fact, and
-- a deleted document leaves its tasks standing with their sentence.
CREATE TABLE tasks (
    -- AUTOINCREMENT: an id is never reused, so a link or an audit log cannot change meaning.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 序号 as the office numbers its rows.
    ord             INTEGER NOT NULL,
    -- 目标任务.
    title           TEXT NOT NULL CHECK (title <> ''),
    -- 责任单位 (牵头单位); empty until assigned.
    lead_unit       TEXT NOT NULL DEFAULT '',
    -- 配合单位, a JSON array of names.
    assisting_units TEXT NOT NULL DEFAULT '[]',
    -- When the time of the task starts, for schedule progress (序时进度).
    start_date      TEXT,
    -- 完成时限 as a date; NULL for 长期坚持, 持续推进 and the like.
    deadline        TEXT,
    -- 完成时限 as written (`2026年6月底`), so that a sheet comes back as it went out.
    deadline_text   TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'not_started'
                    CHECK (status IN ('not_started', 'in_progress', 'done', 'suspended')),
    -- The share done, 0–100, as last reported.
    percent         REAL CHECK (percent IS NULL OR (percent >= 0 AND percent <= 100)),
    -- 进展情况, 存在问题, 下步打算.
    progress        TEXT NOT NULL DEFAULT '',
    problems        TEXT NOT NULL DEFAULT '',
    next_steps      TEXT NOT NULL DEFAULT '',
    document_id     INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    source_start    INTEGER,
    source_end      INTEGER,
    source_text     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (source_start IS NULL OR (0 <= source_start AND source_start <= source_end))
);
CREATE INDEX tasks_ord ON tasks (ord, id);
CREATE INDEX tasks_document ON tasks (document_id);
CREATE INDEX tasks_lead_unit ON tasks (lead_unit);

-- 进度填报: what a unit reported on a task for a period.
CREATE TABLE progress_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id     INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    -- The period reported on, as the office names it (`2026-05`, `2026年第二季度`).
    period      TEXT NOT NULL,
    unit        TEXT NOT NULL,
    -- The day the report speaks for, ISO 8601.
    reported_on TEXT NOT NULL,
    -- A value of the task's indicator, where it has one.
    value       REAL CHECK (value IS NULL OR abs(value) <= 1.7976931348623157e308),
    percent     REAL CHECK (percent IS NULL OR (percent >= 0 AND percent <= 100)),
    status      TEXT NOT NULL
                CHECK (status IN ('not_started', 'in_progress', 'done', 'suspended')),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX progress_reports_task ON progress_reports (task_id, reported_on);

-- Evidence (佐证材料) attached to a report, stored with the data.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  INTEGER NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL
);
CREATE INDEX attachments_report ON attachments (report_id);

-- Settings of the whole ledger, such as the warning thresholds: a key and a JSON value.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
