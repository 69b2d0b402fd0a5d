ALTER TABLE account DROP COLUMN name CASCADE;
CREATE VIEW account_names AS SELECT id FROM account;
