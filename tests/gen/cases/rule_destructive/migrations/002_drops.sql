-- Fires [destructive]: audit_log and its rows come from an earlier
-- migration (the created-then-dropped note says the pair could go in a
-- squash).
DROP TABLE audit_log;

-- Fires: DROP COLUMN of an existing column.
ALTER TABLE account DROP COLUMN legacy;

-- Fires: TRUNCATE of an existing table.
TRUNCATE account;

-- Near-misses: a table created in this same migration holds nothing yet.
CREATE TABLE scratch (id bigint PRIMARY KEY, note text);
TRUNCATE scratch;
ALTER TABLE scratch DROP COLUMN note;
DROP TABLE scratch;
