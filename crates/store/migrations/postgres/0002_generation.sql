-- The store's generation (`Store::generation`): how many writes to documents there have
-- been, and which database this is.
--
-- SQLite has the same table in ../sqlite/0002_generation.sql; keep the two in step.
-- Every transaction that stores, re-extracts or deletes a document raises `writes` by one,
-- so a search index saved at one generation is up to date exactly while the store reports
-- the same, and a writer that sees its own write go from n − 1 to n knows that nothing
-- came between. `database_id` is drawn once, here, so that the index of a database that
-- was since replaced by another cannot pass for up to date. One row; writers update it
-- last, just before they commit, so that they queue on it only for the commit itself.
CREATE TABLE generation (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    database_id BIGINT NOT NULL,
    writes      BIGINT NOT NULL
);
INSERT INTO generation (id, database_id, writes)
VALUES (1, (random() * 9007199254740991)::BIGINT, 0);
