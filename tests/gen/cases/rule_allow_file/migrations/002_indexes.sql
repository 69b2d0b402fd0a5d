-- migc:allow blocking-index account is a lookup table of a few hundred rows
-- An allow above the first statement covers the whole file: neither
-- CREATE INDEX below is reported.
CREATE INDEX account_email ON account (email);
CREATE INDEX account_created ON account (created);
