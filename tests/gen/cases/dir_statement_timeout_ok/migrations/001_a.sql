-- migc:statement-timeout 10min
CREATE TABLE a (id int);
