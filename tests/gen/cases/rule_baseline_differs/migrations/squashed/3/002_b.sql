ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX orders_total_idx ON orders (total);
ALTER TYPE mood ADD VALUE 'happy';
