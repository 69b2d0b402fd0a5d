-- With `--ledger-table app_ledger` that table is migc's ledger: an error.
CREATE TABLE app_ledger (version bigint PRIMARY KEY);
-- Near-miss: migc_migrations is an ordinary name under that setting.
CREATE TABLE migc_migrations (version bigint PRIMARY KEY);
INSERT INTO migc_migrations VALUES (1);
