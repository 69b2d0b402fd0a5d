-- migc:lock-timeout 5 s
CREATE TABLE m1 (id int);
