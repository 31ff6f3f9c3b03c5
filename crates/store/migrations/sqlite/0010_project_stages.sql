-- The project library's stages set by hand: one row per project of the library, which is
-- a region and a normalised name (taizhang_app::projects::normalise), since a project has
-- no id of its own (it is merged from mentions on every read).
--
-- PostgreSQL has the same table in ../postgres/0010_project_stages.sql; keep the two in step.
-- 0009 is left to another branch.

CREATE TABLE project_overrides (
    -- '' for the projects of documents with no region.
    region_code TEXT NOT NULL,
    name_key    TEXT NOT NULL CHECK (name_key <> ''),
    -- The key of one of the site's configured stages (by default the 五库).
    stage       TEXT NOT NULL CHECK (stage <> ''),
    note        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (region_code, name_key)
);
