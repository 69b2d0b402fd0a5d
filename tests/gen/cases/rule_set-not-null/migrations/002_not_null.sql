-- Fires [set-not-null]: email is an existing nullable column; SET NOT
-- NULL scans all of account under an ACCESS EXCLUSIVE lock.
ALTER TABLE account ALTER COLUMN email SET NOT NULL;

-- Near-miss: name is NOT NULL already (nothing to scan).
ALTER TABLE account ALTER COLUMN name SET NOT NULL;

-- Near-miss: a table created in this same migration.
CREATE TABLE invoice (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE invoice ALTER COLUMN amount SET NOT NULL;
