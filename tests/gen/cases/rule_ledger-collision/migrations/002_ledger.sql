-- Fires [ledger-collision] (an error): migc_migrations is migc's own
-- ledger, which the runtime creates and writes.
CREATE TABLE migc_migrations (version bigint PRIMARY KEY);
