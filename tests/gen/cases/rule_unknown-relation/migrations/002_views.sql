-- Fires [unknown-relation]: "acount" is a typo; no earlier statement
-- creates it (reported at the name).
CREATE VIEW active_account AS SELECT id FROM acount;

-- Fires too: DROP TABLE of a table nothing created (reported at the
-- statement).
DROP TABLE old_session;

-- Near-miss: DROP TABLE IF EXISTS of an unknown table is fine.
DROP TABLE IF EXISTS legacy_session;

-- Near-miss: a CTE name used as a relation is not a table.
CREATE VIEW account_ids AS
    WITH recent AS (SELECT id FROM account)
    SELECT id FROM recent;

-- Near-miss: pg_catalog and information_schema relations exist already.
CREATE VIEW table_names AS
    SELECT c.relname, n.nspname
    FROM pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace;
CREATE VIEW column_names AS
    SELECT column_name FROM information_schema.columns;
