-- Renaming a table keeps the names of its indexes and constraints; renaming
-- the index of a constraint renames the constraint.
ALTER INDEX order_lines_pkey RENAME TO order_lines_pk;
ALTER TABLE orders RENAME TO purchases;
ALTER TABLE purchases ADD UNIQUE (account_id, note);
ALTER TABLE purchases RENAME CONSTRAINT orders_qty_check TO purchases_qty_positive;

ALTER TABLE billing.invoices
  ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR',
  ADD COLUMN ref varchar(20) UNIQUE;
ALTER TABLE billing.invoices ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE billing.invoices ALTER COLUMN issued_at SET NOT NULL;
ALTER TABLE accounts ALTER COLUMN tags DROP NOT NULL;
CREATE INDEX ON billing.invoices ((total * 2));
