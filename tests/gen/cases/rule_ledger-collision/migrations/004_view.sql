-- Fires (an error): a view over migc's ledger reads what the runtime owns.
CREATE VIEW applied AS SELECT * FROM migc_migrations;
