-- migc:no-transactions
CREATE TABLE a (id int);
