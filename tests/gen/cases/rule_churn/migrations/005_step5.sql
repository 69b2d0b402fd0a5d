ALTER TABLE account ADD COLUMN c5 text;
ALTER TABLE profile ADD COLUMN c5 text;
