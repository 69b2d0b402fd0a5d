-- migc:allow transaction-control the backfill must see the committed column
BEGIN;
CREATE TABLE a (id int);
COMMIT;
BEGIN;
INSERT INTO a VALUES (1);
COMMIT;
