-- The ledger's common views read from an index instead of sorting every fact: a filter by
-- indicator or by year in document order, all facts by value or by indicator (the
-- expression is the one `ORDER BY` uses, so that missing keys come last on both backends),
-- a year's facts by value. A region (a range of codes) with a kind is counted from an
-- index alone.
CREATE INDEX facts_indicator_document ON facts (indicator_key, document_id, ord);
CREATE INDEX facts_year_document ON facts (year, document_id, ord);
CREATE INDEX facts_value ON facts (value);
CREATE INDEX facts_indicator_sort ON facts ((indicator_key IS NULL), indicator_key, indicator);
CREATE INDEX facts_year_value ON facts (year, value);
CREATE INDEX facts_region_kind ON facts (region_code, kind);
