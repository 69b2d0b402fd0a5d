DROP INDEX p1_b_idx;
