SET LOCAL search_path = app, public;
ALTER TABLE users ADD COLUMN email text;
