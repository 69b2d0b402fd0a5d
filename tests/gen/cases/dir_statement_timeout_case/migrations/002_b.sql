-- migc:Statement-Timeout 30 s
CREATE TABLE b (id int);
