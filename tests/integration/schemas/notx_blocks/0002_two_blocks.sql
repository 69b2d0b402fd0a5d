-- migc:allow transaction-control two transactions of the script's own, run as written
BEGIN;
INSERT INTO entries (id, note) VALUES (1, 'block one');
CREATE TABLE block_one (id integer);
COMMIT;
BEGIN;
INSERT INTO entries (id, note) VALUES (2, 'block two');
CREATE TABLE block_two (id integer);
COMMIT;
