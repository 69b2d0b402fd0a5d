-- A check constraint added without validating the existing rows.
ALTER TABLE orders
    ADD CONSTRAINT orders_amount_nonnegative CHECK (amount >= 0) NOT VALID;
