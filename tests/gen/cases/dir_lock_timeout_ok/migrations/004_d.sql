-- migc:lock-timeout 1500
CREATE TABLE d (id int);
