-- A check constraint added without validating the existing rows
-- (reformatted after release: only comments, whitespace and keyword case).
alter table orders
  add constraint orders_amount_nonnegative check (amount >= 0) not valid;
