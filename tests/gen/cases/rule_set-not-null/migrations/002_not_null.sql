-- Fires [set-not-null]: email is an existing nullable column; SET NOT
-- NULL scans all of account under an ACCESS EXCLUSIVE lock.
ALTER TABLE account ALTER COLUMN email SET NOT NULL;

-- Near-miss: name is NOT NULL already (nothing to scan).
ALTER TABLE account ALTER COLUMN name SET NOT NULL;

-- Near-miss: a table created in this same migration.
CREATE TABLE invoice (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE invoice ALTER COLUMN amount SET NOT NULL;

-- Fires [set-not-null]: added with a constant default, then SET NOT NULL
-- scans; NOT NULL written in the ADD COLUMN would not.
ALTER TABLE account ADD COLUMN plan text DEFAULT 'free';
ALTER TABLE account ALTER COLUMN plan SET NOT NULL;

-- Fires [set-not-null]: added, backfilled, then SET NOT NULL: PostgreSQL
-- applies it, with a full scan.
ALTER TABLE account ADD COLUMN country text;
UPDATE account SET country = 'fr';
ALTER TABLE account ALTER COLUMN country SET NOT NULL;
