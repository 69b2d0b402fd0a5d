ALTER TABLE members ADD COLUMN since date;
ALTER TABLE members DROP COLUMN since;
CREATE INDEX team_doc_counts_docs ON team_doc_counts (docs DESC);
SELECT upper FROM team_names;
REFRESH MATERIALIZED VIEW team_doc_counts;
