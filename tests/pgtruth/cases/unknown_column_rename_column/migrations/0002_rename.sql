ALTER TABLE users RENAME COLUMN nickname TO handle;
