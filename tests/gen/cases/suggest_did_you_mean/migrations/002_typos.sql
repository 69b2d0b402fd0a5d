-- A relation one edit away.
CREATE VIEW v1 AS SELECT id FROM acount;
-- Schema-qualified: the suggestion is too.
CREATE VIEW v2 AS SELECT id FROM billing.invoce;
-- A column (case differs only: the quoted name).
COMMENT ON COLUMN account."Email" IS 'login';
COMMENT ON COLUMN account.dispaly_name IS 'shown';
-- A type: one created, one built in, one SQL keyword.
CREATE TABLE t1 (a moood, b timestmp, c intger);
-- A function: one created, one built in.
CREATE VIEW v3 AS SELECT normalise_email(email), lowr(email) FROM account;
-- Nothing close: no suggestion.
CREATE VIEW v4 AS SELECT id FROM old_session;
-- Two names equally close (card, care): no guess.
CREATE VIEW v5 AS SELECT id FROM cart;
