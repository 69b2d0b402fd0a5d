-- A trigger function, and orders that reference accounts (the foreign key
-- is checked for every row inserted).
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    amount numeric(12, 2) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

INSERT INTO orders (id, account_id, amount)
SELECT g, g % 15000 + 1, (g % 977) / 10.0
FROM generate_series(1, 30000) AS g;
