-- Near-miss: DROP INDEX CONCURRENTLY, in a migration of its own.
DROP INDEX CONCURRENTLY session_account;
