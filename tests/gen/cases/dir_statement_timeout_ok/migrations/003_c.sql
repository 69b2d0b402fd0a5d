-- migc:statement-timeout 2147483647
CREATE TABLE c (id int);
