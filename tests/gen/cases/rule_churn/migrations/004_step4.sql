ALTER TABLE account ADD COLUMN c4 text;
ALTER TABLE profile ADD COLUMN c4 text;
