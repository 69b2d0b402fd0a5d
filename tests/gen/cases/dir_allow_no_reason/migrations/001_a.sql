-- migc:allow mixed-transaction
CREATE TABLE a (id int);
