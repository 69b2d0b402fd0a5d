ALTER TABLE users ALTER COLUMN email TYPE citext;
