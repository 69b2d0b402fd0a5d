-- Near-miss: dropping the previous tool's ledger is the cleanup migc wants.
DROP TABLE IF EXISTS goose_db_version;
