-- migc:no-transaction
-- Two statements that are safe to repeat: validating the constraint of
-- 0007 and refreshing the planner's statistics.
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_nonnegative;

ANALYZE orders;
