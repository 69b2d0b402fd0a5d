CREATE TYPE order_state AS ENUM ('open', 'paid');
CREATE TABLE orders (
    id integer PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    state order_state NOT NULL DEFAULT 'open'
);
