CREATE TABLE account (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text,
    plan text,
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED
);
CREATE VIEW account_names AS SELECT a.id, a.name FROM account a;
CREATE TABLE invoice (
    id bigint PRIMARY KEY,
    account_id bigint REFERENCES account (id),
    total numeric
);
ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_owner ON invoice
    USING (account_id IN (SELECT id FROM account WHERE plan <> 'free'));
