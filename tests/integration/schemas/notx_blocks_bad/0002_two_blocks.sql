-- migc:allow transaction-control two transactions of its own; the second fails on
-- its second INSERT (a duplicate key): the first block stays committed.
BEGIN;
INSERT INTO entries (id, note) VALUES (1, 'block one');
CREATE TABLE block_one (id integer);
COMMIT;
BEGIN;
INSERT INTO entries (id, note) VALUES (2, 'block two');
INSERT INTO entries (id, note) VALUES (1, 'duplicate');
CREATE TABLE block_two (id integer);
COMMIT;
