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
