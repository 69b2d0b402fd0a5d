ALTER TABLE account RENAME COLUMN name TO full_name;
ALTER TABLE account ADD COLUMN name text;
ALTER TABLE account DROP COLUMN name;
