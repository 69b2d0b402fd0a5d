-- Fires [no-lock-timeout] once: ADD COLUMN takes ACCESS EXCLUSIVE on an
-- existing table, and nothing limits the wait for it.
ALTER TABLE account ADD COLUMN plan text;
ALTER TABLE account ADD COLUMN region text;
