ALTER TABLE orders ADD COLUMN customer bigint REFERENCES customers;
ALTER TABLE orders ADD COLUMN note varchar(20);
CREATE INDEX orders_total_idx ON orders (total);
ALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';
