-- Fires [blocking-index]: REINDEX without CONCURRENTLY blocks the table's
-- writes while it rebuilds.
REINDEX TABLE account;
