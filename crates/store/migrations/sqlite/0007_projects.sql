-- Named projects (项目) of each document, as the extractor finds them: written and deleted
-- with the document's facts, in the same transaction. The sentence is copied in so that a
-- library of projects shows its sources without reading whole texts. The project library
-- (one project across documents, with its milestones) is built from these rows by `app`.
--
-- PostgreSQL has the same table in ../postgres/0007_projects.sql.
CREATE TABLE projects (
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord            INTEGER NOT NULL,
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    capacity       TEXT,
    investment     TEXT,
    stage          TEXT,
    year           INTEGER,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    sentence       TEXT NOT NULL,
    section_ord    INTEGER,
    region_code    TEXT,
    PRIMARY KEY (document_id, ord),
    CHECK (0 <= start AND start <= "end")
);
-- A region's projects, the library's main view.
CREATE INDEX projects_region ON projects (region_code, name);
