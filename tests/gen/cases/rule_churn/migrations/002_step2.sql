ALTER TABLE account ADD COLUMN c2 text;
ALTER TABLE profile ADD COLUMN c2 text;
ALTER TABLE profile ADD COLUMN d2 text;
