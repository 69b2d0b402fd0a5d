DROP INDEX pi, p1_b_idx;
