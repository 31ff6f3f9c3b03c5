-- The facts of a year by value (the ledger filtered by year and sorted by value, and the
-- year's count) read from this index instead of every fact: p99 of that view at 8
-- connections over 100k facts went from 116 ms to 25 ms. It costs the store's part of
-- ingest about 30% on SQLite (329 → 230 documents a second in the store bench), the whole
-- path about 5% (167 → 158 in the app bench, extraction dominating). With it, the planner
-- needs statistics to keep walking a year's facts in document order through
-- facts_document_ord: the store runs ANALYZE on open and after an ingest batch.
CREATE INDEX facts_year_value ON facts (year, value);
