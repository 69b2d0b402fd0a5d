CREATE INDEX pj ON p (a);
DROP INDEX p1_a_idx, pj;
