-- migc:lock-timeout 010s
CREATE TABLE m2 (id int);
