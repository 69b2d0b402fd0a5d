-- Fires [constraint-not-valid]: a CHECK added to a domain that credit_note, a
-- table of an earlier migration, uses checks every one of its rows.
ALTER DOMAIN amount ADD CONSTRAINT amount_positive CHECK (VALUE > 0);

-- Near-miss: NOT VALID checks new values only.
ALTER DOMAIN amount ADD CONSTRAINT amount_small CHECK (VALUE < 1e9) NOT VALID;
