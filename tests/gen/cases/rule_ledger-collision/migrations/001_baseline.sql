-- Fires [ledger-collision] (a warning): schema_migrations is the ledger
-- of golang-migrate, dbmate and Rails, copied in by a pg_dump baseline.
CREATE TABLE schema_migrations (version text PRIMARY KEY);

-- Near-miss: a table whose name only resembles a ledger.
CREATE TABLE schema_migrations_archive (version text PRIMARY KEY);
CREATE TABLE app_migrations (id bigint PRIMARY KEY);
