-- Fires [rename]: account is an existing table; binaries still running
-- use the old name.
ALTER TABLE account RENAME TO customer;

-- Fires: email is an existing column.
ALTER TABLE customer RENAME COLUMN email TO login;

-- Near-miss: a table created in this same migration, and its column.
CREATE TABLE draft (id bigint PRIMARY KEY, body text);
ALTER TABLE draft RENAME TO report;
ALTER TABLE report RENAME COLUMN body TO content;

-- Near-miss: renaming an index breaks no query.
ALTER INDEX account_pkey RENAME TO customer_pkey;
