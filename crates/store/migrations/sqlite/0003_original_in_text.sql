-- An original that is byte for byte the stored text (a UTF-8 .txt file) is not stored a
-- second time: `original` is then empty and `original_in_text` is 1, and the store gives
-- the text back as the original. Re-extraction that changes the text writes the original
-- out first. Halves the size of a library of text files and the bytes each ingest writes.
--
-- PostgreSQL has the same column in ../postgres/0003_original_in_text.sql.
ALTER TABLE documents
    ADD COLUMN original_in_text INTEGER NOT NULL DEFAULT 0 CHECK (original_in_text IN (0, 1));
