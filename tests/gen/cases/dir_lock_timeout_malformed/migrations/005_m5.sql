-- migc:lock-timeout 5m
CREATE TABLE m5 (id int);
