-- migc:lock-timeout 1.5s
CREATE TABLE m4 (id int);
