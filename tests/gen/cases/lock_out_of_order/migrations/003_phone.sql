-- From a branch merged after 005 was released.
ALTER TABLE users ADD COLUMN phone text;
