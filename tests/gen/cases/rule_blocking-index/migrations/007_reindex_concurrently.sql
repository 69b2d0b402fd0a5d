-- Near-miss: REINDEX CONCURRENTLY, in a migration of its own.
REINDEX INDEX CONCURRENTLY account_email_key;
