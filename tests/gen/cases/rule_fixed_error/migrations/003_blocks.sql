-- Near-miss: a fixed rule's warnings follow --severity: this script of
-- two BEGIN ... COMMIT blocks is a [transaction-control] warning by
-- default, switched off here.
BEGIN;
CREATE TABLE a (id int);
COMMIT;
BEGIN;
CREATE TABLE b (id int);
COMMIT;
