-- The document store: regions, documents and what extraction found in them.
--
-- SQLite has the same tables in ../sqlite/0001_documents.sql; keep the two in step.
-- Integers are BIGINT throughout and timestamps RFC 3339 TEXT (UTC, fixed width, so they
-- sort), because the store reads both backends through the sqlx Any driver, which decodes
-- neither NUMERIC nor dates; one code path matters more than native timestamp columns.
-- Later migrations add tasks, units, users and the audit log; their tables will refer to
-- `documents(id)` and `facts(id)`, which is why both have surrogate ids.

-- GB/T 2260 administrative divisions (行政区), loaded from the extractor's gazetteer.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent_code TEXT REFERENCES regions (code)
);
CREATE INDEX regions_name ON regions (name);
CREATE INDEX regions_parent ON regions (parent_code);

-- One row per distinct original (文件). `content_hash` makes ingest idempotent.
CREATE TABLE documents (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content_hash      TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    original          BYTEA NOT NULL,
    text              TEXT NOT NULL,
    title             TEXT,
    region_code       TEXT REFERENCES regions (code),
    kind              TEXT,
    date              TEXT,
    year              BIGINT,
    period_start      BIGINT,
    period_end        BIGINT,
    encoding          TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    diagnostics       TEXT NOT NULL DEFAULT '[]',
    ingested_at       TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX documents_region ON documents (region_code);
CREATE INDEX documents_year ON documents (year);
CREATE INDEX documents_extractor_version ON documents (extractor_version);

-- The outline (章节). `ord` is the index in the extractor's outline.
CREATE TABLE sections (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         BIGINT NOT NULL,
    level       BIGINT NOT NULL,
    marker      TEXT NOT NULL,
    title       TEXT NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    parent_ord  BIGINT,
    review      BOOLEAN NOT NULL,
    PRIMARY KEY (document_id, ord),
    CHECK (0 <= start AND start <= "end")
);

-- Quantitative facts (指标事实). `region_code` is the document's, copied for filtering.
CREATE TABLE facts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id   BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord           BIGINT NOT NULL,
    start         BIGINT NOT NULL,
    "end"         BIGINT NOT NULL,
    number        TEXT NOT NULL,
    -- NaN sorts above every number in PostgreSQL, so this refuses NaN and infinities alike.
    value         DOUBLE PRECISION NOT NULL
                  CHECK (abs(value) <= '1.7976931348623157e308'::float8),
    value_max     DOUBLE PRECISION
                  CHECK (value_max IS NULL OR abs(value_max) <= '1.7976931348623157e308'::float8),
    unit          TEXT NOT NULL,
    indicator     TEXT NOT NULL,
    indicator_key TEXT,
    measure       TEXT NOT NULL CHECK (measure IN ('growth', 'level')),
    kind          TEXT NOT NULL CHECK (kind IN ('target', 'actual')),
    qualifier     TEXT NOT NULL CHECK (qualifier IN ('exact', 'approx', 'at_least', 'at_most')),
    year          BIGINT,
    section_ord   BIGINT,
    region_code   TEXT,
    CHECK (0 <= start AND start <= "end")
);
-- Also the index on (document_id) that reading a document and cascading deletes need.
CREATE UNIQUE INDEX facts_document_ord ON facts (document_id, ord);
CREATE INDEX facts_indicator_year ON facts (indicator_key, year);
CREATE INDEX facts_region ON facts (region_code);

-- Coined terms (提法) and their definitions.
CREATE TABLE terms (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         BIGINT NOT NULL,
    name        TEXT NOT NULL,
    definition  TEXT,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    occurrences BIGINT NOT NULL,
    PRIMARY KEY (document_id, ord),
    CHECK (0 <= start AND start <= "end")
);
CREATE INDEX terms_name ON terms (name);
