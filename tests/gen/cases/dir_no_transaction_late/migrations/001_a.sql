CREATE TABLE a (id int);
-- migc:no-transaction
CREATE INDEX CONCURRENTLY a_id ON a (id);
