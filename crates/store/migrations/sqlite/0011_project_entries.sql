-- Projects an office enters in the project library itself, from its own sheet: those no
-- document names (above all the 拟招企业 of 一图三清单, the companies it courts), and what
-- the office adds to a project its documents name. A project of the library is a region
-- and a normalised name (taizhang_app::projects::normalise), as in project_overrides, which
-- keeps the stage set by hand for these projects too.
--
-- PostgreSQL has the same table in ../postgres/0011_project_entries.sql; keep the two in step.

CREATE TABLE project_entries (
    -- '' for a project of no region.
    region_code TEXT NOT NULL,
    name_key    TEXT NOT NULL CHECK (name_key <> ''),
    -- The name as the office writes it.
    name        TEXT NOT NULL CHECK (name <> ''),
    -- taizhang_extract::ProjectCategory::as_str.
    category    TEXT NOT NULL DEFAULT 'other',
    capacity    TEXT,
    investment  TEXT,
    -- 1 when on the 拟招企业 list of 一图三清单 (an integer: the Any driver knows no booleans).
    prospect    INTEGER NOT NULL DEFAULT 0 CHECK (prospect IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (region_code, name_key)
);
