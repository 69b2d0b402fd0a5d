-- slow: statements that take a while, for the progress lines of a long
-- migration (test_apply.c).
CREATE TABLE slow_a (id integer);
SELECT pg_sleep(0.45);
