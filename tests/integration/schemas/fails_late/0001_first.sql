-- fails_late: migration 2 fails at its third statement, at a place inside
-- it, after text of multi-byte characters (test_apply.c: the same error
-- from a query string and from a pipeline).
CREATE TABLE fl_a (id integer);
