-- Near-misses: a longer varchar and varchar to text are binary
-- coercible: PostgreSQL changes the catalog and rewrites nothing.
ALTER TABLE account ALTER COLUMN code TYPE varchar(40);
ALTER TABLE account ALTER COLUMN name TYPE text;

-- Fires [column-type-change]: integer to bigint rewrites the table.
ALTER TABLE account ALTER COLUMN score TYPE bigint;

-- Fires: a shorter varchar checks and rewrites every row.
ALTER TABLE account ALTER COLUMN label TYPE varchar(10);

-- Near-miss: a table created in this same migration.
CREATE TABLE badge (id bigint PRIMARY KEY, rank smallint);
ALTER TABLE badge ALTER COLUMN rank TYPE integer;
