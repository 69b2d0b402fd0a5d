-- MIGC:No-Transaction
CREATE TABLE a (id int);
