-- a comment first is fine
-- migc:no-transaction
CREATE TABLE a (id int);
CREATE INDEX CONCURRENTLY a_id ON a (id);
