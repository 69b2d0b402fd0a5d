DROP INDEX pi;
CREATE INDEX p1_b_idx ON p1 (b);
