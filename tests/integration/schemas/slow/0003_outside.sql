-- migc:no-transaction
CREATE TABLE slow_b (id integer);
SELECT pg_sleep(0.45);
