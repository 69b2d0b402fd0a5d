-- migc:LOCK-TIMEOUT 5s
CREATE TABLE b (id int);
