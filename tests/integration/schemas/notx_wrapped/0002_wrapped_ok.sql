-- The whole file in BEGIN ... COMMIT: migc leaves the wrapper out and runs
-- the two statements in its own transaction.
BEGIN;
INSERT INTO things (id) VALUES (1);
CREATE TABLE wrapped_ok (id integer);
COMMIT;
