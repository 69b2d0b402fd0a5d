ALTER TABLE posts ADD COLUMN title text;
