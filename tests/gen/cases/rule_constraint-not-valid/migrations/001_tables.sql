CREATE TABLE account (id bigint PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    total numeric NOT NULL,
    note text
);
