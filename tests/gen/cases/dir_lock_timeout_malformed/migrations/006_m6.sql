-- migc:lock-timeout 2147484s
CREATE TABLE m6 (id int);
