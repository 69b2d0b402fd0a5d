-- A function, a view and a table filled from the orders.
CREATE FUNCTION account_total(p_account bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM orders WHERE account_id = p_account
$$;

CREATE VIEW account_summary AS
SELECT a.id, a.email, count(o.id) AS orders
FROM accounts AS a LEFT JOIN orders AS o ON o.account_id = a.id
GROUP BY a.id, a.email;

CREATE TABLE account_totals (
    account_id bigint PRIMARY KEY REFERENCES accounts (id),
    total numeric(14, 2) NOT NULL
);

INSERT INTO account_totals (account_id, total)
SELECT account_id, sum(amount) FROM orders GROUP BY account_id;
