-- wrapped the way psql scripts often are
BEGIN;
CREATE TABLE a (id int);
CREATE TABLE b (id int);
COMMIT;
