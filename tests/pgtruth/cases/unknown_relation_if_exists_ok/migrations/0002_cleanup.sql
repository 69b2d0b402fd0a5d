DROP TABLE IF EXISTS legacy_users;
ALTER TABLE IF EXISTS legacy_orders ADD COLUMN note text;
DROP INDEX IF EXISTS legacy_users_email_idx;
DROP VIEW IF EXISTS legacy_view;
DROP SEQUENCE IF EXISTS legacy_seq;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_legacy_check;
DROP SCHEMA IF EXISTS legacy;
