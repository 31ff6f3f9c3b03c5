-- The inputs an office enters by hand for an assessment scheme (考核数据手工录入: a safety
-- incident for a veto, a figure no document states), as JSON TEXT that `app` reads and
-- validates, like the scheme's body. Every run of the scheme takes them, over the inputs
-- gathered from the documents and the ledger.
--
-- SQLite has the same change in ../sqlite/0012_scheme_inputs.sql; keep the two in step.

ALTER TABLE schemes ADD COLUMN inputs TEXT NOT NULL DEFAULT '[]';
