-- Fires [not-null-no-default]: the ADD fails as soon as account holds a
-- row.
ALTER TABLE account ADD COLUMN plan text NOT NULL;

-- Near-misses: a constant default fills existing rows; a nullable column
-- needs nothing.
ALTER TABLE account ADD COLUMN region text NOT NULL DEFAULT 'eu';
ALTER TABLE account ADD COLUMN nickname text;

-- Near-miss: a table created in this same migration has no rows yet.
CREATE TABLE invoice (id bigint PRIMARY KEY);
ALTER TABLE invoice ADD COLUMN amount numeric NOT NULL;

-- Fires [not-null-no-default]: added without a default, and nothing
-- before the SET NOT NULL fills the old rows (a default fills new rows
-- only).
ALTER TABLE account ADD COLUMN tier text;
ALTER TABLE account ALTER COLUMN tier SET DEFAULT 'basic';
ALTER TABLE account ALTER COLUMN tier SET NOT NULL;

-- Near-miss: a backfill fills the old rows; PostgreSQL applies the SET
-- NOT NULL ([set-not-null] says what it costs).
ALTER TABLE account ADD COLUMN country text;
UPDATE account SET country = 'fr';
ALTER TABLE account ALTER COLUMN country SET NOT NULL;
