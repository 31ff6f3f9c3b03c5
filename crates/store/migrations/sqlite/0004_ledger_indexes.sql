-- The ledger's common views read from an index instead of sorting every fact, while ingest
-- updates no more indexes than before (each one more costs about a third of ingest speed
-- on SQLite):
-- - a filter by indicator in document order, which also serves 对标, so it replaces the
--   index on indicator and year;
-- - a region (a range of codes) with a kind counted from the index alone, which also
--   serves the region alone, so it replaces the index on the region.
-- Sorting all facts by value or by indicator still sorts them.
DROP INDEX facts_indicator_year;
DROP INDEX facts_region;
CREATE INDEX facts_indicator_document ON facts (indicator_key, document_id, ord);
CREATE INDEX facts_region_kind ON facts (region_code, kind);
