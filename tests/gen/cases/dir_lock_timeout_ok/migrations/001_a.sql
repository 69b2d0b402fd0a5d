-- migc:lock-timeout 5s
CREATE TABLE a (id int);
