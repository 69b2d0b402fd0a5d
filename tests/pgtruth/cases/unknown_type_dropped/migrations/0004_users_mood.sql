ALTER TABLE users ADD COLUMN mood mood;
