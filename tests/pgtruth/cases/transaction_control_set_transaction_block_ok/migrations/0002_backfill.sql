-- A backfill that needs one snapshot for all of its statements.
BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
CREATE TABLE dst (id int PRIMARY KEY);
INSERT INTO dst SELECT id FROM src;
COMMIT;
