-- migc:allow unknown-relation the runtime test needs a statement the server rejects
BEGIN;
INSERT INTO things (id) VALUES (10);
CREATE TABLE wrapped_half (id integer);
INSERT INTO missing_table (id) VALUES (1);
COMMIT;
