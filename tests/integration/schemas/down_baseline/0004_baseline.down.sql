DROP TABLE base_a;
