ALTER TABLE account ADD COLUMN c6 text;
