CREATE TABLE b (id int);
-- migc:allow mixed-transaction the table is new, nothing reads it yet
CREATE INDEX CONCURRENTLY b_id ON b (id);
