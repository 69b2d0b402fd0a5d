-- A second schema with a type of its own: columns of that type print
-- qualified.
CREATE SCHEMA billing;
CREATE TYPE billing.invoice_state AS ENUM ('draft', 'open', 'paid');

CREATE TABLE billing.invoices (
  id bigserial PRIMARY KEY,
  account_id integer NOT NULL REFERENCES public.accounts (id),
  state billing.invoice_state NOT NULL DEFAULT 'draft',
  total numeric(10,2),
  issued_at timestamp(3) with time zone,
  tags text[],
  CHECK (total IS NULL OR total >= 0)
);
CREATE INDEX ON billing.invoices (state);
CREATE INDEX invoices_open_idx ON billing.invoices (account_id)
  WHERE state = 'open';
