-- Near-misses: typmod changes PostgreSQL's planner support functions
-- reduce to a relabel: no rewrite, and the type is the same.
ALTER TABLE account ALTER COLUMN code TYPE varchar(40);
ALTER TABLE account ALTER COLUMN seen_at TYPE timestamp;
ALTER TABLE account ALTER COLUMN paid_at TYPE timestamptz(4);
ALTER TABLE account ALTER COLUMN amount TYPE numeric(12,2);
ALTER TABLE account ALTER COLUMN flags TYPE varbit;

-- Fires [column-type-change] without a rewrite: varchar to text is
-- binary-coercible, but the type changes under running binaries.
ALTER TABLE account ALTER COLUMN name TYPE text;

-- Fires: integer to bigint rewrites the table.
ALTER TABLE account ALTER COLUMN score TYPE bigint;

-- Fires: a shorter varchar checks and rewrites every row.
ALTER TABLE account ALTER COLUMN label TYPE varchar(10);

-- Fires: another scale rewrites; timestamp to timestamptz rewrites
-- unless the session's TimeZone is UTC.
ALTER TABLE account ALTER COLUMN price TYPE numeric(12,3);
ALTER TABLE account ALTER COLUMN created_at TYPE timestamptz;

-- Near-miss: a table created in this same migration.
CREATE TABLE badge (id bigint PRIMARY KEY, rank smallint);
ALTER TABLE badge ALTER COLUMN rank TYPE integer;
