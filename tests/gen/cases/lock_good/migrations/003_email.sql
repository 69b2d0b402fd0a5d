-- Not released yet: may still change.
ALTER TABLE users ADD COLUMN email text;
