-- An enum, a column with a default, and an UPDATE of a third of the orders
-- (which fires the trigger of 0002).
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');

ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'new';

UPDATE orders SET status = 'paid' WHERE id % 3 = 0;
