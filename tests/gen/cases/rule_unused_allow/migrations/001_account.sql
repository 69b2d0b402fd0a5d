-- Fires [unused-allow] at the directive's line:col (3:1, the next
-- line): a whole-file allow, and nothing in this file is renamed.
-- migc:allow rename account keeps its name; this covers the whole file
CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);
