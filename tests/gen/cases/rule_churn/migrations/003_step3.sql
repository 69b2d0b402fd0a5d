ALTER TABLE account ADD COLUMN c3 text;
ALTER TABLE profile ADD COLUMN c3 text;
