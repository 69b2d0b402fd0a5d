-- migc:allow mixed-transaction the index is built on an empty table
CREATE TABLE a (id int);
CREATE INDEX CONCURRENTLY a_id ON a (id);
