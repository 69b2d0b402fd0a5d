-- migc:lock-timeout 5S
CREATE TABLE m3 (id int);
