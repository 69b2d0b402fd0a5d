-- Near-miss: VALIDATE CONSTRAINT in a later migration than the NOT VALID
-- add.
ALTER TABLE orders VALIDATE CONSTRAINT orders_account_fk;
