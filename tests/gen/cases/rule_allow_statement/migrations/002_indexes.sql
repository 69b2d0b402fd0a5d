CREATE TABLE note (id bigint PRIMARY KEY, body text);

-- Silenced: the allow covers the one statement after it (an allow
-- before the first statement would cover the whole file instead).
-- migc:allow blocking-index account holds a few hundred rows
CREATE INDEX ON account (email);

-- Fires [blocking-index]: the same statement again, without an allow.
CREATE INDEX ON account (email);
